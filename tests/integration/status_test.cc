// Incidents and the public status page through the API, and their notices to affected customers through a real
// SMTP server: the Statuspage v2 documents, CORS, no customer data in public, exactly one notice per customer and
// update (also across a restart and a mail outage), opt-outs, and bad input refused with its field.

#include <map>
#include <set>

#include <fstream>
#include <sstream>

#include "cli/incident_command.h"
#include "tests/integration/mail_fixture.h"

namespace amends::testing {
namespace {

using nlohmann::json;

class StatusTest : public MailTest {
protected:
    void SetUp() override {
        MailTest::SetUp();
        for (const char* c : {"delivery", "checkout"})
            EXPECT_EQ(Post("/api/v1/components", {{"id", c}, {"name", std::string(c) == "delivery" ? "Deliveries" : "Checkout"}})
                          .status,
                      201);
    }
    std::string Declare(const json& extra = json::object()) {
        json body = {{"name", "Leeds deliveries running late"},
                     {"status", "identified"},
                     {"body", "A van broke down: deliveries in Leeds are running a day late. We're sorry."},
                     {"components", {{"delivery", "partial_outage"}}},
                     {"next_update_in", "2h"}};
        body.update(extra);
        auto reply = Post("/api/v1/incidents", body);
        EXPECT_EQ(reply.status, 201) << reply.body;
        return Json(reply)["id"];
    }
    HttpReply Update(const std::string& id, const json& body) {
        return Post("/api/v1/incidents/" + id + "/updates", body);
    }
    json Public(const std::string& path) {
        auto reply = Call("GET", path, "", {{"Authorization", "-"}});
        EXPECT_EQ(reply.status, 200) << path;
        EXPECT_EQ(reply.headers["access-control-allow-origin"], "*") << path;
        return Json(reply);
    }
    // Notices received, by recipient, each the list of subjects.
    std::map<std::string, std::vector<std::string>> ByRecipient(const std::vector<json>& mail) {
        std::map<std::string, std::vector<std::string>> out;
        for (const auto& m : mail) out[m["rcpt_tos"][0]].push_back(m["subject"]);
        return out;
    }
};

TEST_F(StatusTest, AnIncidentsLifeIsServedAsStatuspageV2WithoutCustomerData) {
    EXPECT_EQ(Public("/api/v2/status.json")["status"]["indicator"], "none");
    auto id = Declare();
    ASSERT_EQ(Post("/api/v1/incidents/" + id + "/affected",
                   {{"customers", {{{"customer", {{"name", "Maya Secretname"}, {"email", "maya.secret@example.com"}}},
                                    {"details", {{"order", "ORDER-SECRET-77"}}}}}}})
                  .status,
              200);

    auto summary = Public("/api/v2/summary.json");
    EXPECT_EQ(summary["status"]["indicator"], "major");
    ASSERT_EQ(summary["incidents"].size(), 1u);
    EXPECT_EQ(summary["incidents"][0]["id"], id);
    EXPECT_EQ(summary["incidents"][0]["status"], "identified");
    EXPECT_EQ(summary["incidents"][0]["impact"], "major");
    for (auto& c : summary["components"])
        EXPECT_EQ(c["status"], c["id"] == "delivery" ? "partial_outage" : "operational") << c.dump();
    EXPECT_EQ(Public("/api/v2/incidents/unresolved.json")["incidents"].size(), 1u);

    ASSERT_EQ(Update(id, {{"status", "monitoring"}, {"body", "A new van is out."}, {"next_update_in", "1h"}}).status, 201);
    ASSERT_EQ(Update(id, {{"status", "resolved"}, {"body", "Every delayed box has arrived."}}).status, 201);
    EXPECT_EQ(Public("/api/v2/status.json")["status"]["indicator"], "none");
    EXPECT_EQ(Public("/api/v2/incidents/unresolved.json")["incidents"].size(), 0u);
    auto all = Public("/api/v2/incidents.json")["incidents"];
    ASSERT_EQ(all.size(), 1u);
    EXPECT_EQ(all[0]["status"], "resolved");
    EXPECT_EQ(all[0]["incident_updates"].size(), 3u);
    EXPECT_EQ(Public("/api/v2/components.json")["components"][0]["status"], "operational");

    // Every public document, and the incident's page, without a trace of the customer.
    for (const char* path : {"/status", "/history.atom", "/history.rss", "/api/v2/summary.json", "/api/v2/status.json",
                             "/api/v2/components.json", "/api/v2/incidents.json", "/api/v2/incidents/unresolved.json",
                             "/api/v2/scheduled-maintenances.json", "/api/v2/scheduled-maintenances/upcoming.json",
                             "/api/v2/scheduled-maintenances/active.json"}) {
        auto reply = Call("GET", path, "", {{"Authorization", "-"}});
        EXPECT_EQ(reply.status, 200) << path;
        EXPECT_EQ(reply.headers["access-control-allow-origin"], "*") << path;
        for (const char* secret : {"Secretname", "maya.secret", "ORDER-SECRET"})
            EXPECT_EQ(reply.body.find(secret), std::string::npos) << path << " shows " << secret;
    }
    auto page = Call("GET", "/incidents/" + id, "", {{"Authorization", "-"}});
    EXPECT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("Leeds deliveries running late"), std::string::npos);
    EXPECT_EQ(page.body.find("Secretname"), std::string::npos);
    EXPECT_EQ(Call("GET", "/incidents/nope", "", {{"Authorization", "-"}}).status, 404);
    EXPECT_EQ(Call("GET", "/api/v1/incidents", "", {{"Authorization", "-"}}).status, 401);
}

// Regression: page.url, the feeds' alternate link and Atlassian's status widget (whose link is its src, the bare
// origin in Atlassian's docs) all lead to the root, which answered 404 while the page lived only at /status.
TEST_F(StatusTest, TheRootWherePageUrlLeadsRedirectsToTheStatusPage) {
    auto root = Call("GET", "/", "", {{"Authorization", "-"}});
    EXPECT_EQ(root.status, 302);
    EXPECT_EQ(root.headers["location"], "/status");
    auto page = Call("GET", root.headers["location"], "", {{"Authorization", "-"}});
    EXPECT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("All Systems Operational"), std::string::npos);
}

