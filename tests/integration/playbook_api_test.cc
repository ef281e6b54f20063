// The recovery playbook through the API: evidence events, progress, the scheduler's sweep and the queue.
// Time is a ManualClock: tests move it instead of sleeping.

#include "tests/integration/api_fixture.h"

namespace amends::testing {
namespace {

using nlohmann::json;

class PlaybookApiTest : public ApiTest {
protected:
    std::string OpenCase(const std::string& subject, const std::string& severity = "normal") {
        auto customer = NewCustomer("Maya " + subject, "maya" + std::to_string(++n_) + "@example.com");
        auto reply = Post("/api/v1/cases", {{"customer_id", customer["id"]}, {"subject", subject},
                                            {"category", "delivery"}, {"severity", severity}});
        EXPECT_EQ(reply.status, 201) << reply.body;
        return std::to_string(Json(reply)["id"].get<Id>());
    }
    json Progress(const std::string& id) {
        auto reply = Get("/api/v1/cases/" + id + "/progress");
        EXPECT_EQ(reply.status, 200) << reply.body;
        return Json(reply);
    }
    std::string StepState(const json& progress, const std::string& step) {
        for (const auto& s : progress["steps"])
            if (s["step"] == step) return s["state"];
        return "missing";
    }
    HttpReply Evidence(const std::string& id, const std::string& type, const json& data) {
        return Post("/api/v1/cases/" + id + "/events", {{"type", type}, {"data", data}});
    }
    int Sweep() {
        auto swept = scheduler_->SweepOnce();
        EXPECT_TRUE(swept) << swept.error().message;
        return swept.value_or(-1);
    }
    std::vector<std::string> EventTypes(const std::string& id) {
        std::vector<std::string> out;
        auto events = Json(Get("/api/v1/cases/" + id + "/events?limit=200"));
        for (auto& e : events["data"]) out.push_back(e["type"]);
        return out;
    }
    int n_ = 0;
};

TEST_F(PlaybookApiTest, ANewCaseIsDueForAcknowledgementWithinAnHour) {
    auto id = OpenCase("Grocery box never came");
    auto p = Progress(id);
    EXPECT_EQ(p["next_due"]["step"], "acknowledge");
    EXPECT_EQ(p["next_due"]["due_at"], "2026-11-23T10:00:00.000Z");
    auto queue = Json(Get("/api/v1/queue"));
    ASSERT_EQ(queue["data"].size(), 1u);
    EXPECT_EQ(queue["data"][0]["next_step"], "acknowledge");
    EXPECT_EQ(queue["data"][0]["overdue"], false);
}

TEST_F(PlaybookApiTest, TheNeglectedCaseBreachesRisesToTheTopAndEscalates) {
    auto attended = OpenCase("Order three weeks late");
    clock_.Advance(std::chrono::minutes(10));
    auto neglected = OpenCase("Grocery box never came");
    ASSERT_EQ(Post("/api/v1/cases/" + attended + "/messages",
                   {{"body", "I'm so sorry your order is late; I'm on it."}, {"completes", {"acknowledge", "apologize"}}})
                  .status,
              201);
    clock_.Advance(std::chrono::minutes(20));
    EXPECT_EQ(Sweep(), 0);  // nothing due yet
    clock_.Advance(std::chrono::hours(1));
    EXPECT_EQ(Sweep(), 1);  // the neglected case's acknowledgement breached
    EXPECT_EQ(Sweep(), 0);  // and is recorded once
    auto types = EventTypes(neglected);
    EXPECT_EQ(std::count(types.begin(), types.end(), "clock.breached"), 1);

    auto queue = Json(Get("/api/v1/queue"));
    ASSERT_GE(queue["data"].size(), 2u);
    auto top = queue["data"][0];
    EXPECT_EQ(std::to_string(top["case"]["id"].get<Id>()), neglected);
    EXPECT_EQ(top["overdue"], true);
    EXPECT_EQ(top["escalated"], true);
    EXPECT_EQ(top["late_by_seconds"], 20 * 60);  // opened at 09:10, due 10:10, now 10:30
    auto escalations = Json(Get("/api/v1/queue?escalated=true"));
    ASSERT_EQ(escalations["data"].size(), 1u);
    EXPECT_EQ(std::to_string(escalations["data"][0]["case"]["id"].get<Id>()), neglected);
}

TEST_F(PlaybookApiTest, ACaseWaitingOnTheCustomerDoesNotBreach) {
    auto id = OpenCase("Laptop skin billed as wall skin");
    ASSERT_EQ(Post("/api/v1/cases/" + id + "/messages",
                   {{"body", "I'm sorry we mixed up your order. Could you send the order number?"},
                    {"completes", {"acknowledge", "apologize", "listen"}}})
                  .status,
              201);
    ASSERT_EQ(Patch("/api/v1/cases/" + id, {{"state", "waiting_on_customer"}}).status, 200);
    clock_.Advance(std::chrono::hours(24 * 7));
    EXPECT_EQ(Sweep(), 0);
    EXPECT_TRUE(Progress(id)["paused"].get<bool>());
    auto types = EventTypes(id);
    EXPECT_EQ(std::count(types.begin(), types.end(), "clock.breached"), 0);
    // The customer's answer restarts the clocks.
    ASSERT_EQ(Post("/api/v1/cases/" + id + "/messages", {{"direction", "in"}, {"body", "It's order FH-5521."}}).status, 201);
    EXPECT_FALSE(Progress(id)["paused"].get<bool>());
    EXPECT_EQ(Json(Get("/api/v1/cases/" + id))["state"], "open");
}

TEST_F(PlaybookApiTest, TheGroceryBoxWalksEveryStepWithItsEvidence) {
    auto id = OpenCase("Grocery box never came", "high");
    clock_.Advance(std::chrono::minutes(15));
    ASSERT_EQ(Post("/api/v1/cases/" + id + "/messages",
                   {{"body", "I'm sorry, we made a mistake with your delivery. What would make this right?"},
                    {"completes", {"acknowledge", "apologize", "listen"}}})
                  .status,
              201);
    ASSERT_EQ(Evidence(id, "offer.made", {{"offer_id", "o1"}, {"summary", "Redeliver Thursday and 50% off next box"},
                                          {"due", "2026-11-26T18:00:00Z"}, {"remedy", "discount"}})
                  .status,
              201);
    clock_.Advance(std::chrono::hours(2));
    ASSERT_EQ(Evidence(id, "offer.accepted", {{"offer_id", "o1"}, {"comment", "Thank you"}}).status, 201);
    ASSERT_EQ(Post("/api/v1/cases/" + id + "/messages",
                   {{"body", "Confirmed: your box arrives Thursday by 6pm, and 50% comes off the next one."},
                    {"completes", {"confirm"}}})
                  .status,
              201);
    clock_.Advance(std::chrono::hours(72));
    ASSERT_EQ(Post("/api/v1/cases/" + id + "/messages",
                   {{"body", "Your box was delivered this afternoon; I'll check in next week."}, {"completes", {"keep_informed"}}})
                  .status,
              201);
    ASSERT_EQ(Patch("/api/v1/cases/" + id, {{"state", "resolved"}}).status, 200);
    clock_.Advance(std::chrono::hours(24 * 3));
    ASSERT_EQ(Post("/api/v1/cases/" + id + "/messages", {{"body", "How did we do?"}, {"completes", {"follow_up"}}}).status, 201);
    ASSERT_EQ(Evidence(id, "followup.answered", {{"score", 5}, {"comment", "Great save"}}).status, 201);
    ASSERT_EQ(Evidence(id, "cause.one_off", {{"reason", "Courier lost one box; route checked"}}).status, 201);

    auto p = Progress(id);
    for (const char* step : {"acknowledge", "apologize", "listen", "offer", "agree", "confirm", "keep_informed",
                             "follow_up", "fix_cause"})
        EXPECT_EQ(StepState(p, step), "done") << step << "\n" << p.dump(1);
    EXPECT_EQ(p["follow_up_score"], 5);
    EXPECT_EQ(Sweep(), 0);
    EXPECT_EQ(Json(Get("/api/v1/queue"))["data"].size(), 0u);
}

TEST_F(PlaybookApiTest, EvidenceIsCheckedBeforeItIsStored) {
    auto id = OpenCase("x");
    auto events_before = EventTypes(id).size();
    auto bad_step = Post("/api/v1/cases/" + id + "/messages", {{"body", "hi"}, {"completes", {"dance"}}});
    EXPECT_EQ(bad_step.status, 400);
    EXPECT_EQ(Json(bad_step)["error"]["field"].get<std::string>().rfind("completes", 0), 0u) << bad_step.body;
    auto bad_score = Evidence(id, "followup.answered", {{"score", 9}});
    EXPECT_EQ(bad_score.status, 400);
    EXPECT_EQ(Json(bad_score)["error"]["field"], "data.score") << bad_score.body;
    auto system_only = Evidence(id, "clock.breached", {{"clock", "acknowledge"}, {"due", "2026-11-23T10:00:00Z"}});
    EXPECT_EQ(system_only.status, 400);
    EXPECT_EQ(Json(system_only)["error"]["field"], "type");
    EXPECT_EQ(Evidence(id, "made.up", json::object()).status, 400);
    EXPECT_EQ(EventTypes(id).size(), events_before);
    EXPECT_EQ(Get("/api/v1/cases/9999/progress").status, 404);
    EXPECT_EQ(Get("/api/v1/queue?assignee=someone").status, 400);
}

TEST_F(PlaybookApiTest, TheQueueFiltersByAssignee) {
    auto mine = OpenCase("mine");
    OpenCase("unassigned");
    auto me = Json(Get("/api/v1/me"));
    ASSERT_EQ(Patch("/api/v1/cases/" + mine, {{"assignee_id", me["id"]}}).status, 200);
    auto queue = Json(Get("/api/v1/queue?assignee=me"));
    ASSERT_EQ(queue["data"].size(), 1u);
    EXPECT_EQ(std::to_string(queue["data"][0]["case"]["id"].get<Id>()), mine);
    EXPECT_EQ(Json(Get("/api/v1/queue?assignee=none"))["data"].size(), 1u);
}

}  // namespace
}  // namespace amends::testing

