// The Statuspage v2 JSON: golden against the reference's example, key sets and enums against the reference.
#include <map>
#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "status/render.h"
#include "status/status_testing.h"

namespace amends::status {
namespace {

using Json = nlohmann::ordered_json;
using namespace std::chrono_literals;
using testing::BusyPage;
using testing::Must;
using testing::T;

const TimePoint kStart = T("2026-01-10T08:00:00Z");

Json Reference() { return Json::parse(testing::ReadSourceFile("tests/data/status/reference_summary.json")); }

// The reference's example with the one value our rollup computes differently (see rollup_test.cc and
// docs/status.md): some, not all, components in partial outage read "Minor Service Outage".
Json ExpectedSummary() {
    Json j = Reference();
    j["status"]["description"] = "Minor Service Outage";
    return j;
}

std::vector<std::string> Keys(const Json& object) {
    std::vector<std::string> keys;
    for (auto it = object.begin(); it != object.end(); ++it) keys.push_back(it.key());
    return keys;
}

TEST(StatusJson, SummaryMatchesTheReferenceExampleByteForByte) {
    EXPECT_EQ(SummaryJson(testing::ReferencePage()), ExpectedSummary().dump());
}

TEST(StatusJson, OtherEndpointsAreSubsetsOfTheSummary) {
    const Page page = testing::ReferencePage();
    const Json s = ExpectedSummary();
    EXPECT_EQ(StatusJson(page), (Json{{"page", s["page"]}, {"status", s["status"]}}).dump());
    EXPECT_EQ(ComponentsJson(page), (Json{{"page", s["page"]}, {"components", s["components"]}}).dump());
    EXPECT_EQ(IncidentsJson(page), (Json{{"page", s["page"]}, {"incidents", s["incidents"]}}).dump());
    EXPECT_EQ(UnresolvedIncidentsJson(page), (Json{{"page", s["page"]}, {"incidents", s["incidents"]}}).dump());
    const Json maintenances{{"page", s["page"]}, {"scheduled_maintenances", s["scheduled_maintenances"]}};
    EXPECT_EQ(ScheduledMaintenancesJson(page), maintenances.dump());
    EXPECT_EQ(ActiveMaintenancesJson(page), maintenances.dump());
    EXPECT_EQ(UpcomingMaintenancesJson(page),
              (Json{{"page", s["page"]}, {"scheduled_maintenances", Json::array()}}).dump());
}

// Every object kind's keys, in order, as the reference's example has them.
struct ReferenceKeys {
    std::map<std::string, std::vector<std::string>> of;
    ReferenceKeys() {
        const Json r = Reference();
        of["page"] = Keys(r["page"]);
        of["status"] = Keys(r["status"]);
        for (const auto& c : r["components"]) of[c["group"].get<bool>() ? "group" : "component"] = Keys(c);
        of["incident"] = Keys(r["incidents"][0]);
        of["maintenance"] = Keys(r["scheduled_maintenances"][0]);
        of["update"] = Keys(r["incidents"][0]["incident_updates"][0]);
        of["affected"] = Keys(r["incidents"][0]["incident_updates"][0]["affected_components"][0]);
    }
};

const std::set<std::string> kComponentStatuses = {"operational", "degraded_performance", "partial_outage",
                                                  "major_outage", "under_maintenance"};
const std::set<std::string> kIncidentStatuses = {"investigating", "identified", "monitoring", "resolved",
                                                 "postmortem"};
const std::set<std::string> kMaintenanceStatuses = {"scheduled", "in_progress", "verifying", "completed"};
const std::set<std::string> kImpacts = {"none", "minor", "major", "critical", "maintenance"};

void CheckComponent(const ReferenceKeys& ref, const Json& c) {
    EXPECT_EQ(Keys(c), ref.of.at(c["group"].get<bool>() ? "group" : "component")) << c.dump();
    EXPECT_TRUE(kComponentStatuses.contains(c["status"].get<std::string>())) << c.dump();
    EXPECT_TRUE(c["description"].is_null() || c["description"].is_string());
    EXPECT_TRUE(c["group_id"].is_null() || c["group_id"].is_string());
    EXPECT_TRUE(c["start_date"].is_null() || c["start_date"].get<std::string>().size() == 10);
    EXPECT_TRUE(c["position"].is_number_integer());
}

void CheckIncident(const ReferenceKeys& ref, const Json& i, bool maintenance) {
    EXPECT_EQ(Keys(i), ref.of.at(maintenance ? "maintenance" : "incident")) << i.dump();
    const auto& statuses = maintenance ? kMaintenanceStatuses : kIncidentStatuses;
    EXPECT_TRUE(statuses.contains(i["status"].get<std::string>())) << i.dump();
    EXPECT_TRUE(kImpacts.contains(i["impact"].get<std::string>()));
    const std::string status = i["status"];
    const bool done = status == "resolved" || status == "postmortem" || status == "completed";
    EXPECT_EQ(i["resolved_at"].is_null(), !done) << i.dump();
    for (const auto& u : i["incident_updates"]) {
        EXPECT_EQ(Keys(u), ref.of.at("update"));
        EXPECT_EQ(u["incident_id"], i["id"]);
        EXPECT_TRUE(statuses.contains(u["status"].get<std::string>()));
        EXPECT_TRUE(u["custom_tweet"].is_null() && u["tweet_id"].is_null());
        if (!u["affected_components"].is_null())
            for (const auto& a : u["affected_components"]) {
                EXPECT_EQ(Keys(a), ref.of.at("affected"));
                EXPECT_TRUE(kComponentStatuses.contains(a["old_status"].get<std::string>()));
                EXPECT_TRUE(kComponentStatuses.contains(a["new_status"].get<std::string>()));
            }
    }
    for (const auto& c : i["components"]) CheckComponent(ref, c);
}

TEST(StatusJson, EveryEndpointHasTheReferenceKeySetsAndEnums) {
    const ReferenceKeys ref;
    const Page page = BusyPage(kStart);
    const std::vector<std::string> page_keys = ref.of.at("page");
    struct Endpoint {
        const char* path;
        std::string body;
        std::vector<std::string> top;
    };
    const Endpoint endpoints[] = {
        {"summary.json", SummaryJson(page), {"page", "status", "components", "incidents", "scheduled_maintenances"}},
        {"status.json", StatusJson(page), {"page", "status"}},
        {"components.json", ComponentsJson(page), {"page", "components"}},
        {"incidents.json", IncidentsJson(page), {"page", "incidents"}},
        {"incidents/unresolved.json", UnresolvedIncidentsJson(page), {"page", "incidents"}},
        {"scheduled-maintenances.json", ScheduledMaintenancesJson(page), {"page", "scheduled_maintenances"}},
        {"scheduled-maintenances/upcoming.json", UpcomingMaintenancesJson(page), {"page", "scheduled_maintenances"}},
        {"scheduled-maintenances/active.json", ActiveMaintenancesJson(page), {"page", "scheduled_maintenances"}},
    };
    for (const auto& e : endpoints) {
        SCOPED_TRACE(e.path);
        const Json j = Json::parse(e.body);
        EXPECT_EQ(Keys(j), e.top);
        EXPECT_EQ(Keys(j["page"]), page_keys);
        if (j.contains("status")) {
            EXPECT_EQ(Keys(j["status"]), ref.of.at("status"));
            EXPECT_TRUE(std::set<std::string>({"none", "minor", "major", "critical", "maintenance"})
                            .contains(j["status"]["indicator"].get<std::string>()));
        }
        if (j.contains("components"))
            for (const auto& c : j["components"]) CheckComponent(ref, c);
        if (j.contains("incidents"))
            for (const auto& i : j["incidents"]) CheckIncident(ref, i, false);
        if (j.contains("scheduled_maintenances"))
            for (const auto& m : j["scheduled_maintenances"]) CheckIncident(ref, m, true);
    }
}

std::vector<std::string> Ids(const std::string& body, const char* list) {
    std::vector<std::string> ids;
    const Json j = Json::parse(body);
    for (const auto& i : j[list]) ids.push_back(i["id"]);
    return ids;
}

TEST(StatusJson, EndpointsSelectWhatTheReferenceSays) {
    const Page page = BusyPage(kStart);
    using V = std::vector<std::string>;
    EXPECT_EQ(Ids(IncidentsJson(page), "incidents"), (V{"open2", "open1", "old2", "old1"}));
    EXPECT_EQ(Ids(UnresolvedIncidentsJson(page), "incidents"), (V{"open2", "open1"}));
    EXPECT_EQ(Ids(SummaryJson(page), "incidents"), (V{"open2", "open1"}));
    EXPECT_EQ(Ids(ScheduledMaintenancesJson(page), "scheduled_maintenances"), (V{"mnt3", "mnt2", "mnt1"}));
    EXPECT_EQ(Ids(UpcomingMaintenancesJson(page), "scheduled_maintenances"), (V{"mnt3"}));
    EXPECT_EQ(Ids(ActiveMaintenancesJson(page), "scheduled_maintenances"), (V{"mnt2"}));
    EXPECT_EQ(Ids(SummaryJson(page), "scheduled_maintenances"), (V{"mnt2", "mnt3"}));
    // Groups list their children; children follow their group.
    EXPECT_EQ(Ids(ComponentsJson(page), "components"), (V{"api", "ship", "eu", "us", "mail", "legacy"}));
    const Json ship = Json::parse(ComponentsJson(page))["components"][1];
    EXPECT_EQ(ship["components"], (Json{"eu", "us"}));
    EXPECT_EQ(ship["status"], "partial_outage");
    EXPECT_EQ(Json::parse(StatusJson(page))["status"],
              (Json{{"indicator", "major"}, {"description", "Minor Service Outage"}}));
}

TEST(StatusJson, IncidentsJsonKeepsTheFiftyMostRecent) {
    Page page = BusyPage(kStart);
    TimePoint t = kStart + 24h;
    for (int n = 0; n < 60; ++n) {
        const std::string id = "bulk" + std::to_string(n);
        page = Must(CreateIncident(page, {.id = id, .update_id = id + "u", .name = "Blip", .body = "Blip.",
                                          .next_update_in = 1h},
                                   t += 1min));
    }
    const auto ids = Ids(IncidentsJson(page), "incidents");
    ASSERT_EQ(ids.size(), kListLimit);
    EXPECT_EQ(ids.front(), "bulk59");
    EXPECT_EQ(ids.back(), "bulk10");
    EXPECT_EQ(Ids(UnresolvedIncidentsJson(page), "incidents").size(), 62u);  // not cut
}

TEST(StatusJson, TextIsEscapedAsJsonAndSurvivesARoundTrip) {
    const Page page = BusyPage(kStart);
    const Json j = Json::parse(IncidentsJson(page));
    EXPECT_EQ(j["page"]["name"], "Acme <Shop> & \"Co\"");
    EXPECT_EQ(j["incidents"][3]["name"], "Checkout <script>alert(1)</script> errors");
    EXPECT_EQ(j["incidents"][3]["incident_updates"][0]["body"], "Root cause: a <bad> config.\nFix: checks.");
}

TEST(StatusJson, RenderingIsDeterministic) {
    EXPECT_EQ(SummaryJson(BusyPage(kStart)), SummaryJson(BusyPage(kStart)));
}

}  // namespace
}  // namespace amends::status