// Regression: a page with nothing in its log said it was last updated in 1970 (page.updated_at, the feeds' dates).
TEST_F(ApiTest, AnEmptyStatusPageWasLastUpdatedWhenItsStoreWasMade) {
    auto summary = Call("GET", "/api/v2/summary.json", "", {{"Authorization", "-"}});
    ASSERT_EQ(summary.status, 200);
    auto updated = ParseRfc3339(Json(summary)["page"]["updated_at"].get<std::string>());
    ASSERT_TRUE(updated);
    auto now = SystemClock().Now();
    EXPECT_LE(*updated, now);
    EXPECT_GT(*updated, now - std::chrono::hours(1));
    auto atom = Call("GET", "/history.atom", "", {{"Authorization", "-"}});
    EXPECT_EQ(atom.body.find("1970-"), std::string::npos) << atom.body;
}

// Regression: a browser's CORS preflight for a public document (sent when a client adds a header such as
// Cache-Control) was answered 405, so the browser refused to read the document.
TEST_F(StatusTest, APreflightForAPublicDocumentLetsAnyOriginReadIt) {
    auto reply = Call("OPTIONS", "/api/v2/summary.json", "",
                      {{"Authorization", "-"}, {"Origin", "https://shop.example"},
                       {"Access-Control-Request-Method", "GET"}, {"Access-Control-Request-Headers", "cache-control"}});
    EXPECT_EQ(reply.status, 204);
    EXPECT_EQ(reply.headers["access-control-allow-origin"], "*");
    EXPECT_EQ(reply.headers["access-control-allow-methods"], "GET, OPTIONS");
    EXPECT_EQ(reply.headers["access-control-allow-headers"], "cache-control");
    EXPECT_EQ(Call("OPTIONS", "/api/v1/incidents", "", {{"Authorization", "-"}}).status, 405);  // only public documents
}

