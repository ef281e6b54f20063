// What incidents do beyond the page and the email notices (status_test.cc): signed webhooks to a real HTTP receiver,
// reminders and escalations around a promised update, new cases linked to the incident that caused them, and
// `amends incident declare` / `update` beside a running server.

#include <fstream>

#include "cli/incident_command.h"
#include "notify/webhook.h"
#include "tests/integration/mail_fixture.h"
#include "tests/support/webhook_sink.h"

namespace amends::testing {
namespace {

using nlohmann::json;

class IncidentTest : public MailTest {
protected:
    void SetUp() override {
        char pattern[] = "/tmp/amends-hooks-XXXXXX";
        hooks_dir_ = ::mkdtemp(pattern);
        hooks_.emplace(hooks_dir_);
        promises_.remind_to = "oncall@acme.test";
        promises_.escalate_to = "leads@acme.test";
        MailTest::SetUp();
        for (auto [id, name] : {std::pair{"delivery", "Deliveries"}, std::pair{"checkout", "Checkout"}})
            EXPECT_EQ(Post("/api/v1/components", {{"id", id}, {"name", name}}).status, 201);
    }
    void TearDown() override {
        MailTest::TearDown();
        hooks_.reset();
        std::filesystem::remove_all(hooks_dir_);
    }
    std::string Declare(const json& extra = json::object()) {
        json body = {{"name", "Checkout failing"},
                     {"status", "identified"},
                     {"body", "Payments fail at checkout. We're sorry: a change we made broke it, and we're rolling it back."},
                     {"components", {{"checkout", "major_outage"}}},
                     {"next_update_in", "30m"}};
        body.update(extra);
        auto reply = Post("/api/v1/incidents", body);
        EXPECT_EQ(reply.status, 201) << reply.body;
        return Json(reply)["id"];
    }
    json Subscribe(const json& body) {
        auto reply = Post("/api/v1/webhooks", body);
        EXPECT_EQ(reply.status, 201) << reply.body;
        return Json(reply);
    }
    Id Customer(const std::string& name, const std::string& email) {
        auto reply = Post("/api/v1/customers", {{"name", name}, {"email", email}});
        EXPECT_EQ(reply.status, 201) << reply.body;
        return Json(reply)["id"];
    }
    void Attach(const std::string& incident, Id customer, const json& details = json::object()) {
        auto reply = Post("/api/v1/incidents/" + incident + "/affected",
                          {{"customers", {{{"customer_id", customer}, {"details", details}}}}});
        EXPECT_EQ(reply.status, 200) << reply.body;
    }
    // The signature a receiver computes with the secret, from the timestamp the request carried.
    static std::string Expected(const std::string& secret, const json& request) {
        std::string header = request["headers"].value("x-amends-signature", "");
        auto comma = header.find(',');
        if (!header.starts_with("t=") || comma == std::string::npos) return "(no signature: " + header + ")";
        return notify::WebhookSignature(secret, std::stoll(header.substr(2, comma - 2)), request["body"].get<std::string>());
    }
    static std::vector<json> OfEvent(const std::vector<json>& requests, const std::string& event) {
        std::vector<json> out;
        for (const auto& r : requests)
            if (r["headers"].value("x-amends-event", "") == event) out.push_back(r);
        return out;
    }
    std::int64_t Queued() {
        auto c = Counts();
        return c.pending + c.sent + c.failed;
    }
    // Outbox items tried and due again: pending with an attempt's error recorded. The store numbers them 1, 2, ...
    int TriedAndPending() {
        int n = 0;
        store_->Read([&](store::Tx& tx) {
            for (Id id = 1; auto item = tx.FindOutbox(id); ++id) n += item->state == "pending" && item->last_error;
        });
        return n;
    }
    std::filesystem::path hooks_dir_;
    std::optional<WebhookSink> hooks_;
};

TEST_F(IncidentTest, PageWebhooksAreSignedAndShapedLikeStatuspageSubscriberWebhooks) {
    json sub = Subscribe({{"url", hooks_->Url()}, {"description", "ops channel"}});
    std::string secret = sub["secret"];
    EXPECT_TRUE(secret.starts_with("whsec_")) << secret;
    auto listed = Json(Get("/api/v1/webhooks"));
    ASSERT_EQ(listed["data"].size(), 1u);
    EXPECT_FALSE(listed["data"][0].contains("secret")) << "the secret is shown once, at creation";

    std::string id = Declare();
    Attach(id, Customer("Maya Secretname", "maya.secret@example.com"), {{"order", "ORDER-SECRET-77"}});
    auto got = hooks_->WaitFor(2);
    ASSERT_EQ(got.size(), 2u);
    for (const auto& r : got) {
        EXPECT_EQ(r["headers"]["x-amends-signature"], Expected(secret, r)) << r.dump();
        EXPECT_NE(notify::WebhookSignature(secret + "x", 1, r["body"].get<std::string>()),
                  r["headers"]["x-amends-signature"]);
        EXPECT_EQ(r["headers"]["content-type"], "application/json");
        EXPECT_EQ(r["body"].get<std::string>().find("Secretname"), std::string::npos) << "no customer data";
    }
    auto component = OfEvent(got, "component");
    ASSERT_EQ(component.size(), 1u);
    json c = json::parse(component[0]["body"].get<std::string>());
    EXPECT_EQ(c["component_update"]["old_status"], "operational");
    EXPECT_EQ(c["component_update"]["new_status"], "major_outage");
    EXPECT_EQ(c["component_update"]["component_id"], "checkout");
    EXPECT_EQ(c["component"]["id"], "checkout");
    EXPECT_EQ(c["component"]["status"], "major_outage");
    EXPECT_EQ(c["page"]["status_indicator"], "critical");
    EXPECT_TRUE(c["meta"]["unsubscribe"].get<std::string>().ends_with("/api/v1/webhooks/" + std::to_string(sub["id"].get<Id>())));
    auto incident = OfEvent(got, "incident");
    ASSERT_EQ(incident.size(), 1u);
    json i = json::parse(incident[0]["body"].get<std::string>());
    EXPECT_EQ(i["incident"]["id"], id);
    EXPECT_EQ(i["incident"]["status"], "identified");
    EXPECT_EQ(i["incident"]["incident_updates"][0]["status"], "identified");

    // An update sends one more incident payload and no component one (no component changed).
    ASSERT_EQ(Post("/api/v1/incidents/" + id + "/updates", {{"status", "monitoring"}, {"body", "Rolled back; watching."}, {"next_update_in", "1h"}}).status,
              201);
    got = hooks_->WaitFor(3);
    ASSERT_EQ(got.size(), 3u);
    EXPECT_EQ(json::parse(got[2]["body"].get<std::string>())["incident"]["status"], "monitoring");

    // Unsubscribed: nothing more.
    ASSERT_EQ(Call("DELETE", "/api/v1/webhooks/" + std::to_string(sub["id"].get<Id>())).status, 200);
    EXPECT_EQ(Call("DELETE", "/api/v1/webhooks/" + std::to_string(sub["id"].get<Id>())).status, 404);
    ASSERT_EQ(Post("/api/v1/incidents/" + id + "/updates", {{"status", "resolved"}, {"body", "Fixed."}}).status, 201);
    WaitUntilDelivered();
    EXPECT_EQ(hooks_->Requests().size(), 3u);
}

TEST_F(IncidentTest, ACustomersOwnWebhookGetsTheirPersonalNoticeAndComponentFiltersHold) {
    Id maya = Customer("Maya Patel", "maya@example.com");
    json mine = Subscribe({{"url", hooks_->Url("/maya")}, {"customer_id", maya}});
    json deliveries_only = Subscribe({{"url", hooks_->Url("/deliveries")}, {"components", {"delivery"}}});
    std::string id = Declare();
    Attach(id, maya, {{"order", "A-1001"}});
    WaitUntilDelivered();
    auto got = hooks_->Requests();
    ASSERT_EQ(got.size(), 1u) << "the deliveries-only subscription hears nothing of a checkout incident";
    EXPECT_EQ(got[0]["path"], "/maya");
    EXPECT_EQ(got[0]["headers"]["x-amends-event"], "notice");
    EXPECT_EQ(got[0]["headers"]["x-amends-signature"], Expected(mine["secret"], got[0]));
    json n = json::parse(got[0]["body"].get<std::string>());
    EXPECT_EQ(n["customer"]["id"], maya);
    EXPECT_EQ(n["details"]["order"], "A-1001");
    EXPECT_NE(n["notice"]["body"].get<std::string>().find("Maya Patel"), std::string::npos);
    EXPECT_NE(n["notice"]["body"].get<std::string>().find("A-1001"), std::string::npos);
    EXPECT_EQ(n["incident"]["id"], id);
    // The email went too, once.
    auto mail = sink_->Messages();
    ASSERT_EQ(mail.size(), 1u);
    EXPECT_EQ(mail[0]["rcpt_tos"][0], "maya@example.com");
}

TEST_F(IncidentTest, AFailingReceiverIsRetriedAndAGoneOneIsNot) {
    Subscribe({{"url", hooks_->Url()}, {"events", {"incident"}}});
    hooks_->Answer(500);
    std::string id = Declare();
    ASSERT_EQ(hooks_->WaitFor(1).size(), 1u);
    // The receiver has answered, but the worker may not have recorded the 500 yet: an item in flight is pending too.
    // Advancing the clock before the retry is recorded would put the retry a backoff after the advanced time, and it
    // would never come (this raced once in CI). So wait until the attempt's error is in the store.
    for (int i = 0; i < 500 && TriedAndPending() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    ASSERT_EQ(TriedAndPending(), 1) << "a 500 is retried later";
    ASSERT_EQ(Counts().pending, 1);
    hooks_->Answer(0);
    clock_.Advance(std::chrono::minutes(1));  // past the first backoff (30 s)
    webhook_outbox_->Wake();
    WaitUntilDelivered();
    auto got = hooks_->Requests();
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[0]["body"], got[1]["body"]) << "the same payload, signed again";
    EXPECT_EQ(got[1]["status"], 200);

    hooks_->Answer(410);
    ASSERT_EQ(Post("/api/v1/incidents/" + id + "/updates", {{"status", "monitoring"}, {"body", "Watching."}, {"next_update_in", "1h"}}).status, 201);
    WaitUntilDelivered();
    EXPECT_EQ(Counts().failed, 1) << "410 Gone is final";
    clock_.Advance(std::chrono::hours(2));
    webhook_outbox_->Wake();
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    EXPECT_EQ(hooks_->Requests().size(), 3u);
}

TEST_F(IncidentTest, AFanOutCutShortResumesAfterItsLastCommittedChunkAndTwoRunnersQueueEachNoticeOnce) {
    status_board_->StopWorker();  // this test runs the fan-out by hand
    std::string id = Declare();
    json customers = json::array();
    for (int i = 0; i < 250; ++i)
        customers.push_back({{"customer", {{"name", "C" + std::to_string(i)}, {"email", "c" + std::to_string(i) + "@example.com"}}}});
    ASSERT_EQ(Post("/api/v1/incidents/" + id + "/affected", {{"customers", customers}}).status, 200);
    ASSERT_TRUE(status_board_->RunFanOut());  // the declaration's job: its customers came later, and heard at once
    std::int64_t before = Queued();
    ASSERT_EQ(before, 250);

    ASSERT_EQ(Post("/api/v1/incidents/" + id + "/updates",
                   {{"status", "monitoring"}, {"body", "Rolled back; watching."}, {"next_update_in", "1h"}})
                  .status,
              201);
    struct Crash {};
    EXPECT_THROW(status_board_->RunFanOut([](const app::FanOutProgress&) { throw Crash{}; }, 100), Crash);
    std::vector<store::FanoutJob> open;
    for (int i = 0; i < 500; ++i) {  // the chunk handed to the store before the crash commits
        store_->Read([&](store::Tx& tx) { open = tx.OpenFanoutJobs(); });
        if (open.size() == 1 && open[0].queued == 100) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ASSERT_EQ(open.size(), 1u);
    EXPECT_EQ(open[0].queued, 100);
    EXPECT_EQ(Queued(), before + 100) << "the first chunk committed, nothing after it";
    auto resumed = status_board_->RunFanOut({}, 100);
    ASSERT_TRUE(resumed);
    EXPECT_EQ(*resumed, 150);
    EXPECT_EQ(Queued(), before + 250);

    // Two runners at once (a server and `amends incident update`): each chunk is taken by one of them.
    ASSERT_EQ(Post("/api/v1/incidents/" + id + "/updates",
                   {{"status", "monitoring"}, {"body", "Still watching."}, {"next_update_in", "1h"}})
                  .status,
              201);
    std::int64_t a = 0, b = 0;
    std::thread other([&] { a = status_board_->RunFanOut({}, 10).value_or(-1); });
    b = status_board_->RunFanOut({}, 10).value_or(-1);
    other.join();
    EXPECT_EQ(a + b, 250);
    EXPECT_EQ(Queued(), before + 500);
}

TEST_F(IncidentTest, ANoticeTemplateWordsEachStageItsOwnWay) {
    std::string id = Declare({{"notice",
                               {{"subject", "{{incident}}: {{status}}"},
                                {"body", "Hello {{customer}}, we're sorry. {{#resolved}}FIXED: {{update}}{{/resolved}}"
                                         "{{^resolved}}ONGOING: {{update}} Next by {{next_update_by}}.{{/resolved}}"}}}});
    Attach(id, Customer("Maya Patel", "maya@example.com"));
    ASSERT_EQ(Post("/api/v1/incidents/" + id + "/updates", {{"status", "resolved"}, {"body", "Payments work again."}}).status,
              201);
    auto mail = sink_->WaitFor(2);
    ASSERT_EQ(mail.size(), 2u);
    EXPECT_NE(mail[0]["body"].get<std::string>().find("ONGOING: Payments fail"), std::string::npos) << mail[0]["body"];
    EXPECT_EQ(mail[0]["body"].get<std::string>().find("FIXED"), std::string::npos);
    EXPECT_NE(mail[1]["body"].get<std::string>().find("FIXED: Payments work again."), std::string::npos) << mail[1]["body"];
    EXPECT_EQ(mail[1]["subject"], "Checkout failing: Resolved");
}

TEST_F(IncidentTest, BadSubscriptionsAreRefusedWithTheirField) {
    auto field = [&](const json& body) {
        auto reply = Post("/api/v1/webhooks", body);
        EXPECT_EQ(reply.status / 100, 4) << reply.body;
        return Json(reply)["error"].value("field", "");
    };
    EXPECT_EQ(field({{"url", "ftp://127.0.0.1/x"}}), "url");
    EXPECT_EQ(field({{"url", "http://127.0.0.1/has space"}}), "url");
    EXPECT_EQ(field({{"description", "no url"}}), "url");
    EXPECT_EQ(field({{"url", hooks_->Url()}, {"events", {"incident", "bogus"}}}), "events");
    EXPECT_EQ(field({{"url", hooks_->Url()}, {"secret", "short"}}), "secret");
    EXPECT_EQ(field({{"url", hooks_->Url()}, {"customer_id", 999}}), "customer_id");
    EXPECT_EQ(field({{"url", hooks_->Url()}, {"colour", "red"}}), "colour");
    EXPECT_EQ(Json(Get("/api/v1/webhooks"))["data"].size(), 0u) << "nothing half-written";
    std::string agent = AddUser("agent-a", Role::kAgent);
    EXPECT_EQ(Call("POST", "/api/v1/webhooks", json{{"url", hooks_->Url()}}.dump(), {}, agent).status, 403);
}

TEST_F(IncidentTest, APromisedUpdateRemindsBeforeItIsDueAndEscalatesAfterOnceEach) {
    Subscribe({{"url", hooks_->Url()}, {"events", {"incident.reminder", "incident.escalation"}}});
    Subscribe({{"url", hooks_->Url("/public")}});  // the Statuspage events only: never the team's reminders
    std::string id = Declare();  // next update promised in 30 minutes: remind 10 minutes before
    WaitUntilDelivered();
    std::int64_t base = Queued();  // the page webhooks of the declaration
    auto sweep = [&] {
        auto swept = status_board_->SweepPromises();
        ASSERT_TRUE(swept) << swept.error().message;
    };
    clock_.Advance(std::chrono::minutes(19));
    sweep();
    EXPECT_EQ(Queued(), base) << "nothing 11 minutes before";
    clock_.Advance(std::chrono::minutes(2));
    sweep();
    sweep();
    EXPECT_EQ(Queued(), base + 2) << "one reminder email and one webhook, however often it sweeps";
    clock_.Advance(std::chrono::minutes(10));  // 31 minutes: overdue
    sweep();
    sweep();
    EXPECT_EQ(Queued(), base + 4);
    EXPECT_TRUE(Json(Get("/api/v1/incidents/" + id))["overdue"].get<bool>());
    WaitUntilDelivered();
    auto mail = sink_->Messages();
    ASSERT_EQ(mail.size(), 2u);
    EXPECT_EQ(mail[0]["rcpt_tos"][0], "oncall@acme.test");
    EXPECT_NE(mail[0]["subject"].get<std::string>().find("Update due soon: Checkout failing"), std::string::npos);
    EXPECT_NE(mail[0]["body"].get<std::string>().find("amends incident update " + id), std::string::npos);
    EXPECT_EQ(mail[1]["rcpt_tos"][0], "leads@acme.test");
    EXPECT_NE(mail[1]["subject"].get<std::string>().find("Overdue"), std::string::npos);
    auto hooks = hooks_->Requests();
    ASSERT_EQ(OfEvent(hooks, "incident.reminder").size(), 1u);
    ASSERT_EQ(OfEvent(hooks, "incident.escalation").size(), 1u);
    json escalation = json::parse(OfEvent(hooks, "incident.escalation")[0]["body"].get<std::string>());
    EXPECT_TRUE(escalation["promise"]["overdue"].get<bool>());
    for (const auto& r : hooks)
        if (r["path"] == "/public") {
            EXPECT_TRUE(r["headers"]["x-amends-event"] == "incident" || r["headers"]["x-amends-event"] == "component");
        }

    // A new update makes a new promise; the old one is kept.
    ASSERT_EQ(Post("/api/v1/incidents/" + id + "/updates",
                   {{"status", "monitoring"}, {"body", "Rolled back; watching."}, {"next_update_in", "1h"}})
                  .status,
              201);
    WaitUntilDelivered();
    base = Queued();
    sweep();
    EXPECT_EQ(Queued(), base);
    EXPECT_FALSE(Json(Get("/api/v1/incidents/" + id))["overdue"].get<bool>());
    clock_.Advance(std::chrono::minutes(51));
    sweep();
    EXPECT_EQ(Queued(), base + 2) << "the new promise's reminder";
}

TEST_F(IncidentTest, ANewCaseIsLinkedToTheIncidentThatCausedItWithASuggestedReply) {
    std::string id = Declare();
    Id maya = Customer("Maya Patel", "maya@example.com");
    Attach(id, maya);
    auto open = [&](const json& body) {
        auto reply = Post("/api/v1/cases", body);
        EXPECT_EQ(reply.status, 201) << reply.body;
        return Json(Get("/api/v1/cases/" + std::to_string(Json(reply)["id"].get<Id>())));
    };
    json affected = open({{"customer_id", maya}, {"subject", "Where is my refund?"}, {"category", "billing"}});
    ASSERT_EQ(affected["incidents"].size(), 1u) << affected.dump();
    EXPECT_EQ(affected["incidents"][0]["id"], id);
    EXPECT_EQ(affected["incidents"][0]["reason"], "affected");
    std::string reply = affected["incidents"][0]["suggested_reply"];
    EXPECT_NE(reply.find("Hi Maya"), std::string::npos) << reply;
    EXPECT_NE(reply.find("Checkout failing"), std::string::npos) << reply;
    EXPECT_NE(reply.find("/incidents/" + id), std::string::npos) << reply;

    json words = open({{"customer", {{"name", "Sam Lee"}, {"email", "sam@example.com"}}},
                       {"subject", "Your checkout keeps failing"},
                       {"category", "billing"}});
    ASSERT_EQ(words["incidents"].size(), 1u) << words.dump();
    EXPECT_EQ(words["incidents"][0]["reason"], "components");
    json unrelated = open({{"customer", {{"name", "Ann Other"}, {"email", "ann@example.com"}}},
                           {"subject", "Checkouts of library books"},
                           {"category", "other"}});
    EXPECT_EQ(unrelated["incidents"].size(), 0u) << "a word that only contains a component's name is no match";
    EXPECT_EQ(Json(Get("/api/v1/incidents/" + id))["contacts"], 2);

    // The suggested reply is one the coach lets go: it apologizes and owns the problem.
    auto coached = Post("/api/v1/coach", {{"text", reply}});
    ASSERT_EQ(coached.status, 200) << coached.body;
    EXPECT_NE(Json(coached)["verdict"], "poor") << coached.body;

    // Once resolved, new cases are not linked.
    ASSERT_EQ(Post("/api/v1/incidents/" + id + "/updates", {{"status", "resolved"}, {"body", "Fixed."}}).status, 201);
    json later = open({{"customer_id", maya}, {"subject", "Checkout again?"}, {"category", "billing"}});
    EXPECT_EQ(later["incidents"].size(), 0u);
}

TEST_F(IncidentTest, TheCliDeclaresAndUpdatesBesideTheServer) {
    CatchUpWithTheSystemClock();
    Id maya = Customer("Maya Patel", "maya@example.com");
    cli::IncidentFlags flags;
    flags.db = db_;
    flags.public_url = "http://127.0.0.1:" + std::to_string(port_);
    flags.progress = false;
    flags.mail_domain = "acme.test";  // what `--config` reads from [smtp] from
    flags.name = "Deliveries late in Leeds";
    flags.body = "A van broke down; we're sorry. Boxes arrive a day late.";
    flags.components = {"delivery=partial_outage"};
    flags.next_update = "2h";
    flags.impact = "huge";
    EXPECT_EQ(cli::IncidentDeclare(flags), 64) << "a bad --impact";
    flags.impact = "minor";
    flags.components = {"delivery"};
    EXPECT_EQ(cli::IncidentDeclare(flags), 64) << "a --component without =STATUS";
    flags.components = {"delivery=partial_outage"};
    ASSERT_EQ(cli::IncidentDeclare(flags), 0);

    // The server follows the log another process appended to.
    json unresolved;
    for (int i = 0; i < 500; ++i) {
        unresolved = Json(Call("GET", "/api/v2/incidents/unresolved.json", "", {{"Authorization", "-"}}));
        if (unresolved["incidents"].size() == 1) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ASSERT_EQ(unresolved["incidents"].size(), 1u);
    std::string id = unresolved["incidents"][0]["id"];
    EXPECT_EQ(unresolved["incidents"][0]["name"], "Deliveries late in Leeds");
    Attach(id, maya, {{"order", "A-7"}});
    WaitUntilDelivered();
    ASSERT_EQ(sink_->Messages().size(), 1u);

    flags.id = id;
    flags.name.clear();
    flags.status = "resolved";
    flags.body = "Every late box has arrived.";
    flags.components = {"delivery=operational"};
    flags.next_update.clear();
    ASSERT_EQ(cli::IncidentUpdate(flags), 0);
    WaitUntilDelivered();
    auto mail = sink_->WaitFor(2);
    ASSERT_EQ(mail.size(), 2u) << "the CLI's update reached the affected customer";
    EXPECT_NE(mail[1]["body"].get<std::string>().find("Every late box has arrived."), std::string::npos);
    EXPECT_TRUE(mail[1]["message_id"].get<std::string>().ends_with("@acme.test>"))
        << "the CLI's notice names the server's mail domain, not a fixed one: " << mail[1]["message_id"];
    flags.id = "nosuchincident";
    EXPECT_EQ(cli::IncidentUpdate(flags), 64);
}

}  // namespace
}  // namespace amends::testing