namespace amends::testing {
namespace {

using nlohmann::json;

TEST_F(ApiTest, TheCoachFlagsBlameAndExplanationWithoutApology) {
    auto blame = Post("/api/v1/coach", {{"text", "That can't happen, you must have misused it."}});
    ASSERT_EQ(blame.status, 200) << blame.body;
    auto report = Json(blame);
    EXPECT_EQ(report["verdict"], "poor");
    bool blamed = false;
    for (auto& f : report["findings"]) blamed = blamed || f["kind"] == "blame_customer";
    EXPECT_TRUE(blamed) << blame.body;

    auto good = Json(Post("/api/v1/coach",
                          {{"text", "I'm so sorry we missed your delivery, that was our mistake. I've booked a new box "
                                    "for Thursday and taken 50% off your next order. Thank you for telling us, and "
                                    "please reply if Thursday doesn't suit you."}}));
    EXPECT_EQ(good["elements"]["apology"], true) << good.dump();
    EXPECT_NE(good["verdict"], "poor");
}

TEST_F(ApiTest, TheCoachTakesItsContextFromACase) {
    auto customer = NewCustomer("K", "k@example.com");
    auto id = NewCase(customer["id"], "Box never came")["id"].get<Id>();
    auto reply = Post("/api/v1/coach", {{"text", "I think it was caused by a bug in our system."}, {"case_id", id}});
    ASSERT_EQ(reply.status, 200) << reply.body;
    EXPECT_EQ(Json(reply)["elements"]["apology"], false);
    EXPECT_EQ(Post("/api/v1/coach", {{"text", "hi"}, {"case_id", 987654}}).status, 422);
    auto missing = Post("/api/v1/coach", {{"context", {{"step", "offer"}}}});
    EXPECT_EQ(missing.status, 400);
    EXPECT_EQ(Json(missing)["error"]["field"], "text");
    auto bad_step = Post("/api/v1/coach", {{"text", "x"}, {"context", {{"step", "dance"}}}});
    EXPECT_EQ(Json(bad_step)["error"]["field"], "context.step");
}

}  // namespace
}  // namespace amends::testing