TEST_F(StatusTest, EveryAffectedCustomerHearsExactlyOncePerUpdateWithTheirOwnDetails) {
    auto id = Declare();
    json customers = json::array();
    constexpr int kCustomers = 150;
    for (int i = 0; i < kCustomers; ++i)
        customers.push_back({{"customer", {{"name", "Customer " + std::to_string(i)},
                                           {"email", "c" + std::to_string(i) + "@example.com"}}},
                             {"details", {{"order", "FH-" + std::to_string(1000 + i)}, {"new_date", "2026-11-25"}}}});
    customers.push_back({{"customer", {{"name", "Opted Out"}, {"email", "optout@example.com"},
                                       {"attributes", {{"notices", false}}}}}});
    customers.push_back({{"customer", {{"name", "No Email"}, {"external_ref", "walk-in-1"}}}});
    auto attached = Post("/api/v1/incidents/" + id + "/affected", {{"customers", customers}});
    ASSERT_EQ(attached.status, 200) << attached.body;
    EXPECT_EQ(Json(attached)["attached"], kCustomers + 2);
    EXPECT_EQ(Json(attached)["notices_queued"], kCustomers);  // the latest update, at once
    ASSERT_EQ(Update(id, {{"status", "monitoring"}, {"body", "A new van is out; boxes arrive tomorrow."},
                          {"next_update_in", "3h"}})
                  .status,
              201);
    // A retried POST with its Idempotency-Key is answered from the first one's record: no second update, no notice.
    json slip = {{"status", "monitoring"}, {"body", "Still on its way; boxes arrive tomorrow."}, {"next_update_in", "3h"}};
    auto once = Post("/api/v1/incidents/" + id + "/updates", slip, {{"Idempotency-Key", "slip-1"}});
    auto retry = Post("/api/v1/incidents/" + id + "/updates", slip, {{"Idempotency-Key", "slip-1"}});
    ASSERT_EQ(once.status, 201) << once.body;
    EXPECT_EQ(retry.status, 201);
    EXPECT_EQ(retry.headers["idempotent-replayed"], "true");
    EXPECT_EQ(retry.body, once.body);
    auto reused = Post("/api/v1/incidents/" + id + "/updates", {{"status", "resolved"}, {"body", "x"}},
                       {{"Idempotency-Key", "slip-1"}});
    EXPECT_EQ(reused.status, 409);
    // Attaching the same customers again changes nothing they receive (once the update's notices are queued; before,
    // the attach would queue the ones the fan-out had not reached yet, and the fan-out would skip them).
    WaitUntilQueued();
    auto again = Post("/api/v1/incidents/" + id + "/affected", {{"customers", customers}});
    EXPECT_EQ(Json(again)["attached"], 0);
    EXPECT_EQ(Json(again)["notices_queued"], 0);
    ASSERT_EQ(Update(id, {{"status", "resolved"}, {"body", "Every delayed box has arrived."}}).status, 201);

    ASSERT_EQ(sink_->WaitFor(4 * kCustomers).size(), 4u * kCustomers);
    WaitUntilDelivered();
    auto mail = sink_->Messages();
    ASSERT_EQ(mail.size(), 4u * kCustomers);
    auto by = ByRecipient(mail);
    EXPECT_EQ(by.size(), static_cast<std::size_t>(kCustomers));
    EXPECT_EQ(by.count("optout@example.com"), 0u);
    for (const auto& [who, subjects] : by) {
        std::multiset<std::string> got(subjects.begin(), subjects.end());
        EXPECT_EQ(got, (std::multiset<std::string>{"Leeds deliveries running late: Identified",
                                                   "Leeds deliveries running late: Monitoring",
                                                   "Leeds deliveries running late: Monitoring",
                                                   "Leeds deliveries running late: Resolved"}))
            << who;
    }
    // Personal: each notice carries that customer's own order.
    for (const auto& m : mail) {
        std::string to = m["rcpt_tos"][0];
        int n = std::stoi(to.substr(1, to.find('@') - 1));
        std::string body = m["body"];
        EXPECT_NE(body.find("Hello Customer " + std::to_string(n) + ","), std::string::npos) << body;
        EXPECT_NE(body.find("order: FH-" + std::to_string(1000 + n)), std::string::npos) << body;
        EXPECT_NE(body.find("/incidents/" + id), std::string::npos);
    }
    auto incident = Json(Get("/api/v1/incidents/" + id));
    EXPECT_EQ(incident["affected_customers"], kCustomers + 2);
}

TEST_F(StatusTest, ANoticeCarriesAOneClickUnsubscribeThatStopsTheNextNotices) {
    auto id = Declare();
    json customers = json::array();
    for (const char* who : {"ann", "bob"})
        customers.push_back({{"customer", {{"name", who}, {"email", std::string(who) + "@example.com"}}}});
    ASSERT_EQ(Post("/api/v1/incidents/" + id + "/affected", {{"customers", customers}}).status, 200);
    auto first = sink_->WaitFor(2);
    ASSERT_EQ(first.size(), 2u);
    std::string ann_unsubscribe;
    for (const auto& m : first) {
        std::string header = m["list_unsubscribe"];
        EXPECT_EQ(m["list_unsubscribe_post"], "List-Unsubscribe=One-Click") << m.dump();
        std::string origin = "<http://127.0.0.1:" + std::to_string(port_) + "/u/";
        ASSERT_TRUE(header.starts_with(origin) && header.ends_with(">")) << header;
        if (m["rcpt_tos"][0] == "ann@example.com") ann_unsubscribe = header.substr(origin.size() - 3, header.size() - origin.size() + 2);
        EXPECT_EQ(m["content_type"], "multipart/alternative");
        EXPECT_NE(m["html"].get<std::string>().find("<a href=\"http://127.0.0.1"), std::string::npos) << "the status link";
    }
    ASSERT_TRUE(ann_unsubscribe.starts_with("/u/")) << ann_unsubscribe;

    // A GET (a mail scanner following the link) changes nothing; it shows the button.
    auto page = Call("GET", ann_unsubscribe, "", {{"Authorization", "-"}});
    EXPECT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("method=\"post\""), std::string::npos) << page.body;
    // A forged or altered token: 404, nothing changes.
    std::string altered = ann_unsubscribe;
    altered.back() = altered.back() == 'A' ? 'B' : 'A';
    EXPECT_EQ(Call("POST", altered, "List-Unsubscribe=One-Click", {{"Authorization", "-"}}).status, 404);
    EXPECT_EQ(Call("GET", "/u/not-a-token", "", {{"Authorization", "-"}}).status, 404);
    auto ann = Json(Get("/api/v1/customers?email=ann@example.com"))["data"][0];
    EXPECT_FALSE(ann["attributes"].contains("notices")) << ann.dump();
    // The mail program's one-click POST (RFC 8058), with no cookie or token: the notices stop.
    auto done = Call("POST", ann_unsubscribe, "List-Unsubscribe=One-Click",
                     {{"Authorization", "-"}, {"Content-Type", "application/x-www-form-urlencoded"}});
    EXPECT_EQ(done.status, 200) << done.body;
    EXPECT_EQ(Call("POST", ann_unsubscribe, "List-Unsubscribe=One-Click", {{"Authorization", "-"}}).status, 200)
        << "twice is fine";
    ann = Json(Get("/api/v1/customers?email=ann@example.com"))["data"][0];
    EXPECT_EQ(ann["attributes"]["notices"], false) << ann.dump();

    ASSERT_EQ(Update(id, {{"status", "resolved"}, {"body", "Every delayed box has arrived."}}).status, 201);
    WaitUntilDelivered();
    auto all = sink_->Messages();
    ASSERT_EQ(all.size(), 3u);
    EXPECT_EQ(all[2]["rcpt_tos"][0], "bob@example.com") << "Ann unsubscribed; Bob still hears";
}

