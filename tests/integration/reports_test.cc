// The team report behind the console's charts (/api/v1/reports/team) and an incident's notice delivery
// (/api/v1/incidents/{id}/notices), over real HTTP, on a small data set whose numbers are worked out by hand.
// Time is the fixture's ManualClock, moved to each moment the story needs.

#include <sstream>

#include "app/affected_csv.h"
#include "app/reports.h"
#include "tests/integration/api_fixture.h"

namespace amends::testing {
namespace {

using nlohmann::json;

class ReportsTest : public ApiTest {
protected:
    void At(const char* rfc3339) { clock_.Set(*ParseRfc3339(rfc3339)); }
    std::string OpenCase(const std::string& subject) {
        auto customer = NewCustomer("Customer " + subject, "c" + std::to_string(++n_) + "@example.com");
        return std::to_string(NewCase(customer["id"], subject)["id"].get<Id>());
    }
    void Evidence(const std::string& id, const std::string& type, const json& data) {
        auto reply = Post("/api/v1/cases/" + id + "/events", {{"type", type}, {"data", data}});
        ASSERT_EQ(reply.status, 201) << reply.body;
    }
    void Acknowledge(const std::string& id) {
        Evidence(id, "step.completed", {{"step", "acknowledge"}, {"evidence", "Called the customer"}});
    }
    // Records the case's breaches at the clock's now, as the scheduler would.
    void CheckClocks(const std::string& id) {
        auto ok = store_->WriteAndWait([&](store::Tx& tx) {
            recovery_->CheckCase(tx, std::stoll(id), clock_.Now());
            return true;
        });
        ASSERT_TRUE(ok) << ok.error().message;
    }
    json Report(const std::string& query) {
        auto reply = Get("/api/v1/reports/team" + query);
        EXPECT_EQ(reply.status, 200) << reply.body;
        return Json(reply);
    }
    int n_ = 0;
};

// Week of 2026-11-09: two cases, acknowledged after 30 and 120 minutes (the second past its 1-hour clock, which
// breached first); week of 2026-11-16: one case never acknowledged (breached), two follow-up answers (5 and 2).
TEST_F(ReportsTest, TheWeeklyNumbersAreTheOnesWorkedOutByHand) {
    At("2026-11-10T10:00:00Z");
    auto quick = OpenCase("Parcel late");
    At("2026-11-10T10:30:00Z");
    Acknowledge(quick);
    At("2026-11-10T12:00:00Z");
    auto slow = OpenCase("Wrong size");
    At("2026-11-10T13:30:00Z");
    CheckClocks(slow);
    At("2026-11-10T14:00:00Z");
    Acknowledge(slow);
    At("2026-11-17T10:00:00Z");
    auto neglected = OpenCase("Charged twice");
    At("2026-11-17T12:00:00Z");
    CheckClocks(neglected);
    At("2026-11-18T09:00:00Z");
    Evidence(quick, "followup.answered", {{"score", 5}});
    Evidence(slow, "followup.answered", {{"score", 2}, {"comment", "Took too long"}});
    At("2026-11-23T09:00:00Z");

    auto r = Report("?since=2026-11-11T00:00:00Z&until=2026-11-23T09:00:00Z");
    EXPECT_EQ(r["since"], "2026-11-09T00:00:00.000Z") << "since moves back to its week's Monday";
    ASSERT_EQ(r["acknowledge"].size(), 3u) << r.dump();
    auto week1 = r["acknowledge"][0];
    EXPECT_EQ(week1["week"], "2026-11-09");
    EXPECT_EQ(week1["cases"], 2);
    EXPECT_EQ(week1["acknowledged"], 2);
    EXPECT_EQ(week1["late"], 1);
    EXPECT_EQ(week1["median_minutes"], 30.0);
    EXPECT_EQ(week1["p90_minutes"], 120.0);
    auto week2 = r["acknowledge"][1];
    EXPECT_EQ(week2["week"], "2026-11-16");
    EXPECT_EQ(week2["cases"], 1);
    EXPECT_EQ(week2["acknowledged"], 0);
    EXPECT_TRUE(week2["median_minutes"].is_null());
    EXPECT_EQ(r["acknowledge"][2]["cases"], 0);

    ASSERT_EQ(r["breaches"].size(), 3u);
    EXPECT_EQ(r["breaches"][0]["total"], 1);
    EXPECT_EQ(r["breaches"][0]["by_clock"]["acknowledge"], 1);
    EXPECT_EQ(r["breaches"][0]["by_clock"]["keep_informed"], 0);
    EXPECT_EQ(r["breaches"][1]["total"], 1);
    EXPECT_EQ(r["breaches"][1]["by_clock"]["acknowledge"], 1);
    EXPECT_EQ(r["breaches"][2]["total"], 0);

    ASSERT_EQ(r["followup"].size(), 3u);
    EXPECT_EQ(r["followup"][0]["answers"], 0);
    EXPECT_TRUE(r["followup"][0]["average"].is_null());
    EXPECT_EQ(r["followup"][1]["answers"], 2);
    EXPECT_EQ(r["followup"][1]["average"], 3.5);
    EXPECT_EQ(r["followup"][1]["scores"], json::array({0, 1, 0, 0, 1}));

    EXPECT_TRUE(r["remedies"].is_array());
    EXPECT_TRUE(r["recurrence"].is_object());

    // A narrower window leaves the first week out.
    auto later = Report("?since=2026-11-16T00:00:00Z&until=2026-11-23T00:00:00Z");
    ASSERT_EQ(later["acknowledge"].size(), 1u);
    EXPECT_EQ(later["acknowledge"][0]["week"], "2026-11-16");
    EXPECT_EQ(later["breaches"][0]["total"], 1);
}

TEST_F(ReportsTest, ContactsPerIncidentCountTheCasesOfItsAffectedCustomers) {
    At("2026-11-16T08:00:00Z");
    auto declared = Post("/api/v1/incidents", {{"name", "Deliveries delayed"},
                                               {"status", "investigating"},
                                               {"next_update_in", "1h"},
                                               {"body", "We're sorry: parcels are late. We're on it."}});
    ASSERT_EQ(declared.status, 201) << declared.body;
    std::string incident = Json(declared)["id"];
    json customers = json::array();
    for (int i = 0; i < 4; ++i)
        customers.push_back({{"customer", {{"name", "Affected " + std::to_string(i)},
                                           {"email", "a" + std::to_string(i) + "@example.com"}}}});
    auto attached = Post("/api/v1/incidents/" + incident + "/affected", {{"customers", customers}});
    ASSERT_EQ(attached.status, 200) << attached.body;
    EXPECT_EQ(Json(attached)["attached"], 4);

    // One affected customer writes in: the case is linked to the incident.
    At("2026-11-16T09:00:00Z");
    auto list = Json(Get("/api/v1/customers?email=a0@example.com"));
    ASSERT_EQ(list["data"].size(), 1u) << list.dump();
    NewCase(list["data"][0]["id"], "Where is my parcel?");

    auto r = Report("?since=2026-11-16T00:00:00Z&until=2026-11-23T09:00:00Z");
    ASSERT_EQ(r["incidents"].size(), 1u) << r.dump();
    EXPECT_EQ(r["incidents"][0]["id"], incident);
    EXPECT_EQ(r["incidents"][0]["name"], "Deliveries delayed");
    EXPECT_EQ(r["incidents"][0]["affected_customers"], 4);
    EXPECT_EQ(r["incidents"][0]["cases"], 1);
    EXPECT_EQ(r["incidents"][0]["contacts_per_100"], 25.0);
    EXPECT_EQ(Report("?since=2026-11-17T00:00:00Z&until=2026-11-23T00:00:00Z")["incidents"].size(), 1u)
        << "the week of its declaration is in any window starting that week";
    EXPECT_EQ(Report("?since=2026-11-23T00:00:00Z&until=2026-11-24T00:00:00Z")["incidents"].size(), 0u);

    // Notices: one email queued per affected customer for the incident's first update.
    auto notices = Get("/api/v1/incidents/" + incident + "/notices");
    ASSERT_EQ(notices.status, 200) << notices.body;
    auto n = Json(notices);
    EXPECT_EQ(n["queued"].get<int>() + n["sent"].get<int>() + n["failed"].get<int>(), 4) << n.dump();
    EXPECT_EQ(n["affected_customers"], 4);
    EXPECT_EQ(Get("/api/v1/incidents/nope/notices").status, 404);
}

TEST_F(ReportsTest, BadWindowsAndAgentsAreRefused) {
    auto bad = Get("/api/v1/reports/team?since=yesterday");
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(Json(bad)["error"]["field"], "since");
    auto reversed = Get("/api/v1/reports/team?since=2026-11-20T00:00:00Z&until=2026-11-10T00:00:00Z");
    EXPECT_EQ(reversed.status, 400);
    EXPECT_EQ(Json(reversed)["error"]["field"], "since");
    EXPECT_EQ(Get("/api/v1/reports/team?since=2020-01-01T00:00:00Z").status, 400) << "more than two years";
    EXPECT_EQ(Get("/api/v1/reports/team?week=1").status, 400);
    auto agent = AddUser("ana", Role::kAgent);
    EXPECT_EQ(Call("GET", "/api/v1/reports/team", "", {}, agent).status, 403);
    EXPECT_EQ(Call("GET", "/api/v1/reports/team", "", {}, "nope").status, 401);
}

TEST(TeamReport, WeeksStartOnMondayUtc) {
    struct Case {
        const char* at;
        const char* monday;
    } cases[] = {
        {"2026-11-23T00:00:00Z", "2026-11-23T00:00:00.000Z"},  // a Monday at midnight is its own week
        {"2026-11-29T23:59:59Z", "2026-11-23T00:00:00.000Z"},  // Sunday night
        {"2026-11-22T12:00:00Z", "2026-11-16T00:00:00.000Z"},
        {"1970-01-01T00:00:00Z", "1969-12-29T00:00:00.000Z"},  // a Thursday
        {"1969-12-28T10:00:00Z", "1969-12-22T00:00:00.000Z"},  // before the epoch
    };
    for (const auto& c : cases) EXPECT_EQ(FormatRfc3339(app::WeekStart(*ParseRfc3339(c.at))), c.monday) << c.at;
}

TEST(TeamReport, PercentilesAreNearestRank) {
    EXPECT_FALSE(app::NearestRank({}, 0.5));
    EXPECT_EQ(app::NearestRank({7}, 0.9), 7);
    EXPECT_EQ(app::NearestRank({1, 2, 3, 4}, 0.5), 2);
    EXPECT_EQ(app::NearestRank({1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 0.9), 9);
    EXPECT_EQ(app::NearestRank({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 0.9), 10);
    EXPECT_EQ(app::NearestRank({1, 2}, 0.0), 1);
}

TEST(AffectedCsv, RowsBecomeCustomersWithDetails) {
    std::istringstream in("\xEF\xBB\xBF" "email,name,order\r\nana@example.com,\"Ana, \"\"A\"\"\",1207\r\n\r\nbo@example.com,,\n");
    app::AffectedCsv csv(in);
    ASSERT_TRUE(csv.ReadHeader());
    auto first = csv.Next();
    ASSERT_TRUE(first && *first);
    EXPECT_EQ((*first)->customer->email, "ana@example.com");
    EXPECT_EQ((*first)->customer->name, "Ana, \"A\"");
    EXPECT_EQ((*first)->details_json, R"({"order":"1207"})");
    auto second = csv.Next();
    ASSERT_TRUE(second && *second) << "a blank line is skipped";
    EXPECT_EQ((*second)->customer->name, "bo@example.com") << "no name: the email stands in";
    EXPECT_EQ((*second)->details_json, "{}");
    EXPECT_EQ(csv.line(), 4);
    auto end = csv.Next();
    ASSERT_TRUE(end);
    EXPECT_FALSE(*end);
}

TEST(AffectedCsv, ErrorsNameTheLine) {
    struct Case {
        const char* csv;
        const char* message;
    } cases[] = {
        {"", "line 1: no CSV header"},
        {"name,order\nAna,1\n", "line 1: the header needs customer_id, email or external_ref"},
        {"email,name\na@example.com\n", "line 2: 1 fields where the header has 2"},
        {"customer_id\n7\nseven\n", "line 3: customer_id must be a number"},
        {"email,name\na@example.com,\"Ana\n", "line 2: a quoted field is not closed"},
    };
    for (const auto& c : cases) {
        std::istringstream in(c.csv);
        app::AffectedCsv csv(in);
        std::string message;
        if (auto ok = csv.ReadHeader(); !ok) {
            message = ok.error().message;
        } else {
            for (;;) {
                auto row = csv.Next();
                if (!row) {
                    message = row.error().message;
                    EXPECT_EQ(row.error().field, "csv");
                    break;
                }
                if (!*row) break;
            }
        }
        EXPECT_EQ(message, c.message) << c.csv;
    }
}

}  // namespace
}  // namespace amends::testing
