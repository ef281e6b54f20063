#pragma once
// The store: where amends keeps everything. One interface, one implementation per backend (store/sqlite/, later
// store/postgres/). Reads run on the caller's thread in a snapshot; writes are units of work submitted to the
// store, which commits them in groups (many units, one commit) and calls back after the commit is durable.
//
// A Store is safe for concurrent use from many threads. A Tx is used by one thread, only inside the callback
// it was handed to. Tx methods return Expected errors for constraint violations a caller can act on (a duplicate
// key) and throw StoreFailure for everything else (I/O errors, a full disk), which fails the whole unit.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "domain/error.h"
#include "domain/model.h"

namespace amends::store {

// Thrown by a Tx when the database fails; carries the backend's message.
class StoreFailure : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct CaseFilter {
    std::optional<CaseState> state;
    std::optional<Id> customer_id;
    std::optional<std::string> category;
    std::optional<TimePoint> since;  // created at or after
    std::optional<Id> before_id;     // cursor: only ids below this
    int limit = 50;
};

struct CustomerFilter {
    std::optional<std::string> email;
    std::optional<std::string> external_ref;
    std::optional<Id> before_id;
    int limit = 50;
};

struct ApiToken {
    Id id = 0;
    Id user_id = 0;
    std::string hash;  // keyed BLAKE2b of the secret part, raw bytes
    TimePoint created_at{};
    std::optional<TimePoint> revoked_at;
};

// What a write with an Idempotency-Key answered, kept so a retry gets the same answer.
struct IdempotencyRecord {
    Id user_id = 0;
    std::string key;
    std::string fingerprint;  // hash of method, path and body
    int status = 0;
    std::string response;
    TimePoint created_at{};
};

// Where a case's clocks stand, as the scheduler and the queue need it (derived from the case's events).
struct CaseClock {
    Id case_id = 0;
    std::optional<TimePoint> next_check_at;
    std::optional<std::string> next_step;
    std::optional<TimePoint> next_due_at;
    std::string why;
    std::string policy = "default";
    std::optional<TimePoint> breached_at;
    TimePoint updated_at{};
};

struct QueueFilter {
    std::optional<Id> assignee_id;   // only cases assigned to this user
    bool unassigned = false;         // only cases assigned to nobody
    bool breached_only = false;      // only cases with a recorded breach (the managers' escalations)
    std::optional<TimePoint> due_before;
    int limit = 50;
    int offset = 0;
};

// One row of the agents' queue: the case, its clock, ordered by when its next step is due.
struct QueueRow {
    Case c;
    CaseClock clock;
};

// One thing to deliver after its transaction commits: an email (later a webhook call).
struct OutboxItem {
    Id id = 0;
    std::string channel = "email";
    std::string dedupe_key;             // one delivery per key: a second enqueue of the same key is refused
    std::optional<Id> case_id;
    std::optional<Id> message_id;
    std::string recipient;              // an email address (addr-spec)
    std::string subject;
    std::string body;                   // text/plain, UTF-8
    std::string headers_json = "{}";    // extra headers, a JSON object of strings
    std::string state = "pending";      // pending, sent, failed
    int attempts = 0;
    TimePoint next_attempt_at{};
    std::optional<std::string> last_error;
    TimePoint created_at{};
    std::optional<TimePoint> sent_at;
};

// What became of one delivery attempt.
struct OutboxOutcome {
    enum Kind { kSent, kRetry, kFailed } kind = kSent;
    TimePoint at{};                     // when it was sent or given up
    TimePoint retry_at{};               // kRetry: when to try again
    std::string error;                  // kRetry, kFailed: why
};

struct OutboxCounts {
    std::int64_t pending = 0, sent = 0, failed = 0;
};

// One entry of the status page's log: a command of src/status, as JSON.
struct StatusLogEntry {
    Id id = 0;
    std::string op;
    std::string body_json;
    TimePoint at{};
};

// A customer an incident touches, with the details their notices use.
struct AffectedCustomer {
    std::string incident_id;
    Customer customer;
    std::string details_json = "{}";
    TimePoint added_at{};
};

// A signed-webhook subscription (see migration 0006).
struct Webhook {
    Id id = 0;
    std::string url;
    std::string secret;
    std::optional<Id> customer_id;       // set: this customer's personal notices; unset: page-wide events
    std::string components_json = "[]";  // component ids; empty: all
    std::string events_json = "[]";      // event types; empty: all
    std::string description;
    TimePoint created_at{};
    std::optional<TimePoint> deleted_at;
};

// The notices of one incident update still being queued, a chunk of customers at a time.
struct FanoutJob {
    Id id = 0;
    std::string incident_id;
    std::string update_id;
    Id after_customer = 0;
    std::int64_t queued = 0;
    TimePoint created_at{};
    std::optional<TimePoint> finished_at;
};

// A case an incident caused.
struct IncidentCase {
    std::string incident_id;
    Id case_id = 0;
    std::string reason;  // affected, components
    TimePoint linked_at{};
};

// An inbound email already filed (by its Message-ID).
struct InboundMail {
    std::string message_id;
    std::string action;  // case_opened, reply, note, bounce, ignored
    std::optional<Id> case_id;
    TimePoint received_at{};
};

// ---- Mail (migration 0011_mail.sql; app/inbound_mail.h) ----

// An attachment of an inbound email, kept with the case. Lists leave `content` empty.
struct MailAttachment {
    Id id = 0;
    Id case_id = 0;
    std::optional<Id> message_id;  // the customer's message the email became; none when it became a note
    std::string mail_id;           // the email's Message-ID (inbound_mail)
    std::string filename;
    std::string content_type;
    std::int64_t size = 0;
    std::string content;
    TimePoint created_at{};
};

// ---- Remedies and their ledger (migration 0007_ledger.sql; app/ledger.h) ----

// One evaluation of the compensation policy for one customer's mistake: its remedies are offered, approved and
// issued together. `state` is awaiting_approval, offered, issued or declined.
struct RemedyProposal {
    Id id = 0;
    std::string subject = "case";  // case or incident
    std::string subject_id;        // the case id (decimal) or the incident id
    std::optional<Id> case_id;
    Id customer_id = 0;
    std::string policy;
    std::int64_t total_minor = 0;
    std::string approver = "agent";  // the least role that may issue it
    std::string state = "offered";
    std::optional<std::string> offer_id;  // the playbook offer that carries it
    std::optional<TimePoint> due_at;
    std::string evaluation_json = "{}";
    std::string created_by;
    TimePoint created_at{};
    TimePoint updated_at{};
};

// ---- debriefs and their corrective actions (0008_debriefs.sql) ----

// A debrief as stored: the rca JSON of docs/rca.md without its actions, its cases also kept apart for lookups.
struct DebriefRecord {
    Id id = 0;
    std::optional<std::string> incident_id;
    std::vector<Id> case_ids;
    std::string body_json = "{}";
    std::optional<TimePoint> published_at;
    TimePoint created_at{};
    TimePoint updated_at{};
};

struct ProposalFilter {
    std::optional<Id> case_id;
    std::optional<std::string> state;
    std::optional<Id> before_id;  // cursor: newest first
    int limit = 50;
};

// One append-only entry of the ledger. A remedy is known by its key (subject, subject_id, customer_id, rule).
struct LedgerEntry {
    Id id = 0;
    std::string type;  // proposed, approved, issued, reversed
    std::optional<Id> proposal_id;
    std::string subject = "case";
    std::string subject_id;
    Id customer_id = 0;
    std::string rule;
    std::string kind;
    std::string category;
    std::int64_t amount_minor = 0;
    int percent = 0;
    std::string description;
    std::string actor;
    std::string note;
    TimePoint at{};
};

struct LedgerFilter {
    std::optional<Id> customer_id;
    std::optional<Id> proposal_id;
    std::optional<std::string> type;
    std::optional<std::string> subject;
    std::optional<std::string> subject_id;
    std::optional<TimePoint> since;  // at or after
    std::optional<TimePoint> until;  // before
    Id after_id = 0;                 // cursor: oldest first
    int limit = 1000;
};

// What one customer received of one kind: issued and reversed values and counts.
struct LedgerSum {
    std::string kind;
    std::int64_t issued_minor = 0, reversed_minor = 0;
    std::int64_t issued = 0, reversed = 0;
};

// Where a bulk credit of an incident stands: the last customer whose batch committed.
struct CreditRun {
    std::string incident_id;
    Id after_customer = 0;
    bool done = false;
    TimePoint started_at{};
    std::optional<TimePoint> finished_at;
};

// Reports: spend of remedies issued in [from, to) grouped by `group` (a category, an incident id, a month
// "2026-11"), and what their recipients did after their first remedy of the group.
struct RemedySpendRow {
    std::string group;
    std::int64_t issued_minor = 0, reversed_minor = 0, remedies = 0, customers = 0;
    std::int64_t came_back = 0;         // customer attribute last_order_at after the remedy
    std::int64_t complained_again = 0;  // opened a case after the remedy
    std::int64_t followup_answers = 0, followup_score_sum = 0;  // followup.answered on their remedied cases
};

struct DebriefFilter {
    std::optional<std::string> incident_id;
    std::optional<Id> case_id;
    std::optional<Id> before_id;  // cursor: only ids below this
    int limit = 50;
};

// A corrective action as stored: the rca JSON of one action, with its status and due date apart for queries.
struct ActionRecord {
    Id id = 0;
    Id debrief_id = 0;
    std::string status = "outstanding";  // outstanding, completed, not_doing
    TimePoint due{};
    std::string body_json = "{}";
    std::optional<TimePoint> reopened_at;  // a new case of its kind called the completed action into question
    std::string reopened_by_json = "[]";   // those cases' ids
    TimePoint created_at{};
    TimePoint updated_at{};
};

struct ActionFilter {
    std::optional<Id> debrief_id;
    std::optional<std::string> status;
    std::optional<TimePoint> due_before;  // due strictly before
    std::optional<Id> before_id;          // cursor: only ids below this
    int limit = 50;
};

// ---- the agents' console: staff passwords and web sessions (0010_console.sql) ----

// A signed-in browser. Found by `hash` (keyed BLAKE2b of the cookie's secret); `csrf` is the token its forms carry.
struct WebSession {
    Id id = 0;
    std::string hash;
    Id user_id = 0;
    std::string csrf;
    TimePoint created_at{};
    TimePoint expires_at{};    // absolute limit
    TimePoint last_seen_at{};  // idle expiry counts from here
};

class Tx {
public:
    virtual ~Tx() = default;

