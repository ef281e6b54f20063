#include "app/status_board.h"

#include <nlohmann/json.hpp>

#include <charconv>
#include <cstdio>

#include "app/cases.h"
#include "app/object_reader.h"
#include "app/plain_template.h"
#include "status/transitions.h"

namespace amends::app {

namespace {

using nlohmann::json;

// Internal keys the board adds to a stored command (ids it chose); an API body may not carry them.
constexpr const char* kId = "_id";
constexpr const char* kUpdateId = "_update_id";

std::optional<TimePoint> TimeField(ObjectReader& r, const char* key, bool required = false) {
    auto text = r.String(key, required);
    if (!text) return std::nullopt;
    auto t = ParseRfc3339(*text);
    if (!t) r.Fail(key, "must be an RFC 3339 date-time, e.g. 2026-11-23T09:00:00Z");
    return t;
}

std::optional<Millis> DurationField(ObjectReader& r, const char* key) {
    const json* value = r.Raw(key);
    if (!value || value->is_null()) return std::nullopt;
    auto d = ParseDuration(*value);
    if (!d) r.Fail(key, "must be a duration such as \"30m\", \"2h\", \"1h30m\", \"1d\", or a number of minutes");
    return d;
}

// {"component_id": "status", ...}
std::vector<status::ComponentChange> ComponentsField(ObjectReader& r) {
    std::vector<status::ComponentChange> out;
    const json* components = r.Raw("components");
    if (!components || components->is_null()) return out;
    if (!components->is_object()) {
        r.Fail("components", "must be an object of component id to status, e.g. {\"api\": \"major_outage\"}");
        return out;
    }
    for (const auto& [id, value] : components->items()) {
        auto st = value.is_string() ? status::ParseComponentStatus(value.get<std::string>()) : std::nullopt;
        if (!st) {
            r.Fail(Error{ErrorCode::kInvalidArgument,
                         "components." + id + " must be operational, degraded_performance, partial_outage, "
                         "major_outage or under_maintenance",
                         "components." + id});
            continue;
        }
        out.push_back({id, *st});
    }
    return out;
}

std::string IdOf(const json& command, const char* key) { return command.value(key, std::string()); }

Expected<void> Done(ObjectReader& r) { return r.Finish(); }

// One command applied to `page` at `now`. `command` carries the ids the board chose.
Expected<status::Page> ApplyCommand(const status::Page& page, const std::string& op, const json& command,
                                    TimePoint now) {
    ObjectReader r(command);
    r.String(kId);
    r.String(kUpdateId);
    if (op == "component.add") {
        status::NewComponent in;
        in.id = IdOf(command, kId);
        in.name = r.String("name", true).value_or("");
        in.description = r.String("description");
        in.group_id = r.String("group_id");
        in.group = r.Bool("group").value_or(false);
        in.position = static_cast<int>(r.Integer("position", 0, 10000).value_or(0));
        in.showcase = r.Bool("showcase").value_or(false);
        in.start_date = r.String("start_date");
        in.only_show_if_degraded = r.Bool("only_show_if_degraded").value_or(false);
        r.String("id");
        if (auto ok = Done(r); !ok) return std::unexpected(ok.error());
        return status::AddComponent(page, in, now);
    }
    if (op == "component.set") {
        status::ComponentChange change;
        change.component_id = IdOf(command, kId);
        change.status = r.Enum<status::ComponentStatus>("status", status::kComponentStatusNames, true)
                            .value_or(status::ComponentStatus::kOperational);
        if (auto ok = Done(r); !ok) return std::unexpected(ok.error());
        return status::SetComponentStatus(page, change, now);
    }
    if (op == "incident.create") {
        status::NewIncident in;
        in.id = IdOf(command, kId);
        in.update_id = IdOf(command, kUpdateId);
        in.name = r.String("name", true).value_or("");
        in.status = r.Enum<status::IncidentStatus>("status", status::kIncidentStatusNames)
                        .value_or(status::IncidentStatus::kInvestigating);
        in.impact = r.Enum<status::Impact>("impact", status::kImpactNames);
        in.body = r.String("body", true).value_or("");
        in.components = ComponentsField(r);
        in.next_update_in = DurationField(r, "next_update_in");
        in.started_at = TimeField(r, "started_at");
        in.deliver_notifications = r.Bool("deliver_notifications").value_or(true);
        if (const json* notice = r.Nested("notice")) {
            ObjectReader n(*notice, "notice.");
            n.String("subject");
            n.String("body");
            if (auto ok = n.Finish(); !ok) r.Fail(ok.error());
        }
        if (auto ok = Done(r); !ok) return std::unexpected(ok.error());
        return status::CreateIncident(page, in, now);
    }
    if (op == "incident.update") {
        status::NewUpdate in;
        in.incident_id = IdOf(command, kId);
        in.update_id = IdOf(command, kUpdateId);
        in.status = r.Enum<status::IncidentStatus>("status", status::kIncidentStatusNames, true)
                        .value_or(status::IncidentStatus::kInvestigating);
        in.body = r.String("body", true).value_or("");
        in.impact = r.Enum<status::Impact>("impact", status::kImpactNames);
        in.components = ComponentsField(r);
        in.next_update_in = DurationField(r, "next_update_in");
        in.deliver_notifications = r.Bool("deliver_notifications").value_or(true);
        if (auto ok = Done(r); !ok) return std::unexpected(ok.error());
        const status::Incident* found = page.FindIncident(in.incident_id);
        if (!found) return Fail(ErrorCode::kNotFound, "no incident " + in.incident_id);
        if (found->IsMaintenance()) {
            if (in.status == status::IncidentStatus::kInProgress && found->status == status::IncidentStatus::kScheduled)
                return status::StartMaintenance(page, in.incident_id, in.update_id, in.body, now);
            if (in.status == status::IncidentStatus::kCompleted)
                return status::CompleteMaintenance(page, in.incident_id, in.update_id, in.body, now);
            return status::PostUpdate(page, in, now);
        }
        if (in.status == status::IncidentStatus::kResolved) return status::ResolveIncident(page, in, now);
        if (in.status == status::IncidentStatus::kPostmortem)
            return status::PublishPostmortem(page, in.incident_id, in.update_id, in.body, now);
        return status::PostUpdate(page, in, now);
    }
    if (op == "incident.postmortem") {  // a debrief published as the incident's postmortem (app/debriefs.h)
        std::string body = r.String("body", true).value_or("");
        if (auto ok = Done(r); !ok) return std::unexpected(ok.error());
        return status::PublishPostmortem(page, IdOf(command, kId), IdOf(command, kUpdateId), body, now);
    }
    if (op == "maintenance.schedule") {
        status::NewMaintenance in;
        in.id = IdOf(command, kId);
        in.update_id = IdOf(command, kUpdateId);
        in.name = r.String("name", true).value_or("");
        in.body = r.String("body", true).value_or("");
        in.scheduled_for = TimeField(r, "scheduled_for", true).value_or(TimePoint{});
        in.scheduled_until = TimeField(r, "scheduled_until", true).value_or(TimePoint{});
        in.component_ids = r.StringArray("components", 200).value_or(std::vector<std::string>{});
        in.deliver_notifications = r.Bool("deliver_notifications").value_or(true);
        if (auto ok = Done(r); !ok) return std::unexpected(ok.error());
        return status::ScheduleMaintenance(page, in, now);
    }
    return Fail(ErrorCode::kInvalidArgument, "unknown status command " + op, "op");
}

// "Mon 23 Nov 2026, 10:00 UTC"
std::string Human(TimePoint t) {
    CivilTime c = ToCivil(t);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s %u %s %d, %02d:%02d UTC", kWeekdayAbbreviations[c.weekday], c.day,
                  kMonthAbbreviations[c.month - 1], c.year, c.hour, c.minute);
    return buf;
}

bool OptedOut(const Customer& c) {
    auto attributes = json::parse(c.attributes_json, nullptr, false);
    return attributes.is_object() && attributes.contains("notices") && attributes["notices"] == false;
}

// Queues one customer's notice of `update` of `incident`; false when nothing is queued (no address, opted out,
// or already queued).
bool QueueNotice(store::Tx& tx, const Outbound& outbound, const status::Incident& incident,
                 const status::IncidentUpdate& update, PlainTemplate& subject, PlainTemplate& body,
                 const store::AffectedCustomer& a, TimePoint now) {
    if (!a.customer.email || OptedOut(a.customer)) return false;
    kainjow::mustache::data data;
    data.set("customer", a.customer.name);
    data.set("incident", incident.name);
    std::string state(status::Name(update.status));
    for (auto& ch : state) ch = ch == '_' ? ' ' : ch;
    if (!state.empty()) state[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(state[0])));
    data.set("status", state);
    data.set("update", update.body);
    data.set("first", incident.updates.size() == 1 ? kainjow::mustache::data::type::bool_true
                                                   : kainjow::mustache::data::type::bool_false);
    if (update.next_update_due) data.set("next_update_by", Human(*update.next_update_due));
    std::string base = outbound.settings().public_url;
    while (base.ends_with('/')) base.pop_back();
    data.set("status_url", base + "/incidents/" + incident.id);
    kainjow::mustache::data details{kainjow::mustache::data::type::object};
    std::string details_text;
    auto parsed = json::parse(a.details_json, nullptr, false);
    if (parsed.is_object())
        for (const auto& [key, value] : parsed.items()) {
            std::string text = value.is_string() ? value.get<std::string>() : value.dump();
            details.set(key, text);
            std::string label = key;
            for (auto& ch : label) ch = ch == '_' ? ' ' : ch;
            details_text += "- " + label + ": " + text + "\n";
        }
    data.set("details", details);
    if (!details_text.empty()) data.set("details_text", details_text);

