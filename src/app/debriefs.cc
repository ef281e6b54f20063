#include "app/debriefs.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include "playbook/evidence.h"
#include "rca/json.h"
#include "rca/render.h"

namespace amends::app {

namespace {

using nlohmann::json;

constexpr int kAllRows = 1000000;          // lists that are read whole (debriefs and actions are few)
constexpr std::size_t kMaxDrawnEvents = rca::kMaxTimelineEntries;
constexpr std::size_t kMaxCasesCompared = 2000;  // a debrief's cases compared with a new case

// The members a client may not set: the server owns them.
constexpr std::string_view kServerOwned[] = {"id", "actions", "author", "created_at", "updated_at", "published_at"};
// Derived members of rca's JSON, ignored when read back.
constexpr std::string_view kDerived[] = {"scope_suggestion", "publish_gaps"};

json StoredBody(const rca::Debrief& d) {
    json j = d;
    for (auto key : {"id", "case_ids", "actions", "scope_suggestion", "publish_gaps"}) j.erase(key);
    return j;
}

store::DebriefRecord RecordOf(const rca::Debrief& d, std::optional<TimePoint> published_at) {
    store::DebriefRecord r;
    r.id = d.id;
    r.incident_id = d.incident_id;
    r.case_ids = d.case_ids;
    r.body_json = StoredBody(d).dump();
    r.published_at = published_at;
    r.created_at = d.created_at;
    r.updated_at = d.updated_at;
    return r;
}

std::vector<Id> IdsOf(const std::string& text) {
    std::vector<Id> out;
    auto j = json::parse(text, nullptr, false);
    if (j.is_array())
        for (const auto& v : j)
            if (v.is_number_integer()) out.push_back(v.get<Id>());
    return out;
}

TrackedAction Track(const store::ActionRecord& r) {
    auto j = json::parse(r.body_json, nullptr, false);
    if (!j.is_object()) throw store::StoreFailure("action " + std::to_string(r.id) + " has a broken body");
    j["id"] = r.id;
    j["debrief_id"] = r.debrief_id;
    auto a = rca::ParseAction(j, rca::kMaxWhys);
    if (!a) throw store::StoreFailure("action " + std::to_string(r.id) + ": " + a.error().message);
    return TrackedAction{std::move(*a), r.reopened_at, IdsOf(r.reopened_by_json)};
}

store::ActionRecord RecordOf(const TrackedAction& t) {
    store::ActionRecord r;
    r.id = t.action.id;
    r.debrief_id = t.action.debrief_id;
    r.status = std::string(rca::Name(t.action.status));
    r.due = t.action.due;
    json body = t.action;
    body.erase("id");
    body.erase("debrief_id");
    r.body_json = body.dump();
    r.reopened_at = t.reopened_at;
    r.reopened_by_json = json(t.reopened_by).dump();
    r.created_at = t.action.created_at;
    return r;
}

// An error of Validate(debrief) about `actions[index]`, made relative to the action ("why", "reason").
Error RelativeToAction(Error e, std::size_t index) {
    const std::string prefix = "actions[" + std::to_string(index) + "]";
    if (e.field.starts_with(prefix + ".")) e.field = e.field.substr(prefix.size() + 1);
    else if (e.field == prefix) e.field = "action";
    return e;
}

// "user:N" must name a user; any other owner (a team's name) is taken as written.
Expected<void> CheckOwner(store::Tx& tx, const std::string& owner) {
    if (!owner.starts_with("user:")) return {};
    std::string_view digits = std::string_view(owner).substr(5);
    Id id = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), id);
    if (ec != std::errc() || end != digits.data() + digits.size() || id <= 0)
        return InvalidField("owner", "owner user:N needs a user id, e.g. user:7");
    if (!tx.FindUser(id)) return Fail(ErrorCode::kUnprocessable, "no user " + std::to_string(id), "owner");
    return {};
}

Expected<void> CheckCases(store::Tx& tx, const std::vector<Id>& case_ids) {
    for (std::size_t i = 0; i < case_ids.size(); ++i)
        if (!tx.FindCase(case_ids[i]))
            return Fail(ErrorCode::kUnprocessable, "no case " + std::to_string(case_ids[i]),
                        "case_ids[" + std::to_string(i) + "]");
    return {};
}