    // Instance settings: small named blobs (the token-hashing key, ...).
    virtual std::optional<std::string> GetSetting(const std::string& name) = 0;
    virtual void PutSetting(const std::string& name, const std::string& value) = 0;

    virtual Expected<Id> InsertCustomer(const Customer& c) = 0;  // conflict: external_ref taken
    virtual Expected<void> UpdateCustomer(const Customer& c) = 0;
    virtual std::optional<Customer> FindCustomer(Id id) = 0;
    virtual std::optional<Customer> FindCustomerByExternalRef(const std::string& ref) = 0;
    virtual std::optional<Customer> FindCustomerByEmail(const std::string& email) = 0;
    virtual std::vector<Customer> ListCustomers(const CustomerFilter& f) = 0;  // newest first

    virtual Id InsertCase(const Case& c) = 0;
    virtual void UpdateCase(const Case& c) = 0;
    virtual std::optional<Case> FindCase(Id id) = 0;
    virtual std::vector<Case> ListCases(const CaseFilter& f) = 0;  // newest first

    virtual Id AppendEvent(const Event& e) = 0;
    virtual std::vector<Event> ListEvents(Id case_id, Id after_id, int limit) = 0;  // oldest first
    virtual Id InsertMessage(const Message& m) = 0;
    virtual std::vector<Message> ListMessages(Id case_id, Id after_id, int limit) = 0;  // oldest first