    store::OutboxItem item;
    item.channel = "email";
    item.dedupe_key = "notice:" + incident.id + ":" + update.id + ":" + std::to_string(a.customer.id);
    item.recipient = *a.customer.email;
    item.subject = subject.Render(data);
    item.body = body.Render(data);
    const std::string& domain = outbound.settings().domain;
    item.headers_json = json{{"Message-ID", "<incident-" + incident.id + ".update-" + update.id + ".customer-" +
                                                std::to_string(a.customer.id) + "@" + domain + ">"},
                             {"References", "<incident-" + incident.id + "@" + domain + ">"},
                             {"X-Amends-Incident", incident.id}}
                            .dump();
    item.next_attempt_at = now;
    item.created_at = now;
    return tx.EnqueueOutbox(item).has_value();
}

// Queues the latest update's notice to every customer of the incident, a page of customers at a time.
int FanOut(store::Tx& tx, const Outbound& outbound, const status::Incident& incident, const NoticeTemplate& tmpl,
           TimePoint now) {
    if (incident.updates.empty() || !incident.updates.front().deliver_notifications) return 0;
    const auto& update = incident.updates.front();
    PlainTemplate subject(tmpl.subject), body(tmpl.body);  // parsed once for every customer
    int queued = 0;
    Id after = 0;
    for (;;) {
        auto batch = tx.ListAffected(incident.id, after, 1000);
        for (const auto& a : batch) queued += QueueNotice(tx, outbound, incident, update, subject, body, a, now);
        if (batch.size() < 1000) return queued;
        after = batch.back().customer.id;
    }
}

}  // namespace