// Records that the case's "fix the cause" step is done by the debrief (unless the case is closed: its playbook
// is over).
void LinkCause(store::Tx& tx, const Recovery& recovery, const std::string& actor, Id case_id, Id debrief_id,
               TimePoint now) {
    auto c = tx.FindCase(case_id);
    if (!c || c->state == CaseState::kClosed) return;
    tx.AppendEvent(Event{0, case_id, std::string(playbook::event_type::kCauseLinked), actor,
                         json{{"debrief_id", debrief_id}}.dump(), now});
    recovery.Reschedule(tx, case_id, now);
}

rca::Impact CountImpact(store::Tx& tx, const rca::Debrief& d) {
    rca::Impact impact;
    std::set<Id> customers;
    for (Id id : d.case_ids) {
        auto c = tx.FindCase(id);
        if (!c) continue;
        customers.insert(c->customer_id);
        for (const auto& e : tx.AllEvents(id))
            if (e.type == playbook::event_type::kMessageReceived) ++impact.contacts;
    }
    impact.customers_affected = static_cast<std::int64_t>(customers.size());
    if (d.incident_id)
        impact.customers_affected = std::max(impact.customers_affected, tx.CountAffected(*d.incident_id));
    return impact;
}

std::vector<rca::TimelineEntry> DrawTimeline(store::Tx& tx, const std::vector<Id>& case_ids) {
    std::vector<Event> events;
    for (Id id : case_ids) {
        for (auto& e : tx.AllEvents(id)) events.push_back(std::move(e));
        if (events.size() > kMaxDrawnEvents * 4) break;
    }
    auto timeline = rca::TimelineFromEvents(events);
    if (timeline.size() > kMaxDrawnEvents) timeline.resize(kMaxDrawnEvents);
    return timeline;
}

std::vector<store::ActionRecord> AllActions(store::Tx& tx, std::optional<std::string> status = std::nullopt) {
    store::ActionFilter f;
    f.status = std::move(status);
    f.limit = kAllRows;
    auto rows = tx.ListActions(f);
    std::reverse(rows.begin(), rows.end());  // oldest first
    return rows;
}

double Days(Millis m) { return static_cast<double>(m.count()) / 86400000.0; }

}  // namespace

const DebriefOptions& DefaultDebriefOptions() {
    static const DebriefOptions options;
    return options;
}

Expected<StoredDebrief> LoadDebrief(store::Tx& tx, Id id) {
    auto record = tx.FindDebrief(id);
    if (!record) return Fail(ErrorCode::kNotFound, "no debrief " + std::to_string(id));
    auto j = json::parse(record->body_json, nullptr, false);
    if (!j.is_object()) throw store::StoreFailure("debrief " + std::to_string(id) + " has a broken body");
    j["id"] = id;
    j["case_ids"] = record->case_ids;
    json actions = json::array();
    store::ActionFilter f;
    f.debrief_id = id;
    f.limit = kAllRows;
    auto rows = tx.ListActions(f);
    std::reverse(rows.begin(), rows.end());
    for (const auto& row : rows) actions.push_back(Track(row).action);
    j["actions"] = std::move(actions);
    auto d = rca::ParseDebrief(j);
    if (!d) throw store::StoreFailure("debrief " + std::to_string(id) + ": " + d.error().field + ": " + d.error().message);
    return StoredDebrief{std::move(*d), record->published_at};
}

Expected<TrackedAction> LoadAction(store::Tx& tx, Id id) {
    auto record = tx.FindAction(id);
    if (!record) return Fail(ErrorCode::kNotFound, "no action " + std::to_string(id));
    return Track(*record);
}

json DebriefJson(const StoredDebrief& d) {
    json j = d.debrief;
    j["published_at"] = d.published_at ? json(FormatRfc3339(*d.published_at)) : json(nullptr);
    return j;
}

json ActionJson(const TrackedAction& t, TimePoint now, const DebriefOptions& options) {
    json j = t.action;
    bool overdue = t.action.status == rca::ActionStatus::kOutstanding && t.action.due < now;
    j["overdue"] = overdue;
    j["escalated"] = overdue && now - t.action.due >= options.escalate_after;
    j["reopened_at"] = t.reopened_at ? json(FormatRfc3339(*t.reopened_at)) : json(nullptr);
    j["reopened_by"] = t.reopened_by;
    return j;
}