    virtual Expected<Id> InsertUser(const User& u) = 0;  // conflict: name taken
    virtual std::optional<User> FindUser(Id id) = 0;
    virtual std::optional<User> FindUserByName(const std::string& name) = 0;
    virtual std::vector<User> ListUsers() = 0;
    virtual Id InsertToken(const ApiToken& t) = 0;
    virtual std::optional<ApiToken> FindToken(Id id) = 0;

    virtual std::vector<Event> AllEvents(Id case_id) = 0;  // oldest first
    // Every outbound message with its case's customer, oldest first (to rebuild the boilerplate index).
    virtual void ForEachSentMessage(const std::function<void(Id customer_id, const Message&)>& visit) = 0;
    virtual void PutCaseClock(const CaseClock& clock) = 0;
    virtual std::optional<CaseClock> FindCaseClock(Id case_id) = 0;
    // Cases whose next_check_at is at or before `now`, earliest first.
    virtual std::vector<Id> DueForCheck(TimePoint now, int limit) = 0;
    // Open cases with a next step, ordered by its deadline (cases with no running clock last), then by id.
    virtual std::vector<QueueRow> Queue(const QueueFilter& f) = 0;

    // The outbox. Enqueue refuses (kConflict) an item whose dedupe_key is already queued or sent.
    virtual Expected<Id> EnqueueOutbox(const OutboxItem& item) = 0;
    // Leases up to `limit` pending items due at `now` (not leased by another worker) until `lease_until`, oldest
    // due first, and returns them with `attempts` counting this one. Only `channel`'s items unless it is empty.
    virtual std::vector<OutboxItem> ClaimOutbox(TimePoint now, TimePoint lease_until, int limit,
                                                const std::string& channel = "") = 0;
    virtual void FinishOutbox(Id id, const OutboxOutcome& outcome) = 0;
    virtual std::optional<OutboxItem> FindOutbox(Id id) = 0;
    virtual OutboxCounts CountOutbox() = 0;

