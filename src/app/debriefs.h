#pragma once
// Debriefs inside the server: storing the pure rca model (src/rca, docs/rca.md), linking cases' "fix the cause"
// step to a debrief, corrective actions tracked until done (overdue, escalated to the managers, stale workarounds),
// recurrence (a group of alike cases with no debrief is flagged; a new case of the kind a completed action was meant
// to stop reopens it), and publishing a debrief as its incident's postmortem on the status page.
//
// The functions taking a Tx run inside the unit they are handed (nothing is kept on an error, the caller rolls the
// unit back). They are free functions of their arguments and safe to call from any thread.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/recovery.h"
#include "app/status_board.h"
#include "domain/error.h"
#include "domain/model.h"
#include "rca/debrief.h"
#include "rca/recurrence.h"
#include "store/store.h"

namespace amends::app {

// The [debriefs] settings.
struct DebriefOptions {
    // A workaround with no completed permanent fix surfaces in the managers' queue once it is this old.
    Millis workaround_max_age = std::chrono::days(30);
    // An outstanding action this long past its due date is escalated: it shows in the managers' queue.
    Millis escalate_after = Millis(0);
    // A completed action reopened by a new case of its kind is due again this long after the case came in.
    Millis reopen_due = std::chrono::days(7);
    rca::RecurrenceOptions recurrence;
};
const DebriefOptions& DefaultDebriefOptions();

// A debrief with its actions and where it stands on the status page.
struct StoredDebrief {
    rca::Debrief debrief;
    std::optional<TimePoint> published_at;
};

// A corrective action with its tracking state.
struct TrackedAction {
    rca::Action action;
    std::optional<TimePoint> reopened_at;
    std::vector<Id> reopened_by;  // the cases that reopened it
};

// The debrief, its cases and its actions, or not_found.
Expected<StoredDebrief> LoadDebrief(store::Tx& tx, Id id);
Expected<TrackedAction> LoadAction(store::Tx& tx, Id id);

// API JSON: rca's JSON plus "published_at"; an action's plus "overdue", "escalated", "reopened_at", "reopened_by".
nlohmann::json DebriefJson(const StoredDebrief& d);
nlohmann::json ActionJson(const TrackedAction& a, TimePoint now, const DebriefOptions& options);

// Creates a debrief from the API's object (rca's JSON; "subject" and "title" required, no "actions": those are
// added with CreateAction). A timeline left out is drawn from the cases' events; an impact left out is counted
// from the cases (customers, inbound messages) and the incident's affected customers. Each case's "fix the cause"
// step is linked to the debrief (a cause.linked event). The incident must exist on the status page: the caller
// checks that (`incident_exists`), as the page lives outside the store.
Expected<StoredDebrief> CreateDebrief(store::Tx& tx, const Recovery& recovery, const std::string& actor,
                                      const nlohmann::json& body, TimePoint now);
// Applies a JSON merge patch (RFC 7396) to the debrief's own fields; "actions", "id", "author" and the times are
// the server's. Cases added are linked like CreateDebrief's. A published debrief cannot change.
Expected<StoredDebrief> UpdateDebrief(store::Tx& tx, const Recovery& recovery, const std::string& actor, Id id,
                                      const nlohmann::json& patch, TimePoint now);
// Links a case's "fix the cause" step to the debrief and adds the case to it.
Expected<StoredDebrief> LinkCase(store::Tx& tx, const Recovery& recovery, const std::string& actor, Id debrief_id,
                                 Id case_id, TimePoint now);
// Adds the case to the debrief's cases when cause.linked names it (the playbook's own evidence route); not_found
// as kUnprocessable on "debrief_id" when there is no such debrief.
Expected<void> AddLinkedCase(store::Tx& tx, Id debrief_id, Id case_id, TimePoint now);

// Creates an action from the API's object: rca's action plus "debrief_id"; the why it answers must be answered.
// An owner "user:N" must name a user.
Expected<TrackedAction> CreateAction(store::Tx& tx, const nlohmann::json& body, TimePoint now);
// Changes an action: description, kind, why, owner, due, status, reason. Completing sets completed_at to now (or the
// time given); moving away from completed clears it.
Expected<TrackedAction> UpdateAction(store::Tx& tx, Id id, const nlohmann::json& patch, TimePoint now);

// What the managers need to chase: overdue actions (escalated or not) and stale workarounds.
struct ActionsDue {
    std::vector<nlohmann::json> overdue;     // ActionJson of each, most overdue first
    std::vector<nlohmann::json> workarounds;  // {action, age_days, planned_fix}, oldest first
};
ActionsDue ChaseActions(store::Tx& tx, TimePoint now, const DebriefOptions& options);
// The managers' queue part: escalated actions and stale workarounds, each {kind, action, why}.
nlohmann::json ManagerItems(store::Tx& tx, TimePoint now, const DebriefOptions& options);

// Recurrence over the cases created in the window ending at `now`, judged against every debrief.
nlohmann::json RecurrenceReportJson(store::Tx& tx, TimePoint now, const DebriefOptions& options);
// Called when a case is opened: when it is alike (rca::GroupCases) to a case of a debrief whose actions were
// completed before it came, those actions are reopened (outstanding again, due `reopen_due` after now) and the
// case gets a debrief.recurred event naming them. Returns the actions reopened.
std::vector<Id> ReopenOnRecurrence(store::Tx& tx, const Case& opened, TimePoint now,
                                   const DebriefOptions& options = DefaultDebriefOptions());

// Publishes the debrief of an incident as the incident's postmortem (status "postmortem" on the status page, in its
// Statuspage API and feeds): the public Markdown (rca::ToPublic, no customer data). The debrief must be ready
// (rca::PublishGaps, each gap a kUnprocessable naming its field) and the incident resolved.
Expected<StoredDebrief> PublishDebrief(store::Store& store, StatusBoard& board, Id id, const Caller& caller,
                                       TimePoint now);

}  // namespace amends::app