Expected<StoredDebrief> CreateDebrief(store::Tx& tx, const Recovery& recovery, const std::string& actor,
                                      const json& body, TimePoint now) {
    if (!body.is_object()) return InvalidField("debrief", "a debrief must be a JSON object");
    json in = body;
    for (auto key : kServerOwned)
        if (in.contains(key)) {
            if (key == "actions")
                return InvalidField("actions", "actions are added one at a time with POST /api/v1/actions");
            in.erase(std::string(key));
        }
    auto parsed = rca::ParseDebrief(in);
    if (!parsed) return std::unexpected(parsed.error());
    rca::Debrief d = std::move(*parsed);
    d.id = 0;
    d.author = actor;
    d.created_at = d.updated_at = now;
    if (auto ok = CheckCases(tx, d.case_ids); !ok) return std::unexpected(ok.error());
    if (!body.contains("timeline")) d.timeline = DrawTimeline(tx, d.case_ids);
    if (!body.contains("impact")) d.impact = CountImpact(tx, d);
    if (auto ok = rca::Validate(d); !ok) return std::unexpected(ok.error());
    d.id = tx.InsertDebrief(RecordOf(d, std::nullopt));
    for (Id case_id : d.case_ids) LinkCause(tx, recovery, actor, case_id, d.id, now);
    return LoadDebrief(tx, d.id);
}

Expected<StoredDebrief> UpdateDebrief(store::Tx& tx, const Recovery& recovery, const std::string& actor, Id id,
                                      const json& patch, TimePoint now) {
    if (!patch.is_object()) return InvalidField("debrief", "a patch must be a JSON object");
    for (auto key : kServerOwned)
        if (patch.contains(key))
            return InvalidField(std::string(key), key == "actions"
                                                      ? "change actions with PATCH /api/v1/actions/{id}"
                                                      : std::string(key) + " is set by the server");
    auto current = LoadDebrief(tx, id);
    if (!current) return std::unexpected(current.error());
    if (current->published_at)
        return Fail(ErrorCode::kConflict, "debrief " + std::to_string(id) + " is published and cannot change");
    json j = current->debrief;
    for (auto key : kDerived) j.erase(std::string(key));
    json own = patch;
    for (auto key : kDerived) own.erase(std::string(key));
    j.merge_patch(own);
    auto parsed = rca::ParseDebrief(j);
    if (!parsed) return std::unexpected(parsed.error());
    rca::Debrief d = std::move(*parsed);
    d.id = id;
    d.author = current->debrief.author;
    d.created_at = current->debrief.created_at;
    d.updated_at = now;
    if (auto ok = CheckCases(tx, d.case_ids); !ok) return std::unexpected(ok.error());
    tx.UpdateDebrief(RecordOf(d, std::nullopt));
    const std::set<Id> before(current->debrief.case_ids.begin(), current->debrief.case_ids.end());
    for (Id case_id : d.case_ids)
        if (!before.contains(case_id)) LinkCause(tx, recovery, actor, case_id, id, now);
    return LoadDebrief(tx, id);
}

Expected<StoredDebrief> LinkCase(store::Tx& tx, const Recovery& recovery, const std::string& actor, Id debrief_id,
                                 Id case_id, TimePoint now) {
    auto record = tx.FindDebrief(debrief_id);
    if (!record) return Fail(ErrorCode::kNotFound, "no debrief " + std::to_string(debrief_id));
    auto c = tx.FindCase(case_id);
    if (!c) return Fail(ErrorCode::kUnprocessable, "no case " + std::to_string(case_id), "case_id");
    if (c->state == CaseState::kClosed)
        return Fail(ErrorCode::kConflict, "case " + std::to_string(case_id) + " is closed", "case_id");
    if (std::find(record->case_ids.begin(), record->case_ids.end(), case_id) == record->case_ids.end()) {
        if (record->case_ids.size() >= rca::kMaxCases)
            return Fail(ErrorCode::kTooLarge, "a debrief covers at most " + std::to_string(rca::kMaxCases) + " cases",
                        "case_id");
        record->case_ids.push_back(case_id);
        record->updated_at = now;
        tx.UpdateDebrief(*record);
    }
    LinkCause(tx, recovery, actor, case_id, debrief_id, now);
    return LoadDebrief(tx, debrief_id);
}

