// The Statuspage v2 read API: objects in the reference's key order (docs/status.md), compact JSON.
#include <nlohmann/json.hpp>

#include "status/order.h"
#include "status/render.h"
#include "status/rollup.h"

namespace amends::status {
namespace {

using Json = nlohmann::ordered_json;

Json Time(TimePoint t) { return FormatRfc3339(t); }
Json Time(const std::optional<TimePoint>& t) { return t ? Json(FormatRfc3339(*t)) : Json(nullptr); }
Json Text(const std::optional<std::string>& s) { return s ? Json(*s) : Json(nullptr); }

std::string Dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

Json PageJson(const Page& page) {
    return Json{{"id", page.info.id},
                {"name", page.info.name},
                {"url", page.info.url},
                {"time_zone", page.info.time_zone},
                {"updated_at", Time(page.updated_at)}};
}

Json StatusObject(const Page& page) {
    const TopStatus s = ComputeStatus(page);
    return Json{{"indicator", Name(s.indicator)}, {"description", s.description}};
}

Json ComponentJson(const Page& page, const Component& c) {
    Json j{{"id", c.id},
           {"name", c.name},
           {"status", Name(c.status)},
           {"created_at", Time(c.created_at)},
           {"updated_at", Time(c.updated_at)},
           {"position", c.position},
           {"description", Text(c.description)},
           {"showcase", c.showcase},
           {"start_date", Text(c.start_date)},
           {"group_id", Text(c.group_id)},
           {"page_id", page.info.id},
           {"group", c.group},
           {"only_show_if_degraded", c.only_show_if_degraded}};
    if (c.group) {
        Json children = Json::array();
        for (const Component* child : ChildrenOf(page, c)) children.push_back(child->id);
        j["components"] = std::move(children);
    }
    return j;
}

Json UpdateJson(const Incident& i, const IncidentUpdate& u) {
    Json affected = nullptr;
    if (u.affected_components) {
        affected = Json::array();
        for (const auto& a : *u.affected_components) {
            Json e;
            if (!a.code.empty()) e["code"] = a.code;
            e["name"] = a.name;
            if (!a.code.empty()) {
                e["old_status"] = Name(a.old_status);
                e["new_status"] = Name(a.new_status);
            }
            affected.push_back(std::move(e));
        }
    }
    return Json{{"id", u.id},
                {"status", Name(u.status)},
                {"body", u.body},
                {"incident_id", i.id},
                {"created_at", Time(u.created_at)},
                {"updated_at", Time(u.updated_at)},
                {"display_at", Time(u.display_at)},
                {"affected_components", std::move(affected)},
                {"deliver_notifications", u.deliver_notifications},
                {"custom_tweet", nullptr},
                {"tweet_id", nullptr}};
}

Json IncidentJson(const Page& page, const Incident& i) {
    Json j{{"id", i.id},
           {"name", i.name},
           {"status", Name(i.status)},
           {"impact", Name(i.impact)},
           {"created_at", Time(i.created_at)},
           {"updated_at", Time(i.updated_at)},
           {"monitoring_at", Time(i.monitoring_at)},
           {"resolved_at", Time(i.resolved_at)},
           {"started_at", Time(i.started_at)},
           {"shortlink", i.shortlink},
           {"page_id", page.info.id}};
    if (i.IsMaintenance()) {
        j["scheduled_for"] = Time(i.scheduled_for);
        j["scheduled_until"] = Time(i.scheduled_until);
    }
    Json updates = Json::array();
    for (const auto& u : i.updates) updates.push_back(UpdateJson(i, u));
    j["incident_updates"] = std::move(updates);
    Json components = Json::array();
    for (const Component* c : OrderedComponents(page))
        if (std::find(i.component_ids.begin(), i.component_ids.end(), c->id) != i.component_ids.end())
            components.push_back(ComponentJson(page, *c));
    j["components"] = std::move(components);
    return j;
}

Json ComponentList(const Page& page) {
    Json out = Json::array();
    for (const Component* c : OrderedComponents(page)) out.push_back(ComponentJson(page, *c));
    return out;
}

template <typename Keep>
Json IncidentList(const Page& page, const std::vector<const Incident*>& items, Keep keep, std::size_t limit) {
    Json out = Json::array();
    for (const Incident* i : items) {
        if (out.size() >= limit) break;
        if (keep(*i)) out.push_back(IncidentJson(page, *i));
    }
    return out;
}

bool Unresolved(const Incident& i) { return IsOpen(i.status); }
bool Upcoming(const Incident& m) { return m.status == IncidentStatus::kScheduled; }
bool Active(const Incident& m) {
    return m.status == IncidentStatus::kInProgress || m.status == IncidentStatus::kVerifying;
}
bool Any(const Incident&) { return true; }
constexpr std::size_t kAll = static_cast<std::size_t>(-1);

}  // namespace

std::string SummaryJson(const Page& page) {
    Json j{{"page", PageJson(page)}, {"status", StatusObject(page)}, {"components", ComponentList(page)}};
    j["incidents"] = IncidentList(page, NewestIncidents(page), Unresolved, kAll);
    j["scheduled_maintenances"] = IncidentList(page, MaintenancesByStart(page, false), Unresolved, kAll);
    return Dump(j);
}

std::string StatusJson(const Page& page) { return Dump(Json{{"page", PageJson(page)}, {"status", StatusObject(page)}}); }

std::string ComponentsJson(const Page& page) {
    return Dump(Json{{"page", PageJson(page)}, {"components", ComponentList(page)}});
}

std::string IncidentsJson(const Page& page) {
    return Dump(Json{{"page", PageJson(page)}, {"incidents", IncidentList(page, NewestIncidents(page), Any, kListLimit)}});
}

std::string UnresolvedIncidentsJson(const Page& page) {
    return Dump(
        Json{{"page", PageJson(page)}, {"incidents", IncidentList(page, NewestIncidents(page), Unresolved, kAll)}});
}

std::string ScheduledMaintenancesJson(const Page& page) {
    return Dump(Json{{"page", PageJson(page)},
                     {"scheduled_maintenances", IncidentList(page, MaintenancesByStart(page, true), Any, kListLimit)}});
}

std::string UpcomingMaintenancesJson(const Page& page) {
    return Dump(Json{{"page", PageJson(page)},
                     {"scheduled_maintenances", IncidentList(page, MaintenancesByStart(page, false), Upcoming, kAll)}});
}

std::string ActiveMaintenancesJson(const Page& page) {
    return Dump(Json{{"page", PageJson(page)},
                     {"scheduled_maintenances", IncidentList(page, MaintenancesByStart(page, false), Active, kAll)}});
}

std::optional<std::string> IncidentObjectJson(const Page& page, std::string_view incident_id) {
    const Incident* i = page.FindIncident(incident_id);
    if (i == nullptr) return std::nullopt;
    return Dump(IncidentJson(page, *i));
}

std::optional<std::string> ComponentObjectJson(const Page& page, std::string_view component_id) {
    const Component* c = page.FindComponent(component_id);
    if (c == nullptr) return std::nullopt;
    return Dump(ComponentJson(page, *c));
}

}  // namespace amends::status