TEST_F(StatusTest, NoticesQueuedWhileMailIsDownArriveOnceAfterARestart) {
    auto id = Declare();
    json customers = json::array();
    for (int i = 0; i < 20; ++i)
        customers.push_back({{"customer", {{"name", "C" + std::to_string(i)}, {"email", "c" + std::to_string(i) + "@example.com"}}}});
    sink_->Stop();
    ASSERT_EQ(Post("/api/v1/incidents/" + id + "/affected", {{"customers", customers}}).status, 200);
    ASSERT_EQ(Update(id, {{"status", "monitoring"}, {"body", "Boxes arrive tomorrow."}, {"next_update_in", "3h"}}).status, 201);
    auto before = Public("/api/v2/summary.json");
    StopServer();
    sink_->Start();
    StartServer();
    EXPECT_EQ(Public("/api/v2/summary.json"), before);  // the page is replayed from its log
    clock_.Advance(std::chrono::hours(2));                // past every backoff
    ASSERT_EQ(sink_->WaitFor(40).size(), 40u);
    WaitUntilDelivered();
    auto mail = sink_->Messages();
    EXPECT_EQ(mail.size(), 40u);
    for (const auto& [who, subjects] : ByRecipient(mail)) EXPECT_EQ(subjects.size(), 2u) << who;
}

TEST_F(StatusTest, BadIncidentInputIsRefusedWithItsFieldAndChangesNothing) {
    auto field = [&](const HttpReply& r) { return Json(r)["error"]["field"].get<std::string>(); };
    auto missing = Post("/api/v1/incidents", {{"body", "x"}, {"next_update_in", "1h"}});
    EXPECT_EQ(missing.status, 400);
    EXPECT_EQ(field(missing), "name");
    auto bad_status = Post("/api/v1/incidents", {{"name", "x"}, {"body", "x"}, {"next_update_in", "1h"},
                                                 {"components", {{"delivery", "on_fire"}}}});
    EXPECT_EQ(bad_status.status, 400);
    EXPECT_EQ(field(bad_status), "components.delivery");
    auto when = Post("/api/v1/incidents", {{"name", "x"}, {"body", "x"}, {"next_update_in", "soon"}});
    EXPECT_EQ(when.status, 400);
    EXPECT_EQ(field(when), "next_update_in");
    auto unknown = Post("/api/v1/incidents", {{"name", "x"}, {"body", "x"}, {"next_update_in", "1h"}, {"colour", "red"}});
    EXPECT_EQ(unknown.status, 400);
    EXPECT_EQ(field(unknown), "colour");
    auto internal = Post("/api/v1/incidents", {{"name", "x"}, {"body", "x"}, {"next_update_in", "1h"}, {"_id", "mine"}});
    EXPECT_EQ(internal.status, 400);
    auto blame = Post("/api/v1/incidents", {{"name", "x"}, {"body", "x"}, {"next_update_in", "1h"},
                                            {"notice", {{"body", "This can't happen, you must have misused it."}}}});
    EXPECT_EQ(blame.status, 422);
    EXPECT_EQ(field(blame), "notice.body");
    EXPECT_EQ(Json(Get("/api/v1/incidents"))["data"].size(), 0u);
    EXPECT_EQ(Public("/api/v2/status.json")["status"]["indicator"], "none");

    auto id = Declare();
    EXPECT_EQ(Update("nope", {{"status", "resolved"}, {"body", "x"}}).status, 404);
    ASSERT_EQ(Update(id, {{"status", "resolved"}, {"body", "Fixed."}}).status, 201);
    auto reopen = Update(id, {{"status", "investigating"}, {"body", "Again?"}, {"next_update_in", "1h"}});
    EXPECT_EQ(reopen.status, 409);
    auto bad_customer = Post("/api/v1/incidents/" + id + "/affected",
                             {{"customers", {{{"customer_id", 999999}}, {{"customer_id", 1}}}}});
    EXPECT_EQ(bad_customer.status, 422);
    EXPECT_EQ(field(bad_customer), "customers[0].customer_id");
    auto neither = Post("/api/v1/incidents/" + id + "/affected", {{"customers", {{{"details", {{"order", "1"}}}}}}});
    EXPECT_EQ(neither.status, 400);
    EXPECT_EQ(Json(Get("/api/v1/incidents/" + id))["affected_customers"], 0);
    EXPECT_EQ(Patch("/api/v1/components/nope", {{"status", "major_outage"}}).status, 404);
    EXPECT_EQ(Patch("/api/v1/components/delivery", {{"status", "broken"}}).status, 400);
}

