#include "status/transitions.h"

#include <gtest/gtest.h>

#include "status/status_testing.h"

namespace amends::status {
namespace {

using namespace std::chrono_literals;
using testing::BusyPage;
using testing::Must;
using testing::T;
using S = ComponentStatus;
using IS = IncidentStatus;

const TimePoint kStart = T("2026-01-10T08:00:00Z");

Page Components() {
    Page p;
    p.info = PageInfo{"pg1", "Acme", "https://status.acme.example", "Etc/UTC"};
    p = Must(AddComponent(p, {.id = "api", .name = "API"}, kStart));
    p = Must(AddComponent(p, {.id = "ship", .name = "Shipping", .group = true}, kStart));
    p = Must(AddComponent(p, {.id = "eu", .name = "EU parcels", .group_id = "ship"}, kStart));
    p = Must(AddComponent(p, {.id = "us", .name = "US parcels", .group_id = "ship"}, kStart));
    return p;
}

NewIncident Outage() {
    return NewIncident{.id = "inc1", .update_id = "u1", .name = "API down", .body = "We are looking into it.",
                       .components = {{"api", S::kMajorOutage}, {"eu", S::kDegradedPerformance}},
                       .next_update_in = 30min};
}

TEST(StatusTransitions, CreatingAnIncidentSetsComponentsAndPromisesTheNextUpdate) {
    const Page before = Components();
    const TimePoint now = kStart + 1h;
    const Page p = Must(CreateIncident(before, Outage(), now));
    const Incident& i = *p.FindIncident("inc1");
    EXPECT_EQ(i.status, IS::kInvestigating);
    EXPECT_EQ(i.impact, Impact::kCritical);  // from the worst component: major_outage
    EXPECT_EQ(i.started_at, now);
    EXPECT_EQ(i.shortlink, "https://status.acme.example/incidents/inc1");
    EXPECT_EQ(i.next_update_due, now + 30min);
    ASSERT_EQ(i.updates.size(), 1u);
    ASSERT_TRUE(i.updates[0].affected_components);
    EXPECT_EQ((*i.updates[0].affected_components)[0].old_status, S::kOperational);
    EXPECT_EQ((*i.updates[0].affected_components)[0].new_status, S::kMajorOutage);
    EXPECT_EQ(p.FindComponent("api")->status, S::kMajorOutage);
    EXPECT_EQ(p.FindComponent("api")->updated_at, now);
    EXPECT_EQ(p.FindComponent("ship")->status, S::kDegradedPerformance);  // a group follows its worst child
    EXPECT_EQ(p.updated_at, now);
    // The input page is a value: unchanged.
    EXPECT_EQ(before.FindComponent("api")->status, S::kOperational);
    EXPECT_TRUE(before.incidents.empty());
}

TEST(StatusTransitions, AnExplicitImpactWinsOverTheComponents) {
    auto in = Outage();
    in.impact = Impact::kMinor;
    EXPECT_EQ(Must(CreateIncident(Components(), in, kStart)).incidents[0].impact, Impact::kMinor);
}

TEST(StatusTransitions, InvalidInputNamesTheField) {
    struct Case {
        const char* name;
        void (*change)(NewIncident&);
        const char* field;
        ErrorCode code;
    };
    const Case cases[] = {
        {"empty body", [](NewIncident& in) { in.body = "  "; }, "body", ErrorCode::kInvalidArgument},
        {"empty name", [](NewIncident& in) { in.name = ""; }, "name", ErrorCode::kInvalidArgument},
        {"no promise", [](NewIncident& in) { in.next_update_in.reset(); }, "next_update_in",
         ErrorCode::kInvalidArgument},
        {"promise too far", [](NewIncident& in) { in.next_update_in = 8 * 24h; }, "next_update_in",
         ErrorCode::kInvalidArgument},
        {"unknown component", [](NewIncident& in) { in.components[1].component_id = "nope"; }, "components.nope",
         ErrorCode::kInvalidArgument},
        {"group set directly", [](NewIncident& in) { in.components[0].component_id = "ship"; }, "components.ship",
         ErrorCode::kInvalidArgument},
        {"component twice", [](NewIncident& in) { in.components[1].component_id = "api"; }, "components.api",
         ErrorCode::kInvalidArgument},
        {"resolved at birth", [](NewIncident& in) { in.status = IS::kResolved; }, "status",
         ErrorCode::kInvalidArgument},
        {"maintenance status", [](NewIncident& in) { in.status = IS::kInProgress; }, "status",
         ErrorCode::kInvalidArgument},
        {"maintenance impact", [](NewIncident& in) { in.impact = Impact::kMaintenance; }, "impact",
         ErrorCode::kInvalidArgument},
        {"bad id", [](NewIncident& in) { in.id = "Inc 1"; }, "id", ErrorCode::kInvalidArgument},
        {"future start", [](NewIncident& in) { in.started_at = kStart + 1h; }, "started_at",
         ErrorCode::kInvalidArgument},
        {"control characters", [](NewIncident& in) { in.body = std::string("a\0b", 3); }, "body",
         ErrorCode::kInvalidArgument},
    };
    for (const auto& c : cases) {
        auto in = Outage();
        c.change(in);
        auto r = CreateIncident(Components(), in, kStart);
        ASSERT_FALSE(r) << c.name;
        EXPECT_EQ(r.error().field, c.field) << c.name;
        EXPECT_EQ(r.error().code, c.code) << c.name;
    }
}

TEST(StatusTransitions, IdsAreUnique) {
    const Page p = Must(CreateIncident(Components(), Outage(), kStart));
    auto again = CreateIncident(p, Outage(), kStart);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, ErrorCode::kConflict);
    EXPECT_EQ(again.error().field, "id");
    auto in = Outage();
    in.id = "inc2";
    auto same_update = CreateIncident(p, in, kStart);
    ASSERT_FALSE(same_update);
    EXPECT_EQ(same_update.error().field, "update_id");
}

TEST(StatusTransitions, LegalStatusChangesFollowStatuspage) {
    using K = IncidentKind;
    struct Row {
        K kind;
        IS from, to;
        bool legal;
    };
    const Row rows[] = {
        {K::kIncident, IS::kInvestigating, IS::kIdentified, true},
        {K::kIncident, IS::kInvestigating, IS::kMonitoring, true},
        {K::kIncident, IS::kMonitoring, IS::kIdentified, true},  // a fix that did not hold
        {K::kIncident, IS::kIdentified, IS::kIdentified, true},  // another update, same status
        {K::kIncident, IS::kInvestigating, IS::kResolved, true},
        {K::kIncident, IS::kInvestigating, IS::kPostmortem, false},
        {K::kIncident, IS::kResolved, IS::kPostmortem, true},
        {K::kIncident, IS::kResolved, IS::kInvestigating, false},
        {K::kIncident, IS::kResolved, IS::kResolved, false},
        {K::kIncident, IS::kPostmortem, IS::kPostmortem, false},
        {K::kIncident, IS::kInvestigating, IS::kInProgress, false},
        {K::kMaintenance, IS::kScheduled, IS::kScheduled, true},
        {K::kMaintenance, IS::kScheduled, IS::kInProgress, true},
        {K::kMaintenance, IS::kScheduled, IS::kCompleted, true},  // cancelled
        {K::kMaintenance, IS::kScheduled, IS::kVerifying, false},
        {K::kMaintenance, IS::kInProgress, IS::kVerifying, true},
        {K::kMaintenance, IS::kVerifying, IS::kInProgress, true},
        {K::kMaintenance, IS::kVerifying, IS::kCompleted, true},
        {K::kMaintenance, IS::kInProgress, IS::kScheduled, false},
        {K::kMaintenance, IS::kCompleted, IS::kInProgress, false},
        {K::kMaintenance, IS::kInProgress, IS::kResolved, false},
    };
    for (const auto& r : rows)
        EXPECT_EQ(IsLegalTransition(r.kind, r.from, r.to), r.legal) << Name(r.from) << " -> " << Name(r.to);
}

TEST(StatusTransitions, UpdatesAreKeptNewestFirstAndStampTheirTimes) {
    Page p = Must(CreateIncident(Components(), Outage(), kStart));
    p = Must(PostUpdate(p, {.incident_id = "inc1", .update_id = "u2", .status = IS::kMonitoring,
                            .body = "Fix deployed.", .components = {{"api", S::kOperational}}, .next_update_in = 1h},
                        kStart + 20min));
    const Incident& i = *p.FindIncident("inc1");
    ASSERT_EQ(i.updates.size(), 2u);
    EXPECT_EQ(i.updates[0].id, "u2");
    EXPECT_EQ(i.status, IS::kMonitoring);
    EXPECT_EQ(i.monitoring_at, kStart + 20min);
    EXPECT_EQ(i.updated_at, kStart + 20min);
    EXPECT_EQ(i.next_update_due, kStart + 80min);
    EXPECT_FALSE(i.resolved_at);
    EXPECT_EQ(p.FindComponent("api")->status, S::kOperational);
}

TEST(StatusTransitions, AnUpdateOfAnOpenIncidentMustPromiseTheNext) {
    const Page p = Must(CreateIncident(Components(), Outage(), kStart));
    auto r = PostUpdate(p, {.incident_id = "inc1", .update_id = "u2", .status = IS::kIdentified, .body = "Found it."},
                        kStart + 1min);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().field, "next_update_in");
}

