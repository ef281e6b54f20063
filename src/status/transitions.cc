#include "status/transitions.h"

#include <algorithm>
#include <set>

#include "domain/model.h"
#include "status/rollup.h"

namespace amends::status {
namespace {

constexpr std::size_t kMaxIdBytes = 40;

Expected<void> CheckId(const std::string& field, const std::string& id) {
    if (id.empty() || id.size() > kMaxIdBytes)
        return InvalidField(field, field + " must be 1 to 40 characters of a-z and 0-9");
    for (char c : id)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
            return InvalidField(field, field + " must be 1 to 40 characters of a-z and 0-9");
    return {};
}

Expected<void> CheckText(const std::string& field, std::string_view value, std::size_t max, bool required) {
    if (required && value.find_first_not_of(" \t\r\n") == std::string_view::npos)
        return InvalidField(field, field + " is required");
    if (value.size() > max) return InvalidField(field, field + " is longer than " + std::to_string(max) + " bytes");
    if (!IsCleanText(value))
        return InvalidField(field, field + " must be valid UTF-8 text without control characters");
    return {};
}

bool IncidentIdTaken(const Page& page, std::string_view id) { return page.FindIncident(id) != nullptr; }

bool UpdateIdTaken(const Page& page, std::string_view id) {
    for (const auto* list : {&page.incidents, &page.maintenances})
        for (const auto& i : *list)
            for (const auto& u : i.updates)
                if (u.id == id) return true;
    return false;
}

Expected<void> CheckNewIds(const Page& page, const std::string& id, const std::string& update_id) {
    if (auto ok = CheckId("id", id); !ok) return ok;
    if (IncidentIdTaken(page, id)) return Fail(ErrorCode::kConflict, "an incident or maintenance has id " + id, "id");
    if (auto ok = CheckId("update_id", update_id); !ok) return ok;
    if (UpdateIdTaken(page, update_id))
        return Fail(ErrorCode::kConflict, "an update has id " + update_id, "update_id");
    return {};
}

Component* FindMutable(Page& page, std::string_view id) {
    for (auto& c : page.components)
        if (c.id == id) return &c;
    return nullptr;
}

Incident* FindMutableIncident(Page& page, std::string_view id) {
    for (auto* list : {&page.incidents, &page.maintenances})
        for (auto& i : *list)
            if (i.id == id) return &i;
    return nullptr;
}

// Groups take the worst status of their children.
void RollUpGroups(Page& page, TimePoint now) {
    for (auto& g : page.components) {
        if (!g.group) continue;
        std::optional<ComponentStatus> worst;
        for (const auto& c : page.components)
            if (c.group_id == g.id && (!worst || Severity(c.status) > Severity(*worst))) worst = c.status;
        if (worst && *worst != g.status) {
            g.status = *worst;
            g.updated_at = now;
        }
    }
}

// How the request named its components, for the field of an error: an incident's `components` object of id to
// status (components.<id>), or a maintenance's array of ids (components[<index>]).
enum class ComponentsField { kObject, kArray };

// Checks changes against the page: known, not a group, each named once.
Expected<void> CheckChanges(const Page& page, const std::vector<ComponentChange>& changes,
                            ComponentsField named = ComponentsField::kObject) {
    std::set<std::string_view> seen;
    for (std::size_t k = 0; k < changes.size(); ++k) {
        const std::string field = named == ComponentsField::kObject ? "components." + changes[k].component_id
                                                                    : "components[" + std::to_string(k) + "]";
        const Component* c = page.FindComponent(changes[k].component_id);
        if (c == nullptr) return InvalidField(field, "no component has id " + changes[k].component_id);
        if (c->group) return InvalidField(field, "the status of a group follows its components: set those instead");
        if (!seen.insert(c->id).second) return InvalidField(field, "component " + c->id + " is named twice");
    }
    return {};
}

// Applies checked changes; returns what the update records.
std::vector<AffectedComponent> ApplyChanges(Page& page, const std::vector<ComponentChange>& changes, TimePoint now) {
    std::vector<AffectedComponent> affected;
    for (const auto& ch : changes) {
        Component* c = FindMutable(page, ch.component_id);
        affected.push_back(AffectedComponent{c->id, c->name, c->status, ch.status});
        if (c->status != ch.status) {
            c->status = ch.status;
            c->updated_at = now;
        }
    }
    RollUpGroups(page, now);
    return affected;
}

// An open item that holds a component in its status: an open incident, or a maintenance under way.
bool HeldByAnother(const Page& page, std::string_view component_id, std::string_view except_id) {
    auto holds = [&](const Incident& i) {
        return i.id != except_id && std::find(i.component_ids.begin(), i.component_ids.end(), component_id) !=
                                        i.component_ids.end();
    };
    for (const auto& i : page.incidents)
        if (IsOpen(i.status) && holds(i)) return true;
    for (const auto& m : page.maintenances)
        if ((m.status == IncidentStatus::kInProgress || m.status == IncidentStatus::kVerifying) && holds(m))
            return true;
    return false;
}

void AddComponentIds(Incident& incident, const std::vector<ComponentChange>& changes) {
    for (const auto& ch : changes)
        if (std::find(incident.component_ids.begin(), incident.component_ids.end(), ch.component_id) ==
            incident.component_ids.end())
            incident.component_ids.push_back(ch.component_id);
}

Expected<TimePoint> NextDue(const std::optional<Millis>& in, TimePoint now) {
    if (!in) return InvalidField("next_update_in", "next_update_in is required while the incident is open");
    if (*in < kMinNextUpdateIn || *in > kMaxNextUpdateIn)
        return InvalidField("next_update_in", "next_update_in must be between 1 minute and 7 days");
    return now + *in;
}

std::string DefaultShortlink(const Page& page, const std::string& id) { return page.info.url + "/incidents/" + id; }

}  // namespace

bool IsLegalTransition(IncidentKind kind, IncidentStatus from, IncidentStatus to) {
    using S = IncidentStatus;
    if (kind == IncidentKind::kIncident) {
        switch (from) {
            case S::kInvestigating:
            case S::kIdentified:
            case S::kMonitoring:
                return to == S::kInvestigating || to == S::kIdentified || to == S::kMonitoring || to == S::kResolved;
            case S::kResolved: return to == S::kPostmortem;
            default: return false;
        }
    }
    switch (from) {
        case S::kScheduled: return to == S::kScheduled || to == S::kInProgress || to == S::kCompleted;
        case S::kInProgress:
        case S::kVerifying: return to == S::kInProgress || to == S::kVerifying || to == S::kCompleted;
        default: return false;
    }
}

Expected<Page> AddComponent(const Page& page, const NewComponent& in, TimePoint now) {
    if (auto ok = CheckId("id", in.id); !ok) return std::unexpected(ok.error());
    if (page.FindComponent(in.id)) return Fail(ErrorCode::kConflict, "a component has id " + in.id, "id");
    if (auto ok = CheckText("name", in.name, kMaxNameBytes, true); !ok) return std::unexpected(ok.error());
    if (in.description)
        if (auto ok = CheckText("description", *in.description, kMaxShortTextBytes, false); !ok)
            return std::unexpected(ok.error());
    if (in.group_id) {
        const Component* g = page.FindComponent(*in.group_id);
        if (g == nullptr || !g->group) return InvalidField("group_id", "no group has id " + *in.group_id);
        if (in.group) return InvalidField("group_id", "groups do not nest");
    }
    if (in.start_date && (in.start_date->size() != 10 || !ParseRfc3339(*in.start_date)))
        return InvalidField("start_date", "start_date must be a date, YYYY-MM-DD");
    if (in.position < 0) return InvalidField("position", "position must be positive");
    Page next = page;
    Component c;
    c.id = in.id;
    c.name = in.name;
    c.description = in.description;
    c.group_id = in.group_id;
    c.group = in.group;
    c.showcase = in.showcase;
    c.start_date = in.start_date;
    c.only_show_if_degraded = in.only_show_if_degraded;
    c.created_at = c.updated_at = now;
    c.position = in.position;
    if (c.position == 0) {
        int last = 0;
        for (const auto& s : page.components)
            if (s.group_id == in.group_id) last = std::max(last, s.position);
        c.position = last + 1;
    }
    next.components.push_back(std::move(c));
    RollUpGroups(next, now);
    next.updated_at = now;
    return next;
}

Expected<Page> SetComponentStatus(const Page& page, const ComponentChange& change, TimePoint now) {
    if (auto ok = CheckChanges(page, {change}); !ok) return std::unexpected(ok.error());
    Page next = page;
    ApplyChanges(next, {change}, now);
    next.updated_at = now;
    return next;
}

Expected<Page> CreateIncident(const Page& page, const NewIncident& in, TimePoint now) {
    if (auto ok = CheckNewIds(page, in.id, in.update_id); !ok) return std::unexpected(ok.error());
    if (auto ok = CheckText("name", in.name, kMaxNameBytes, true); !ok) return std::unexpected(ok.error());
    if (!IsIncidentStatus(in.status) || !IsOpen(in.status))
        return InvalidField("status", "a new incident is investigating, identified or monitoring");
    if (in.impact && *in.impact == Impact::kMaintenance)
        return InvalidField("impact", "an incident's impact is none, minor, major or critical");
    if (auto ok = CheckText("body", in.body, kMaxLongTextBytes, true); !ok) return std::unexpected(ok.error());
    auto due = NextDue(in.next_update_in, now);
    if (!due) return std::unexpected(due.error());
    if (in.started_at && *in.started_at > now) return InvalidField("started_at", "started_at is in the future");
    if (in.shortlink)
        if (auto ok = CheckText("shortlink", *in.shortlink, kMaxShortTextBytes, true); !ok)
            return std::unexpected(ok.error());
    if (auto ok = CheckChanges(page, in.components); !ok) return std::unexpected(ok.error());

    Page next = page;
    IncidentUpdate u;
    u.id = in.update_id;
    u.status = in.status;
    u.body = in.body;
    u.created_at = u.updated_at = u.display_at = now;
    u.deliver_notifications = in.deliver_notifications;
    u.next_update_due = *due;
    auto affected = ApplyChanges(next, in.components, now);
    if (!affected.empty()) u.affected_components = std::move(affected);

    Incident i;
    i.id = in.id;
    i.kind = IncidentKind::kIncident;
    i.name = in.name;
    i.status = in.status;
    ComponentStatus worst = ComponentStatus::kOperational;
    for (const auto& ch : in.components)
        if (Severity(ch.status) > Severity(worst)) worst = ch.status;
    i.impact = in.impact ? *in.impact : ImpactOfComponents(worst);
    i.created_at = i.updated_at = now;
    if (in.status == IncidentStatus::kMonitoring) i.monitoring_at = now;
    i.started_at = in.started_at ? *in.started_at : now;
    i.shortlink = in.shortlink ? *in.shortlink : DefaultShortlink(page, in.id);
    AddComponentIds(i, in.components);
    i.next_update_due = *due;
    i.updates.push_back(std::move(u));
    next.incidents.push_back(std::move(i));
    next.updated_at = now;
    return next;
}

Expected<Page> PostUpdate(const Page& page, const NewUpdate& in, TimePoint now) {
    const Incident* current = page.FindIncident(in.incident_id);
    if (current == nullptr) return Fail(ErrorCode::kNotFound, "no incident has id " + in.incident_id, "incident_id");
    if (auto ok = CheckId("update_id", in.update_id); !ok) return std::unexpected(ok.error());
    if (UpdateIdTaken(page, in.update_id))
        return Fail(ErrorCode::kConflict, "an update has id " + in.update_id, "update_id");
    if (!IsLegalTransition(current->kind, current->status, in.status))
        return Fail(ErrorCode::kConflict,
                    std::string(current->IsMaintenance() ? "a maintenance" : "an incident") + " cannot go from " +
                        std::string(Name(current->status)) + " to " + std::string(Name(in.status)),
                    "status");
    if (auto ok = CheckText("body", in.body, kMaxLongTextBytes, true); !ok) return std::unexpected(ok.error());
    if (in.impact && *in.impact == Impact::kMaintenance && !current->IsMaintenance())
        return InvalidField("impact", "an incident's impact is none, minor, major or critical");
    if (auto ok = CheckChanges(page, in.components); !ok) return std::unexpected(ok.error());
    const bool open = IsOpen(in.status);
    std::optional<TimePoint> due;
    if (!current->IsMaintenance() && open) {
        auto d = NextDue(in.next_update_in, now);
        if (!d) return std::unexpected(d.error());
        due = *d;
    } else if (in.next_update_in) {
        if (!open) return InvalidField("next_update_in", "no further update is due once it is " +
                                                             std::string(Name(in.status)));
        auto d = NextDue(in.next_update_in, now);
        if (!d) return std::unexpected(d.error());
        due = *d;
    }

    // Components the caller did not name follow the status change (docs/status.md).
    std::vector<ComponentChange> changes = in.components;
    auto named = [&](const std::string& id) {
        return std::any_of(changes.begin(), changes.end(), [&](const auto& c) { return c.component_id == id; });
    };
    const bool starting = current->status == IncidentStatus::kScheduled && in.status == IncidentStatus::kInProgress;
    const bool ending = IsOpen(current->status) && !open;
    for (const auto& id : current->component_ids) {
        const Component* c = page.FindComponent(id);
        if (c == nullptr || c->group || named(id)) continue;
        if (starting && c->status == ComponentStatus::kOperational) {
            changes.push_back({id, ComponentStatus::kUnderMaintenance});
        } else if (ending && c->status != ComponentStatus::kOperational && !HeldByAnother(page, id, current->id) &&
                   (!current->IsMaintenance() || c->status == ComponentStatus::kUnderMaintenance)) {
            changes.push_back({id, ComponentStatus::kOperational});
        }
    }

    Page next = page;
    Incident& i = *FindMutableIncident(next, in.incident_id);
    IncidentUpdate u;
    u.id = in.update_id;
    u.status = in.status;
    u.body = in.body;
    u.created_at = u.updated_at = u.display_at = now;
    u.deliver_notifications = in.deliver_notifications;
    u.next_update_due = due;
    auto affected = ApplyChanges(next, changes, now);
    if (!affected.empty()) u.affected_components = std::move(affected);

    if (in.status == IncidentStatus::kMonitoring && i.status != IncidentStatus::kMonitoring) i.monitoring_at = now;
    if (in.status == IncidentStatus::kResolved || in.status == IncidentStatus::kCompleted) i.resolved_at = now;
    if (starting) i.started_at = now;
    if (in.impact) i.impact = *in.impact;
    i.status = in.status;
    i.updated_at = now;
    i.next_update_due = due;
    AddComponentIds(i, in.components);
    i.updates.insert(i.updates.begin(), std::move(u));
    next.updated_at = now;
    return next;
}

Expected<Page> ResolveIncident(const Page& page, NewUpdate in, TimePoint now) {
    in.status = IncidentStatus::kResolved;
    if (const Incident* i = page.FindIncident(in.incident_id); i && i->IsMaintenance())
        return Fail(ErrorCode::kConflict, "a maintenance is completed, not resolved", "incident_id");
    return PostUpdate(page, in, now);
}

Expected<Page> PublishPostmortem(const Page& page, const std::string& incident_id, const std::string& update_id,
                                 const std::string& body, TimePoint now) {
    NewUpdate in;
    in.incident_id = incident_id;
    in.update_id = update_id;
    in.status = IncidentStatus::kPostmortem;
    in.body = body;
    return PostUpdate(page, in, now);
}

Expected<Page> ScheduleMaintenance(const Page& page, const NewMaintenance& in, TimePoint now) {
    if (auto ok = CheckNewIds(page, in.id, in.update_id); !ok) return std::unexpected(ok.error());
    if (auto ok = CheckText("name", in.name, kMaxNameBytes, true); !ok) return std::unexpected(ok.error());
    if (auto ok = CheckText("body", in.body, kMaxLongTextBytes, true); !ok) return std::unexpected(ok.error());
    if (in.scheduled_until <= in.scheduled_for)
        return InvalidField("scheduled_until", "scheduled_until must be after scheduled_for");
    if (in.scheduled_until <= now) return InvalidField("scheduled_until", "scheduled_until is in the past");
    if (in.shortlink)
        if (auto ok = CheckText("shortlink", *in.shortlink, kMaxShortTextBytes, true); !ok)
            return std::unexpected(ok.error());
    std::vector<ComponentChange> unchanged;
    for (const auto& id : in.component_ids) {
        const Component* c = page.FindComponent(id);
        unchanged.push_back({id, c ? c->status : ComponentStatus::kOperational});
    }
    if (auto ok = CheckChanges(page, unchanged, ComponentsField::kArray); !ok) return std::unexpected(ok.error());

    Page next = page;
    IncidentUpdate u;
    u.id = in.update_id;
    u.status = IncidentStatus::kScheduled;
    u.body = in.body;
    u.created_at = u.updated_at = u.display_at = now;
    u.deliver_notifications = in.deliver_notifications;
    auto affected = ApplyChanges(next, unchanged, now);
    if (!affected.empty()) u.affected_components = std::move(affected);

    Incident m;
    m.id = in.id;
    m.kind = IncidentKind::kMaintenance;
    m.name = in.name;
    m.status = IncidentStatus::kScheduled;
    m.impact = in.impact;
    m.created_at = m.updated_at = now;
    m.started_at = in.scheduled_for;
    m.scheduled_for = in.scheduled_for;
    m.scheduled_until = in.scheduled_until;
    m.shortlink = in.shortlink ? *in.shortlink : DefaultShortlink(page, in.id);
    AddComponentIds(m, unchanged);
    m.updates.push_back(std::move(u));
    next.maintenances.push_back(std::move(m));
    next.updated_at = now;
    return next;
}

Expected<Page> StartMaintenance(const Page& page, const std::string& id, const std::string& update_id,
                                std::string body, TimePoint now) {
    const Incident* m = page.FindIncident(id);
    if (m == nullptr || !m->IsMaintenance()) return Fail(ErrorCode::kNotFound, "no maintenance has id " + id, "id");
    if (m->status != IncidentStatus::kScheduled)
        return Fail(ErrorCode::kConflict, "only a scheduled maintenance can start", "status");
    NewUpdate in;
    in.incident_id = id;
    in.update_id = update_id;
    in.status = IncidentStatus::kInProgress;
    in.body = body.empty() ? "Scheduled maintenance is currently in progress. We will provide updates as necessary."
                           : std::move(body);
    return PostUpdate(page, in, now);
}

Expected<Page> CompleteMaintenance(const Page& page, const std::string& id, const std::string& update_id,
                                   std::string body, TimePoint now) {
    const Incident* m = page.FindIncident(id);
    if (m == nullptr || !m->IsMaintenance()) return Fail(ErrorCode::kNotFound, "no maintenance has id " + id, "id");
    NewUpdate in;
    in.incident_id = id;
    in.update_id = update_id;
    in.status = IncidentStatus::kCompleted;
    in.body = body.empty() ? "The scheduled maintenance has been completed." : std::move(body);
    return PostUpdate(page, in, now);
}

}  // namespace amends::status