    // The status page's log, oldest first, and the customers each incident touches.
    virtual Id AppendStatusLog(const StatusLogEntry& entry) = 0;
    virtual void ForEachStatusLog(const std::function<void(const StatusLogEntry&)>& visit) = 0;
    virtual Id LastStatusLogId() = 0;  // 0 when empty
    // When this store was created (its first migration was applied): what an empty status page was last updated.
    virtual TimePoint CreatedAt() = 0;
    // Adds or replaces (details) a customer of an incident; true when they were not attached before.
    virtual bool PutAffected(const std::string& incident_id, Id customer_id, const std::string& details_json,
                             TimePoint at) = 0;
    // An incident's customers by customer id, after `after_customer`, at most `limit`.
    virtual std::vector<AffectedCustomer> ListAffected(const std::string& incident_id, Id after_customer, int limit) = 0;
    virtual std::int64_t CountAffected(const std::string& incident_id) = 0;
    // The incidents a customer is attached to.
    virtual std::vector<std::string> IncidentsOfCustomer(Id customer_id) = 0;

    // Webhook subscriptions. List: the live ones, all (nullopt) or one customer's.
    virtual Id InsertWebhook(const Webhook& w) = 0;
    virtual std::optional<Webhook> FindWebhook(Id id) = 0;
    virtual std::vector<Webhook> ListWebhooks(std::optional<Id> customer_id) = 0;
    virtual std::vector<Webhook> ListPageWebhooks() = 0;            // live, with no customer
    virtual std::vector<Id> CustomersWithWebhooks() = 0;            // ascending
    virtual bool DeleteWebhook(Id id, TimePoint at) = 0;           // false when unknown or already deleted

