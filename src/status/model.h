#pragma once
// status: the public status page as pure data and pure functions. A `Page` is the whole public snapshot
// (page identity, components, incidents, scheduled maintenances); transitions.h changes it with validation,
// rollup.h computes its top-level status, and the renderers (api_json.h, feeds.h, html.h, documents.h) turn it
// into the exact bytes served at /api/v2/*.json, /history.atom, /history.rss, /status and /incidents/{id}.
// Nothing here does I/O or knows about customers: the model holds only what is public.
// See docs/status.md for the model, the legal transitions and the decisions.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/names.h"
#include "domain/time.h"

namespace amends::status {

// A component's status, in Statuspage's words. Ordered from best to worst is NOT the enum order: see Severity().
enum class ComponentStatus { kOperational, kDegradedPerformance, kPartialOutage, kMajorOutage, kUnderMaintenance };

// An incident's (or maintenance's) impact. kMaintenance is the usual impact of a scheduled maintenance.
enum class Impact { kNone, kMinor, kMajor, kCritical, kMaintenance };

// Statuses of incidents (the first five) and of scheduled maintenances (the last four), as on the wire.
enum class IncidentStatus {
    kInvestigating,
    kIdentified,
    kMonitoring,
    kResolved,
    kPostmortem,
    kScheduled,
    kInProgress,
    kVerifying,
    kCompleted,
};

// The top-level `status.indicator`.
enum class Indicator { kNone, kMinor, kMajor, kCritical, kMaintenance };

// What an Incident record is: an unplanned incident or a scheduled maintenance (same wire object).
enum class IncidentKind { kIncident, kMaintenance };

inline constexpr std::pair<ComponentStatus, std::string_view> kComponentStatusNames[] = {
    {ComponentStatus::kOperational, "operational"},
    {ComponentStatus::kDegradedPerformance, "degraded_performance"},
    {ComponentStatus::kPartialOutage, "partial_outage"},
    {ComponentStatus::kMajorOutage, "major_outage"},
    {ComponentStatus::kUnderMaintenance, "under_maintenance"}};
inline constexpr std::pair<Impact, std::string_view> kImpactNames[] = {{Impact::kNone, "none"},
                                                                       {Impact::kMinor, "minor"},
                                                                       {Impact::kMajor, "major"},
                                                                       {Impact::kCritical, "critical"},
                                                                       {Impact::kMaintenance, "maintenance"}};
inline constexpr std::pair<IncidentStatus, std::string_view> kIncidentStatusNames[] = {
    {IncidentStatus::kInvestigating, "investigating"}, {IncidentStatus::kIdentified, "identified"},
    {IncidentStatus::kMonitoring, "monitoring"},       {IncidentStatus::kResolved, "resolved"},
    {IncidentStatus::kPostmortem, "postmortem"},       {IncidentStatus::kScheduled, "scheduled"},
    {IncidentStatus::kInProgress, "in_progress"},      {IncidentStatus::kVerifying, "verifying"},
    {IncidentStatus::kCompleted, "completed"}};
inline constexpr std::pair<Indicator, std::string_view> kIndicatorNames[] = {{Indicator::kNone, "none"},
                                                                             {Indicator::kMinor, "minor"},
                                                                             {Indicator::kMajor, "major"},
                                                                             {Indicator::kCritical, "critical"},
                                                                             {Indicator::kMaintenance, "maintenance"}};

constexpr std::string_view Name(ComponentStatus v) { return NameIn<ComponentStatus>(kComponentStatusNames, v); }
constexpr std::string_view Name(Impact v) { return NameIn<Impact>(kImpactNames, v); }
constexpr std::string_view Name(IncidentStatus v) { return NameIn<IncidentStatus>(kIncidentStatusNames, v); }
constexpr std::string_view Name(Indicator v) { return NameIn<Indicator>(kIndicatorNames, v); }
inline std::optional<ComponentStatus> ParseComponentStatus(std::string_view s) {
    return ParseIn<ComponentStatus>(kComponentStatusNames, s);
}
inline std::optional<Impact> ParseImpact(std::string_view s) { return ParseIn<Impact>(kImpactNames, s); }
inline std::optional<IncidentStatus> ParseIncidentStatus(std::string_view s) {
    return ParseIn<IncidentStatus>(kIncidentStatusNames, s);
}

// How bad a component status is: operational 0 < under_maintenance 1 < degraded 2 < partial 3 < major 4.
constexpr int Severity(ComponentStatus s) {
    switch (s) {
        case ComponentStatus::kOperational: return 0;
        case ComponentStatus::kUnderMaintenance: return 1;
        case ComponentStatus::kDegradedPerformance: return 2;
        case ComponentStatus::kPartialOutage: return 3;
        case ComponentStatus::kMajorOutage: return 4;
    }
    return 0;
}

// For people: "Operational", "Degraded Performance", "Investigating", "In Progress", ...
std::string_view Label(ComponentStatus s);
std::string_view Label(IncidentStatus s);
std::string_view Label(Impact i);

constexpr bool IsIncidentStatus(IncidentStatus s) { return s <= IncidentStatus::kPostmortem; }
// Open: an incident investigating/identified/monitoring; a maintenance scheduled/in_progress/verifying.
constexpr bool IsOpen(IncidentStatus s) {
    return s != IncidentStatus::kResolved && s != IncidentStatus::kPostmortem && s != IncidentStatus::kCompleted;
}

// The page itself (`page` in every response). `url` has no trailing slash; `time_zone` is an IANA name, shown
// as is (times are rendered in UTC: see docs/status.md).
struct PageInfo {
    std::string id;
    std::string name;
    std::string url;
    std::string time_zone = "Etc/UTC";
};

// One component or group container. A group's status is derived from its children (worst child) by the
// transitions; its children are the components whose group_id names it.
struct Component {
    std::string id;
    std::string name;
    ComponentStatus status = ComponentStatus::kOperational;
    TimePoint created_at{};
    TimePoint updated_at{};
    int position = 1;                        // order among its siblings (top level, or within its group)
    std::optional<std::string> description;  // shown under the name
    bool showcase = false;
    std::optional<std::string> start_date;  // "YYYY-MM-DD" or none
    std::optional<std::string> group_id;    // the group this component belongs to
    bool group = false;                     // a group container
    bool only_show_if_degraded = false;     // the HTML page hides it while operational
};

// One component's change in an update. `code` is the component id (empty for Statuspage's legacy entries).
struct AffectedComponent {
    std::string code;
    std::string name;
    ComponentStatus old_status = ComponentStatus::kOperational;
    ComponentStatus new_status = ComponentStatus::kOperational;
};

// One public update of an incident or maintenance.
struct IncidentUpdate {
    std::string id;
    IncidentStatus status = IncidentStatus::kInvestigating;
    std::string body;
    TimePoint created_at{};
    TimePoint updated_at{};
    TimePoint display_at{};
    std::optional<std::vector<AffectedComponent>> affected_components;  // null when the update changed none
    bool deliver_notifications = true;
    std::optional<TimePoint> next_update_due;  // amends: the promise this update made (not in the v2 JSON)
};

// An incident or a scheduled maintenance (kind). Updates are kept newest first, as served.
struct Incident {
    std::string id;
    IncidentKind kind = IncidentKind::kIncident;
    std::string name;
    IncidentStatus status = IncidentStatus::kInvestigating;
    Impact impact = Impact::kNone;
    TimePoint created_at{};
    TimePoint updated_at{};
    std::optional<TimePoint> monitoring_at;
    std::optional<TimePoint> resolved_at;  // incidents: resolved; maintenances: completed
    TimePoint started_at{};                // maintenances: scheduled_for until started, then the start
    std::string shortlink;
    std::vector<IncidentUpdate> updates;     // newest first
    std::vector<std::string> component_ids;  // affected components, in the order first named
    std::optional<TimePoint> scheduled_for;  // maintenances only
    std::optional<TimePoint> scheduled_until;
    // amends: when the next public update is due while the incident is open (from its latest update); none
    // once resolved. Shown on the HTML page, overdue when past.
    std::optional<TimePoint> next_update_due;

    bool IsMaintenance() const { return kind == IncidentKind::kMaintenance; }
};

// The whole public snapshot. Components are kept in any order (renderers sort them); incidents and
// maintenances are separate lists in any order (renderers sort and cut them). updated_at is the last change.
struct Page {
    PageInfo info;
    std::vector<Component> components;
    std::vector<Incident> incidents;     // kind kIncident
    std::vector<Incident> maintenances;  // kind kMaintenance
    TimePoint updated_at{};

    const Component* FindComponent(std::string_view id) const;
    const Incident* FindIncident(std::string_view id) const;  // searches both lists
};

// A 13-character lower-case base-36 public id for a stored row id (as Statuspage's ids look), e.g. for ids the
// app takes from its store. Distinct numbers give distinct ids.
std::string PublicId(std::uint64_t n);

}  // namespace amends::status