TEST_F(StatusTest, AnOverduePromiseShowsAsOverdue) {
    auto id = Declare();
    EXPECT_EQ(Json(Get("/api/v1/incidents/" + id))["overdue"], false);
    EXPECT_EQ(Call("GET", "/status", "", {{"Authorization", "-"}}).body.find("Next update overdue"), std::string::npos);
    clock_.Advance(std::chrono::hours(3));
    EXPECT_EQ(Json(Get("/api/v1/incidents/" + id))["overdue"], true);
    // The page was rendered before the promise fell due; it is rendered again because time alone changed it.
    auto page = Call("GET", "/status", "", {{"Authorization", "-"}});
    EXPECT_NE(page.body.find("Next update overdue"), std::string::npos);
}

TEST_F(StatusTest, ADelayedOrderThenASecondSlipSendTwoPersonalNoticesOnOneOpenCase) {
    json signal = {{"type", "order.delayed"},
                   {"customer", {{"name", "Tom Becker"}, {"email", "tom@example.com"}, {"external_ref", "cust-88"}}},
                   {"ref", "order 1207"},
                   {"details", {{"new_date", "Friday 27 November"}, {"reason", "the courier missed a collection"}}}};
    auto first = Post("/api/v1/signals", signal);
    ASSERT_EQ(first.status, 201) << first.body;
    auto opened = Json(first);
    EXPECT_TRUE(opened["case_opened"].get<bool>());
    std::string case_id = std::to_string(opened["case"]["id"].get<Id>());
    EXPECT_EQ(opened["case"]["reference"], "order 1207");
    EXPECT_EQ(opened["case"]["state"], "open");

    signal["details"]["new_date"] = "Tuesday 1 December";
    auto second = Post("/api/v1/signals", signal);
    ASSERT_EQ(second.status, 200) << second.body;
    EXPECT_FALSE(Json(second)["case_opened"].get<bool>());
    EXPECT_EQ(std::to_string(Json(second)["case"]["id"].get<Id>()), case_id);
    auto same = Post("/api/v1/signals", signal);  // nothing new: nothing sent
    ASSERT_EQ(same.status, 200);
    EXPECT_TRUE(Json(same)["notice"].is_null());

    auto mail = sink_->WaitFor(2);
    ASSERT_EQ(mail.size(), 2u);
    std::string a = mail[0]["body"], b = mail[1]["body"];
    EXPECT_NE(a, b);
    EXPECT_NE(a.find("Hello Tom Becker"), std::string::npos) << a;
    EXPECT_NE(a.find("order 1207"), std::string::npos);
    EXPECT_NE(a.find("Friday 27 November"), std::string::npos) << a;
    EXPECT_NE(a.find("the courier missed a collection"), std::string::npos) << a;
    EXPECT_NE(b.find("Tuesday 1 December"), std::string::npos) << b;
    EXPECT_EQ(b.find("Friday 27 November"), std::string::npos);
    EXPECT_NE(a.find("/c/"), std::string::npos);  // the case page link
    EXPECT_EQ(mail[0]["rcpt_tos"], json::array({"tom@example.com"}));

    auto cases = Json(Get("/api/v1/cases?customer=" + std::to_string(opened["case"]["customer_id"].get<Id>())));
    EXPECT_EQ(cases["data"].size(), 1u);
    auto progress = Json(Get("/api/v1/cases/" + case_id + "/progress"));
    for (auto& step : progress["steps"]) {
        if (step["step"] == "acknowledge" || step["step"] == "apologize") {
            EXPECT_EQ(step["state"], "done") << step.dump();
        }
    }

    auto unknown = Post("/api/v1/signals", {{"type", "order.teleported"}, {"customer_id", 1}, {"ref", "x"}});
    EXPECT_EQ(unknown.status, 422);
    EXPECT_EQ(Json(unknown)["error"]["field"], "type");
    auto no_ref = Post("/api/v1/signals", {{"type", "order.delayed"}, {"customer_id", 1}});
    EXPECT_EQ(no_ref.status, 400);
    EXPECT_EQ(Json(no_ref)["error"]["field"], "ref");
    auto nobody = Post("/api/v1/signals", {{"type", "order.delayed"}, {"ref", "order 1"}});
    EXPECT_EQ(nobody.status, 400);
    EXPECT_EQ(Json(nobody)["error"]["field"], "customer");
    // Regression: a null customer passed the decoder and crashed the writer thread.
    for (const char* key : {"customer", "customer_id"}) {
        auto null_customer = Post("/api/v1/signals", {{"type", "order.delayed"}, {"ref", "order 2"}, {key, nullptr}});
        EXPECT_EQ(null_customer.status, 400) << key;
        EXPECT_EQ(Json(null_customer)["error"]["field"], "customer") << key;
    }
    EXPECT_EQ(Get("/healthz").status, 200);
}