const NoticeTemplate& DefaultNotice() {
    static const NoticeTemplate kDefault{
        "{{incident}}: {{status}}",
        "Hello {{customer}},\n\n"
        "{{#first}}We're sorry: something went wrong on our side that affects you, and we want you to hear it from "
        "us first.{{/first}}{{^first}}Here is where things stand with the problem that affects you.{{/first}}\n\n"
        "{{update}}\n\n"
        "{{#details_text}}What it means for you:\n{{details_text}}\n{{/details_text}}"
        "{{#next_update_by}}We'll write to you again by {{next_update_by}}, sooner if anything changes.{{/next_update_by}}"
        "{{^next_update_by}}Thank you for your patience, and we're sorry again for the trouble.{{/next_update_by}}\n\n"
        "Follow along: {{status_url}}\n"};
    return kDefault;
}

std::optional<Millis> ParseDuration(const json& value) {
    if (value.is_number_integer()) {
        auto minutes = value.get<std::int64_t>();
        if (minutes <= 0 || minutes > 60 * 24 * 365) return std::nullopt;
        return std::chrono::minutes(minutes);
    }
    if (!value.is_string()) return std::nullopt;
    std::string text = value.get<std::string>();
    if (text.empty() || text.size() > 20) return std::nullopt;
    Millis total{0};
    const char* p = text.data();
    const char* end = p + text.size();
    while (p < end) {
        std::int64_t n = 0;
        auto [next, ec] = std::from_chars(p, end, n);
        if (ec != std::errc() || next == end || n < 0) return std::nullopt;
        switch (*next) {
            case 'd': total += std::chrono::days(n); break;
            case 'h': total += std::chrono::hours(n); break;
            case 'm': total += std::chrono::minutes(n); break;
            case 's': total += std::chrono::seconds(n); break;
            default: return std::nullopt;
        }
        p = next + 1;
    }
    if (total <= Millis{0}) return std::nullopt;
    return total;
}

