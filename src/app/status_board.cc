#include "app/status_board.h"

#include <nlohmann/json.hpp>

#include <charconv>
#include <cstdio>
#include <unordered_set>

#include "app/cases.h"
#include "app/object_reader.h"
#include "app/plain_template.h"
#include "app/webhooks.h"
#include "status/rollup.h"
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

std::string Lower(std::string text) {
    for (auto& ch : text) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return text;
}

// Whether `text` (lower case) names `phrase` (lower case) as whole words.
bool Names(const std::string& text, const std::string& phrase) {
    if (phrase.size() < 3) return false;  // "UI", "DB": too short to trust
    for (std::size_t at = text.find(phrase); at != std::string::npos; at = text.find(phrase, at + 1)) {
        bool start = at == 0 || !std::isalnum(static_cast<unsigned char>(text[at - 1]));
        std::size_t end = at + phrase.size();
        bool finish = end == text.size() || !std::isalnum(static_cast<unsigned char>(text[end]));
        if (start && finish) return true;
    }
    return false;
}

bool OptedOut(const Customer& c) {
    if (c.attributes_json.find("\"notices\"") == std::string::npos) return false;  // most customers: no parse
    auto attributes = json::parse(c.attributes_json, nullptr, false);
    return attributes.is_object() && attributes.contains("notices") && attributes["notices"] == false;
}

// The `meta` and `page` parts of a Statuspage subscriber webhook.
json WebhookHead(const status::Page& page, const Outbound& outbound, const store::Webhook& w, TimePoint now) {
    std::string base = outbound.settings().public_url;
    while (base.ends_with('/')) base.pop_back();
    auto top = status::ComputeStatus(page);
    return json{{"meta",
                 {{"unsubscribe", base + "/api/v1/webhooks/" + std::to_string(w.id)},
                  {"documentation", base + "/status#webhooks"},
                  {"generated_at", FormatRfc3339(now)}}},
                {"page",
                 {{"id", page.info.id},
                  {"status_indicator", std::string(status::Name(top.indicator))},
                  {"status_description", top.description}}}};
}

}  // namespace

// Everything one update's notices share, prepared once per fan-out (templates parsed once for every customer).
struct StatusBoard::NoticeRun {
    NoticeRun(const Outbound& outbound, const status::Page& page, const status::Incident& incident,
              const status::IncidentUpdate& update, const NoticeTemplate& tmpl)
        : outbound(outbound), page(page), incident(incident), update(update), subject(tmpl.subject), body(tmpl.body) {
        first = !incident.updates.empty() && &update == &incident.updates.back();
        incident_json = json::parse(status::IncidentObjectJson(page, incident.id).value_or("{}"));
    }
    const Outbound& outbound;
    const status::Page& page;
    const status::Incident& incident;
    const status::IncidentUpdate& update;
    PlainTemplate subject, body;
    bool first = false;
    json incident_json;
    std::unordered_set<Id> with_webhooks;  // customers with subscriptions of their own
    std::string status_text, status_url, next_update_by, message_id_prefix, message_id_suffix, references,
        incident_header;  // shared by every notice, made at the first

    // One customer's notice, by email and to their own webhooks, as outbox items appended to `out` (none when they
    // opted out or have nowhere to receive it). `tx` is only read.
    void Render(store::Tx& tx, const store::AffectedCustomer& a, TimePoint now, std::vector<store::OutboxItem>& out);
    // Renders and queues; how many were queued (a notice queued before is not queued again).
    int Queue(store::Tx& tx, const store::AffectedCustomer& a, TimePoint now);
};