namespace amends::testing {
namespace {

using nlohmann::json;

TEST_F(ApiTest, EveryOutboundMessageKeepsItsCoachReport) {
    auto customer = NewCustomer("L", "l@example.com");
    auto id = std::to_string(NewCase(customer["id"], "Wrong price at the till")["id"].get<Id>());
    auto sent = Post("/api/v1/cases/" + id + "/messages",
                     {{"body", "I'm sorry we charged you the wrong price; that was our mistake. The olive oil is "
                               "free, and I've refunded the 3.99 today."}});
    ASSERT_EQ(sent.status, 201) << sent.body;
    auto messages = Json(Get("/api/v1/cases/" + id + "/messages"))["data"];
    ASSERT_EQ(messages.size(), 1u);
    EXPECT_EQ(messages[0]["coach"]["elements"]["apology"], true) << messages[0].dump();
    EXPECT_TRUE(messages[0]["coach"]["verdict"].is_string());
    auto inbound = Post("/api/v1/cases/" + id + "/messages", {{"direction", "in"}, {"body", "Thanks!"}});
    EXPECT_TRUE(Json(inbound)["coach"].is_null());
}

TEST_F(ApiTest, TheSendPolicyRefusesBlameWith422AndTheFindings) {
    auto customer = NewCustomer("M", "m@example.com");
    auto id = std::to_string(NewCase(customer["id"], "App crashed")["id"].get<Id>());
    auto refused = Post("/api/v1/cases/" + id + "/messages", {{"body", "That can't happen, you must have misused it."}});
    ASSERT_EQ(refused.status, 422) << refused.body;
    auto body = Json(refused);
    EXPECT_EQ(body["error"]["field"], "body");
    bool blamed = false;
    for (auto& f : body["coach"]["findings"]) blamed = blamed || f["kind"] == "blame_customer";
    EXPECT_TRUE(blamed) << refused.body;
    EXPECT_EQ(Json(Get("/api/v1/cases/" + id + "/messages"))["data"].size(), 0u);
}

TEST_F(ApiTest, ThePolicyCanRequireAnApologyWhenTheFaultIsOurs) {
    StopServer();
    send_policy_.require_apology_when_ours = true;
    StartServer();
    auto customer = NewCustomer("N", "n@example.com");
    auto id = std::to_string(NewCase(customer["id"], "Box never came")["id"].get<Id>());
    EXPECT_EQ(Post("/api/v1/cases/" + id + "/messages", {{"body", "I think it was caused by a bug in our system."}}).status, 422);
    EXPECT_EQ(Post("/api/v1/cases/" + id + "/messages",
                   {{"body", "I'm so sorry, we made a mistake with your delivery. A new box arrives Thursday."}})
                  .status,
              201);
}

TEST_F(ApiTest, ARepeatedReplyToTheSameCustomerIsFlaggedAsBoilerplate) {
    auto customer = NewCustomer("O", "o@example.com");
    auto id = std::to_string(NewCase(customer["id"], "Order late")["id"].get<Id>());
    std::string macro = "Unfortunately we won't have the item for another week. Our apologies for the delay, and for "
                        "the fact that we didn't inform you earlier.";
    ASSERT_EQ(Post("/api/v1/cases/" + id + "/messages", {{"body", macro}}).status, 201);
    clock_.Advance(std::chrono::hours(24 * 28));
    ASSERT_EQ(Post("/api/v1/cases/" + id + "/messages", {{"body", macro}}).status, 201);
    auto messages = Json(Get("/api/v1/cases/" + id + "/messages"))["data"];
    ASSERT_EQ(messages.size(), 2u);
    auto has_boilerplate = [](const json& m) {
        for (auto& f : m["coach"]["findings"])
            if (f["kind"] == "boilerplate") return true;
        return false;
    };
    EXPECT_FALSE(has_boilerplate(messages[0])) << messages[0].dump();
    EXPECT_TRUE(has_boilerplate(messages[1])) << messages[1].dump();
    // The index is rebuilt from the store after a restart.
    StopServer();
    StartServer();
    auto again = Post("/api/v1/cases/" + id + "/messages", {{"body", macro}});
    ASSERT_EQ(again.status, 201);
    EXPECT_TRUE(has_boilerplate(Json(again))) << again.body;
}

}  // namespace
}  // namespace amends::testing