StatusBoard::StatusBoard(store::Store& store, const Clock& clock, status::PageInfo info, const Outbound& outbound,
                         const ReplyCoach* coach)
    : store_(store), clock_(clock), outbound_(outbound), coach_(coach) {
    page_.info = std::move(info);
}

namespace {
constexpr const char* kStale = "the status page was changed by another process";
}

Expected<void> StatusBoard::Load() {
    std::lock_guard lock(mu_);
    return LoadLocked();
}

template <typename F>
Expected<Outcome> StatusBoard::Fresh(F command) {
    for (int attempt = 0;; ++attempt) {
        auto done = command();
        if (done || done.error().message != kStale || attempt == 3) return done;
        if (auto reloaded = LoadLocked(); !reloaded) return std::unexpected(reloaded.error());
    }
}

Expected<void> StatusBoard::LoadLocked() {
    page_ = status::Page{page_.info, {}, {}, {}, {}};
    templates_.clear();
    next_seq_ = 1;
    last_log_id_ = 0;
    std::optional<Error> failed;
    store_.Read([&](store::Tx& tx) {
        tx.ForEachStatusLog([&](const store::StatusLogEntry& e) {
            next_seq_ = std::max(next_seq_, e.id * 2 + 2);
            last_log_id_ = e.id;
            auto command = json::parse(e.body_json, nullptr, false);
            auto next = ApplyCommand(page_, e.op, command, e.at);
            if (!next) {
                if (!failed) failed = Error{ErrorCode::kInternal, "status log entry " + std::to_string(e.id) + " (" +
                                                                      e.op + ") does not replay: " + next.error().message};
                return;
            }
            page_ = std::move(*next);
            if (e.op == "incident.create" && command.contains("notice"))
                templates_[command[kId]] = NoticeTemplate{command["notice"].value("subject", DefaultNotice().subject),
                                                          command["notice"].value("body", DefaultNotice().body)};
        });
    });
    if (failed) return std::unexpected(*failed);
    Render(clock_.Now());
    return {};
}

void StatusBoard::Render(TimePoint now) {
    auto docs = std::make_shared<Documents>();
    for (auto& d : status::RenderAll(page_, now)) docs->emplace(d.path, std::move(d));
    std::lock_guard lock(docs_mu_);
    docs_ = std::move(docs);
    next_render_ = status::NextRenderAt(page_, now);
}

std::shared_ptr<const StatusBoard::Documents> StatusBoard::Current() {
    {
        std::lock_guard lock(docs_mu_);
        if (docs_ && clock_.Now() < next_render_) return docs_;
    }
    std::lock_guard lock(mu_);  // time alone changed the HTML (an overdue promise, the 90-day window)
    {
        std::lock_guard docs_lock(docs_mu_);  // another request may have rendered it meanwhile
        if (docs_ && clock_.Now() < next_render_) return docs_;
    }
    Render(clock_.Now());
    std::lock_guard docs_lock(docs_mu_);
    return docs_;
}

status::Page StatusBoard::Snapshot() const {
    std::lock_guard lock(mu_);
    return page_;
}

std::optional<Expected<Outcome>> StatusBoard::Replay(const Caller& caller, TimePoint now) const {
    if (!caller.key) return std::nullopt;
    std::optional<store::IdempotencyRecord> seen;
    store_.Read([&](store::Tx& tx) { seen = tx.FindIdempotency(caller.user_id, caller.key->key); });
    if (!seen || now - seen->created_at >= kIdempotencyRetention) return std::nullopt;
    if (seen->fingerprint != caller.key->fingerprint)
        return Expected<Outcome>(Fail(ErrorCode::kConflict,
                                      "this Idempotency-Key was used for a different request; use a new key",
                                      "Idempotency-Key"));
    return Expected<Outcome>(Outcome{seen->status, seen->response, true});
}