void StatusBoard::NoticeRun::Render(store::Tx& tx, const store::AffectedCustomer& a, TimePoint now,
                                    std::vector<store::OutboxItem>& out) {
    bool hooks = with_webhooks.contains(a.customer.id);
    if ((!a.customer.email && !hooks) || OptedOut(a.customer)) return;
    if (status_text.empty()) {  // what every customer's notice of this update shares
        status_text = status::Name(update.status);
        for (auto& ch : status_text) ch = ch == '_' ? ' ' : ch;
        if (!status_text.empty()) status_text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(status_text[0])));
        std::string base = outbound.settings().public_url;
        while (base.ends_with('/')) base.pop_back();
        status_url = base + "/incidents/" + incident.id;
        if (update.next_update_due) next_update_by = Human(*update.next_update_due);
        const std::string& domain = outbound.settings().domain;
        message_id_prefix = "<incident-" + incident.id + ".update-" + update.id + ".customer-";
        message_id_suffix = "@" + domain + ">";
        references = json("<incident-" + incident.id + "@" + domain + ">").dump();
        incident_header = json(incident.id).dump();
    }
    kainjow::mustache::data data;
    data.set("customer", a.customer.name);
    data.set("incident", incident.name);
    data.set("status", status_text);
    data.set(std::string(status::Name(update.status)), kainjow::mustache::data::type::bool_true);  // {{#resolved}}..
    data.set("update", update.body);
    data.set("first", first ? kainjow::mustache::data::type::bool_true : kainjow::mustache::data::type::bool_false);
    if (!next_update_by.empty()) data.set("next_update_by", next_update_by);
    data.set("status_url", status_url);
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
    std::string subject_text = subject.Render(data);
    std::string body_text = body.Render(data);
    std::string customer = std::to_string(a.customer.id);
    std::string key = incident.id + ":" + update.id + ":" + customer;

    if (a.customer.email) {
        store::OutboxItem& item = out.emplace_back();
        item.channel = "email";
        item.dedupe_key = "notice:" + key;
        item.recipient = *a.customer.email;
        item.subject = hooks ? subject_text : std::move(subject_text);
        item.body = hooks ? body_text : std::move(body_text);
        // List-Unsubscribe with RFC 8058's one-click POST: notices are bulk mail to the customer, and mail programs
        // show an unsubscribe button for them (Gmail and Yahoo ask bulk senders for it).
        item.headers_json = "{\"Message-ID\":" + json(message_id_prefix + customer + message_id_suffix).dump() +
                            ",\"References\":" + references + ",\"X-Amends-Incident\":" + incident_header +
                            ",\"List-Unsubscribe\":" + json("<" + outbound.UnsubscribeUrl(a.customer.id) + ">").dump() +
                            ",\"List-Unsubscribe-Post\":\"List-Unsubscribe=One-Click\"}";
        item.next_attempt_at = now;
        item.created_at = now;
    }
    if (hooks)
        for (const auto& w : tx.ListWebhooks(a.customer.id)) {
            if (!Wants(w, "notice", incident.component_ids)) continue;
            json payload = WebhookHead(page, outbound, w, now);
            payload["incident"] = incident_json;
            payload["customer"] = {{"id", a.customer.id},
                                   {"external_ref", a.customer.external_ref ? json(*a.customer.external_ref) : json()},
                                   {"name", a.customer.name}};
            payload["notice"] = {{"update_id", update.id}, {"subject", subject_text}, {"body", body_text}};
            payload["details"] = parsed.is_object() ? parsed : json::object();
            out.push_back(WebhookItem(w, "notice", payload.dump(), "webhook:" + std::to_string(w.id) + ":notice:" + key, now));
        }
}

int StatusBoard::NoticeRun::Queue(store::Tx& tx, const store::AffectedCustomer& a, TimePoint now) {
    std::vector<store::OutboxItem> items;
    Render(tx, a, now, items);
    int queued = 0;
    for (const auto& item : items) queued += tx.EnqueueOutbox(item).has_value();
    return queued;
}