// Regression: a signal naming a known customer by email answered 400 "customer.name is required"; a name is needed
// only when the customer must be created (as a case's or an incident's inline customer).
TEST_F(StatusTest, ASignalForAKnownCustomerNeedsNoName) {
    auto tom = NewCustomer("Tom Becker", "tom.becker@example.com");
    auto by_email = Post("/api/v1/signals", {{"type", "order.delayed"},
                                             {"customer", {{"email", "tom.becker@example.com"}}},
                                             {"ref", "order 1207"},
                                             {"details", {{"new_date", "Friday 27 November"}}}});
    ASSERT_EQ(by_email.status, 201) << by_email.body;
    EXPECT_EQ(Json(by_email)["case"]["customer_id"], tom["id"]);
    auto mail = sink_->WaitFor(1);
    ASSERT_EQ(mail.size(), 1u);
    EXPECT_NE(std::string(mail[0]["body"]).find("Hello Tom Becker"), std::string::npos) << mail[0]["body"];

    auto ada = Post("/api/v1/customers", {{"name", "Ada Stone"}, {"external_ref", "cust-9"}});
    ASSERT_EQ(ada.status, 201) << ada.body;
    auto by_ref = Post("/api/v1/signals", {{"type", "order.cancelled"},
                                           {"customer", {{"external_ref", "cust-9"}}},
                                           {"ref", "order 9"}});
    ASSERT_EQ(by_ref.status, 201) << by_ref.body;
    EXPECT_EQ(Json(by_ref)["case"]["customer_id"], Json(ada)["id"]);
    auto inline_case = Post("/api/v1/cases", {{"customer", {{"email", "tom.becker@example.com"}}}, {"subject", "Late box"}});
    ASSERT_EQ(inline_case.status, 201) << inline_case.body;
    EXPECT_EQ(Json(inline_case)["customer_id"], tom["id"]);

    // A customer to be created still needs a name, and nothing is written without one.
    auto customers_before = Json(Get("/api/v1/customers"))["data"].size();
    for (const json& customer : {json{{"email", "new.person@example.com"}}, json{{"external_ref", "cust-new"}},
                                 json{{"email", "new.person@example.com"}, {"name", " "}}}) {
        auto unknown = Post("/api/v1/signals",
                            {{"type", "order.delayed"}, {"customer", customer}, {"ref", "order 5"},
                             {"details", {{"new_date", "Monday"}}}});
        EXPECT_EQ(unknown.status, 400) << customer.dump() << unknown.body;
        EXPECT_EQ(Json(unknown)["error"]["field"], "customer.name") << customer.dump();
    }
    EXPECT_EQ(Json(Get("/api/v1/customers"))["data"].size(), customers_before);
    auto created = Post("/api/v1/signals", {{"type", "order.delayed"},
                                            {"customer", {{"email", "new.person@example.com"}, {"name", "New Person"}}},
                                            {"ref", "order 5"},
                                            {"details", {{"new_date", "Monday"}}}});
    EXPECT_EQ(created.status, 201) << created.body;
    EXPECT_EQ(Json(Get("/api/v1/customers"))["data"].size(), customers_before + 1);
}

