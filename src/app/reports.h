#pragma once
// The team lead's report, drawn as charts on the console's reports page and served as JSON at
// /api/v1/reports/team: by ISO week (Monday 00:00 UTC), the time to acknowledge new cases (median, p90, late), the
// clock breaches recorded, the follow-up scores customers gave; by month, remedies spent against customers kept;
// per incident, contacts (cases linked) against customers affected; and the recurring problems (rca recurrence).
//
// Everything is derived from the store inside the caller's read snapshot; nothing is cached. The functions are
// free functions of their arguments and safe to call from any thread.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/debriefs.h"
#include "app/recovery.h"
#include "domain/time.h"
#include "status/model.h"
#include "store/store.h"

namespace amends::app {

// Monday 00:00 UTC of the week holding `t`.
TimePoint WeekStart(TimePoint t);
// The value below which `fraction` (0..1) of `sorted` lies, by the nearest-rank method; nullopt when empty.
std::optional<double> NearestRank(const std::vector<double>& sorted, double fraction);

struct AcknowledgeWeek {
    TimePoint week{};
    std::int64_t cases = 0;         // opened this week
    std::int64_t acknowledged = 0;  // of those, acknowledged by now
    std::int64_t late = 0;          // acknowledged after the acknowledge clock's deadline
    std::optional<double> median_minutes, p90_minutes;  // opening to first contact, wall-clock minutes
};

struct BreachWeek {
    TimePoint week{};
    std::int64_t total = 0;
    std::vector<std::pair<std::string, std::int64_t>> by_clock;  // every clock, in playbook order
};

struct FollowupWeek {
    TimePoint week{};
    std::int64_t answers = 0;
    std::optional<double> average;
    std::int64_t scores[5] = {0, 0, 0, 0, 0};  // how many answered 1, 2, 3, 4, 5
};

struct IncidentContacts {
    std::string id, name, status;
    TimePoint created_at{};
    std::int64_t affected = 0;  // customers attached
    std::int64_t cases = 0;     // cases linked (customers who contacted us about it)
    std::optional<double> contacts_per_100;  // cases per hundred affected customers
};

struct TeamReport {
    TimePoint since{}, until{};
    std::vector<AcknowledgeWeek> acknowledge;   // one per week of [since, until), oldest first
    std::vector<BreachWeek> breaches;           // idem
    std::vector<FollowupWeek> followup;         // idem
    std::vector<store::RemedySpendRow> remedies;  // by month "YYYY-MM"
    std::vector<IncidentContacts> incidents;    // created in the window, oldest first
    nlohmann::json recurrence;                  // RecurrenceReportJson at `until`
};

// Builds the report over [since, until) (since is moved back to its week's Monday). `incidents` are the status
// page's (StatusBoard::Snapshot().incidents; empty when the page is off).
TeamReport BuildTeamReport(store::Tx& tx, const Recovery& recovery, const std::vector<status::Incident>& incidents,
                           TimePoint since, TimePoint until, const DebriefOptions& options);
nlohmann::json TeamReportJson(const TeamReport& report);

// The email notices of an incident's fan-out by delivery state: {"queued", "sent", "failed"}.
nlohmann::json IncidentNoticesJson(store::Tx& tx, const std::string& incident_id);

}  // namespace amends::app