    // Notice fan-out jobs. Put is a no-op for an update that already has one.
    virtual void PutFanoutJob(const std::string& incident_id, const std::string& update_id, TimePoint at) = 0;
    virtual std::vector<FanoutJob> OpenFanoutJobs() = 0;           // oldest first
    virtual std::optional<FanoutJob> FindFanoutJob(const std::string& incident_id, const std::string& update_id) = 0;
    // Moves a job on from `from` (false, and nothing written, when another worker moved it first).
    virtual bool AdvanceFanoutJob(Id id, Id from, Id to, std::int64_t queued, std::optional<TimePoint> finished) = 0;

    // Cases linked to incidents. Link is a no-op (false) when already linked.
    virtual bool LinkIncidentCase(const IncidentCase& link) = 0;
    virtual std::vector<IncidentCase> IncidentsOfCase(Id case_id) = 0;
    virtual std::int64_t CountIncidentCases(const std::string& incident_id) = 0;

    // Inbound email filed so far. Put returns false (and writes nothing) when the Message-ID was filed before.
    virtual std::optional<InboundMail> FindInboundMail(const std::string& message_id) = 0;
    virtual bool PutInboundMail(const InboundMail& m) = 0;

    // ---- Mail (0011_mail.sql) ----
    virtual Id InsertMailAttachment(const MailAttachment& a) = 0;
    virtual std::vector<MailAttachment> ListMailAttachments(Id case_id) = 0;  // oldest first, without content
    virtual std::optional<MailAttachment> FindMailAttachment(Id id) = 0;     // with content
    // The Message-ID of the latest email filed on the case as the customer's (opened or replied), if any.
    virtual std::optional<std::string> LatestInboundMailOfCase(Id case_id) = 0;

    virtual std::optional<IdempotencyRecord> FindIdempotency(Id user_id, const std::string& key) = 0;
    virtual void PutIdempotency(const IdempotencyRecord& r) = 0;  // replaces an older record of the same key
    virtual int DeleteIdempotencyBefore(TimePoint t) = 0;