// Regression: a delay signal without its new date answered 201 and sent "It will reach you by ."; a placeholder the
// rule's notice uses that the signal does not supply is a 400 naming details.<name>, and nothing is written.
TEST_F(StatusTest, ASignalWithoutADetailItsNoticeUsesIsRefusedAndWritesNothing) {
    auto tom = NewCustomer("Tom Becker", "tom.seven@example.com");
    Id id = tom["id"];
    auto cases_of_tom = [&] { return Json(Get("/api/v1/cases?customer=" + std::to_string(id)))["data"]; };
    for (const json& details : {json(nullptr), json::object(), json{{"reason", "a van broke down"}},
                                json{{"new_date", ""}}, json{{"new_date", nullptr}}}) {
        json signal = {{"type", "order.delayed"}, {"customer_id", id}, {"ref", "order 9"}};
        if (!details.is_null()) signal["details"] = details;
        auto refused = Post("/api/v1/signals", signal);
        EXPECT_EQ(refused.status, 400) << signal.dump() << refused.body;
        EXPECT_EQ(Json(refused)["error"]["code"], "invalid_field") << signal.dump();
        EXPECT_EQ(Json(refused)["error"]["field"], "details.new_date") << signal.dump();
    }
    EXPECT_EQ(cases_of_tom().size(), 0u);

    // The reason is optional: its template tests for it.
    auto first = Post("/api/v1/signals", {{"type", "order.cancelled"}, {"customer_id", id}, {"ref", "order 10"}});
    ASSERT_EQ(first.status, 201) << first.body;
    auto case_id = std::to_string(Json(first)["case"]["id"].get<Id>());
    auto events = Json(Get("/api/v1/cases/" + case_id + "/events"))["data"].size();
    // The update's template needs details.update, which a later signal with new facts must give.
    auto update = Post("/api/v1/signals", {{"type", "order.cancelled"}, {"customer_id", id}, {"ref", "order 10"},
                                           {"details", {{"reason", "out of stock"}}}});
    EXPECT_EQ(update.status, 400) << update.body;
    EXPECT_EQ(Json(update)["error"]["field"], "details.update");
    EXPECT_EQ(Json(Get("/api/v1/cases/" + case_id + "/events"))["data"].size(), events);
    auto given = Post("/api/v1/signals", {{"type", "order.cancelled"}, {"customer_id", id}, {"ref", "order 10"},
                                          {"details", {{"reason", "out of stock"}, {"update", "your refund is on its way"}}}});
    EXPECT_EQ(given.status, 200) << given.body;
    auto mail = sink_->WaitFor(2);
    ASSERT_EQ(mail.size(), 2u);
    EXPECT_NE(std::string(mail[1]["body"]).find("your refund is on its way"), std::string::npos) << mail[1]["body"];
}

// Regression: a maintenance's updates route said "no incident nosuch".
TEST_F(StatusTest, AnUnknownMaintenanceIsNamedAsAMaintenance) {
    auto reply = Post("/api/v1/maintenances/nosuch/updates", {{"status", "in_progress"}, {"body", "Starting."}});
    EXPECT_EQ(reply.status, 404);
    EXPECT_EQ(Json(reply)["error"]["message"], "no maintenance nosuch") << reply.body;
    auto incident = Update("nosuch", {{"status", "resolved"}, {"body", "x"}});
    EXPECT_EQ(incident.status, 404);
    EXPECT_EQ(Json(incident)["error"]["message"], "no incident nosuch") << incident.body;
    // Regression: the maintenances' route posted to an incident. It takes only maintenances, and writes nothing.
    auto id = Declare();
    auto wrong = Post("/api/v1/maintenances/" + id + "/updates", {{"status", "resolved"}, {"body", "Done."}});
    EXPECT_EQ(wrong.status, 404) << wrong.body;
    EXPECT_EQ(Json(wrong)["error"]["message"], "no maintenance " + id) << wrong.body;
    auto unresolved = Public("/api/v2/incidents/unresolved.json")["incidents"];
    ASSERT_EQ(unresolved.size(), 1u);
    EXPECT_EQ(unresolved[0]["incident_updates"].size(), 1u) << "nothing posted to the incident";
}

// Regression: an unknown id in an incident's components object was named components[0]; it is components.<id>.
TEST_F(StatusTest, AnUnknownComponentIsNamedByItsKey) {
    auto declared = Post("/api/v1/incidents", {{"name", "x"}, {"body", "x"}, {"next_update_in", "1h"},
                                               {"components", {{"nope", "major_outage"}}}});
    EXPECT_EQ(declared.status, 400);
    EXPECT_EQ(Json(declared)["error"]["field"], "components.nope") << declared.body;
    auto id = Declare();
    auto updated = Update(id, {{"status", "monitoring"}, {"body", "x"}, {"next_update_in", "1h"},
                               {"components", {{"delivery", "operational"}, {"nope", "major_outage"}}}});
    EXPECT_EQ(updated.status, 400);
    EXPECT_EQ(Json(updated)["error"]["field"], "components.nope") << updated.body;
    EXPECT_EQ(Public("/api/v2/components.json")["components"][0]["status"], "partial_outage");
}