TEST(StatusTransitions, ResolvingRestoresComponentsNoOtherOpenIncidentHolds) {
    Page p = Must(CreateIncident(Components(), Outage(), kStart));
    p = Must(CreateIncident(p, {.id = "inc2", .update_id = "v1", .name = "EU hub closed", .body = "Closed.",
                                .components = {{"eu", S::kPartialOutage}}, .next_update_in = 1h},
                            kStart + 5min));
    auto bad = ResolveIncident(p, {.incident_id = "inc1", .update_id = "u2", .body = "Fixed.", .next_update_in = 1h},
                               kStart + 10min);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().field, "next_update_in");
    p = Must(ResolveIncident(p, {.incident_id = "inc1", .update_id = "u2", .body = "Fixed."}, kStart + 10min));
    const Incident& i = *p.FindIncident("inc1");
    EXPECT_EQ(i.status, IS::kResolved);
    EXPECT_EQ(i.resolved_at, kStart + 10min);
    EXPECT_FALSE(i.next_update_due);
    EXPECT_EQ(p.FindComponent("api")->status, S::kOperational);
    EXPECT_EQ(p.FindComponent("eu")->status, S::kPartialOutage);  // inc2 still holds it
    ASSERT_TRUE(i.updates[0].affected_components);
    EXPECT_EQ(i.updates[0].affected_components->size(), 1u);
}

