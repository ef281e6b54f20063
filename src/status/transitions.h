#pragma once
// Pure transitions of the status page: each takes the current Page and an input, validates the input against
// the page, and returns the next Page (the argument is never changed). Errors are values naming the input field
// at fault (ErrorCode::kInvalidArgument), a missing incident (kNotFound) or an illegal status change
// (kConflict). `now` stamps everything the transition creates; callers pass one instant per change.
//
// Legal status changes (Statuspage's, made strict; docs/status.md explains each):
//   incident:    investigating | identified | monitoring  -> any of those three, or resolved
//                resolved -> postmortem;  postmortem -> nothing
//   maintenance: scheduled -> scheduled (a note), in_progress, completed (cancelled before it started)
//                in_progress | verifying -> in_progress, verifying, completed;  completed -> nothing
// Every update of an open incident promises its next one (next_update_in); the promise is kept on the incident.

#include <optional>
#include <string>
#include <vector>

#include "domain/error.h"
#include "domain/time.h"
#include "status/model.h"

namespace amends::status {

// Limits on what a promise of the next update may say.
inline constexpr Millis kMinNextUpdateIn = std::chrono::minutes(1);
inline constexpr Millis kMaxNextUpdateIn = std::chrono::days(7);

// A component's new status, as an update sets it. A group container cannot be set: its status follows its
// children.
struct ComponentChange {
    std::string component_id;
    ComponentStatus status = ComponentStatus::kOperational;
};

// A new component or group. `id` is [a-z0-9]{1,40}, unique on the page.
struct NewComponent {
    std::string id;
    std::string name;
    std::optional<std::string> description;
    std::optional<std::string> group_id;  // must name an existing group; groups do not nest
    bool group = false;
    int position = 0;  // 0: after its current siblings
    bool showcase = false;
    std::optional<std::string> start_date;  // "YYYY-MM-DD"
    bool only_show_if_degraded = false;
};

// Declares an incident with its first public update.
struct NewIncident {
    std::string id;         // [a-z0-9]{1,40}, unique among incidents and maintenances
    std::string update_id;  // the first update's id, same rules
    std::string name;
    IncidentStatus status = IncidentStatus::kInvestigating;  // investigating, identified or monitoring
    std::optional<Impact> impact;  // none/minor/major/critical; empty: from the worst component status given
    std::string body;
    std::vector<ComponentChange> components;  // affected components and their new statuses
    std::optional<Millis> next_update_in;     // required: when the next public update is due, from now
    std::optional<TimePoint> started_at;      // when it began (not after now); default now
    std::optional<std::string> shortlink;     // default: page url + "/incidents/" + id
    bool deliver_notifications = true;
};

// A public update of an incident or maintenance.
struct NewUpdate {
    std::string incident_id;
    std::string update_id;
    IncidentStatus status = IncidentStatus::kInvestigating;
    std::string body;
    std::optional<Impact> impact;  // change the impact (incidents: none..critical; maintenances: any)
    std::vector<ComponentChange> components;
    std::optional<Millis> next_update_in;  // required while the incident stays open; refused once it is not
    bool deliver_notifications = true;
};

// Schedules a maintenance. Its components keep their status until it starts.
struct NewMaintenance {
    std::string id;
    std::string update_id;
    std::string name;
    std::string body;
    TimePoint scheduled_for{};
    TimePoint scheduled_until{};  // after scheduled_for and after now
    std::vector<std::string> component_ids;
    Impact impact = Impact::kMaintenance;
    std::optional<std::string> shortlink;
    bool deliver_notifications = true;
};

// Adds a component or a group container.
Expected<Page> AddComponent(const Page& page, const NewComponent& in, TimePoint now);
// Sets a component's status outside any incident (Statuspage's quick toggle).
Expected<Page> SetComponentStatus(const Page& page, const ComponentChange& change, TimePoint now);

// Declares an incident.
Expected<Page> CreateIncident(const Page& page, const NewIncident& in, TimePoint now);
// Posts an update to an incident or a maintenance: status change, body, component statuses, next promise.
Expected<Page> PostUpdate(const Page& page, const NewUpdate& in, TimePoint now);
// Resolves an open incident: PostUpdate with status resolved, where every affected component not named in
// `components` and not held by another open incident or maintenance goes back to operational.
Expected<Page> ResolveIncident(const Page& page, NewUpdate in, TimePoint now);
// Publishes the postmortem of a resolved incident, as its last update (status postmortem).
Expected<Page> PublishPostmortem(const Page& page, const std::string& incident_id, const std::string& update_id,
                                 const std::string& body, TimePoint now);

// Schedules a maintenance (status scheduled).
Expected<Page> ScheduleMaintenance(const Page& page, const NewMaintenance& in, TimePoint now);
// Starts a scheduled maintenance: in_progress, its components under_maintenance, started_at = now. An empty body
// becomes Statuspage's default text.
Expected<Page> StartMaintenance(const Page& page, const std::string& id, const std::string& update_id,
                                std::string body, TimePoint now);
// Completes a maintenance that is in progress or verifying (or cancels a scheduled one): completed, its
// components that are under_maintenance back to operational unless another open item holds them.
Expected<Page> CompleteMaintenance(const Page& page, const std::string& id, const std::string& update_id,
                                   std::string body, TimePoint now);

// True when `from -> to` is a legal status change for that kind (see the table above).
bool IsLegalTransition(IncidentKind kind, IncidentStatus from, IncidentStatus to);

}  // namespace amends::status
