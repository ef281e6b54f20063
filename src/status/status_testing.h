#pragma once
// Test helpers for status/: the reference's example page as a model, a page built through the transitions, and
// file reading. Test-only; not part of amends_status.

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "status/model.h"
#include "status/transitions.h"

namespace amends::status::testing {

inline TimePoint T(const std::string& text) {
    auto t = ParseRfc3339(text);
    if (!t) throw std::runtime_error("bad time " + text);
    return *t;
}

inline std::string ReadSourceFile(const std::string& relative) {
    std::ifstream in(std::string(AMENDS_SOURCE_DIR) + "/" + relative, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + relative);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

inline Component MakeComponent(std::string id, std::string name, ComponentStatus status, std::string created,
                               std::string updated, int position) {
    Component c;
    c.id = std::move(id);
    c.name = std::move(name);
    c.status = status;
    c.created_at = T(created);
    c.updated_at = T(updated);
    c.position = position;
    return c;
}

// The page of the reference's example summary.json (tests/data/status/reference_summary.json), as a model.
inline Page ReferencePage() {
    using S = ComponentStatus;
    Page p;
    p.info = PageInfo{"srhpyqt94yxb", "Acme", "https://status.acme.example", "Etc/UTC"};
    p.updated_at = T("2025-03-04T10:21:07.412Z");
    auto api = MakeComponent("rhznvxg4v7yh", "API", S::kPartialOutage, "2015-07-30T18:55:43.739Z",
                             "2025-03-04T10:05:01.010Z", 1);
    api.showcase = true;
    auto shipping = MakeComponent("jk03xttfcz9b", "Shipping", S::kDegradedPerformance, "2015-07-30T20:39:36.003Z",
                                  "2025-03-04T10:05:01.020Z", 2);
    shipping.group = true;
    auto eu = MakeComponent("0cwvg0jp5cbg", "EU parcels", S::kDegradedPerformance, "2015-07-30T20:36:41.891Z",
                            "2025-03-04T10:05:01.020Z", 1);
    eu.description = "Deliveries to EU addresses";
    eu.group_id = "jk03xttfcz9b";
    auto billing = MakeComponent("k8w3r06qmzrp", "Billing e-mails", S::kUnderMaintenance,
                                 "2016-01-01T00:00:00.000Z", "2025-03-04T09:00:00.000Z", 3);
    billing.start_date = "2016-01-01";
    // Stored out of order on purpose: the renderers order them.
    p.components = {billing, eu, api, shipping};

    Incident i;
    i.id = "2gztsrksff0v";
    i.name = "Elevated API errors and EU shipping delays";
    i.status = IncidentStatus::kIdentified;
    i.impact = Impact::kMajor;
    i.created_at = T("2025-03-04T10:00:12.666Z");
    i.updated_at = T("2025-03-04T10:21:07.400Z");
    i.started_at = T("2025-03-04T09:55:00.000Z");
    i.shortlink = "https://stspg.io/abc123";
    i.component_ids = {"rhznvxg4v7yh"};
    i.next_update_due = T("2025-03-04T10:50:00.000Z");
    IncidentUpdate u2;
    u2.id = "xxqwgv42dnx5";
    u2.status = IncidentStatus::kIdentified;
    u2.body = "A faulty deploy was identified and is being rolled back. Next update by 10:50 UTC.";
    u2.created_at = u2.updated_at = u2.display_at = T("2025-03-04T10:21:07.390Z");
    u2.affected_components = std::vector<AffectedComponent>{{"rhznvxg4v7yh", "API", S::kMajorOutage, S::kPartialOutage}};
    IncidentUpdate u1;
    u1.id = "jvrfncktc4yp";
    u1.status = IncidentStatus::kInvestigating;
    u1.body = "We are investigating elevated error rates on the API and delays on EU parcels.";
    u1.created_at = u1.updated_at = u1.display_at = T("2025-03-04T10:00:12.698Z");
    u1.affected_components = std::vector<AffectedComponent>{
        {"rhznvxg4v7yh", "API", S::kOperational, S::kMajorOutage},
        {"0cwvg0jp5cbg", "EU parcels", S::kOperational, S::kDegradedPerformance}};
    i.updates = {u2, u1};
    p.incidents = {i};

    Incident m;
    m.id = "ymm0202y77k6";
    m.kind = IncidentKind::kMaintenance;
    m.name = "Billing e-mail provider migration";
    m.status = IncidentStatus::kInProgress;
    m.impact = Impact::kMaintenance;
    m.created_at = T("2025-02-28T16:57:33.416Z");
    m.updated_at = T("2025-03-04T09:00:00.299Z");
    m.started_at = T("2025-03-04T09:00:00.000Z");
    m.shortlink = "https://stspg.io/4ERc";
    m.scheduled_for = T("2025-03-04T09:00:00.000Z");
    m.scheduled_until = T("2025-03-04T11:00:00.000Z");
    m.component_ids = {"k8w3r06qmzrp"};
    IncidentUpdate mu;
    mu.id = "jd5jjsflj0x5";
    mu.status = IncidentStatus::kInProgress;
    mu.body = "This maintenance is currently in progress.";
    mu.created_at = mu.updated_at = mu.display_at = T("2025-03-04T09:00:00.712Z");
    mu.affected_components =
        std::vector<AffectedComponent>{{"k8w3r06qmzrp", "Billing e-mails", S::kOperational, S::kUnderMaintenance}};
    m.updates = {mu};
    p.maintenances = {m};
    return p;
}

template <typename T>
T Must(Expected<T> e) {
    if (!e) throw std::runtime_error("unexpected error: " + e.error().field + ": " + e.error().message);
    return std::move(*e);
}

// A page built only through the transitions: groups, every incident status, every maintenance status, text that
// needs escaping. `now` is the instant of the last change.
inline Page BusyPage(TimePoint start) {
    using S = ComponentStatus;
    using namespace std::chrono_literals;
    Page p;
    p.info = PageInfo{"pg0000000001", "Acme <Shop> & \"Co\"", "https://status.acme.example", "Europe/Berlin"};
    TimePoint t = start;
    auto next = [&] { return t += 1min; };
    p = Must(AddComponent(p, {.id = "api", .name = "API", .showcase = true}, next()));
    p = Must(AddComponent(p, {.id = "ship", .name = "Shipping", .group = true}, next()));
    p = Must(AddComponent(p, {.id = "eu", .name = "EU parcels", .description = "Deliveries <EU>", .group_id = "ship"},
                          next()));
    p = Must(AddComponent(p, {.id = "us", .name = "US parcels", .group_id = "ship"}, next()));
    p = Must(AddComponent(p, {.id = "mail", .name = "Billing e-mails", .start_date = "2016-01-01"}, next()));
    p = Must(AddComponent(p, {.id = "legacy", .name = "Legacy", .only_show_if_degraded = true}, next()));

    // A resolved incident with a postmortem.
    p = Must(CreateIncident(p,
                            {.id = "old1", .update_id = "old1u1", .name = "Checkout <script>alert(1)</script> errors",
                             .body = "Orders fail & we're on it.", .components = {{"api", S::kMajorOutage}},
                             .next_update_in = 30min},
                            next()));
    p = Must(PostUpdate(p, {.incident_id = "old1", .update_id = "old1u2", .status = IncidentStatus::kMonitoring,
                            .body = "A fix is out.", .components = {{"api", S::kDegradedPerformance}},
                            .next_update_in = 1h},
                        next()));
    p = Must(ResolveIncident(p, {.incident_id = "old1", .update_id = "old1u3", .body = "Resolved."}, next()));
    p = Must(PublishPostmortem(p, "old1", "old1u4", "Root cause: a <bad> config.\nFix: checks.", next()));
    // A resolved incident without one.
    p = Must(CreateIncident(p, {.id = "old2", .update_id = "old2u1", .name = "Slow tracking", .body = "Slow.",
                                .components = {{"us", S::kDegradedPerformance}}, .next_update_in = 1h},
                            next()));
    p = Must(ResolveIncident(p, {.incident_id = "old2", .update_id = "old2u2", .body = "Fine again."}, next()));
    // Completed, active, and upcoming maintenances.
    p = Must(ScheduleMaintenance(p, {.id = "mnt1", .update_id = "mnt1u1", .name = "DB upgrade", .body = "Planned.",
                                     .scheduled_for = t + 2min, .scheduled_until = t + 1h, .component_ids = {"api"}},
                                 next()));
    p = Must(StartMaintenance(p, "mnt1", "mnt1u2", "", next()));
    p = Must(CompleteMaintenance(p, "mnt1", "mnt1u3", "", next()));
    p = Must(ScheduleMaintenance(p, {.id = "mnt2", .update_id = "mnt2u1", .name = "Mail provider migration",
                                     .body = "Moving mail.", .scheduled_for = t + 2min, .scheduled_until = t + 2h,
                                     .component_ids = {"mail"}},
                                 next()));
    p = Must(StartMaintenance(p, "mnt2", "mnt2u2", "", next()));
    p = Must(ScheduleMaintenance(p, {.id = "mnt3", .update_id = "mnt3u1", .name = "Network work",
                                     .body = "Next week.", .scheduled_for = t + 7 * 24h,
                                     .scheduled_until = t + 7 * 24h + 1h},
                                 next()));
    // Two open incidents.
    p = Must(CreateIncident(p, {.id = "open1", .update_id = "open1u1", .name = "EU delays",
                                .status = IncidentStatus::kIdentified, .body = "A hub is closed.",
                                .components = {{"eu", S::kPartialOutage}}, .next_update_in = 30min},
                            next()));
    p = Must(CreateIncident(p, {.id = "open2", .update_id = "open2u1", .name = "Login slow", .impact = Impact::kMinor,
                                .body = "Investigating.", .next_update_in = 2h},
                            next()));
    return p;
}

}  // namespace amends::status::testing