Expected<Outcome> StatusBoard::Apply(const std::string& op, const std::optional<std::string>& target, const json& body,
                                     const Caller& caller) {
    for (const auto& [key, value] : body.items())
        if (key.starts_with("_")) return InvalidField(key, "unknown field " + key);
    std::lock_guard lock(mu_);
    return Fresh([&] { return ApplyLocked(op, target, body, caller); });
}

Expected<Outcome> StatusBoard::ApplyLocked(const std::string& op, const std::optional<std::string>& target,
                                           const json& body, const Caller& caller) {
    TimePoint now = clock_.Now();
    if (auto replayed = Replay(caller, now)) return *replayed;
    json command = body;
    std::string record_id;
    if (op == "component.add") {
        record_id = body.contains("id") && body["id"].is_string() ? body["id"].get<std::string>()
                                                                  : status::PublicId(static_cast<std::uint64_t>(next_seq_));
        command[kId] = record_id;
    } else if (op == "component.set" || op == "incident.update" || op == "incident.postmortem") {
        record_id = target.value_or("");
        command[kId] = record_id;
        command[kUpdateId] = status::PublicId(static_cast<std::uint64_t>(next_seq_ + 1));
    } else {
        record_id = status::PublicId(static_cast<std::uint64_t>(next_seq_));
        command[kId] = record_id;
        command[kUpdateId] = status::PublicId(static_cast<std::uint64_t>(next_seq_ + 1));
    }
    if (op == "component.set" && !page_.FindComponent(record_id))
        return Fail(ErrorCode::kNotFound, "no component " + record_id);
    auto next = ApplyCommand(page_, op, command, now);
    if (!next) return std::unexpected(next.error());
    std::optional<NoticeTemplate> pending_template;  // kept only once the incident is committed
    if (op == "incident.create" && body.contains("notice")) {
        NoticeTemplate tmpl{body["notice"].value("subject", DefaultNotice().subject),
                            body["notice"].value("body", DefaultNotice().body)};
        // A notice is an apology too: the coach reads it before it is saved.
        if (coach_) {
            auto coached = coach_->Check(tmpl.body, 0, "apologize", false, now);
            if (coached && coached->refusal) return Fail(ErrorCode::kUnprocessable, *coached->refusal, "notice.body");
        }
        for (auto [field, text] : {std::pair{"notice.body", &tmpl.body}, std::pair{"notice.subject", &tmpl.subject}})
            if (auto error = PlainTemplate(*text).Error()) return InvalidField(field, std::string(field) + ": " + *error);
        pending_template = std::move(tmpl);
    }
    bool notify = op == "incident.create" || op == "incident.update";
    return Commit(op, std::move(command), *next, record_id, notify, now, pending_template, caller);
}

Expected<Outcome> StatusBoard::Commit(const std::string& op, json command, const status::Page& next,
                                      const std::string& record_id, bool notify, TimePoint now,
                                      const std::optional<NoticeTemplate>& new_template, const Caller& caller) {
    const status::Incident* incident = notify ? next.FindIncident(record_id) : nullptr;
    auto tmpl_it = templates_.find(record_id);
    const NoticeTemplate& tmpl =
        new_template ? *new_template : tmpl_it == templates_.end() ? DefaultNotice() : tmpl_it->second;
    auto answer = RecordJson(next, record_id);
    if (!answer) return Fail(ErrorCode::kInternal, "record " + record_id + " vanished");
    Outcome outcome{caller.status, answer->dump(), false};
    Id log_id = 0;
    bool stale = false;
    auto written = store_.WriteAndWait([&](store::Tx& tx) {
        if (tx.LastStatusLogId() != last_log_id_) return !(stale = true);
        log_id = tx.AppendStatusLog(store::StatusLogEntry{0, op, command.dump(), now});
        if (incident) FanOut(tx, outbound_, *incident, tmpl, now);
        if (caller.key)
            tx.PutIdempotency({caller.user_id, caller.key->key, caller.key->fingerprint, outcome.status, outcome.body, now});
        return true;
    });
    if (!written) return std::unexpected(written.error());
    if (stale) return Fail(ErrorCode::kConflict, kStale);
    if (new_template) templates_[record_id] = *new_template;
    last_log_id_ = log_id;
    page_ = next;
    next_seq_ = std::max(next_seq_ + 2, log_id * 2 + 2);
    Render(now);
    return outcome;
}