namespace {

// Queues the page-wide webhooks of one change (log entry `log_id`): a component payload for every component whose
// status changed, and an incident payload when an incident or maintenance was created or updated.
void QueuePageWebhooks(store::Tx& tx, const Outbound& outbound, const status::Page& before,
                       const status::Page& after, const std::string& op, const std::string& record_id, Id log_id,
                       TimePoint now) {
    auto subscriptions = tx.ListPageWebhooks();
    if (subscriptions.empty()) return;
    std::string log = std::to_string(log_id);
    std::uint64_t change = 0;
    for (const auto& c : after.components) {
        ++change;
        const status::Component* old = before.FindComponent(c.id);
        if (old && old->status == c.status) continue;
        std::string old_status(status::Name(old ? old->status : status::ComponentStatus::kOperational));
        for (const auto& w : subscriptions) {
            if (!Wants(w, "component", {c.id})) continue;
            json payload = WebhookHead(after, outbound, w, now);
            payload["component"] = json::parse(status::ComponentObjectJson(after, c.id).value_or("{}"));
            payload["component_update"] = {{"old_status", old_status},
                                           {"new_status", std::string(status::Name(c.status))},
                                           {"created_at", FormatRfc3339(now)},
                                           {"component_type", "Component"},
                                           {"id", status::PublicId(static_cast<std::uint64_t>(log_id) * 100000 + change)},
                                           {"component_id", c.id}};
            QueueWebhook(tx, w, "component", payload.dump(),
                         "webhook:" + std::to_string(w.id) + ":component:" + log + ":" + c.id, now);
        }
    }
    if (!op.starts_with("incident.") && !op.starts_with("maintenance.")) return;
    const status::Incident* incident = after.FindIncident(record_id);
    if (!incident) return;
    for (const auto& w : subscriptions) {
        if (!Wants(w, "incident", incident->component_ids)) continue;
        json payload = WebhookHead(after, outbound, w, now);
        payload["incident"] = json::parse(status::IncidentObjectJson(after, record_id).value_or("{}"));
        QueueWebhook(tx, w, "incident", payload.dump(), "webhook:" + std::to_string(w.id) + ":incident:" + log, now);
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
        page_.updated_at = tx.CreatedAt();  // an empty page was last updated when it was made
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
    std::vector<OpenIncident> open;
    std::string base = outbound_.settings().public_url;
    while (base.ends_with('/')) base.pop_back();
    for (const auto* list : {&page_.incidents, &page_.maintenances})
        for (const auto& i : *list) {
            if (!status::IsOpen(i.status) || i.status == status::IncidentStatus::kScheduled) continue;
            OpenIncident o{i.id, i.name, std::string(status::Name(i.status)),
                           i.updates.empty() ? "" : i.updates.front().body, base + "/incidents/" + i.id, {},
                           i.next_update_due};
            for (const auto& cid : i.component_ids)
                if (const status::Component* c = page_.FindComponent(cid)) o.component_names.push_back(Lower(c->name));
            open.push_back(std::move(o));
        }
    {
        std::lock_guard lock(open_mu_);
        open_ = std::move(open);
    }
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

Expected<void> StatusBoard::Refresh() {
    std::lock_guard lock(mu_);
    Id last = 0;
    store_.Read([&](store::Tx& tx) { last = tx.LastStatusLogId(); });
    if (last == last_log_id_) return {};
    return LoadLocked();
}

status::Page StatusBoard::Snapshot() const {
    std::lock_guard lock(mu_);
    return page_;
}

std::optional<status::IncidentKind> StatusBoard::KindOf(std::string_view id) const {
    std::lock_guard lock(mu_);
    const status::Incident* found = page_.FindIncident(id);
    return found ? std::optional(found->kind) : std::nullopt;
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
    auto answer = RecordJson(next, record_id);
    if (!answer) return Fail(ErrorCode::kInternal, "record " + record_id + " vanished");
    Outcome outcome{caller.status, answer->dump(), false};
    Id log_id = 0;
    bool stale = false;
    auto written = store_.WriteAndWait([&](store::Tx& tx) {
        if (tx.LastStatusLogId() != last_log_id_) return !(stale = true);
        log_id = tx.AppendStatusLog(store::StatusLogEntry{0, op, command.dump(), now});
        // The notices are queued by the fan-out (RunFanOut), a chunk of customers per transaction, from this job.
        if (incident && !incident->updates.empty() && incident->updates.front().deliver_notifications)
            tx.PutFanoutJob(incident->id, incident->updates.front().id, now);
        QueuePageWebhooks(tx, outbound_, page_, next, op, record_id, log_id, now);
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
    if (on_queued_) on_queued_();  // page webhooks
    if (incident) Wake();
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
    std::int64_t contacts = 0;
    store_.Read([&](store::Tx& tx) { contacts = tx.CountIncidentCases(id); });
    out["contacts"] = contacts;  // cases linked to it: the customers who had to ask
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
    std::optional<NoticeRun> run;
    if (!incident->updates.empty() && incident->updates.front().deliver_notifications)
        run.emplace(outbound_, page_, *incident, incident->updates.front(), tmpl);
    bool stale = false;
    auto written = store_.WriteAndWait([&](store::Tx& tx) {
        // The latest update each customer hears must be the page's latest: refuse when another process moved it.
        if (tx.LastStatusLogId() != last_log_id_) return !(stale = true);
        if (run) {
            auto ids = tx.CustomersWithWebhooks();
            run->with_webhooks.insert(ids.begin(), ids.end());
        }
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
            if (run) result.notices += run->Queue(tx, {incident_id, *customer, in.details_json, now}, now);
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
    if (result.notices > 0 && on_queued_) on_queued_();
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

StatusBoard::~StatusBoard() { StopWorker(); }

void StatusBoard::SetPromiseOptions(PromiseOptions options) {
    std::lock_guard lock(mu_);
    promises_ = std::move(options);
}

Expected<std::int64_t> StatusBoard::RunFanOut(const std::function<void(const FanOutProgress&)>& progress, int chunk) {
    chunk = std::max(chunk, 1);
    std::vector<store::FanoutJob> jobs;
    store_.Read([&](store::Tx& tx) { jobs = tx.OpenFanoutJobs(); });
    std::int64_t queued_total = 0;
    bool jobs_left = false;  // a job another runner was working on too
    for (const auto& job : jobs) {
        // The page with this update on it (another process may have posted the update: replay the log then).
        status::Page page;
        NoticeTemplate tmpl;
        {
            std::lock_guard lock(mu_);
            auto has_update = [&] {
                const status::Incident* i = page_.FindIncident(job.incident_id);
                return i && std::ranges::any_of(i->updates, [&](const auto& u) { return u.id == job.update_id; });
            };
            if (!has_update())
                if (auto loaded = LoadLocked(); !loaded) return std::unexpected(loaded.error());
            if (!has_update()) {
                std::fprintf(stderr, "{\"level\":\"error\",\"msg\":\"fan-out job names no update\",\"job\":%lld}\n",
                             static_cast<long long>(job.id));
                continue;
            }
            page = page_;
            auto it = templates_.find(job.incident_id);
            tmpl = it == templates_.end() ? DefaultNotice() : it->second;
        }
        const status::Incident& incident = *page.FindIncident(job.incident_id);
        const status::IncidentUpdate& update =
            *std::ranges::find_if(incident.updates, [&](const auto& u) { return u.id == job.update_id; });
        NoticeRun run(outbound_, page, incident, update, tmpl);
        FanOutProgress state{job.incident_id, job.update_id, 0, 0, queued_total};
        store_.Read([&](store::Tx& tx) {
            auto ids = tx.CustomersWithWebhooks();
            run.with_webhooks.insert(ids.begin(), ids.end());
            state.total = tx.CountAffected(job.incident_id);
        });
        // A pipeline: this thread reads and renders the next chunk while the store's writer commits the last one
        // (its notices and the job's cursor in one transaction). At most two chunks are in flight; they commit in
        // order, each moving the cursor on from where the one before left it.
        struct Flight {
            std::mutex mu;
            std::condition_variable cv;
            int in_flight = 0;
            bool lost = false;
            std::optional<Error> failed;
            std::int64_t queued = 0, handled = 0;
        };
        auto flight = std::make_shared<Flight>();
        Id after = job.after_customer;
        bool finished = false;
        while (!finished) {
            TimePoint now = clock_.Now();
            std::vector<store::AffectedCustomer> batch;
            auto items = std::make_shared<std::vector<store::OutboxItem>>();
            store_.Read([&](store::Tx& tx) {
                batch = tx.ListAffected(job.incident_id, after, chunk);
                for (const auto& a : batch) run.Render(tx, a, now, *items);
            });
            Id next = batch.empty() ? after : batch.back().customer.id;
            finished = batch.size() < static_cast<std::size_t>(chunk);
            {
                std::unique_lock lock(flight->mu);
                flight->cv.wait(lock, [&] { return flight->in_flight < 2; });
                if (flight->lost || flight->failed) break;
                ++flight->in_flight;
            }
            auto handled = static_cast<std::int64_t>(batch.size());
            auto queued = std::make_shared<std::int64_t>(0);
            store_.Submit(
                [items, queued, id = job.id, from = after, to = next, finished, now](store::Tx& tx) {
                    std::int64_t n = 0;
                    for (const auto& item : *items) n += tx.EnqueueOutbox(item).has_value();
                    bool moved = tx.AdvanceFanoutJob(id, from, to, n, finished ? std::optional(now) : std::nullopt);
                    *queued = moved ? n : -1;  // not moved: another runner took this chunk; keep nothing
                    return moved;
                },
                [flight, queued, handled, this](std::optional<Error> error) {
                    {
                        std::lock_guard lock(flight->mu);
                        --flight->in_flight;
                        if (error) {
                            flight->failed = error;
                        } else if (*queued < 0) {
                            flight->lost = true;
                        } else {
                            flight->queued += *queued;
                            flight->handled += handled;
                        }
                        flight->cv.notify_all();
                    }
                    if (!error && *queued > 0 && on_queued_) on_queued_();
                });
            after = next;
            std::int64_t done_now, queued_now;
            {
                std::lock_guard lock(flight->mu);
                done_now = flight->handled;
                queued_now = flight->queued;
            }
            state.done = done_now;
            state.queued = queued_total + queued_now;
            if (progress) progress(state);
        }
        {
            std::unique_lock lock(flight->mu);
            flight->cv.wait(lock, [&] { return flight->in_flight == 0; });
        }
        if (flight->failed) return std::unexpected(*flight->failed);
        queued_total += flight->queued;
        // A chunk that found the cursor moved (another runner took it) rolled back; carry on from the cursor.
        std::optional<store::FanoutJob> current;
        store_.Read([&](store::Tx& tx) { current = tx.FindFanoutJob(job.incident_id, job.update_id); });
        if (current && !current->finished_at) {
            jobs_left = true;
            continue;
        }
        state.done = std::max(state.done, state.total);
        state.queued = queued_total;
        if (progress) progress(state);
    }
    if (jobs_left) {
        auto more = RunFanOut(progress, chunk);
        if (!more) return std::unexpected(more.error());
        queued_total += *more;
    }
    return queued_total;
}

namespace {

struct Promise {
    const status::Incident* incident;
    const status::IncidentUpdate* update;
    bool overdue;
};

std::string PromiseKey(bool overdue, const std::string& incident, const std::string& update) {
    return std::string(overdue ? "escalation:" : "reminder:") + incident + ":" + update;
}

std::string PromiseMail(const Promise& p, const std::string& base, std::int64_t affected, TimePoint now) {
    const status::Incident& i = *p.incident;
    std::string out;
    if (p.overdue) {
        auto late = std::chrono::duration_cast<std::chrono::minutes>(now - *i.next_update_due).count();
        out = "The next public update on \"" + i.name + "\" was promised by " + Human(*i.next_update_due) +
              " and has not been posted (" + std::to_string(late) +
              " min late). The public status page now shows it as overdue.\n\n";
    } else {
        out = "The next public update on \"" + i.name + "\" is due by " + Human(*i.next_update_due) + ".\n\n";
    }
    out += std::to_string(affected) + " affected customer(s) and the status page are waiting for it.\n\n";
    out += "Latest update (" + std::string(status::Name(p.update->status)) + "):\n" + p.update->body + "\n\n";
    out += "Post the next update:\n  amends incident update " + i.id +
           " --status identified --body \"...\" --next-update 30m\n  or POST " + base + "/api/v1/incidents/" + i.id +
           "/updates\n\nPublic page: " + base + "/incidents/" + i.id + "\n";
    return out;
}

}  // namespace

Expected<int> StatusBoard::SweepPromises() {
    TimePoint now = clock_.Now();
    std::lock_guard lock(mu_);  // the page must not change under the promises being read
    std::vector<Promise> due;
    for (const auto* list : {&page_.incidents, &page_.maintenances})
        for (const auto& i : *list) {
            if (!status::IsOpen(i.status) || !i.next_update_due || i.updates.empty()) continue;
            const auto& latest = i.updates.front();
            Millis interval = std::chrono::duration_cast<Millis>(*i.next_update_due - latest.created_at);
            Millis before = std::min(promises_.remind_before, interval / 2);
            bool overdue = now >= *i.next_update_due + promises_.escalate_after;
            if (!overdue && now < *i.next_update_due - before) continue;
            if (promised_.contains(PromiseKey(overdue, i.id, latest.id))) continue;
            due.push_back({&i, &latest, overdue});
        }
    if (due.empty()) return 0;
    std::string base = outbound_.settings().public_url;
    while (base.ends_with('/')) base.pop_back();
    int queued = 0;
    auto written = store_.WriteAndWait([&](store::Tx& tx) {
        queued = 0;
        auto subscriptions = tx.ListPageWebhooks();
        for (const auto& p : due) {
            const char* event = p.overdue ? "incident.escalation" : "incident.reminder";
            std::string key = PromiseKey(p.overdue, p.incident->id, p.update->id);
            const std::string& to = p.overdue ? promises_.escalate_to : promises_.remind_to;
            if (!to.empty()) {
                store::OutboxItem item;
                item.channel = "email";
                item.dedupe_key = key;
                item.recipient = to;
                item.subject = std::string(p.overdue ? "Overdue: the promised update on " : "Update due soon: ") +
                               p.incident->name + (p.overdue ? "" : " (by " + Human(*p.incident->next_update_due) + ")");
                item.body = PromiseMail(p, base, tx.CountAffected(p.incident->id), now);
                item.headers_json = json{{"X-Amends-Incident", p.incident->id}}.dump();
                item.next_attempt_at = now;
                item.created_at = now;
                queued += tx.EnqueueOutbox(item).has_value();
            }
            for (const auto& w : subscriptions) {
                if (!Wants(w, event, p.incident->component_ids)) continue;
                json payload = WebhookHead(page_, outbound_, w, now);
                payload["incident"] = json::parse(status::IncidentObjectJson(page_, p.incident->id).value_or("{}"));
                payload["promise"] = {{"update_id", p.update->id},
                                      {"next_update_due", FormatRfc3339(*p.incident->next_update_due)},
                                      {"overdue", p.overdue}};
                queued += QueueWebhook(tx, w, event, payload.dump(), "webhook:" + std::to_string(w.id) + ":" + key, now);
            }
        }
        return true;
    });
    if (!written) return std::unexpected(written.error());
    for (const auto& p : due) promised_.insert(PromiseKey(p.overdue, p.incident->id, p.update->id));
    if (queued > 0 && on_queued_) on_queued_();
    return queued;
}

void StatusBoard::StartWorker(Millis interval) {
    std::lock_guard lock(worker_mu_);
    if (worker_.joinable()) return;
    worker_stop_ = false;
    worker_ = std::thread([this, interval] {
        std::unique_lock lock(worker_mu_);
        while (!worker_stop_) {
            std::uint64_t seen = wakes_;
            lock.unlock();
            if (auto fresh = Refresh(); !fresh)
                std::fprintf(stderr, "{\"level\":\"error\",\"msg\":\"status log replay failed\",\"error\":%s}\n",
                             json(fresh.error().message).dump().c_str());
            if (auto ran = RunFanOut(); !ran)
                std::fprintf(stderr, "{\"level\":\"error\",\"msg\":\"notice fan-out failed\",\"error\":%s}\n",
                             json(ran.error().message).dump().c_str());
            if (auto swept = SweepPromises(); !swept)
                std::fprintf(stderr, "{\"level\":\"error\",\"msg\":\"promise sweep failed\",\"error\":%s}\n",
                             json(swept.error().message).dump().c_str());
            lock.lock();
            worker_cv_.wait_for(lock, interval, [&] { return worker_stop_ || wakes_ != seen; });
        }
    });
}

void StatusBoard::StopWorker() {
    {
        std::lock_guard lock(worker_mu_);
        worker_stop_ = true;
        worker_cv_.notify_all();
    }
    if (worker_.joinable()) worker_.join();
}

void StatusBoard::Wake() {
    std::lock_guard lock(worker_mu_);
    ++wakes_;
    worker_cv_.notify_all();
}

std::vector<store::IncidentCase> StatusBoard::LinkCase(store::Tx& tx, const Case& c, TimePoint now) const {
    std::vector<OpenIncident> open;
    {
        std::lock_guard lock(open_mu_);
        open = open_;
    }
    std::vector<store::IncidentCase> links;
    if (open.empty()) return links;
    auto attached = tx.IncidentsOfCustomer(c.customer_id);
    std::string words = Lower(c.subject + "\n" + c.description);
    for (const auto& o : open) {
        std::string reason;
        if (std::ranges::find(attached, o.id) != attached.end())
            reason = "affected";
        else if (std::ranges::any_of(o.component_names, [&](const std::string& n) { return Names(words, n); }))
            reason = "components";
        if (reason.empty()) continue;
        store::IncidentCase link{o.id, c.id, reason, now};
        if (tx.LinkIncidentCase(link)) links.push_back(std::move(link));
    }
    return links;
}

json StatusBoard::CaseIncidentsJson(store::Tx& tx, const Case& c) const {
    json out = json::array();
    auto links = tx.IncidentsOfCase(c.id);
    if (links.empty()) return out;
    std::vector<OpenIncident> open;
    {
        std::lock_guard lock(open_mu_);
        open = open_;
    }
    std::optional<Customer> customer = tx.FindCustomer(c.customer_id);
    std::string first_name = customer ? customer->name.substr(0, customer->name.find(' ')) : std::string("there");
    for (const auto& link : links) {
        auto it = std::ranges::find_if(open, [&](const OpenIncident& o) { return o.id == link.incident_id; });
        json item{{"id", link.incident_id}, {"reason", link.reason}, {"linked_at", FormatRfc3339(link.linked_at)}};
        if (it == open.end()) {
            item["open"] = false;  // resolved since
            out.push_back(std::move(item));
            continue;
        }
        item["open"] = true;
        item["name"] = it->name;
        item["status"] = it->status;
        item["status_url"] = it->status_url;
        item["next_update_due"] = it->next_update_due ? json(FormatRfc3339(*it->next_update_due)) : json(nullptr);
        // A first reply that owns the incident: apology, what we know, when they will hear next, where to follow.
        std::string reply = "Hi " + first_name + ",\n\nThank you for telling us, and I'm sorry: you're right, this is "
                            "a problem on our side (" + it->name + "), and it is ours to fix.\n\n";
        if (!it->latest.empty()) reply += "Where things stand: " + it->latest + "\n\n";
        reply += it->next_update_due
                     ? "We're working on it now, and I'll write to you again by " + Human(*it->next_update_due) +
                           ", sooner if anything changes. "
                     : std::string("We're working on it now, and I'll write to you as soon as it changes. ");
        reply += "You can also follow it here: " + it->status_url +
                 "\n\nIf this has cost you anything, reply to this email and I'll put it right.\n";
        item["suggested_reply"] = reply;
        out.push_back(std::move(item));
    }
    return out;
}

}  // namespace amends::app