Expected<void> AddLinkedCase(store::Tx& tx, Id debrief_id, Id case_id, TimePoint now) {
    auto record = tx.FindDebrief(debrief_id);
    if (!record)
        return Fail(ErrorCode::kUnprocessable, "no debrief " + std::to_string(debrief_id), "debrief_id");
    if (std::find(record->case_ids.begin(), record->case_ids.end(), case_id) != record->case_ids.end()) return {};
    if (record->case_ids.size() >= rca::kMaxCases)
        return Fail(ErrorCode::kTooLarge, "a debrief covers at most " + std::to_string(rca::kMaxCases) + " cases",
                    "debrief_id");
    record->case_ids.push_back(case_id);
    record->updated_at = now;
    tx.UpdateDebrief(*record);
    return {};
}

Expected<TrackedAction> CreateAction(store::Tx& tx, const json& body, TimePoint now) {
    if (!body.is_object()) return InvalidField("action", "an action must be a JSON object");
    auto it = body.find("debrief_id");
    if (it == body.end()) return InvalidField("debrief_id", "debrief_id is required");
    if (!it->is_number_integer() || it->get<std::int64_t>() <= 0)
        return InvalidField("debrief_id", "debrief_id must be a debrief's id");
    const Id debrief_id = it->get<Id>();
    auto debrief = LoadDebrief(tx, debrief_id);
    if (!debrief)
        return Fail(ErrorCode::kUnprocessable, "no debrief " + std::to_string(debrief_id), "debrief_id");
    json in = body;
    for (auto key : {"id", "debrief_id", "created_at"}) in.erase(key);
    auto parsed = rca::ParseAction(in, debrief->debrief.whys.size());
    if (!parsed) return std::unexpected(parsed.error());
    rca::Action a = std::move(*parsed);
    a.id = 0;
    a.debrief_id = debrief_id;
    a.created_at = now;
    if (auto ok = CheckOwner(tx, a.owner); !ok) return std::unexpected(ok.error());
    rca::Debrief with = debrief->debrief;
    with.actions.push_back(a);
    if (with.actions.size() > rca::kMaxActions)
        return Fail(ErrorCode::kTooLarge, "a debrief has at most " + std::to_string(rca::kMaxActions) + " actions",
                    "debrief_id");
    if (auto ok = rca::Validate(with); !ok) return std::unexpected(RelativeToAction(ok.error(), with.actions.size() - 1));
    TrackedAction t{a, std::nullopt, {}};
    auto record = RecordOf(t);
    record.updated_at = now;
    t.action.id = tx.InsertAction(record);
    return t;
}

Expected<TrackedAction> UpdateAction(store::Tx& tx, Id id, const json& patch, TimePoint now) {
    if (!patch.is_object()) return InvalidField("action", "a patch must be a JSON object");
    static const std::set<std::string> kChangeable = {"description", "kind", "why", "owner", "due",
                                                      "status", "reason", "completed_at"};
    for (const auto& [key, value] : patch.items())
        if (!kChangeable.contains(key))
            return InvalidField(key, key + " cannot be changed (description, kind, why, owner, due, status, reason, "
                                           "completed_at can)");
    auto current = LoadAction(tx, id);
    if (!current) return std::unexpected(current.error());
    auto debrief = LoadDebrief(tx, current->action.debrief_id);
    if (!debrief) return std::unexpected(debrief.error());
    json j = current->action;
    for (const auto& [key, value] : patch.items()) j[key] = value;
    if (patch.contains("status") && patch["status"].is_string()) {
        const bool completing = patch["status"] == "completed";
        if (completing && current->action.status != rca::ActionStatus::kCompleted && !patch.contains("completed_at"))
            j["completed_at"] = FormatRfc3339(now);
        if (!completing) j["completed_at"] = nullptr;
        if (patch["status"] != "not_doing" && !patch.contains("reason")) j["reason"] = "";
    }
    if (j.contains("completed_at") && j["completed_at"].is_null()) j.erase("completed_at");
    auto parsed = rca::ParseAction(j, debrief->debrief.whys.size());
    if (!parsed) return std::unexpected(parsed.error());
    rca::Action a = std::move(*parsed);
    a.id = id;
    a.debrief_id = current->action.debrief_id;
    a.created_at = current->action.created_at;
    if (a.completed_at && *a.completed_at > now)
        return InvalidField("completed_at", "completed_at cannot be in the future");
    if (patch.contains("owner"))
        if (auto ok = CheckOwner(tx, a.owner); !ok) return std::unexpected(ok.error());
    rca::Debrief with = debrief->debrief;
    std::size_t index = 0;
    for (std::size_t i = 0; i < with.actions.size(); ++i)
        if (with.actions[i].id == id) with.actions[i] = a, index = i;
    if (auto ok = rca::Validate(with); !ok) return std::unexpected(RelativeToAction(ok.error(), index));
    TrackedAction t{a, current->reopened_at, current->reopened_by};
    auto record = RecordOf(t);
    record.updated_at = now;
    tx.UpdateAction(record);
    return t;
}

