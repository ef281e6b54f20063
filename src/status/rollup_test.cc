#include "status/rollup.h"

#include <gtest/gtest.h>

#include "status/status_testing.h"

namespace amends::status {
namespace {

using S = ComponentStatus;

Page WithComponents(std::initializer_list<S> statuses) {
    Page p;
    int n = 0;
    for (S s : statuses) {
        Component c;
        c.id = "c" + std::to_string(++n);
        c.name = c.id;
        c.status = s;
        p.components.push_back(c);
    }
    return p;
}

void AddIncident(Page& p, Impact impact, IncidentStatus status = IncidentStatus::kInvestigating) {
    Incident i;
    i.id = "i" + std::to_string(p.incidents.size());
    i.impact = impact;
    i.status = status;
    p.incidents.push_back(i);
}

TEST(StatusRollup, BlendsComponentStatusesLikeStatuspage) {
    struct Row {
        const char* name;
        std::initializer_list<S> components;
        Indicator indicator;
        const char* description;
    };
    const Row rows[] = {
        {"no components", {}, Indicator::kNone, "All Systems Operational"},
        {"all operational", {S::kOperational, S::kOperational}, Indicator::kNone, "All Systems Operational"},
        {"one: degraded", {S::kDegradedPerformance}, Indicator::kMinor, "Partially Degraded Service"},
        {"one: partial", {S::kPartialOutage}, Indicator::kMajor, "Partial System Outage"},
        {"one: major", {S::kMajorOutage}, Indicator::kMajor, "Major System Outage"},
        {"one: maintenance", {S::kUnderMaintenance}, Indicator::kMaintenance, "Service Under Maintenance"},
        {"all major", {S::kMajorOutage, S::kMajorOutage}, Indicator::kMajor, "Major System Outage"},
        {"some major", {S::kMajorOutage, S::kOperational}, Indicator::kMajor, "Partial System Outage"},
        {"all partial", {S::kPartialOutage, S::kPartialOutage}, Indicator::kMajor, "Partial System Outage"},
        {"some partial", {S::kPartialOutage, S::kOperational, S::kOperational}, Indicator::kMajor,
         "Minor Service Outage"},
        {"all degraded", {S::kDegradedPerformance, S::kDegradedPerformance}, Indicator::kMinor,
         "Degraded System Service"},
        {"some degraded", {S::kDegradedPerformance, S::kOperational}, Indicator::kMinor,
         "Partially Degraded Service"},
        {"some maintenance", {S::kUnderMaintenance, S::kOperational}, Indicator::kMaintenance,
         "Service Under Maintenance"},
        {"outage beats maintenance", {S::kUnderMaintenance, S::kPartialOutage, S::kOperational}, Indicator::kMajor,
         "Minor Service Outage"},
    };
    for (const auto& r : rows) {
        const TopStatus s = ComputeStatus(WithComponents(r.components));
        EXPECT_EQ(s.indicator, r.indicator) << r.name;
        EXPECT_EQ(s.description, r.description) << r.name;
    }
}

TEST(StatusRollup, AnUnresolvedIncidentRaisesTheIndicator) {
    Page p = WithComponents({S::kDegradedPerformance, S::kOperational});
    AddIncident(p, Impact::kCritical);
    EXPECT_EQ(ComputeStatus(p), (TopStatus{Indicator::kCritical, "Partially Degraded Service"}));
}

TEST(StatusRollup, ComponentsAloneNeverReachCritical) {
    EXPECT_EQ(ComputeStatus(WithComponents({S::kMajorOutage, S::kMajorOutage})).indicator, Indicator::kMajor);
}

TEST(StatusRollup, AnIncidentWithoutComponentsSpeaksThroughItsImpact) {
    struct Row {
        Impact impact;
        Indicator indicator;
        const char* description;
    };
    const Row rows[] = {{Impact::kNone, Indicator::kNone, "All Systems Operational"},
                        {Impact::kMinor, Indicator::kMinor, "Minor Service Outage"},
                        {Impact::kMajor, Indicator::kMajor, "Partial System Outage"},
                        {Impact::kCritical, Indicator::kCritical, "Major System Outage"}};
    for (const auto& r : rows) {
        Page p;  // 0 components: operational "unless there is an active incident"
        AddIncident(p, r.impact);
        EXPECT_EQ(ComputeStatus(p), (TopStatus{r.indicator, r.description})) << Name(r.impact);
    }
}

TEST(StatusRollup, ResolvedIncidentsDoNotCount) {
    Page p = WithComponents({S::kOperational});
    AddIncident(p, Impact::kCritical, IncidentStatus::kResolved);
    AddIncident(p, Impact::kCritical, IncidentStatus::kPostmortem);
    EXPECT_EQ(ComputeStatus(p), TopStatus{});
}

TEST(StatusRollup, AMaintenanceInProgressShowsAsMaintenance) {
    Page p = WithComponents({S::kOperational, S::kOperational});
    Incident m;
    m.kind = IncidentKind::kMaintenance;
    m.status = IncidentStatus::kScheduled;
    p.maintenances.push_back(m);
    EXPECT_EQ(ComputeStatus(p), TopStatus{});
    p.maintenances[0].status = IncidentStatus::kVerifying;
    EXPECT_EQ(ComputeStatus(p), (TopStatus{Indicator::kMaintenance, "Service Under Maintenance"}));
    AddIncident(p, Impact::kMinor);
    EXPECT_EQ(ComputeStatus(p).indicator, Indicator::kMinor);
}

TEST(StatusRollup, GroupsAreContainersNotComponents) {
    Page p = WithComponents({S::kDegradedPerformance, S::kOperational});
    Component g;
    g.id = "g";
    g.group = true;
    g.status = S::kDegradedPerformance;
    p.components.push_back(g);
    p.components[0].group_id = "g";
    EXPECT_EQ(ComputeStatus(p).description, "Partially Degraded Service");  // 1 of 2 leaves, not 2 of 3
}

TEST(StatusRollup, TheReferenceExample) {
    // partial_outage, degraded_performance and under_maintenance among three leaves, a major incident open.
    // The reference's illustrative value says "Partial System Outage"; Statuspage's rules say "Minor Service
    // Outage" for some (not all) components in partial outage and none in major outage (docs/status.md).
    EXPECT_EQ(ComputeStatus(testing::ReferencePage()), (TopStatus{Indicator::kMajor, "Minor Service Outage"}));
}

TEST(StatusRollup, IncidentImpactFromComponents) {
    EXPECT_EQ(ImpactOfComponents(S::kMajorOutage), Impact::kCritical);
    EXPECT_EQ(ImpactOfComponents(S::kPartialOutage), Impact::kMajor);
    EXPECT_EQ(ImpactOfComponents(S::kDegradedPerformance), Impact::kMinor);
    EXPECT_EQ(ImpactOfComponents(S::kUnderMaintenance), Impact::kNone);
    EXPECT_EQ(ImpactOfComponents(S::kOperational), Impact::kNone);
}

}  // namespace
}  // namespace amends::status