namespace amends::testing {
namespace {

using nlohmann::json;

class CasePageTest : public ApiTest {
protected:
    // A case for a customer named with markup, with an offer made; returns the page's path.
    std::string CaseWithOffer(std::string& id) {
        auto customer = NewCustomer("<script>alert(1)</script>", "page@example.com");
        auto c = Post("/api/v1/cases", {{"customer_id", customer["id"]},
                                        {"subject", "Box never came <b>again</b>"},
                                        {"description", "Delivery missed on Monday & nobody called."}});
        id = std::to_string(Json(c)["id"].get<Id>());
        EXPECT_EQ(Post("/api/v1/cases/" + id + "/events",
                       {{"type", "offer.made"},
                        {"data", {{"offer_id", "o1"}, {"summary", "New box Thursday & 50% off"}, {"due", "2026-11-26T18:00:00Z"}}}})
                      .status,
                  201);
        auto link = Json(Get("/api/v1/cases/" + id + "/link"));
        return link["url"];
    }
    HttpReply Public(const std::string& method, const std::string& path, const std::string& body = "") {
        return Call(method, path, body, {{"Authorization", "-"}});
    }
};

TEST_F(CasePageTest, TheCustomerSeesTheirCaseEscapedAndAcceptsTheOffer) {
    std::string id;
    auto page_path = CaseWithOffer(id);
    auto page = Public("GET", page_path);
    ASSERT_EQ(page.status, 200) << page.body;
    EXPECT_EQ(page.headers["content-type"], "text/html; charset=utf-8");
    EXPECT_NE(page.body.find("Box never came &lt;b&gt;again&lt;/b&gt;"), std::string::npos) << page.body;
    EXPECT_EQ(page.body.find("<b>again</b>"), std::string::npos);
    EXPECT_NE(page.body.find("New box Thursday &amp; 50% off"), std::string::npos);
    EXPECT_NE(page.body.find("value=\"accept\""), std::string::npos);
    EXPECT_EQ(page.body.find("<script"), std::string::npos);

    auto accepted = Public("POST", page_path + "/offers/o1", "answer=accept&comment=Thank+you");
    EXPECT_EQ(accepted.status, 303);
    EXPECT_EQ(accepted.headers["location"], page_path);
    auto progress = Json(Get("/api/v1/cases/" + id + "/progress"));
    EXPECT_EQ(progress["offers"][0]["answer"], "accepted") << progress.dump();
    auto events = Json(Get("/api/v1/cases/" + id + "/events"))["data"];
    EXPECT_EQ(events.back()["type"], "offer.accepted");
    EXPECT_EQ(events.back()["actor"], "customer");
    EXPECT_NE(Public("GET", page_path).body.find("You accepted this."), std::string::npos);
}

TEST_F(CasePageTest, ForgedAlteredAndExpiredLinksShowNoData) {
    std::string id;
    auto page_path = CaseWithOffer(id);
    std::string altered = page_path;
    altered[5] = altered[5] == 'A' ? 'B' : 'A';
    for (const auto& path : {altered, std::string("/c/not-a-token"), std::string("/c/") + std::string(40, 'A')}) {
        auto r = Public("GET", path);
        EXPECT_EQ(r.status, 404) << path;
        EXPECT_EQ(r.body.find("Box never came"), std::string::npos);
        EXPECT_NE(r.body.find("not valid"), std::string::npos);
    }
    EXPECT_EQ(Public("POST", altered + "/offers/o1", "answer=accept").status, 404);
    clock_.Advance(std::chrono::hours(24 * 91));
    auto expired = Public("GET", page_path);
    EXPECT_EQ(expired.status, 410);
    EXPECT_EQ(expired.body.find("Box never came"), std::string::npos);
    EXPECT_EQ(Json(Get("/api/v1/cases/" + id + "/progress"))["offers"][0]["answer"], "pending");
}

// Regression: answering an offer the case does not have was a silent 303 (and an event the playbook ignored).
TEST_F(CasePageTest, AnAnswerToAnOfferNotMadeIsANotFoundPage) {
    std::string id;
    auto page_path = CaseWithOffer(id);
    auto events = Json(Get("/api/v1/cases/" + id + "/events"))["data"].size();
    for (const char* answer : {"accept", "decline"}) {
        auto r = Public("POST", page_path + "/offers/nosuch", std::string("answer=") + answer);
        EXPECT_EQ(r.status, 404) << answer;
        EXPECT_EQ(r.headers["content-type"], "text/html; charset=utf-8");
        EXPECT_NE(r.body.find("This offer is not on your case"), std::string::npos) << r.body;
        EXPECT_NE(r.body.find("href=\"" + page_path + "\""), std::string::npos) << "a way back: " << r.body;
    }
    EXPECT_EQ(Json(Get("/api/v1/cases/" + id + "/events"))["data"].size(), events);
    EXPECT_EQ(Json(Get("/api/v1/cases/" + id + "/progress"))["offers"][0]["answer"], "pending");
    EXPECT_EQ(Public("POST", page_path + "/offers/o1", "answer=decline").status, 303);
}

TEST_F(CasePageTest, TheCustomerAnswersTheFollowUpOnTheirPage) {
    std::string id;
    auto page_path = CaseWithOffer(id);
    EXPECT_EQ(Public("GET", page_path).body.find("How did we do?"), std::string::npos);
    ASSERT_EQ(Patch("/api/v1/cases/" + id, {{"state", "resolved"}}).status, 200);
    EXPECT_NE(Public("GET", page_path).body.find("How did we do?"), std::string::npos);
    EXPECT_EQ(Public("POST", page_path + "/followup", "score=9").status, 400);
    EXPECT_EQ(Public("POST", page_path + "/followup", "score=4&comment=Good+save").status, 303);
    EXPECT_EQ(Json(Get("/api/v1/cases/" + id + "/progress"))["follow_up_score"], 4);
    EXPECT_NE(Public("GET", page_path).body.find("Thank you for your answer (4 of 5)"), std::string::npos);
}

}  // namespace
}  // namespace amends::testing