ActionsDue ChaseActions(store::Tx& tx, TimePoint now, const DebriefOptions& options) {
    std::map<Id, TrackedAction> tracked;
    std::set<Id> debrief_ids;
    for (const auto& row : AllActions(tx)) {
        auto t = Track(row);
        if (t.action.status == rca::ActionStatus::kOutstanding || t.action.kind == rca::ActionKind::kWorkaround)
            debrief_ids.insert(t.action.debrief_id);
        tracked.emplace(t.action.id, std::move(t));
    }
    std::vector<rca::Debrief> debriefs;
    for (Id id : debrief_ids)
        if (auto d = LoadDebrief(tx, id)) debriefs.push_back(std::move(d->debrief));
    ActionsDue out;
    for (const auto& o : rca::OverdueActions(debriefs, now))
        out.overdue.push_back(ActionJson(tracked.at(o.action.action_id), now, options));
    for (const auto& w : rca::StaleWorkarounds(debriefs, now, options.workaround_max_age))
        out.workarounds.push_back(json{{"action", ActionJson(tracked.at(w.workaround.action_id), now, options)},
                                       {"age_days", static_cast<std::int64_t>(Days(w.age))},
                                       {"planned_fix", w.planned ? json(w.planned->action_id) : json(nullptr)}});
    return out;
}

json ManagerItems(store::Tx& tx, TimePoint now, const DebriefOptions& options) {
    auto due = ChaseActions(tx, now, options);
    json items = json::array();
    for (const auto& a : due.overdue) {
        if (!a["escalated"].get<bool>()) continue;
        items.push_back({{"kind", "overdue_action"},
                         {"action", a},
                         {"why", "action " + std::to_string(a["id"].get<Id>()) + " of debrief " +
                                     std::to_string(a["debrief_id"].get<Id>()) + " was due " + a["due"].get<std::string>() +
                                     " and is not done"}});
    }
    for (const auto& w : due.workarounds)
        items.push_back({{"kind", "stale_workaround"},
                         {"action", w["action"]},
                         {"why", "workaround " + std::to_string(w["action"]["id"].get<Id>()) + " is " +
                                     std::to_string(w["age_days"].get<std::int64_t>()) +
                                     " days old and no permanent fix for its cause is done"}});
    return items;
}

json RecurrenceReportJson(store::Tx& tx, TimePoint now, const DebriefOptions& options) {
    std::vector<rca::CaseDigest> cases;
    tx.ForEachCaseSince(now - options.recurrence.window, [&](const Case& c) {
        cases.push_back(rca::CaseDigest{c.id, c.category, c.reference, c.subject + "\n" + c.description, c.created_at});
    });
    std::map<Id, rca::DebriefCoverage> coverage;
    for (std::optional<Id> before;;) {
        store::DebriefFilter f;
        f.before_id = before;
        f.limit = 500;
        auto page = tx.ListDebriefs(f);
        for (const auto& d : page) coverage[d.id] = rca::DebriefCoverage{d.id, d.case_ids, {}};
        if (static_cast<int>(page.size()) < f.limit) break;
        before = page.back().id;
    }
    for (const auto& row : AllActions(tx, "completed")) {
        auto t = Track(row);
        if (t.action.completed_at && coverage.contains(t.action.debrief_id))
            coverage[t.action.debrief_id].completed_actions.push_back({t.action.id, *t.action.completed_at});
    }
    std::vector<rca::DebriefCoverage> debriefs;
    for (auto& [id, c] : coverage) debriefs.push_back(std::move(c));
    auto report = rca::FindRecurrence(cases, debriefs, now, options.recurrence);
    json flags = json::array();
    for (const auto& f : report.flags) {
        const auto& g = report.groups[f.group];
        flags.push_back({{"category", g.category},
                         {"case_ids", g.case_ids},
                         {"cases_in_window", f.cases_in_window},
                         {"explanation", f.explanation}});
    }
    json reopenings = json::array();
    for (const auto& r : report.reopenings)
        reopenings.push_back({{"debrief_id", r.debrief_id},
                              {"action_id", r.action_id},
                              {"category", report.groups[r.group].category},
                              {"new_case_ids", r.new_case_ids}});
    return json{{"window_days", static_cast<std::int64_t>(Days(options.recurrence.window))},
                {"threshold", options.recurrence.threshold},
                {"similarity", options.recurrence.similarity},
                {"cases", cases.size()},
                {"groups", report.groups.size()},
                {"flags", std::move(flags)},
                {"reopenings", std::move(reopenings)}};
}