TEST(StatusTransitions, AResolvedIncidentTakesOnlyItsPostmortem) {
    Page p = Must(CreateIncident(Components(), Outage(), kStart));
    p = Must(ResolveIncident(p, {.incident_id = "inc1", .update_id = "u2", .body = "Fixed."}, kStart + 10min));
    auto reopen = PostUpdate(p, {.incident_id = "inc1", .update_id = "u3", .status = IS::kInvestigating,
                                 .body = "Back.", .next_update_in = 1h},
                             kStart + 20min);
    ASSERT_FALSE(reopen);
    EXPECT_EQ(reopen.error().code, ErrorCode::kConflict);
    EXPECT_EQ(reopen.error().field, "status");
    p = Must(PublishPostmortem(p, "inc1", "u3", "What happened, and what we changed.", kStart + 2 * 24h));
    EXPECT_EQ(p.FindIncident("inc1")->status, IS::kPostmortem);
    EXPECT_EQ(p.FindIncident("inc1")->updates[0].status, IS::kPostmortem);
    EXPECT_FALSE(PublishPostmortem(p, "inc1", "u4", "Again.", kStart + 3 * 24h));
}

TEST(StatusTransitions, UnknownIncidentIsNotFound) {
    auto r = PostUpdate(Components(), {.incident_id = "nope", .update_id = "u1", .status = IS::kIdentified,
                                       .body = "x", .next_update_in = 1h},
                        kStart);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
}