    // ---- Remedies and their ledger (0007_ledger.sql) ----
    virtual Id InsertProposal(const RemedyProposal& p) = 0;
    virtual void UpdateProposal(const RemedyProposal& p) = 0;  // state, offer_id, due_at, updated_at
    virtual std::optional<RemedyProposal> FindProposal(Id id) = 0;
    virtual std::optional<RemedyProposal> FindProposalByOffer(Id case_id, const std::string& offer_id) = 0;
    virtual std::vector<RemedyProposal> ListProposals(const ProposalFilter& f) = 0;  // newest first
    // Appends an entry. An issued or reversed entry is refused (nullopt, nothing written) when its remedy's key
    // already has one: the database's unique indexes decide, inside this transaction.
    virtual std::optional<Id> AppendLedgerEntry(const LedgerEntry& e) = 0;
    virtual std::optional<LedgerEntry> FindLedgerEntry(Id id) = 0;
    virtual std::vector<LedgerEntry> ListLedger(const LedgerFilter& f) = 0;  // oldest first
    // The issued (or reversed) entry of a remedy's key, if any.
    virtual std::optional<LedgerEntry> FindLedgerByKey(const std::string& type, const std::string& subject,
                                                       const std::string& subject_id, Id customer_id,
                                                       const std::string& rule) = 0;
    // A customer's issued and reversed remedies per kind, issued at or after `since` (all when nullopt).
    virtual std::vector<LedgerSum> SumLedger(Id customer_id, std::optional<TimePoint> since) = 0;
    // What was issued less what was reversed for one customer since `since` (the policy's yearly cap).
    virtual std::int64_t RemediedSince(Id customer_id, TimePoint since) = 0;
    // The same for every customer with an id in [first, last] who has entries since `since` (a bulk credit's batch).
    virtual std::vector<std::pair<Id, std::int64_t>> RemediedSinceRange(Id first, Id last, TimePoint since) = 0;
    virtual std::optional<CreditRun> FindCreditRun(const std::string& incident_id) = 0;
    virtual void PutCreditRun(const CreditRun& r) = 0;
    // `by`: "category", "incident" or "month".
    virtual std::vector<RemedySpendRow> RemedySpend(const std::string& by, TimePoint from, TimePoint to) = 0;
    // ---- debriefs and their corrective actions ----
    virtual Id InsertDebrief(const DebriefRecord& d) = 0;  // also records its case_ids
    virtual void UpdateDebrief(const DebriefRecord& d) = 0;  // replaces its case_ids too
    virtual std::optional<DebriefRecord> FindDebrief(Id id) = 0;
    virtual std::vector<DebriefRecord> ListDebriefs(const DebriefFilter& f) = 0;  // newest first
    virtual Id InsertAction(const ActionRecord& a) = 0;
    virtual void UpdateAction(const ActionRecord& a) = 0;
    virtual std::optional<ActionRecord> FindAction(Id id) = 0;
    virtual std::vector<ActionRecord> ListActions(const ActionFilter& f) = 0;  // newest first
    // Every case created at or after `since`, oldest first (what recurrence reads).
    virtual void ForEachCaseSince(TimePoint since, const std::function<void(const Case&)>& visit) = 0;
    // ---- the agents' console: staff passwords, web sessions, token management (0010_console.sql) ----
    virtual void PutPasswordHash(Id user_id, const std::string& hash, TimePoint at) = 0;  // adds or replaces
    virtual std::optional<std::string> FindPasswordHash(Id user_id) = 0;
    virtual Id InsertWebSession(const WebSession& s) = 0;
    virtual std::optional<WebSession> FindWebSession(const std::string& hash) = 0;
    virtual void TouchWebSession(Id id, TimePoint at) = 0;
    virtual void DeleteWebSession(Id id) = 0;
    virtual int DeleteUserWebSessions(Id user_id) = 0;  // every session of a user (a password reset)
    // Sessions idle since before `idle_before` or past their absolute expiry at `now`. Returns how many.
    virtual int DeleteExpiredWebSessions(TimePoint idle_before, TimePoint now) = 0;
    virtual std::vector<ApiToken> ListTokens(Id user_id) = 0;  // oldest first, revoked ones too
    virtual bool RevokeToken(Id id, TimePoint at) = 0;         // false when unknown or already revoked
    // ---- reports (the console's charts) ----
    // Every case event of `type` at or after `from` and before `to`, in time order.
    virtual void ForEachEventOfType(const std::string& type, TimePoint from, TimePoint to,
                                    const std::function<void(const Event&)>& visit) = 0;
    // The email notices queued for an incident's customers (outbox keys "notice:<incident>:..."), by state.
    virtual OutboxCounts CountIncidentNotices(const std::string& incident_id) = 0;
};

// A unit of work. Return true to keep its changes, false to roll back just this unit.
using Work = std::function<bool(Tx&)>;
// Called once per unit, on a store thread, after its group committed (nullopt) or failed (the error).
using Done = std::function<void(std::optional<Error>)>;

enum class Durability {
    kProcess,  // an acknowledged write survives the server being killed (default)
    kFsync,    // ... and a power loss: every group commit is fsynced
};

class Store {
public:
    virtual ~Store() = default;
    // Queues `work` for the next group commit. Thread-safe; never blocks on the database.
    virtual void Submit(Work work, Done done) = 0;
    // Runs `read` in a read-only snapshot on the calling thread. Thread-safe.
    virtual void Read(const std::function<void(Tx&)>& read) = 0;
    // Finishes queued work, then stops accepting more. Idempotent.
    virtual void Close() = 0;

    // Submits `work` and waits for its commit (for the CLI, tests and start-up).
    Expected<void> WriteAndWait(Work work);
};

struct SqliteOptions {
    std::string path;
    Durability durability = Durability::kProcess;
    int max_group = 512;  // most units in one commit
};

// Opens (creating if needed) the SQLite database and brings its schema up to date.
Expected<std::unique_ptr<Store>> OpenSqlite(const SqliteOptions& options);
// Applies pending migrations without starting a store; returns the versions applied.
Expected<std::vector<int>> MigrateSqlite(const std::string& path);

}  // namespace amends::store