std::vector<Id> ReopenOnRecurrence(store::Tx& tx, const Case& opened, TimePoint now, const DebriefOptions& options) {
    std::map<Id, std::vector<TrackedAction>> completed;  // by debrief
    for (const auto& row : AllActions(tx, "completed")) {
        auto t = Track(row);
        if (t.action.completed_at && *t.action.completed_at < opened.created_at)
            completed[t.action.debrief_id].push_back(std::move(t));
    }
    std::vector<Id> reopened;
    std::vector<Id> debriefs;
    for (auto& [debrief_id, actions] : completed) {
        auto record = tx.FindDebrief(debrief_id);
        if (!record) continue;
        std::vector<rca::CaseDigest> digests;
        for (Id case_id : record->case_ids) {
            if (digests.size() >= kMaxCasesCompared) break;
            if (case_id == opened.id) continue;
            auto c = tx.FindCase(case_id);
            if (!c || c->category != opened.category) continue;
            digests.push_back(rca::CaseDigest{c->id, c->category, c->reference, c->subject + "\n" + c->description,
                                              c->created_at});
        }
        if (digests.empty()) continue;
        digests.push_back(rca::CaseDigest{opened.id, opened.category, opened.reference,
                                          opened.subject + "\n" + opened.description, opened.created_at});
        bool alike = false;
        for (const auto& g : rca::GroupCases(digests, options.recurrence))
            if (std::find(g.case_ids.begin(), g.case_ids.end(), opened.id) != g.case_ids.end()) alike = true;
        if (!alike) continue;
        for (auto& t : actions) {
            t.action.status = rca::ActionStatus::kOutstanding;
            t.action.completed_at.reset();
            t.action.due = now + options.reopen_due;
            t.reopened_at = now;
            t.reopened_by.push_back(opened.id);
            auto record_out = RecordOf(t);
            record_out.updated_at = now;
            tx.UpdateAction(record_out);
            reopened.push_back(t.action.id);
        }
        debriefs.push_back(debrief_id);
    }
    if (!reopened.empty())
        tx.AppendEvent(Event{0, opened.id, "debrief.recurred", "system",
                             json{{"debrief_ids", debriefs}, {"action_ids", reopened}}.dump(), now});
    return reopened;
}

Expected<StoredDebrief> PublishDebrief(store::Store& store, StatusBoard& board, Id id, const Caller& caller,
                                       TimePoint now) {
    Expected<StoredDebrief> found = Fail(ErrorCode::kInternal, "not read");
    store.Read([&](store::Tx& tx) { found = LoadDebrief(tx, id); });
    if (!found) return found;
    const rca::Debrief& d = found->debrief;
    if (d.subject != rca::Subject::kIncident || !d.incident_id)
        return Fail(ErrorCode::kUnprocessable, "only a debrief of an incident is published, as its postmortem",
                    "subject");
    if (found->published_at) return Fail(ErrorCode::kConflict, "debrief " + std::to_string(id) + " is already published");
    auto gaps = rca::PublishGaps(d);
    if (!gaps.empty()) {
        Error e = gaps.front();
        e.code = ErrorCode::kUnprocessable;
        e.message = "not ready to publish (" + std::to_string(gaps.size()) + " gap" + (gaps.size() == 1 ? "" : "s") +
                    "): " + e.message;
        return std::unexpected(e);
    }
    const std::string markdown = rca::RenderMarkdown(rca::ToPublic(d));
    Caller plain{caller.user_id, std::nullopt, 201};
    auto posted = board.Apply("incident.postmortem", *d.incident_id, json{{"body", markdown}}, plain);
    if (!posted) {
        Error e = posted.error();
        if (e.field == "body") e.field = "summary";
        return std::unexpected(e);
    }
    auto written = store.WriteAndWait([&](store::Tx& tx) {
        auto record = tx.FindDebrief(id);
        if (!record) return false;
        record->published_at = now;
        tx.UpdateDebrief(*record);
        return true;
    });
    if (!written) return std::unexpected(written.error());
    found->published_at = now;
    return found;
}

}  // namespace amends::app