std::optional<json> StatusBoard::RecordJson(const status::Page& page, const std::string& id) const {
    if (auto component = status::ComponentObjectJson(page, id)) return json::parse(*component);
    auto text = status::IncidentObjectJson(page, id);
    if (!text) return std::nullopt;
    json out = json::parse(*text);
    const status::Incident* incident = page.FindIncident(id);
    out["next_update_due"] = incident->next_update_due ? json(FormatRfc3339(*incident->next_update_due)) : json(nullptr);
    out["overdue"] = incident->next_update_due && clock_.Now() > *incident->next_update_due;
    out["affected_customers"] = AffectedCount(id);
    return out;
}

Expected<Outcome> StatusBoard::Attach(const std::string& incident_id, const std::vector<AffectedInput>& customers,
                                      const Caller& caller) {
    std::lock_guard lock(mu_);
    return Fresh([&] { return AttachLocked(incident_id, customers, caller); });
}

Expected<Outcome> StatusBoard::AttachLocked(const std::string& incident_id, const std::vector<AffectedInput>& customers,
                                            const Caller& caller) {
    const status::Incident* incident = page_.FindIncident(incident_id);
    if (!incident) return Fail(ErrorCode::kNotFound, "no incident " + incident_id);
    TimePoint now = clock_.Now();
    if (auto replayed = Replay(caller, now)) return *replayed;
    Outcome outcome{caller.status, "", false};
    auto tmpl_it = templates_.find(incident_id);
    const NoticeTemplate& tmpl = tmpl_it == templates_.end() ? DefaultNotice() : tmpl_it->second;
    AttachResult result;
    std::optional<Error> failed;
    PlainTemplate subject(tmpl.subject), body(tmpl.body);
    bool stale = false;
    auto written = store_.WriteAndWait([&](store::Tx& tx) {
        // The latest update each customer hears must be the page's latest: refuse when another process moved it.
        if (tx.LastStatusLogId() != last_log_id_) return !(stale = true);
        for (std::size_t i = 0; i < customers.size(); ++i) {
            const auto& in = customers[i];
            std::optional<Customer> customer;
            if (in.customer_id) {
                customer = tx.FindCustomer(*in.customer_id);
                if (!customer) {
                    failed = Error{ErrorCode::kUnprocessable, "no customer " + std::to_string(*in.customer_id),
                                   "customers[" + std::to_string(i) + "].customer_id"};
                    return false;
                }
            } else if (in.customer) {
                auto matched = MatchOrCreateCustomer(tx, *in.customer, now);
                if (!matched) {
                    failed = matched.error();
                    failed->field = "customers[" + std::to_string(i) + "].customer." + failed->field;
                    return false;
                }
                customer = std::move(*matched);
            }
            if (!customer) {
                failed = Error{ErrorCode::kInvalidArgument, "give customer_id or a customer object",
                               "customers[" + std::to_string(i) + "]"};
                return false;
            }
            bool added = tx.PutAffected(incident_id, customer->id, in.details_json, now);
            ++(added ? result.attached : result.updated);
            // A customer attached now hears the latest update at once (once: the outbox refuses a repeat).
            if (!incident->updates.empty() && incident->updates.front().deliver_notifications)
                result.notices += QueueNotice(tx, outbound_, *incident, incident->updates.front(), subject, body,
                                              store::AffectedCustomer{incident_id, *customer, in.details_json, now}, now);
        }
        outcome.body = json{{"attached", result.attached},
                            {"updated", result.updated},
                            {"notices_queued", result.notices},
                            {"affected_customers", tx.CountAffected(incident_id)}}
                           .dump();
        if (caller.key)
            tx.PutIdempotency({caller.user_id, caller.key->key, caller.key->fingerprint, outcome.status, outcome.body, now});
        return true;
    });
    if (failed) return std::unexpected(*failed);
    if (!written) return std::unexpected(written.error());
    if (stale) return Fail(ErrorCode::kConflict, kStale);
    return outcome;
}

std::optional<json> StatusBoard::IncidentJson(const std::string& id) const {
    std::lock_guard lock(mu_);
    if (!page_.FindIncident(id)) return std::nullopt;
    return RecordJson(page_, id);
}

std::int64_t StatusBoard::AffectedCount(const std::string& id) const {
    std::int64_t n = 0;
    store_.Read([&](store::Tx& tx) { n = tx.CountAffected(id); });
    return n;
}

}  // namespace amends::app