// Regression: a second process (amends incident affected beside the server) held the page it had loaded, so a
// customer it attached after the server posted an update heard the old update and never the new one.
TEST_F(StatusTest, ABoardInAnotherProcessAttachesWithTheLatestUpdate) {
    auto id = Declare();
    app::StatusBoard other(*store_, clock_, status::PageInfo{"amends", "Acme", "http://127.0.0.1"}, *outbound_, nullptr);
    ASSERT_TRUE(other.Load());
    ASSERT_EQ(Update(id, {{"status", "monitoring"}, {"body", "A new van is out."}, {"next_update_in", "1h"}}).status, 201);
    Customer late;
    late.name = "Late Attached";
    late.email = "late@example.com";
    auto attached = other.Attach(id, {app::AffectedInput{std::nullopt, late, "{}"}});
    ASSERT_TRUE(attached) << attached.error().message;
    auto mail = sink_->WaitFor(1);
    ASSERT_EQ(mail.size(), 1u);
    EXPECT_EQ(mail[0]["subject"], "Leeds deliveries running late: Monitoring");
    // And the server, whose log the other board did not move, still takes commands.
    EXPECT_EQ(Update(id, {{"status", "resolved"}, {"body", "All delivered."}}).status, 201);
}

TEST(Csv, RecordsFollowRfc4180) {
    std::istringstream in("a,\"b, with comma\",\"say \"\"hi\"\"\"\r\n\"two\nlines\",,x\nbad\"quote\",y\n\"open");
    std::vector<std::string> f;
    std::string error;
    ASSERT_TRUE(cli::ReadCsvRecord(in, f, error));
    EXPECT_EQ(f, (std::vector<std::string>{"a", "b, with comma", "say \"hi\""}));
    EXPECT_EQ(error, "");
    ASSERT_TRUE(cli::ReadCsvRecord(in, f, error));
    EXPECT_EQ(f, (std::vector<std::string>{"two\nlines", "", "x"}));
    ASSERT_TRUE(cli::ReadCsvRecord(in, f, error));  // a quote inside an unquoted field is kept as text
    EXPECT_EQ(f, (std::vector<std::string>{"bad\"quote\"", "y"}));
    ASSERT_TRUE(cli::ReadCsvRecord(in, f, error));
    EXPECT_EQ(error, "a quoted field is not closed");
    EXPECT_FALSE(cli::ReadCsvRecord(in, f, error));
}

TEST_F(StatusTest, TheCliAttachesACsvOfCustomersAndTheirNoticesGoOut) {
    CatchUpWithTheSystemClock();
    auto id = Declare();
    std::string csv = (dir_ / "affected.csv").string();
    {
        std::ofstream out(csv);
        out << "email,name,order,new_date\n";
        for (int i = 0; i < 2500; ++i)
            out << "csv" << i << "@example.com,\"Customer, number " << i << "\",FH-" << i << ",2026-11-25\n";
    }
    cli::IncidentFlags flags;
    flags.db = db_;
    flags.id = id;
    flags.file = csv;
    flags.progress = false;
    flags.public_url = "http://127.0.0.1:" + std::to_string(port_);
    EXPECT_EQ(cli::IncidentAffected(flags), 0);
    EXPECT_EQ(Json(Get("/api/v1/incidents/" + id))["affected_customers"], 2500);
    auto mail = sink_->WaitFor(2500, std::chrono::seconds(120));
    ASSERT_EQ(mail.size(), 2500u);
    std::set<std::string> to;
    for (const auto& m : mail) to.insert(m["rcpt_tos"][0]);
    EXPECT_EQ(to.size(), 2500u);
    EXPECT_NE(std::string(mail[0]["body"]).find("Hello Customer, number"), std::string::npos);

    // A malformed line stops the run with its number: the batches before it are kept, the one it was in is not.
    {
        std::ofstream out(csv);
        out << "email,name\n";
        for (int i = 0; i < 1500; ++i) out << "late" << i << "@example.com,Late " << i << "\n";
        out << "broken@example.com,B,extra\n";
    }
    EXPECT_EQ(cli::IncidentAffected(flags), 65);
    EXPECT_EQ(Json(Get("/api/v1/incidents/" + id))["affected_customers"], 2500 + 1000);
    flags.id = "nope";
    EXPECT_EQ(cli::IncidentAffected(flags), 64);
    flags.id = id;
    flags.file = (dir_ / "missing.csv").string();
    EXPECT_EQ(cli::IncidentAffected(flags), 66);
}

}  // namespace
}  // namespace amends::testing