namespace amends::status {
namespace {

TEST(StatusJson, LegacyAffectedEntriesWithoutCodeCarryOnlyTheirName) {
    Page page = testing::ReferencePage();
    page.maintenances[0].updates[0].affected_components =
        std::vector<AffectedComponent>{{"", "No components were affected by this update."}};
    page.incidents[0].updates[0].affected_components.reset();
    const Json j = Json::parse(SummaryJson(page));
    EXPECT_EQ(j["scheduled_maintenances"][0]["incident_updates"][0]["affected_components"],
              Json::parse(R"([{"name": "No components were affected by this update."}])"));
    EXPECT_TRUE(j["incidents"][0]["incident_updates"][0]["affected_components"].is_null());
}

TEST(StatusJson, SingleObjectsAreTheListEntries) {
    const Page page = testing::ReferencePage();
    const Json s = Json::parse(SummaryJson(page));
    EXPECT_EQ(IncidentObjectJson(page, "2gztsrksff0v"), s["incidents"][0].dump());
    EXPECT_EQ(IncidentObjectJson(page, "ymm0202y77k6"), s["scheduled_maintenances"][0].dump());
    EXPECT_EQ(ComponentObjectJson(page, "jk03xttfcz9b"), s["components"][1].dump());
    EXPECT_FALSE(IncidentObjectJson(page, "nope"));
}

}  // namespace
}  // namespace amends::status