namespace amends::testing {
namespace {

// Regression: a PATCH of severity (or category) chooses another clock policy, so the queue's deadline must move.
TEST_F(ApiTest, ChangingSeverityMovesTheDeadlineToTheNewPolicy) {
    StopServer();
    playbook::ClockPolicy urgent;
    urgent.name = "urgent";
    urgent.match.severities = {Severity::kCritical};
    urgent.targets.acknowledge = std::chrono::minutes(15);
    clocks_.policies = {urgent};
    StartServer();
    auto customer = NewCustomer("Q", "q@example.com");
    auto id = std::to_string(NewCase(customer["id"], "Site down")["id"].get<Id>());
    auto before = Json(Get("/api/v1/queue"))["data"][0];
    EXPECT_EQ(before["due_at"], "2026-11-23T10:00:00.000Z");
    EXPECT_EQ(before["policy"], "default");
    ASSERT_EQ(Patch("/api/v1/cases/" + id, {{"severity", "critical"}}).status, 200);
    auto after = Json(Get("/api/v1/queue"))["data"][0];
    EXPECT_EQ(after["due_at"], "2026-11-23T09:15:00.000Z") << after.dump();
    EXPECT_EQ(after["policy"], "urgent");
}

}  // namespace
}  // namespace amends::testing