TEST(StatusTransitions, AMaintenanceRunsScheduledInProgressCompleted) {
    Page p = Components();
    const NewMaintenance in{.id = "m1", .update_id = "mu1", .name = "DB upgrade", .body = "Planned.",
                            .scheduled_for = kStart + 24h, .scheduled_until = kStart + 26h,
                            .component_ids = {"api", "us"}};
    p = Must(ScheduleMaintenance(p, in, kStart));
    EXPECT_EQ(p.FindIncident("m1")->status, IS::kScheduled);
    EXPECT_EQ(p.FindIncident("m1")->impact, Impact::kMaintenance);
    EXPECT_EQ(p.FindIncident("m1")->started_at, kStart + 24h);
    EXPECT_EQ(p.FindComponent("api")->status, S::kOperational);  // not yet

    p = Must(StartMaintenance(p, "m1", "mu2", "", kStart + 24h + 1min));
    const Incident* m = p.FindIncident("m1");
    EXPECT_EQ(m->status, IS::kInProgress);
    EXPECT_EQ(m->started_at, kStart + 24h + 1min);
    EXPECT_EQ(m->updates[0].body,
              "Scheduled maintenance is currently in progress. We will provide updates as necessary.");
    EXPECT_EQ(p.FindComponent("api")->status, S::kUnderMaintenance);
    EXPECT_EQ(p.FindComponent("ship")->status, S::kUnderMaintenance);

    p = Must(PostUpdate(p, {.incident_id = "m1", .update_id = "mu3", .status = IS::kVerifying, .body = "Checking."},
                        kStart + 25h));
    p = Must(CompleteMaintenance(p, "m1", "mu4", "", kStart + 25h + 30min));
    m = p.FindIncident("m1");
    EXPECT_EQ(m->status, IS::kCompleted);
    EXPECT_EQ(m->resolved_at, kStart + 25h + 30min);
    EXPECT_EQ(p.FindComponent("api")->status, S::kOperational);
    EXPECT_EQ(p.FindComponent("ship")->status, S::kOperational);
    EXPECT_FALSE(StartMaintenance(p, "m1", "mu5", "", kStart + 26h));
    EXPECT_FALSE(CompleteMaintenance(p, "m1", "mu5", "", kStart + 26h));
}

TEST(StatusTransitions, AMaintenanceWindowMustBeSane) {
    NewMaintenance in{.id = "m1", .update_id = "mu1", .name = "DB", .body = "Planned.",
                      .scheduled_for = kStart + 2h, .scheduled_until = kStart + 1h};
    auto r = ScheduleMaintenance(Components(), in, kStart);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().field, "scheduled_until");
    in.scheduled_for = kStart - 2h;
    in.scheduled_until = kStart - 1h;
    EXPECT_EQ(ScheduleMaintenance(Components(), in, kStart).error().field, "scheduled_until");
    in.scheduled_until = kStart + 1h;
    in.component_ids = {"ghost"};
    EXPECT_EQ(ScheduleMaintenance(Components(), in, kStart).error().field, "components[0]");
}

TEST(StatusTransitions, ComponentsValidateTheirGroup) {
    const Page p = Components();
    EXPECT_EQ(AddComponent(p, {.id = "x", .name = "X", .group_id = "api"}, kStart).error().field, "group_id");
    EXPECT_EQ(AddComponent(p, {.id = "x", .name = "X", .group_id = "ship", .group = true}, kStart).error().field,
              "group_id");
    EXPECT_EQ(AddComponent(p, {.id = "api", .name = "X"}, kStart).error().code, ErrorCode::kConflict);
    EXPECT_EQ(AddComponent(p, {.id = "x", .name = "X", .start_date = "2016-13-01"}, kStart).error().field,
              "start_date");
    const Page q = Must(AddComponent(p, {.id = "x", .name = "X", .group_id = "ship"}, kStart));
    EXPECT_EQ(q.FindComponent("x")->position, 3);  // after eu and us
    EXPECT_EQ(Must(SetComponentStatus(q, {"x", S::kMajorOutage}, kStart)).FindComponent("ship")->status,
              S::kMajorOutage);
    EXPECT_FALSE(SetComponentStatus(q, {"ship", S::kMajorOutage}, kStart));
}

TEST(StatusTransitions, TheBusyPageBuildsThroughTransitionsOnly) {
    const Page p = BusyPage(kStart);
    EXPECT_EQ(p.incidents.size(), 4u);
    EXPECT_EQ(p.maintenances.size(), 3u);
    EXPECT_EQ(p.FindComponent("mail")->status, S::kUnderMaintenance);
    EXPECT_EQ(p.FindComponent("api")->status, S::kOperational);  // restored by old1's resolution and mnt1
}

TEST(StatusIds, PublicIdsAreDistinctAndShaped) {
    std::set<std::string> seen;
    for (std::uint64_t n = 0; n < 1000; ++n) {
        const std::string id = PublicId(n);
        EXPECT_EQ(id.size(), 13u);
        EXPECT_EQ(id.find_first_not_of("0123456789abcdefghijklmnopqrstuvwxyz"), std::string::npos);
        seen.insert(id);
    }
    EXPECT_EQ(seen.size(), 1000u);
}

}  // namespace
}  // namespace amends::status
