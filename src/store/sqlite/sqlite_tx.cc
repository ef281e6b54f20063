#include "store/sqlite/sqlite_tx.h"

#include <algorithm>
#include <limits>
#include <map>
#include <tuple>

namespace amends::store::sqlite {

namespace {

std::int64_t Ms(TimePoint t) { return ToUnixMillis(t); }

template <typename E>
E EnumFrom(NameTable<E> table, const std::string& name) {
    if (auto v = ParseIn<E>(table, name)) return *v;
    throw StoreFailure("unknown stored value '" + name + "'");
}

constexpr const char* kCustomerColumns =
    "id, external_ref, name, email, phone, attributes, value_minor, created_at, updated_at";

Customer ReadCustomer(const Stmt& s) {
    Customer c;
    c.id = s.Int(0);
    c.external_ref = s.OptText(1);
    c.name = s.Text(2);
    c.email = s.OptText(3);
    c.phone = s.OptText(4);
    c.attributes_json = s.Text(5);
    c.value_minor = s.Int(6);
    c.created_at = FromUnixMillis(s.Int(7));
    c.updated_at = FromUnixMillis(s.Int(8));
    return c;
}

constexpr const char* kCaseColumns =
    "id, customer_id, subject, description, channel, category, severity, reference, state, assignee_id, created_at, "
    "updated_at";

Case ReadCase(const Stmt& s) {
    Case c;
    c.id = s.Int(0);
    c.customer_id = s.Int(1);
    c.subject = s.Text(2);
    c.description = s.Text(3);
    c.channel = EnumFrom<Channel>(kChannelNames, s.Text(4));
    c.category = s.Text(5);
    c.severity = EnumFrom<Severity>(kSeverityNames, s.Text(6));
    c.reference = s.OptText(7);
    c.state = EnumFrom<CaseState>(kCaseStateNames, s.Text(8));
    c.assignee_id = s.OptInt(9);
    c.created_at = FromUnixMillis(s.Int(10));
    c.updated_at = FromUnixMillis(s.Int(11));
    return c;
}

User ReadUser(const Stmt& s) {
    return User{s.Int(0), s.Text(1), EnumFrom<Role>(kRoleNames, s.Text(2)), FromUnixMillis(s.Int(3))};
}

std::string Sql(const char* head, const char* columns, const char* tail) {
    return std::string(head) + columns + tail;
}

}  // namespace

std::optional<std::string> SqliteTx::GetSetting(const std::string& name) {
    auto s = db_.Prepare("SELECT value FROM settings WHERE name = ?1");
    s.Bind(1, name);
    return s.Step() ? s.OptText(0) : std::nullopt;
}

void SqliteTx::PutSetting(const std::string& name, const std::string& value) {
    db_.Prepare("INSERT INTO settings (name, value) VALUES (?1, ?2) ON CONFLICT (name) DO UPDATE SET value = ?2")
        .Bind(1, name)
        .BindBlob(2, value)
        .Run();
}

Expected<Id> SqliteTx::InsertCustomer(const Customer& c) {
    auto s = db_.Prepare(
        "INSERT INTO customers (external_ref, name, email, phone, attributes, value_minor, created_at, updated_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    s.Bind(1, c.external_ref).Bind(2, c.name).Bind(3, c.email).Bind(4, c.phone).Bind(5, c.attributes_json);
    s.Bind(6, c.value_minor).Bind(7, Ms(c.created_at)).Bind(8, Ms(c.updated_at));
    int constraint = 0;
    s.Step(&constraint);
    if (constraint) return Fail(ErrorCode::kConflict, "a customer with this external_ref exists", "external_ref");
    return db_.LastInsertId();
}

Expected<void> SqliteTx::UpdateCustomer(const Customer& c) {
    auto s = db_.Prepare(
        "UPDATE customers SET external_ref = ?2, name = ?3, email = ?4, phone = ?5, attributes = ?6, "
        "value_minor = ?7, updated_at = ?8 WHERE id = ?1");
    s.Bind(1, c.id).Bind(2, c.external_ref).Bind(3, c.name).Bind(4, c.email).Bind(5, c.phone);
    s.Bind(6, c.attributes_json).Bind(7, c.value_minor).Bind(8, Ms(c.updated_at));
    int constraint = 0;
    s.Step(&constraint);
    if (constraint) return Fail(ErrorCode::kConflict, "a customer with this external_ref exists", "external_ref");
    return {};
}

std::optional<Customer> SqliteTx::FindCustomer(Id id) {
    static const std::string sql = Sql("SELECT ", kCustomerColumns, " FROM customers WHERE id = ?1");
    auto s = db_.Prepare(sql);
    s.Bind(1, id);
    return s.Step() ? std::optional(ReadCustomer(s)) : std::nullopt;
}

std::optional<Customer> SqliteTx::FindCustomerByExternalRef(const std::string& ref) {
    static const std::string sql = Sql("SELECT ", kCustomerColumns, " FROM customers WHERE external_ref = ?1");
    auto s = db_.Prepare(sql);
    s.Bind(1, ref);
    return s.Step() ? std::optional(ReadCustomer(s)) : std::nullopt;
}

std::optional<Customer> SqliteTx::FindCustomerByEmail(const std::string& email) {
    static const std::string sql =
        Sql("SELECT ", kCustomerColumns, " FROM customers WHERE email = ?1 ORDER BY id LIMIT 1");
    auto s = db_.Prepare(sql);
    s.Bind(1, email);
    return s.Step() ? std::optional(ReadCustomer(s)) : std::nullopt;
}

std::vector<Customer> SqliteTx::ListCustomers(const CustomerFilter& f) {
    std::string sql = Sql("SELECT ", kCustomerColumns, " FROM customers WHERE 1");
    if (f.email) sql += " AND email = ?1";
    if (f.external_ref) sql += " AND external_ref = ?2";
    if (f.before_id) sql += " AND id < ?3";
    sql += " ORDER BY id DESC LIMIT ?4";
    auto s = db_.Prepare(sql);
    if (f.email) s.Bind(1, *f.email);
    if (f.external_ref) s.Bind(2, *f.external_ref);
    if (f.before_id) s.Bind(3, *f.before_id);
    s.Bind(4, f.limit);
    std::vector<Customer> out;
    while (s.Step()) out.push_back(ReadCustomer(s));
    return out;
}

Id SqliteTx::InsertCase(const Case& c) {
    auto s = db_.Prepare(
        "INSERT INTO cases (customer_id, subject, description, channel, category, severity, reference, state, "
        "assignee_id, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
    s.Bind(1, c.customer_id).Bind(2, c.subject).Bind(3, c.description).Bind(4, Name(c.channel)).Bind(5, c.category);
    s.Bind(6, Name(c.severity)).Bind(7, c.reference).Bind(8, Name(c.state)).Bind(9, c.assignee_id);
    s.Bind(10, Ms(c.created_at)).Bind(11, Ms(c.updated_at)).Run();
    return db_.LastInsertId();
}

void SqliteTx::UpdateCase(const Case& c) {
    auto s = db_.Prepare(
        "UPDATE cases SET subject = ?2, description = ?3, channel = ?4, category = ?5, severity = ?6, reference = ?7, "
        "state = ?8, assignee_id = ?9, updated_at = ?10 WHERE id = ?1");
    s.Bind(1, c.id).Bind(2, c.subject).Bind(3, c.description).Bind(4, Name(c.channel)).Bind(5, c.category);
    s.Bind(6, Name(c.severity)).Bind(7, c.reference).Bind(8, Name(c.state)).Bind(9, c.assignee_id);
    s.Bind(10, Ms(c.updated_at)).Run();
}

std::optional<Case> SqliteTx::FindCase(Id id) {
    static const std::string sql = Sql("SELECT ", kCaseColumns, " FROM cases WHERE id = ?1");
    auto s = db_.Prepare(sql);
    s.Bind(1, id);
    return s.Step() ? std::optional(ReadCase(s)) : std::nullopt;
}

std::vector<Case> SqliteTx::ListCases(const CaseFilter& f) {
    std::string sql = Sql("SELECT ", kCaseColumns, " FROM cases WHERE 1");
    if (f.state) sql += " AND state = ?1";
    if (f.customer_id) sql += " AND customer_id = ?2";
    if (f.category) sql += " AND category = ?3";
    if (f.since) sql += " AND created_at >= ?4";
    if (f.before_id) sql += " AND id < ?5";
    sql += " ORDER BY id DESC LIMIT ?6";
    auto s = db_.Prepare(sql);
    if (f.state) s.Bind(1, Name(*f.state));
    if (f.customer_id) s.Bind(2, *f.customer_id);
    if (f.category) s.Bind(3, *f.category);
    if (f.since) s.Bind(4, Ms(*f.since));
    if (f.before_id) s.Bind(5, *f.before_id);
    s.Bind(6, f.limit);
    std::vector<Case> out;
    while (s.Step()) out.push_back(ReadCase(s));
    return out;
}

Id SqliteTx::AppendEvent(const Event& e) {
    db_.Prepare("INSERT INTO case_events (case_id, type, actor, data, at) VALUES (?1, ?2, ?3, ?4, ?5)")
        .Bind(1, e.case_id)
        .Bind(2, e.type)
        .Bind(3, e.actor)
        .Bind(4, e.data_json)
        .Bind(5, Ms(e.at))
        .Run();
    return db_.LastInsertId();
}

std::vector<Event> SqliteTx::ListEvents(Id case_id, Id after_id, int limit) {
    auto s = db_.Prepare(
        "SELECT id, case_id, type, actor, data, at FROM case_events WHERE case_id = ?1 AND id > ?2 ORDER BY id LIMIT ?3");
    s.Bind(1, case_id).Bind(2, after_id).Bind(3, limit);
    std::vector<Event> out;
    while (s.Step()) out.push_back(Event{s.Int(0), s.Int(1), s.Text(2), s.Text(3), s.Text(4), FromUnixMillis(s.Int(5))});
    return out;
}

Id SqliteTx::InsertMessage(const Message& m) {
    db_.Prepare(
           "INSERT INTO messages (case_id, direction, author, body, created_at, coach_report) "
           "VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
        .Bind(1, m.case_id)
        .Bind(2, Name(m.direction))
        .Bind(3, m.author)
        .Bind(4, m.body)
        .Bind(5, Ms(m.created_at))
        .Bind(6, m.coach_report_json)
        .Run();
    return db_.LastInsertId();
}

std::vector<Message> SqliteTx::ListMessages(Id case_id, Id after_id, int limit) {
    auto s = db_.Prepare(
        "SELECT m.id, m.case_id, m.direction, m.author, m.body, m.created_at, m.coach_report, "
        "o.id, o.channel, o.recipient, o.state, o.attempts, o.sent_at, o.last_error FROM messages m "
        "LEFT JOIN outbox o ON o.message_id = m.id "
        "WHERE m.case_id = ?1 AND m.id > ?2 ORDER BY m.id LIMIT ?3");
    s.Bind(1, case_id).Bind(2, after_id).Bind(3, limit);
    std::vector<Message> out;
    while (s.Step()) {
        Message m{s.Int(0), s.Int(1), EnumFrom<Direction>(kDirectionNames, s.Text(2)), s.Text(3),
                  s.Text(4), FromUnixMillis(s.Int(5)), s.OptText(6)};
        if (s.OptInt(7)) {
            auto sent = s.OptInt(12);
            m.delivery = Delivery{s.Text(8), s.Text(9), s.Text(10), static_cast<int>(s.Int(11)),
                                  sent ? std::optional(FromUnixMillis(*sent)) : std::nullopt, s.OptText(13)};
        }
        out.push_back(std::move(m));
    }
    return out;
}

void SqliteTx::ForEachSentMessage(const std::function<void(Id customer_id, const Message&)>& visit) {
    auto s = db_.Prepare(
        "SELECT m.id, m.case_id, m.author, m.body, m.created_at, c.customer_id FROM messages m "
        "JOIN cases c ON c.id = m.case_id WHERE m.direction = 'out' ORDER BY m.id");
    while (s.Step())
        visit(s.Int(5), Message{s.Int(0), s.Int(1), Direction::kOut, s.Text(2), s.Text(3), FromUnixMillis(s.Int(4)),
                                std::nullopt});
}

Expected<Id> SqliteTx::InsertUser(const User& u) {
    auto s = db_.Prepare("INSERT INTO users (name, role, created_at) VALUES (?1, ?2, ?3)");
    s.Bind(1, u.name).Bind(2, Name(u.role)).Bind(3, Ms(u.created_at));
    int constraint = 0;
    s.Step(&constraint);
    if (constraint) return Fail(ErrorCode::kConflict, "a user named '" + u.name + "' exists", "name");
    return db_.LastInsertId();
}

std::optional<User> SqliteTx::FindUser(Id id) {
    auto s = db_.Prepare("SELECT id, name, role, created_at FROM users WHERE id = ?1");
    s.Bind(1, id);
    return s.Step() ? std::optional(ReadUser(s)) : std::nullopt;
}

std::optional<User> SqliteTx::FindUserByName(const std::string& name) {
    auto s = db_.Prepare("SELECT id, name, role, created_at FROM users WHERE name = ?1");
    s.Bind(1, name);
    return s.Step() ? std::optional(ReadUser(s)) : std::nullopt;
}

std::vector<User> SqliteTx::ListUsers() {
    auto s = db_.Prepare("SELECT id, name, role, created_at FROM users ORDER BY id");
    std::vector<User> out;
    while (s.Step()) out.push_back(ReadUser(s));
    return out;
}

Id SqliteTx::InsertToken(const ApiToken& t) {
    db_.Prepare("INSERT INTO api_tokens (user_id, hash, created_at) VALUES (?1, ?2, ?3)")
        .Bind(1, t.user_id)
        .BindBlob(2, t.hash)
        .Bind(3, Ms(t.created_at))
        .Run();
    return db_.LastInsertId();
}

std::optional<ApiToken> SqliteTx::FindToken(Id id) {
    auto s = db_.Prepare("SELECT id, user_id, hash, created_at, revoked_at FROM api_tokens WHERE id = ?1");
    s.Bind(1, id);
    if (!s.Step()) return std::nullopt;
    ApiToken t{s.Int(0), s.Int(1), s.OptText(2).value_or(""), FromUnixMillis(s.Int(3)), std::nullopt};
    if (auto r = s.OptInt(4)) t.revoked_at = FromUnixMillis(*r);
    return t;
}

std::vector<Event> SqliteTx::AllEvents(Id case_id) {
    auto s = db_.Prepare("SELECT id, case_id, type, actor, data, at FROM case_events WHERE case_id = ?1 ORDER BY id");
    s.Bind(1, case_id);
    std::vector<Event> out;
    while (s.Step()) out.push_back(Event{s.Int(0), s.Int(1), s.Text(2), s.Text(3), s.Text(4), FromUnixMillis(s.Int(5))});
    return out;
}

namespace {

std::optional<std::int64_t> OptMs(const std::optional<TimePoint>& t) {
    return t ? std::optional<std::int64_t>(ToUnixMillis(*t)) : std::nullopt;
}

std::optional<TimePoint> OptTime(const Stmt& s, int col) {
    auto v = s.OptInt(col);
    return v ? std::optional<TimePoint>(FromUnixMillis(*v)) : std::nullopt;
}

constexpr const char* kClockColumns = "case_id, next_check_at, next_step, next_due_at, why, policy, breached_at, updated_at";

CaseClock ReadClock(const Stmt& s, int first) {
    CaseClock c;
    c.case_id = s.Int(first);
    c.next_check_at = OptTime(s, first + 1);
    c.next_step = s.OptText(first + 2);
    c.next_due_at = OptTime(s, first + 3);
    c.why = s.Text(first + 4);
    c.policy = s.Text(first + 5);
    c.breached_at = OptTime(s, first + 6);
    c.updated_at = FromUnixMillis(s.Int(first + 7));
    return c;
}

}  // namespace

void SqliteTx::PutCaseClock(const CaseClock& c) {
    auto s = db_.Prepare(
        "INSERT INTO case_clocks (case_id, next_check_at, next_step, next_due_at, why, policy, breached_at, updated_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (case_id) DO UPDATE SET next_check_at = ?2, "
        "next_step = ?3, next_due_at = ?4, why = ?5, policy = ?6, breached_at = ?7, updated_at = ?8");
    s.Bind(1, c.case_id).Bind(2, OptMs(c.next_check_at)).Bind(3, c.next_step).Bind(4, OptMs(c.next_due_at));
    s.Bind(5, c.why).Bind(6, c.policy).Bind(7, OptMs(c.breached_at)).Bind(8, Ms(c.updated_at)).Run();
}

std::optional<CaseClock> SqliteTx::FindCaseClock(Id case_id) {
    static const std::string sql = Sql("SELECT ", kClockColumns, " FROM case_clocks WHERE case_id = ?1");
    auto s = db_.Prepare(sql);
    s.Bind(1, case_id);
    return s.Step() ? std::optional(ReadClock(s, 0)) : std::nullopt;
}

std::vector<Id> SqliteTx::DueForCheck(TimePoint now, int limit) {
    auto s = db_.Prepare(
        "SELECT case_id FROM case_clocks WHERE next_check_at IS NOT NULL AND next_check_at <= ?1 "
        "ORDER BY next_check_at LIMIT ?2");
    s.Bind(1, Ms(now)).Bind(2, limit);
    std::vector<Id> out;
    while (s.Step()) out.push_back(s.Int(0));
    return out;
}

std::vector<QueueRow> SqliteTx::Queue(const QueueFilter& f) {
    std::string sql = "SELECT c.id, c.customer_id, c.subject, c.description, c.channel, c.category, c.severity, "
                      "c.reference, c.state, c.assignee_id, c.created_at, c.updated_at, "
                      "k.case_id, k.next_check_at, k.next_step, k.next_due_at, k.why, k.policy, k.breached_at, "
                      "k.updated_at FROM case_clocks k JOIN cases c ON c.id = k.case_id "
                      "WHERE k.next_step IS NOT NULL AND c.state IN ('open', 'waiting_on_customer', 'resolved')";
    if (f.assignee_id) sql += " AND c.assignee_id = ?1";
    if (f.unassigned) sql += " AND c.assignee_id IS NULL";
    if (f.breached_only) sql += " AND k.breached_at IS NOT NULL";
    if (f.due_before) sql += " AND k.next_due_at <= ?2";
    sql += " ORDER BY k.next_due_at IS NULL, k.next_due_at, c.id LIMIT ?3 OFFSET ?4";
    auto s = db_.Prepare(sql);
    if (f.assignee_id) s.Bind(1, *f.assignee_id);
    if (f.due_before) s.Bind(2, Ms(*f.due_before));
    s.Bind(3, f.limit).Bind(4, f.offset);
    std::vector<QueueRow> out;
    while (s.Step()) out.push_back(QueueRow{ReadCase(s), ReadClock(s, 12)});
    return out;
}

namespace {

constexpr const char* kOutboxColumns =
    "id, channel, dedupe_key, case_id, message_id, recipient, subject, body, headers, state, attempts, "
    "next_attempt_at, last_error, created_at, sent_at";

OutboxItem ReadOutbox(const Stmt& s) {
    OutboxItem o;
    o.id = s.Int(0);
    o.channel = s.Text(1);
    o.dedupe_key = s.Text(2);
    o.case_id = s.OptInt(3);
    o.message_id = s.OptInt(4);
    o.recipient = s.Text(5);
    o.subject = s.Text(6);
    o.body = s.Text(7);
    o.headers_json = s.Text(8);
    o.state = s.Text(9);
    o.attempts = static_cast<int>(s.Int(10));
    o.next_attempt_at = FromUnixMillis(s.Int(11));
    o.last_error = s.OptText(12);
    o.created_at = FromUnixMillis(s.Int(13));
    if (auto sent = s.OptInt(14)) o.sent_at = FromUnixMillis(*sent);
    return o;
}

}  // namespace

Expected<Id> SqliteTx::EnqueueOutbox(const OutboxItem& o) {
    auto s = db_.Prepare(
        "INSERT INTO outbox (channel, dedupe_key, case_id, message_id, recipient, subject, body, headers, "
        "next_attempt_at, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    s.Bind(1, o.channel).Bind(2, o.dedupe_key).Bind(3, o.case_id).Bind(4, o.message_id).Bind(5, o.recipient);
    s.Bind(6, o.subject).Bind(7, o.body).Bind(8, o.headers_json).Bind(9, Ms(o.next_attempt_at)).Bind(10, Ms(o.created_at));
    int constraint = 0;
    s.Step(&constraint);
    if (constraint == SQLITE_CONSTRAINT_UNIQUE)
        return Fail(ErrorCode::kConflict, "already queued: " + o.dedupe_key, "dedupe_key");
    if (constraint) throw StoreFailure("outbox row refused by a constraint (" + std::to_string(constraint) + ")");
    return db_.LastInsertId();
}

std::vector<OutboxItem> SqliteTx::ClaimOutbox(TimePoint now, TimePoint lease_until, int limit,
                                          const std::string& channel) {
    // Two statements, so that each uses the (channel, next_attempt_at, id) index or scans all channels.
    auto s = db_.Prepare(channel.empty()
                             ? Sql("UPDATE outbox SET leased_until = ?2, attempts = attempts + 1 WHERE id IN ("
                                   "SELECT id FROM outbox WHERE state = 'pending' AND next_attempt_at <= ?1 "
                                   "AND (leased_until IS NULL OR leased_until <= ?1) "
                                   "ORDER BY next_attempt_at, id LIMIT ?3) RETURNING ",
                                   kOutboxColumns, "")
                             : Sql("UPDATE outbox SET leased_until = ?2, attempts = attempts + 1 WHERE id IN ("
                                   "SELECT id FROM outbox WHERE state = 'pending' AND channel = ?4 "
                                   "AND next_attempt_at <= ?1 AND (leased_until IS NULL OR leased_until <= ?1) "
                                   "ORDER BY next_attempt_at, id LIMIT ?3) RETURNING ",
                                   kOutboxColumns, ""));
    s.Bind(1, Ms(now)).Bind(2, Ms(lease_until)).Bind(3, limit);
    if (!channel.empty()) s.Bind(4, channel);
    std::vector<OutboxItem> out;
    while (s.Step()) out.push_back(ReadOutbox(s));
    std::ranges::sort(out, [](const OutboxItem& a, const OutboxItem& b) {
        return std::tie(a.next_attempt_at, a.id) < std::tie(b.next_attempt_at, b.id);
    });
    return out;
}

void SqliteTx::FinishOutbox(Id id, const OutboxOutcome& r) {
    switch (r.kind) {
        case OutboxOutcome::kSent:
            db_.Prepare("UPDATE outbox SET state = 'sent', sent_at = ?2, leased_until = NULL, last_error = NULL "
                        "WHERE id = ?1 AND state = 'pending'")
                .Bind(1, id)
                .Bind(2, Ms(r.at))
                .Run();
            break;
        case OutboxOutcome::kRetry:
            db_.Prepare("UPDATE outbox SET next_attempt_at = ?2, leased_until = NULL, last_error = ?3 "
                        "WHERE id = ?1 AND state = 'pending'")
                .Bind(1, id)
                .Bind(2, Ms(r.retry_at))
                .Bind(3, r.error)
                .Run();
            break;
        case OutboxOutcome::kFailed:
            db_.Prepare("UPDATE outbox SET state = 'failed', leased_until = NULL, last_error = ?2 "
                        "WHERE id = ?1 AND state = 'pending'")
                .Bind(1, id)
                .Bind(2, r.error)
                .Run();
            break;
    }
}

std::optional<OutboxItem> SqliteTx::FindOutbox(Id id) {
    auto s = db_.Prepare(Sql("SELECT ", kOutboxColumns, " FROM outbox WHERE id = ?1"));
    s.Bind(1, id);
    if (!s.Step()) return std::nullopt;
    return ReadOutbox(s);
}

OutboxCounts SqliteTx::CountOutbox() {
    auto s = db_.Prepare("SELECT state, count(*) FROM outbox GROUP BY state");
    OutboxCounts c;
    while (s.Step()) {
        auto state = s.Text(0);
        (state == "pending" ? c.pending : state == "sent" ? c.sent : c.failed) = s.Int(1);
    }
    return c;
}

Id SqliteTx::AppendStatusLog(const StatusLogEntry& e) {
    db_.Prepare("INSERT INTO status_log (op, body, at) VALUES (?1, ?2, ?3)")
        .Bind(1, e.op)
        .Bind(2, e.body_json)
        .Bind(3, Ms(e.at))
        .Run();
    return db_.LastInsertId();
}

void SqliteTx::ForEachStatusLog(const std::function<void(const StatusLogEntry&)>& visit) {
    auto s = db_.Prepare("SELECT id, op, body, at FROM status_log ORDER BY id");
    while (s.Step()) visit(StatusLogEntry{s.Int(0), s.Text(1), s.Text(2), FromUnixMillis(s.Int(3))});
}

Id SqliteTx::LastStatusLogId() {
    auto s = db_.Prepare("SELECT coalesce(max(id), 0) FROM status_log");
    return s.Step() ? s.Int(0) : 0;
}

TimePoint SqliteTx::CreatedAt() {
    auto s = db_.Prepare("SELECT coalesce(min(applied_at), 0) FROM schema_migrations");
    return FromUnixMillis(s.Step() ? s.Int(0) : 0);
}

bool SqliteTx::PutAffected(const std::string& incident_id, Id customer_id, const std::string& details_json,
                           TimePoint at) {
    auto updated = db_.Prepare("UPDATE incident_customers SET details = ?3 WHERE incident_id = ?1 AND customer_id = ?2");
    updated.Bind(1, incident_id).Bind(2, customer_id).Bind(3, details_json).Run();
    if (db_.Changes() > 0) return false;
    db_.Prepare("INSERT INTO incident_customers (incident_id, customer_id, details, added_at) VALUES (?1, ?2, ?3, ?4)")
        .Bind(1, incident_id)
        .Bind(2, customer_id)
        .Bind(3, details_json)
        .Bind(4, Ms(at))
        .Run();
    return true;
}

std::vector<AffectedCustomer> SqliteTx::ListAffected(const std::string& incident_id, Id after_customer, int limit) {
    auto s = db_.Prepare(Sql("SELECT ", kCustomerColumns,
                             ", details, added_at FROM incident_customers JOIN customers ON id = customer_id "
                             "WHERE incident_id = ?1 AND customer_id > ?2 ORDER BY customer_id LIMIT ?3"));
    s.Bind(1, incident_id).Bind(2, after_customer).Bind(3, limit);
    std::vector<AffectedCustomer> out;
    while (s.Step()) out.push_back(AffectedCustomer{incident_id, ReadCustomer(s), s.Text(9), FromUnixMillis(s.Int(10))});
    return out;
}

std::int64_t SqliteTx::CountAffected(const std::string& incident_id) {
    auto s = db_.Prepare("SELECT count(*) FROM incident_customers WHERE incident_id = ?1");
    s.Bind(1, incident_id);
    return s.Step() ? s.Int(0) : 0;
}

std::vector<std::string> SqliteTx::IncidentsOfCustomer(Id customer_id) {
    auto s = db_.Prepare("SELECT incident_id FROM incident_customers WHERE customer_id = ?1 ORDER BY added_at");
    s.Bind(1, customer_id);
    std::vector<std::string> out;
    while (s.Step()) out.push_back(s.Text(0));
    return out;
}

namespace {

constexpr const char* kWebhookColumns =
    "id, url, secret, customer_id, components, events, description, created_at, deleted_at";

Webhook ReadWebhook(const Stmt& s) {
    Webhook w;
    w.id = s.Int(0);
    w.url = s.Text(1);
    w.secret = s.Text(2);
    w.customer_id = s.OptInt(3);
    w.components_json = s.Text(4);
    w.events_json = s.Text(5);
    w.description = s.Text(6);
    w.created_at = FromUnixMillis(s.Int(7));
    if (auto d = s.OptInt(8)) w.deleted_at = FromUnixMillis(*d);
    return w;
}

FanoutJob ReadFanoutJob(const Stmt& s) {
    FanoutJob j;
    j.id = s.Int(0);
    j.incident_id = s.Text(1);
    j.update_id = s.Text(2);
    j.after_customer = s.Int(3);
    j.queued = s.Int(4);
    j.created_at = FromUnixMillis(s.Int(5));
    if (auto f = s.OptInt(6)) j.finished_at = FromUnixMillis(*f);
    return j;
}

constexpr const char* kFanoutColumns = "id, incident_id, update_id, after_customer, queued, created_at, finished_at";

}  // namespace

Id SqliteTx::InsertWebhook(const Webhook& w) {
    db_.Prepare("INSERT INTO webhooks (url, secret, customer_id, components, events, description, created_at) "
                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
        .Bind(1, w.url)
        .Bind(2, w.secret)
        .Bind(3, w.customer_id)
        .Bind(4, w.components_json)
        .Bind(5, w.events_json)
        .Bind(6, w.description)
        .Bind(7, Ms(w.created_at))
        .Run();
    return db_.LastInsertId();
}

std::optional<Webhook> SqliteTx::FindWebhook(Id id) {
    auto s = db_.Prepare(Sql("SELECT ", kWebhookColumns, " FROM webhooks WHERE id = ?1"));
    s.Bind(1, id);
    if (!s.Step()) return std::nullopt;
    return ReadWebhook(s);
}

std::vector<Webhook> SqliteTx::ListWebhooks(std::optional<Id> customer_id) {
    auto s = db_.Prepare(Sql("SELECT ", kWebhookColumns,
                             " FROM webhooks WHERE deleted_at IS NULL AND (?1 IS NULL OR customer_id = ?1) ORDER BY id"));
    s.Bind(1, customer_id);
    std::vector<Webhook> out;
    while (s.Step()) out.push_back(ReadWebhook(s));
    return out;
}

std::vector<Webhook> SqliteTx::ListPageWebhooks() {
    auto s = db_.Prepare(Sql("SELECT ", kWebhookColumns,
                             " FROM webhooks WHERE deleted_at IS NULL AND customer_id IS NULL ORDER BY id"));
    std::vector<Webhook> out;
    while (s.Step()) out.push_back(ReadWebhook(s));
    return out;
}

std::vector<Id> SqliteTx::CustomersWithWebhooks() {
    auto s = db_.Prepare("SELECT DISTINCT customer_id FROM webhooks WHERE customer_id IS NOT NULL AND deleted_at IS NULL "
                         "ORDER BY customer_id");
    std::vector<Id> out;
    while (s.Step()) out.push_back(s.Int(0));
    return out;
}

bool SqliteTx::DeleteWebhook(Id id, TimePoint at) {
    db_.Prepare("UPDATE webhooks SET deleted_at = ?2 WHERE id = ?1 AND deleted_at IS NULL").Bind(1, id).Bind(2, Ms(at)).Run();
    return db_.Changes() > 0;
}

void SqliteTx::PutFanoutJob(const std::string& incident_id, const std::string& update_id, TimePoint at) {
    db_.Prepare("INSERT OR IGNORE INTO fanout_jobs (incident_id, update_id, created_at) VALUES (?1, ?2, ?3)")
        .Bind(1, incident_id)
        .Bind(2, update_id)
        .Bind(3, Ms(at))
        .Run();
}

std::vector<FanoutJob> SqliteTx::OpenFanoutJobs() {
    auto s = db_.Prepare(Sql("SELECT ", kFanoutColumns, " FROM fanout_jobs WHERE finished_at IS NULL ORDER BY id"));
    std::vector<FanoutJob> out;
    while (s.Step()) out.push_back(ReadFanoutJob(s));
    return out;
}

std::optional<FanoutJob> SqliteTx::FindFanoutJob(const std::string& incident_id, const std::string& update_id) {
    auto s = db_.Prepare(Sql("SELECT ", kFanoutColumns, " FROM fanout_jobs WHERE incident_id = ?1 AND update_id = ?2"));
    s.Bind(1, incident_id).Bind(2, update_id);
    if (!s.Step()) return std::nullopt;
    return ReadFanoutJob(s);
}

bool SqliteTx::AdvanceFanoutJob(Id id, Id from, Id to, std::int64_t queued, std::optional<TimePoint> finished) {
    auto s = db_.Prepare("UPDATE fanout_jobs SET after_customer = ?3, queued = queued + ?4, finished_at = ?5 "
                         "WHERE id = ?1 AND after_customer = ?2 AND finished_at IS NULL");
    s.Bind(1, id).Bind(2, from).Bind(3, to).Bind(4, queued);
    if (finished)
        s.Bind(5, Ms(*finished));
    else
        s.Bind(5, std::optional<std::int64_t>());
    s.Run();
    return db_.Changes() > 0;
}

bool SqliteTx::LinkIncidentCase(const IncidentCase& link) {
    db_.Prepare("INSERT OR IGNORE INTO incident_cases (incident_id, case_id, reason, linked_at) VALUES (?1, ?2, ?3, ?4)")
        .Bind(1, link.incident_id)
        .Bind(2, link.case_id)
        .Bind(3, link.reason)
        .Bind(4, Ms(link.linked_at))
        .Run();
    return db_.Changes() > 0;
}

std::vector<IncidentCase> SqliteTx::IncidentsOfCase(Id case_id) {
    auto s = db_.Prepare("SELECT incident_id, reason, linked_at FROM incident_cases WHERE case_id = ?1 ORDER BY linked_at");
    s.Bind(1, case_id);
    std::vector<IncidentCase> out;
    while (s.Step()) out.push_back(IncidentCase{s.Text(0), case_id, s.Text(1), FromUnixMillis(s.Int(2))});
    return out;
}

std::int64_t SqliteTx::CountIncidentCases(const std::string& incident_id) {
    auto s = db_.Prepare("SELECT count(*) FROM incident_cases WHERE incident_id = ?1");
    s.Bind(1, incident_id);
    return s.Step() ? s.Int(0) : 0;
}

std::optional<InboundMail> SqliteTx::FindInboundMail(const std::string& message_id) {
    auto s = db_.Prepare("SELECT action, case_id, received_at FROM inbound_mail WHERE message_id = ?1");
    s.Bind(1, message_id);
    if (!s.Step()) return std::nullopt;
    return InboundMail{message_id, s.Text(0), s.OptInt(1), FromUnixMillis(s.Int(2))};
}

bool SqliteTx::PutInboundMail(const InboundMail& m) {
    db_.Prepare("INSERT OR IGNORE INTO inbound_mail (message_id, action, case_id, received_at) VALUES (?1, ?2, ?3, ?4)")
        .Bind(1, m.message_id)
        .Bind(2, m.action)
        .Bind(3, m.case_id)
        .Bind(4, Ms(m.received_at))
        .Run();
    return db_.Changes() > 0;
}

// ---- Mail (0011_mail.sql) ----

Id SqliteTx::InsertMailAttachment(const MailAttachment& a) {
    db_.Prepare(
           "INSERT INTO mail_attachments (case_id, message_id, mail_id, filename, content_type, size, content, "
           "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
        .Bind(1, a.case_id)
        .Bind(2, a.message_id)
        .Bind(3, a.mail_id)
        .Bind(4, a.filename)
        .Bind(5, a.content_type)
        .Bind(6, a.size)
        .BindBlob(7, a.content)
        .Bind(8, Ms(a.created_at))
        .Run();
    return db_.LastInsertId();
}

std::vector<MailAttachment> SqliteTx::ListMailAttachments(Id case_id) {
    auto s = db_.Prepare(
        "SELECT id, case_id, message_id, mail_id, filename, content_type, size, created_at FROM mail_attachments "
        "WHERE case_id = ?1 ORDER BY id");
    s.Bind(1, case_id);
    std::vector<MailAttachment> out;
    while (s.Step())
        out.push_back({s.Int(0), s.Int(1), s.OptInt(2), s.Text(3), s.Text(4), s.Text(5), s.Int(6), "",
                       FromUnixMillis(s.Int(7))});
    return out;
}

std::optional<MailAttachment> SqliteTx::FindMailAttachment(Id id) {
    auto s = db_.Prepare(
        "SELECT id, case_id, message_id, mail_id, filename, content_type, size, created_at, content FROM "
        "mail_attachments WHERE id = ?1");
    s.Bind(1, id);
    if (!s.Step()) return std::nullopt;
    return MailAttachment{s.Int(0), s.Int(1), s.OptInt(2), s.Text(3), s.Text(4), s.Text(5), s.Int(6), s.Text(8),
                          FromUnixMillis(s.Int(7))};
}

std::optional<std::string> SqliteTx::LatestInboundMailOfCase(Id case_id) {
    auto s = db_.Prepare(
        "SELECT message_id FROM inbound_mail WHERE case_id = ?1 AND action IN ('case_opened', 'reply') AND "
        "message_id NOT LIKE 'sha256:%' ORDER BY received_at DESC LIMIT 1");
    s.Bind(1, case_id);
    if (!s.Step()) return std::nullopt;
    return s.Text(0);
}

std::optional<IdempotencyRecord> SqliteTx::FindIdempotency(Id user_id, const std::string& key) {
    auto s = db_.Prepare(
        "SELECT fingerprint, status, response, created_at FROM idempotency_keys WHERE user_id = ?1 AND key = ?2");
    s.Bind(1, user_id).Bind(2, key);
    if (!s.Step()) return std::nullopt;
    return IdempotencyRecord{user_id, key, s.OptText(0).value_or(""), static_cast<int>(s.Int(1)), s.Text(2),
                             FromUnixMillis(s.Int(3))};
}

void SqliteTx::PutIdempotency(const IdempotencyRecord& r) {
    db_.Prepare(
           "INSERT OR REPLACE INTO idempotency_keys (user_id, key, fingerprint, status, response, created_at) "
           "VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
        .Bind(1, r.user_id)
        .Bind(2, r.key)
        .BindBlob(3, r.fingerprint)
        .Bind(4, r.status)
        .Bind(5, r.response)
        .Bind(6, Ms(r.created_at))
        .Run();
}

int SqliteTx::DeleteIdempotencyBefore(TimePoint t) {
    db_.Prepare("DELETE FROM idempotency_keys WHERE created_at < ?1").Bind(1, Ms(t)).Run();
    return sqlite3_changes(db_.handle());
}

// ---- Remedies and their ledger (0007_ledger.sql) ----

namespace {

constexpr const char* kProposalColumns =
    "id, subject, subject_id, case_id, customer_id, policy, total_minor, approver, state, offer_id, due_at, "
    "evaluation, created_by, created_at, updated_at";

RemedyProposal ReadProposal(const Stmt& s) {
    RemedyProposal p;
    p.id = s.Int(0);
    p.subject = s.Text(1);
    p.subject_id = s.Text(2);
    p.case_id = s.OptInt(3);
    p.customer_id = s.Int(4);
    p.policy = s.Text(5);
    p.total_minor = s.Int(6);
    p.approver = s.Text(7);
    p.state = s.Text(8);
    p.offer_id = s.OptText(9);
    p.due_at = OptTime(s, 10);
    p.evaluation_json = s.Text(11);
    p.created_by = s.Text(12);
    p.created_at = FromUnixMillis(s.Int(13));
    p.updated_at = FromUnixMillis(s.Int(14));
    return p;
}

constexpr const char* kLedgerColumns =
    "id, type, proposal_id, subject, subject_id, customer_id, rule, kind, category, amount_minor, percent, "
    "description, actor, note, at";

LedgerEntry ReadLedger(const Stmt& s) {
    LedgerEntry e;
    e.id = s.Int(0);
    e.type = s.Text(1);
    e.proposal_id = s.OptInt(2);
    e.subject = s.Text(3);
    e.subject_id = s.Text(4);
    e.customer_id = s.Int(5);
    e.rule = s.Text(6);
    e.kind = s.Text(7);
    e.category = s.Text(8);
    e.amount_minor = s.Int(9);
    e.percent = static_cast<int>(s.Int(10));
    e.description = s.Text(11);
    e.actor = s.Text(12);
    e.note = s.Text(13);
    e.at = FromUnixMillis(s.Int(14));
    return e;
}

}  // namespace

Id SqliteTx::InsertProposal(const RemedyProposal& p) {
    auto s = db_.Prepare(
        "INSERT INTO remedy_proposals (subject, subject_id, case_id, customer_id, policy, total_minor, approver, state, "
        "offer_id, due_at, evaluation, created_by, created_at, updated_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)");
    s.Bind(1, p.subject).Bind(2, p.subject_id).Bind(3, p.case_id).Bind(4, p.customer_id).Bind(5, p.policy);
    s.Bind(6, p.total_minor).Bind(7, p.approver).Bind(8, p.state).Bind(9, p.offer_id).Bind(10, OptMs(p.due_at));
    s.Bind(11, p.evaluation_json).Bind(12, p.created_by).Bind(13, Ms(p.created_at)).Bind(14, Ms(p.updated_at)).Run();
    return db_.LastInsertId();
}

void SqliteTx::UpdateProposal(const RemedyProposal& p) {
    db_.Prepare("UPDATE remedy_proposals SET state = ?2, offer_id = ?3, due_at = ?4, updated_at = ?5 WHERE id = ?1")
        .Bind(1, p.id)
        .Bind(2, p.state)
        .Bind(3, p.offer_id)
        .Bind(4, OptMs(p.due_at))
        .Bind(5, Ms(p.updated_at))
        .Run();
}

std::optional<RemedyProposal> SqliteTx::FindProposal(Id id) {
    static const std::string sql = Sql("SELECT ", kProposalColumns, " FROM remedy_proposals WHERE id = ?1");
    auto s = db_.Prepare(sql);
    s.Bind(1, id);
    return s.Step() ? std::optional(ReadProposal(s)) : std::nullopt;
}

std::optional<RemedyProposal> SqliteTx::FindProposalByOffer(Id case_id, const std::string& offer_id) {
    static const std::string sql =
        Sql("SELECT ", kProposalColumns, " FROM remedy_proposals WHERE case_id = ?1 AND offer_id = ?2");
    auto s = db_.Prepare(sql);
    s.Bind(1, case_id).Bind(2, offer_id);
    return s.Step() ? std::optional(ReadProposal(s)) : std::nullopt;
}

std::vector<RemedyProposal> SqliteTx::ListProposals(const ProposalFilter& f) {
    std::string sql = Sql("SELECT ", kProposalColumns, " FROM remedy_proposals WHERE 1");
    if (f.case_id) sql += " AND case_id = ?1";
    if (f.state) sql += " AND state = ?2";
    if (f.before_id) sql += " AND id < ?3";
    sql += " ORDER BY id DESC LIMIT ?4";
    auto s = db_.Prepare(sql);
    if (f.case_id) s.Bind(1, *f.case_id);
    if (f.state) s.Bind(2, *f.state);
    if (f.before_id) s.Bind(3, *f.before_id);
    s.Bind(4, f.limit);
    std::vector<RemedyProposal> out;
    while (s.Step()) out.push_back(ReadProposal(s));
    return out;
}

std::optional<Id> SqliteTx::AppendLedgerEntry(const LedgerEntry& e) {
    auto s = db_.Prepare(
        "INSERT INTO ledger_entries (type, proposal_id, subject, subject_id, customer_id, rule, kind, category, "
        "amount_minor, percent, description, actor, note, at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) ON CONFLICT DO NOTHING");
    // `e` outlives `s`: its strings are bound without copies (a bulk credit appends millions of entries).
    s.BindUncopied(1, e.type).Bind(2, e.proposal_id).BindUncopied(3, e.subject).BindUncopied(4, e.subject_id);
    s.Bind(5, e.customer_id).BindUncopied(6, e.rule).BindUncopied(7, e.kind).BindUncopied(8, e.category);
    s.Bind(9, e.amount_minor).Bind(10, e.percent).BindUncopied(11, e.description).BindUncopied(12, e.actor);
    s.BindUncopied(13, e.note).Bind(14, Ms(e.at)).Run();
    if (db_.Changes() == 0) return std::nullopt;
    return db_.LastInsertId();
}

std::optional<LedgerEntry> SqliteTx::FindLedgerEntry(Id id) {
    static const std::string sql = Sql("SELECT ", kLedgerColumns, " FROM ledger_entries WHERE id = ?1");
    auto s = db_.Prepare(sql);
    s.Bind(1, id);
    return s.Step() ? std::optional(ReadLedger(s)) : std::nullopt;
}

std::vector<LedgerEntry> SqliteTx::ListLedger(const LedgerFilter& f) {
    std::string sql = Sql("SELECT ", kLedgerColumns, " FROM ledger_entries WHERE id > ?1");
    if (f.customer_id) sql += " AND customer_id = ?2";
    if (f.proposal_id) sql += " AND proposal_id = ?3";
    if (f.type) sql += " AND type = ?4";
    if (f.subject) sql += " AND subject = ?5";
    if (f.subject_id) sql += " AND subject_id = ?6";
    if (f.since) sql += " AND at >= ?7";
    if (f.until) sql += " AND at < ?8";
    sql += " ORDER BY id LIMIT ?9";
    auto s = db_.Prepare(sql);
    s.Bind(1, f.after_id);
    if (f.customer_id) s.Bind(2, *f.customer_id);
    if (f.proposal_id) s.Bind(3, *f.proposal_id);
    if (f.type) s.Bind(4, *f.type);
    if (f.subject) s.Bind(5, *f.subject);
    if (f.subject_id) s.Bind(6, *f.subject_id);
    if (f.since) s.Bind(7, Ms(*f.since));
    if (f.until) s.Bind(8, Ms(*f.until));
    s.Bind(9, f.limit);
    std::vector<LedgerEntry> out;
    while (s.Step()) out.push_back(ReadLedger(s));
    return out;
}

std::optional<LedgerEntry> SqliteTx::FindLedgerByKey(const std::string& type, const std::string& subject,
                                                     const std::string& subject_id, Id customer_id,
                                                     const std::string& rule) {
    static const std::string sql =
        Sql("SELECT ", kLedgerColumns,
            " FROM ledger_entries WHERE type = ?1 AND subject = ?2 AND subject_id = ?3 AND customer_id = ?4 "
            "AND rule = ?5 ORDER BY id DESC LIMIT 1");
    auto s = db_.Prepare(sql);
    s.Bind(1, type).Bind(2, subject).Bind(3, subject_id).Bind(4, customer_id).Bind(5, rule);
    return s.Step() ? std::optional(ReadLedger(s)) : std::nullopt;
}

std::vector<LedgerSum> SqliteTx::SumLedger(Id customer_id, std::optional<TimePoint> since) {
    auto s = db_.Prepare(
        "SELECT kind, coalesce(sum(CASE WHEN type = 'issued' THEN amount_minor END), 0), "
        "coalesce(sum(CASE WHEN type = 'reversed' THEN amount_minor END), 0), sum(type = 'issued'), "
        "sum(type = 'reversed') FROM ledger_entries WHERE customer_id = ?1 AND at >= ?2 "
        "AND type IN ('issued', 'reversed') GROUP BY kind ORDER BY kind");
    s.Bind(1, customer_id).Bind(2, since ? Ms(*since) : std::numeric_limits<std::int64_t>::min());
    std::vector<LedgerSum> out;
    while (s.Step()) out.push_back(LedgerSum{s.Text(0), s.Int(1), s.Int(2), s.Int(3), s.Int(4)});
    return out;
}

std::int64_t SqliteTx::RemediedSince(Id customer_id, TimePoint since) {
    auto s = db_.Prepare(
        "SELECT coalesce(sum(CASE WHEN type = 'issued' THEN amount_minor ELSE -amount_minor END), 0) "
        "FROM ledger_entries WHERE customer_id = ?1 AND at >= ?2 AND type IN ('issued', 'reversed')");
    s.Bind(1, customer_id).Bind(2, Ms(since));
    return s.Step() ? std::max<std::int64_t>(0, s.Int(0)) : 0;
}

std::vector<std::pair<Id, std::int64_t>> SqliteTx::RemediedSinceRange(Id first, Id last, TimePoint since) {
    auto s = db_.Prepare(
        "SELECT customer_id, sum(CASE WHEN type = 'issued' THEN amount_minor ELSE -amount_minor END) "
        "FROM ledger_entries WHERE customer_id BETWEEN ?1 AND ?2 AND at >= ?3 AND type IN ('issued', 'reversed') "
        "GROUP BY customer_id");
    s.Bind(1, first).Bind(2, last).Bind(3, Ms(since));
    std::vector<std::pair<Id, std::int64_t>> out;
    while (s.Step()) out.emplace_back(s.Int(0), std::max<std::int64_t>(0, s.Int(1)));
    return out;
}

std::optional<CreditRun> SqliteTx::FindCreditRun(const std::string& incident_id) {
    auto s = db_.Prepare(
        "SELECT incident_id, after_customer, done, started_at, finished_at FROM credit_runs WHERE incident_id = ?1");
    s.Bind(1, incident_id);
    if (!s.Step()) return std::nullopt;
    return CreditRun{s.Text(0), s.Int(1), s.Int(2) != 0, FromUnixMillis(s.Int(3)), OptTime(s, 4)};
}

void SqliteTx::PutCreditRun(const CreditRun& r) {
    db_.Prepare(
           "INSERT INTO credit_runs (incident_id, after_customer, done, started_at, finished_at) "
           "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (incident_id) DO UPDATE SET after_customer = ?2, done = ?3, "
           "started_at = ?4, finished_at = ?5")
        .Bind(1, r.incident_id)
        .Bind(2, r.after_customer)
        .Bind(3, r.done ? 1 : 0)
        .Bind(4, Ms(r.started_at))
        .Bind(5, OptMs(r.finished_at))
        .Run();
}

std::vector<RemedySpendRow> SqliteTx::RemedySpend(const std::string& by, TimePoint from, TimePoint to) {
    std::string group, where = " AND at >= ?1 AND at < ?2";
    if (by == "category") {
        group = "category";
    } else if (by == "incident") {
        group = "subject_id";
        where += " AND subject = 'incident'";
    } else if (by == "month") {
        group = "strftime('%Y-%m', at / 1000, 'unixepoch')";
    } else {
        throw StoreFailure("unknown report grouping '" + by + "'");
    }
    std::map<std::string, RemedySpendRow> rows;
    auto spend = db_.Prepare(
        "SELECT " + group + " AS g, coalesce(sum(CASE WHEN type = 'issued' THEN amount_minor END), 0), "
        "coalesce(sum(CASE WHEN type = 'reversed' THEN amount_minor END), 0), sum(type = 'issued'), "
        "count(DISTINCT CASE WHEN type = 'issued' THEN customer_id END) FROM ledger_entries "
        "WHERE type IN ('issued', 'reversed')" + where + " GROUP BY g");
    spend.Bind(1, Ms(from)).Bind(2, Ms(to));
    while (spend.Step()) {
        auto& r = rows[spend.Text(0)];
        r.group = spend.Text(0);
        r.issued_minor = spend.Int(1);
        r.reversed_minor = spend.Int(2);
        r.remedies = spend.Int(3);
        r.customers = spend.Int(4);
    }
    // Each recipient once per group, from their first remedy of the group.
    auto after = db_.Prepare(
        "WITH r AS (SELECT " + group + " AS g, customer_id, min(at) AS first_at FROM ledger_entries "
        "WHERE type = 'issued'" + where + " GROUP BY g, customer_id) "
        "SELECT r.g, sum(coalesce(unixepoch(json_extract(c.attributes, '$.last_order_at')) * 1000 > r.first_at, 0)), "
        "sum(EXISTS (SELECT 1 FROM cases k WHERE k.customer_id = r.customer_id AND k.created_at > r.first_at)) "
        "FROM r JOIN customers c ON c.id = r.customer_id GROUP BY r.g");
    after.Bind(1, Ms(from)).Bind(2, Ms(to));
    while (after.Step()) {
        auto& r = rows[after.Text(0)];
        r.came_back = after.Int(1);
        r.complained_again = after.Int(2);
    }
    auto followup = db_.Prepare(
        "WITH r AS (SELECT DISTINCT " + group + " AS g, CAST(subject_id AS INTEGER) AS case_id FROM ledger_entries "
        "WHERE type = 'issued' AND subject = 'case'" + where + ") "
        "SELECT r.g, count(*), coalesce(sum(json_extract(ev.data, '$.score')), 0) FROM r "
        "JOIN case_events ev ON ev.case_id = r.case_id AND ev.type = 'followup.answered' GROUP BY r.g");
    followup.Bind(1, Ms(from)).Bind(2, Ms(to));
    while (followup.Step()) {
        auto& r = rows[followup.Text(0)];
        r.followup_answers = followup.Int(1);
        r.followup_score_sum = followup.Int(2);
    }
    std::vector<RemedySpendRow> out;
    for (auto& [g, r] : rows) {
        r.group = g;
        out.push_back(std::move(r));
    }
    return out;
}

}  // namespace amends::store::sqlite

// ---- debriefs and their corrective actions ----

namespace amends::store::sqlite {

namespace {

constexpr const char* kDebriefColumns = "id, incident_id, body, published_at, created_at, updated_at";

DebriefRecord ReadDebrief(const Stmt& s) {
    DebriefRecord d;
    d.id = s.Int(0);
    d.incident_id = s.OptText(1);
    d.body_json = s.Text(2);
    if (auto t = s.OptInt(3)) d.published_at = FromUnixMillis(*t);
    d.created_at = FromUnixMillis(s.Int(4));
    d.updated_at = FromUnixMillis(s.Int(5));
    return d;
}

constexpr const char* kActionColumns =
    "id, debrief_id, status, due, body, reopened_at, reopened_by, created_at, updated_at";

ActionRecord ReadAction(const Stmt& s) {
    ActionRecord a;
    a.id = s.Int(0);
    a.debrief_id = s.Int(1);
    a.status = s.Text(2);
    a.due = FromUnixMillis(s.Int(3));
    a.body_json = s.Text(4);
    if (auto t = s.OptInt(5)) a.reopened_at = FromUnixMillis(*t);
    a.reopened_by_json = s.Text(6);
    a.created_at = FromUnixMillis(s.Int(7));
    a.updated_at = FromUnixMillis(s.Int(8));
    return a;
}

}  // namespace

void SqliteTx::PutDebriefCases(const DebriefRecord& d) {
    db_.Prepare("DELETE FROM debrief_cases WHERE debrief_id = ?1").Bind(1, d.id).Run();
    for (Id case_id : d.case_ids)
        db_.Prepare("INSERT OR IGNORE INTO debrief_cases (debrief_id, case_id) VALUES (?1, ?2)")
            .Bind(1, d.id)
            .Bind(2, case_id)
            .Run();
}

Id SqliteTx::InsertDebrief(const DebriefRecord& d) {
    db_.Prepare("INSERT INTO debriefs (incident_id, body, published_at, created_at, updated_at) "
                "VALUES (?1, ?2, ?3, ?4, ?5)")
        .Bind(1, d.incident_id)
        .Bind(2, d.body_json)
        .Bind(3, OptMs(d.published_at))
        .Bind(4, ToUnixMillis(d.created_at))
        .Bind(5, ToUnixMillis(d.updated_at))
        .Run();
    DebriefRecord stored = d;
    stored.id = db_.LastInsertId();
    PutDebriefCases(stored);
    return stored.id;
}

void SqliteTx::UpdateDebrief(const DebriefRecord& d) {
    db_.Prepare("UPDATE debriefs SET incident_id = ?2, body = ?3, published_at = ?4, updated_at = ?5 WHERE id = ?1")
        .Bind(1, d.id)
        .Bind(2, d.incident_id)
        .Bind(3, d.body_json)
        .Bind(4, OptMs(d.published_at))
        .Bind(5, ToUnixMillis(d.updated_at))
        .Run();
    PutDebriefCases(d);
}

std::optional<DebriefRecord> SqliteTx::FindDebrief(Id id) {
    static const std::string sql = Sql("SELECT ", kDebriefColumns, " FROM debriefs WHERE id = ?1");
    auto s = db_.Prepare(sql);
    s.Bind(1, id);
    if (!s.Step()) return std::nullopt;
    DebriefRecord d = ReadDebrief(s);
    auto cases = db_.Prepare("SELECT case_id FROM debrief_cases WHERE debrief_id = ?1 ORDER BY case_id");
    cases.Bind(1, id);
    while (cases.Step()) d.case_ids.push_back(cases.Int(0));
    return d;
}

std::vector<DebriefRecord> SqliteTx::ListDebriefs(const DebriefFilter& f) {
    std::string sql = Sql("SELECT ", kDebriefColumns, " FROM debriefs WHERE 1");
    if (f.incident_id) sql += " AND incident_id = ?1";
    if (f.case_id) sql += " AND id IN (SELECT debrief_id FROM debrief_cases WHERE case_id = ?2)";
    if (f.before_id) sql += " AND id < ?3";
    sql += " ORDER BY id DESC LIMIT ?4";
    std::vector<Id> ids;
    {
        auto s = db_.Prepare(sql);
        if (f.incident_id) s.Bind(1, *f.incident_id);
        if (f.case_id) s.Bind(2, *f.case_id);
        if (f.before_id) s.Bind(3, *f.before_id);
        s.Bind(4, f.limit);
        while (s.Step()) ids.push_back(s.Int(0));
    }
    std::vector<DebriefRecord> out;
    for (Id id : ids)
        if (auto d = FindDebrief(id)) out.push_back(std::move(*d));
    return out;
}

Id SqliteTx::InsertAction(const ActionRecord& a) {
    db_.Prepare("INSERT INTO debrief_actions (debrief_id, status, due, body, reopened_at, reopened_by, created_at, "
                "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
        .Bind(1, a.debrief_id)
        .Bind(2, a.status)
        .Bind(3, ToUnixMillis(a.due))
        .Bind(4, a.body_json)
        .Bind(5, OptMs(a.reopened_at))
        .Bind(6, a.reopened_by_json)
        .Bind(7, ToUnixMillis(a.created_at))
        .Bind(8, ToUnixMillis(a.updated_at))
        .Run();
    return db_.LastInsertId();
}

void SqliteTx::UpdateAction(const ActionRecord& a) {
    db_.Prepare("UPDATE debrief_actions SET status = ?2, due = ?3, body = ?4, reopened_at = ?5, reopened_by = ?6, "
                "updated_at = ?7 WHERE id = ?1")
        .Bind(1, a.id)
        .Bind(2, a.status)
        .Bind(3, ToUnixMillis(a.due))
        .Bind(4, a.body_json)
        .Bind(5, OptMs(a.reopened_at))
        .Bind(6, a.reopened_by_json)
        .Bind(7, ToUnixMillis(a.updated_at))
        .Run();
}

std::optional<ActionRecord> SqliteTx::FindAction(Id id) {
    static const std::string sql = Sql("SELECT ", kActionColumns, " FROM debrief_actions WHERE id = ?1");
    auto s = db_.Prepare(sql);
    s.Bind(1, id);
    return s.Step() ? std::optional(ReadAction(s)) : std::nullopt;
}

std::vector<ActionRecord> SqliteTx::ListActions(const ActionFilter& f) {
    std::string sql = Sql("SELECT ", kActionColumns, " FROM debrief_actions WHERE 1");
    if (f.debrief_id) sql += " AND debrief_id = ?1";
    if (f.status) sql += " AND status = ?2";
    if (f.due_before) sql += " AND due < ?3";
    if (f.before_id) sql += " AND id < ?4";
    sql += " ORDER BY id DESC LIMIT ?5";
    auto s = db_.Prepare(sql);
    if (f.debrief_id) s.Bind(1, *f.debrief_id);
    if (f.status) s.Bind(2, *f.status);
    if (f.due_before) s.Bind(3, ToUnixMillis(*f.due_before));
    if (f.before_id) s.Bind(4, *f.before_id);
    s.Bind(5, f.limit);
    std::vector<ActionRecord> out;
    while (s.Step()) out.push_back(ReadAction(s));
    return out;
}

void SqliteTx::ForEachCaseSince(TimePoint since, const std::function<void(const Case&)>& visit) {
    static const std::string sql = Sql("SELECT ", kCaseColumns, " FROM cases WHERE created_at >= ?1 ORDER BY id");
    auto s = db_.Prepare(sql);
    s.Bind(1, ToUnixMillis(since));
    while (s.Step()) visit(ReadCase(s));
}

// ---- the agents' console: staff passwords, web sessions, token management (0010_console.sql) ----

void SqliteTx::PutPasswordHash(Id user_id, const std::string& hash, TimePoint at) {
    db_.Prepare("INSERT INTO staff_passwords (user_id, hash, updated_at) VALUES (?1, ?2, ?3) "
                "ON CONFLICT (user_id) DO UPDATE SET hash = excluded.hash, updated_at = excluded.updated_at")
        .Bind(1, user_id)
        .Bind(2, hash)
        .Bind(3, Ms(at))
        .Run();
}

std::optional<std::string> SqliteTx::FindPasswordHash(Id user_id) {
    auto s = db_.Prepare("SELECT hash FROM staff_passwords WHERE user_id = ?1");
    s.Bind(1, user_id);
    return s.Step() ? std::optional(s.Text(0)) : std::nullopt;
}

Id SqliteTx::InsertWebSession(const WebSession& w) {
    db_.Prepare("INSERT INTO web_sessions (hash, user_id, csrf, created_at, expires_at, last_seen_at) "
                "VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
        .BindBlob(1, w.hash)
        .Bind(2, w.user_id)
        .Bind(3, w.csrf)
        .Bind(4, Ms(w.created_at))
        .Bind(5, Ms(w.expires_at))
        .Bind(6, Ms(w.last_seen_at))
        .Run();
    return db_.LastInsertId();
}

std::optional<WebSession> SqliteTx::FindWebSession(const std::string& hash) {
    auto s = db_.Prepare("SELECT id, hash, user_id, csrf, created_at, expires_at, last_seen_at FROM web_sessions "
                         "WHERE hash = ?1");
    s.BindBlob(1, hash);
    if (!s.Step()) return std::nullopt;
    return WebSession{s.Int(0), s.OptText(1).value_or(""), s.Int(2), s.Text(3), FromUnixMillis(s.Int(4)),
                      FromUnixMillis(s.Int(5)), FromUnixMillis(s.Int(6))};
}

void SqliteTx::TouchWebSession(Id id, TimePoint at) {
    db_.Prepare("UPDATE web_sessions SET last_seen_at = ?2 WHERE id = ?1 AND last_seen_at < ?2")
        .Bind(1, id)
        .Bind(2, Ms(at))
        .Run();
}

void SqliteTx::DeleteWebSession(Id id) { db_.Prepare("DELETE FROM web_sessions WHERE id = ?1").Bind(1, id).Run(); }

int SqliteTx::DeleteUserWebSessions(Id user_id) {
    db_.Prepare("DELETE FROM web_sessions WHERE user_id = ?1").Bind(1, user_id).Run();
    return static_cast<int>(db_.Changes());
}

int SqliteTx::DeleteExpiredWebSessions(TimePoint idle_before, TimePoint now) {
    db_.Prepare("DELETE FROM web_sessions WHERE last_seen_at < ?1 OR expires_at <= ?2")
        .Bind(1, Ms(idle_before))
        .Bind(2, Ms(now))
        .Run();
    return static_cast<int>(db_.Changes());
}

std::vector<ApiToken> SqliteTx::ListTokens(Id user_id) {
    auto s = db_.Prepare("SELECT id, user_id, hash, created_at, revoked_at FROM api_tokens WHERE user_id = ?1 "
                         "ORDER BY id");
    s.Bind(1, user_id);
    std::vector<ApiToken> out;
    while (s.Step()) {
        ApiToken t{s.Int(0), s.Int(1), s.OptText(2).value_or(""), FromUnixMillis(s.Int(3)), std::nullopt};
        if (auto r = s.OptInt(4)) t.revoked_at = FromUnixMillis(*r);
        out.push_back(std::move(t));
    }
    return out;
}

bool SqliteTx::RevokeToken(Id id, TimePoint at) {
    db_.Prepare("UPDATE api_tokens SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL")
        .Bind(1, id)
        .Bind(2, Ms(at))
        .Run();
    return db_.Changes() > 0;
}

}  // namespace amends::store::sqlite

// ---- reports (the console's charts) ----

namespace amends::store::sqlite {

void SqliteTx::ForEachEventOfType(const std::string& type, TimePoint from, TimePoint to,
                                  const std::function<void(const Event&)>& visit) {
    auto s = db_.Prepare(
        "SELECT id, case_id, type, actor, data, at FROM case_events WHERE type = ?1 AND at >= ?2 AND at < ?3 "
        "ORDER BY at, id");
    s.Bind(1, type).Bind(2, ToUnixMillis(from)).Bind(3, ToUnixMillis(to));
    while (s.Step()) visit(Event{s.Int(0), s.Int(1), s.Text(2), s.Text(3), s.Text(4), FromUnixMillis(s.Int(5))});
}

OutboxCounts SqliteTx::CountIncidentNotices(const std::string& incident_id) {
    // A key range rather than LIKE, so the unique index on dedupe_key serves it (';' sorts right after ':').
    auto s = db_.Prepare(
        "SELECT state, count(*) FROM outbox WHERE dedupe_key >= ?1 AND dedupe_key < ?2 GROUP BY state");
    s.Bind(1, "notice:" + incident_id + ":").Bind(2, "notice:" + incident_id + ";");
    OutboxCounts c;
    while (s.Step()) {
        auto state = s.Text(0);
        (state == "pending" ? c.pending : state == "sent" ? c.sent : c.failed) = s.Int(1);
    }
    return c;
}

}  // namespace amends::store::sqlite
