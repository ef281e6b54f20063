// Outbound email through the transactional outbox, against a real SMTP server (aiosmtpd) on 127.0.0.1: what a
// customer receives, the link to their case page in it, retries when the server refuses or is down, and the
// recovery stories of shared/domain end to end over HTTP and SMTP. Time is a ManualClock; the outbox worker polls
// in real time, so tests wait for mail to arrive (bounded) instead of sleeping.

#include <fstream>
#include <sstream>

#include "notify/smtp.h"
#include "tests/support/process.h"

#include "app/outbound.h"
#include "tests/integration/mail_fixture.h"

namespace amends::testing {
namespace {

using nlohmann::json;

TEST_F(MailTest, AReplyIsEmailedToTheCustomerWithTheLinkToTheirCasePage) {
    auto id = OpenCase("Zoë Ann", "ann@example.com", "Grocery box never came — order 123");
    std::string long_line(120, 'x');
    std::string text = "I'm so sorry, we made a mistake with your box.\n.\nFrom now on I'll check each week. Café " +
                       long_line + "\nWhat would make this right?";
    auto sent = Reply(id, {{"body", text}, {"completes", {"acknowledge", "apologize", "listen"}}});
    EXPECT_EQ(sent["delivery"]["state"], "pending") << sent.dump();
    EXPECT_EQ(sent["delivery"]["recipient"], "ann@example.com");

    auto mail = sink_->WaitFor(1);
    ASSERT_EQ(mail.size(), 1u);
    auto& m = mail[0];
    EXPECT_EQ(m["mail_from"], "support@acme.test");
    EXPECT_EQ(m["rcpt_tos"], json::array({"ann@example.com"}));
    EXPECT_EQ(m["from"], "Acme Support <support@acme.test>");
    EXPECT_EQ(m["to"], "ann@example.com");
    EXPECT_EQ(m["subject"], "Grocery box never came — order 123 [case #" + id + "]");
    EXPECT_EQ(m["charset"], "utf-8");
    std::string body = m["body"];
    EXPECT_EQ(body.substr(0, text.size() + 1), text + "\n") << nlohmann::json(body).dump();  // the reply exactly, lone dot and long line included
    EXPECT_EQ(m["message_id"], "<case-" + id + ".message-" + std::to_string(sent["id"].get<Id>()) + "@acme.test>");
    EXPECT_EQ(m["in_reply_to"], "<case-" + id + "@acme.test>");
    EXPECT_EQ(m["references"], "<case-" + id + "@acme.test>");
    std::istringstream wire(m["raw"].get<std::string>());  // every line on the wire fits SMTP's limits
    for (std::string line; std::getline(wire, line);) EXPECT_LE(line.size(), 78u) << line;

    // The link opens the customer's own page.
    auto path = LinkPath(m);
    ASSERT_FALSE(path.empty()) << body;
    auto page = Public("GET", path);
    EXPECT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("Grocery box never came"), std::string::npos);

    auto delivered = WaitForDelivery(id, sent["id"], [](const json& d) { return d["state"] != "pending"; });
    EXPECT_EQ(delivered["delivery"]["state"], "sent") << delivered.dump();
    EXPECT_EQ(delivered["delivery"]["attempts"], 1);
    EXPECT_EQ(delivered["delivery"]["sent_at"], "2026-11-23T09:00:00.000Z");
}

TEST_F(MailTest, AReplyHasASignedReplyToAnHtmlPartAndNoUnsubscribe) {
    StopServer();
    mail_address_ = "help@acme.test";
    StartServer();
    auto id = OpenCase("Ann", "ann@example.com", "Box never came");
    auto sent = Reply(id, {{"body", "I'm so sorry <Ann> & family: see https://acme.test/track?o=1&x=2."}});
    auto mail = sink_->WaitFor(1);
    ASSERT_EQ(mail.size(), 1u);
    auto& m = mail[0];
    std::string reply_to = m["reply_to"];
    EXPECT_EQ(reply_to, app::ReplyAddress(*links_, "help@acme.test", std::stoll(id)));
    EXPECT_TRUE(reply_to.starts_with("help+c" + id + ".") && reply_to.ends_with("@acme.test")) << reply_to;
    EXPECT_EQ(app::CaseOfReplyAddress(*links_, reply_to), std::stoll(id));
    EXPECT_EQ(m["list_unsubscribe"], "") << "a customer cannot unsubscribe from answers to their own complaint";
    EXPECT_EQ(m["content_type"], "multipart/alternative");
    std::string html = m["html"];
    EXPECT_NE(html.find("I&#39;m so sorry &lt;Ann&gt; &amp; family"), std::string::npos) << html;
    EXPECT_NE(html.find("<a href=\"https://acme.test/track?o=1&amp;x=2\">"), std::string::npos) << html;
    EXPECT_NE(html.find("<a href=\"http://127.0.0.1:" + std::to_string(port_) + "/c/"), std::string::npos)
        << "the case page link is clickable";
    EXPECT_EQ(m["body"].get<std::string>().substr(0, 20), "I'm so sorry <Ann> &") << "the text part is the text";
}

TEST_F(MailTest, WithoutAMailAddressThereIsNoReplyTo) {
    auto id = OpenCase("Ann", "ann@example.com", "Box never came");
    Reply(id, {{"body", "I'm so sorry."}});
    auto mail = sink_->WaitFor(1);
    ASSERT_EQ(mail.size(), 1u);
    EXPECT_EQ(mail[0]["reply_to"], "");
}

TEST_F(MailTest, ARelayThatWantsStartTlsAndALoginGetsBoth) {
    // A relay like a real submission port: STARTTLS required, then AUTH (aiosmtpd with a certificate made here).
    auto dir = dir_ / "tls-relay";
    std::filesystem::create_directories(dir);
    auto made = RunShell("openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 "
                         "-addext subjectAltName=IP:127.0.0.1 -keyout " + (dir / "tls.key").string() + " -out " +
                         (dir / "tls.crt").string() + " 2>&1");
    ASSERT_EQ(made.exit_code, 0) << made.out;
    std::ofstream(dir / "auth") << "amends:s3cret\n";
    SmtpSink relay(dir);
    std::string port = relay.Url().substr(relay.Url().rfind(':') + 1);
    store::OutboxItem item;
    item.recipient = "ann@example.com";
    item.subject = "We're sorry";
    item.body = "Sorry.\n";
    item.headers_json = "{}";
    auto send = [&](notify::SmtpOptions o) { return notify::SmtpSender(std::move(o)).Deliver(item, clock_.Now()); };
    notify::SmtpOptions good{.url = relay.Url(), .from = "support@acme.test", .username = "amends",
                             .password = "s3cret", .require_tls = true, .ca_file = (dir / "tls.crt").string()};

    auto sent = send(good);
    EXPECT_EQ(sent.kind, notify::DeliveryResult::kSent) << sent.detail;
    auto in_url = good;
    in_url.url = "smtp://amends:s3cret@127.0.0.1:" + port;  // credentials in the URL, as libcurl reads them
    in_url.username.clear();
    in_url.password.clear();
    auto sent_too = send(in_url);
    EXPECT_EQ(sent_too.kind, notify::DeliveryResult::kSent) << sent_too.detail;
    auto got = relay.WaitFor(2);
    ASSERT_EQ(got.size(), 2u);
    for (const auto& m : got) {
        EXPECT_EQ(m["tls"], true);
        EXPECT_EQ(m["auth_user"], "amends");
    }

    auto wrong = good;
    wrong.password = "guess";
    auto refused = send(wrong);
    EXPECT_EQ(refused.kind, notify::DeliveryResult::kTransient) << "a bad login is our configuration: kept queued";
    auto untrusted = good;
    untrusted.ca_file.clear();  // the system's CAs do not know this certificate
    EXPECT_NE(send(untrusted).kind, notify::DeliveryResult::kSent);
    auto plain = good;
    plain.require_tls = false;  // no STARTTLS: the relay refuses to go on
    EXPECT_NE(send(plain).kind, notify::DeliveryResult::kSent);
    EXPECT_EQ(relay.Count(), 2u);
}

TEST_F(MailTest, OnlyRepliesMeantToBeSentAreSent) {
    auto id = OpenCase("Ann", "ann@example.com", "Box never came");
    auto recorded = Reply(id, {{"body", "Called Ann: I'm so sorry, a new box comes Thursday."}, {"send", false}});
    EXPECT_TRUE(recorded["delivery"].is_null()) << recorded.dump();
    auto inbound = Reply(id, {{"body", "Thanks, Thursday works."}, {"direction", "in"}});
    EXPECT_TRUE(inbound["delivery"].is_null());
    auto bad = Post("/api/v1/cases/" + id + "/messages", {{"body", "x"}, {"direction", "in"}, {"send", true}});
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(Json(bad)["error"]["field"], "send");
    EXPECT_EQ(Post("/api/v1/cases/" + id + "/messages", {{"body", "x"}, {"send", "yes"}}).status, 400);

    auto no_email = Post("/api/v1/cases", {{"customer", {{"name", "Walk-in"}}}, {"subject", "Wrong price at the till"}});
    ASSERT_EQ(no_email.status, 201);
    auto walk_in = std::to_string(Json(no_email)["id"].get<Id>());
    EXPECT_TRUE(Reply(walk_in, {{"body", "I'm sorry we charged you the wrong price."}})["delivery"].is_null());

    Reply(id, {{"body", "I'm sorry again, Ann: your box is on its way."}});
    auto mail = sink_->WaitFor(1);
    ASSERT_EQ(mail.size(), 1u);
    EXPECT_EQ(std::string(mail[0]["body"]).rfind("I'm sorry again, Ann", 0), 0u);
    auto counts = Counts();
    EXPECT_EQ(counts.pending + counts.sent + counts.failed, 1);
}

TEST_F(MailTest, NothingIsQueuedForARefusedReplyAndARetriedPostSendsOnce) {
    auto id = OpenCase("Ann", "ann@example.com", "Box never came");
    auto blamed = Post("/api/v1/cases/" + id + "/messages", {{"body", "That can't happen, you must have misused it."}});
    EXPECT_EQ(blamed.status, 422);
    auto first = Post("/api/v1/cases/" + id + "/messages", {{"body", "I'm so sorry we let you down."}},
                      {{"Idempotency-Key", "reply-1"}});
    auto again = Post("/api/v1/cases/" + id + "/messages", {{"body", "I'm so sorry we let you down."}},
                      {{"Idempotency-Key", "reply-1"}});
    EXPECT_EQ(first.status, 201);
    EXPECT_EQ(again.status, 201);
    EXPECT_EQ(again.headers["idempotent-replayed"], "true");
    ASSERT_EQ(sink_->WaitFor(1).size(), 1u);
    auto delivered = WaitForDelivery(id, Json(first)["id"], [](const json& d) { return d["state"] == "sent"; });
    EXPECT_EQ(delivered["delivery"]["state"], "sent");
    auto counts = Counts();
    EXPECT_EQ(counts.sent, 1);
    EXPECT_EQ(counts.pending + counts.failed, 0);
    EXPECT_EQ(sink_->Messages().size(), 1u);
}

TEST_F(MailTest, ARefusedEmailIsRetriedWithBackoffUntilTheServerTakesIt) {
    sink_->Refuse(true);
    auto id = OpenCase("Ann", "ann@example.com", "Box never came");
    auto sent = Reply(id, {{"body", "I'm so sorry we missed your delivery."}});
    auto tried = WaitForDelivery(id, sent["id"], [](const json& d) { return d["last_error"].is_string(); });
    EXPECT_EQ(tried["delivery"]["state"], "pending") << tried.dump();
    EXPECT_NE(std::string(tried["delivery"]["last_error"]).find("451"), std::string::npos) << tried.dump();
    sink_->Refuse(false);
    clock_.Advance(std::chrono::seconds(31));  // the first backoff is 30 s
    auto mail = sink_->WaitFor(1);
    ASSERT_EQ(mail.size(), 1u);
    auto delivered = WaitForDelivery(id, sent["id"], [](const json& d) { return d["state"] == "sent"; });
    EXPECT_EQ(delivered["delivery"]["state"], "sent") << delivered.dump();
    EXPECT_EQ(delivered["delivery"]["attempts"], 2);
    EXPECT_TRUE(delivered["delivery"]["last_error"].is_null());
}

TEST_F(MailTest, AMailboxThatDoesNotExistFailsForGoodAndOthersStillGo) {
    auto gone = OpenCase("Old address", "nobody@refused.test", "Box never came");
    auto lost = Reply(gone, {{"body", "I'm so sorry we missed your delivery."}});
    auto failed = WaitForDelivery(gone, lost["id"], [](const json& d) { return d["state"] != "pending"; });
    EXPECT_EQ(failed["delivery"]["state"], "failed") << failed.dump();
    EXPECT_NE(std::string(failed["delivery"]["last_error"]).find("550"), std::string::npos);

    clock_.Advance(std::chrono::hours(2));
    auto id = OpenCase("Ann", "ann@example.com", "Box never came");
    Reply(id, {{"body", "I'm so sorry we missed your delivery."}});
    ASSERT_EQ(sink_->WaitFor(1).size(), 1u);
    EXPECT_EQ(MessageNow(gone, lost["id"])["delivery"]["attempts"], 1);  // not tried again
    EXPECT_EQ(Counts().failed, 1);
}

TEST_F(MailTest, MailQueuedWhileTheMailServerIsDownArrivesOnceItIsBackEvenAcrossARestart) {
    sink_->Stop();
    auto id = OpenCase("Ann", "ann@example.com", "Box never came");
    auto sent = Reply(id, {{"body", "I'm so sorry we missed your delivery."}});
    auto tried = WaitForDelivery(id, sent["id"], [](const json& d) { return d["last_error"].is_string(); });
    EXPECT_EQ(tried["delivery"]["state"], "pending") << tried.dump();
    StopServer();
    sink_->Start();
    StartServer();
    clock_.Advance(std::chrono::seconds(31));
    ASSERT_EQ(sink_->WaitFor(1).size(), 1u);
    auto delivered = WaitForDelivery(id, sent["id"], [](const json& d) { return d["state"] == "sent"; });
    EXPECT_EQ(delivered["delivery"]["attempts"], 2);
    WaitUntilDelivered();
    EXPECT_EQ(sink_->Messages().size(), 1u);
}

// shared/domain: the grocery box that never came, with the customer answering from the links in their email.
TEST_F(MailTest, TheGroceryBoxOverHttpAndSmtp) {
    auto id = OpenCase("Maya", "maya@example.com", "Grocery box never came");
    clock_.Advance(std::chrono::minutes(15));
    Reply(id, {{"body", "Maya, I'm so sorry: we made a mistake and your box never left our depot. Could you tell "
                        "me what would make this right?"},
               {"completes", {"acknowledge", "apologize", "listen"}}});
    ASSERT_EQ(Post("/api/v1/cases/" + id + "/events",
                   {{"type", "offer.made"},
                    {"data", {{"offer_id", "o1"}, {"summary", "New box Thursday by 6pm and 50% off your next box"},
                              {"due", "2026-11-26T18:00:00Z"}, {"remedy", "discount"}}}})
                  .status,
              201);
    Reply(id, {{"body", "I'm sorry again for the wasted evening. I can bring a new box on Thursday by 6pm and take "
                        "50% off your next one. You can accept on your case page."}});
    auto offer_mail = sink_->WaitFor(2);
    ASSERT_EQ(offer_mail.size(), 2u);

    // Maya follows the link in the offer email and accepts there.
    auto page = LinkPath(offer_mail[1]);
    ASSERT_FALSE(page.empty());
    EXPECT_NE(Public("GET", page).body.find("New box Thursday by 6pm"), std::string::npos);
    clock_.Advance(std::chrono::hours(2));
    EXPECT_EQ(Public("POST", page + "/offers/o1", "answer=accept&comment=Thank+you").status, 303);

    Reply(id, {{"body", "Thank you, Maya. Confirmed: your box arrives Thursday by 6pm, and 50% comes off the next one."},
               {"completes", {"confirm"}}});
    clock_.Advance(std::chrono::hours(72));
    Reply(id, {{"body", "Your box was delivered this afternoon. I'll check in with you next week."},
               {"completes", {"keep_informed"}}});
    ASSERT_EQ(Patch("/api/v1/cases/" + id, {{"state", "resolved"}}).status, 200);
    clock_.Advance(std::chrono::hours(24 * 3));
    Reply(id, {{"body", "Maya, did Thursday's box put things right? Tell us how we did on your page."},
               {"completes", {"follow_up"}}});
    auto mail = sink_->WaitFor(5);
    ASSERT_EQ(mail.size(), 5u);
    for (const auto& m : mail) EXPECT_EQ(m["rcpt_tos"], json::array({"maya@example.com"}));

    // And answers the follow-up from the last email's link.
    auto followup = LinkPath(mail[4]);
    ASSERT_FALSE(followup.empty());
    EXPECT_NE(Public("GET", followup).body.find("How did we do?"), std::string::npos);
    EXPECT_EQ(Public("POST", followup + "/followup", "score=5&comment=Great+save").status, 303);
    ASSERT_EQ(Post("/api/v1/cases/" + id + "/events",
                   {{"type", "cause.one_off"}, {"data", {{"reason", "Courier lost one box; route checked"}}}})
                  .status,
              201);

    auto progress = Json(Get("/api/v1/cases/" + id + "/progress"));
    for (auto& step : progress["steps"]) EXPECT_EQ(step["state"], "done") << step.dump();
    EXPECT_EQ(progress["follow_up_score"], 5);
    EXPECT_EQ(progress["offers"][0]["answer"], "accepted");
    auto events = Json(Get("/api/v1/cases/" + id + "/events?limit=200"));
    int from_customer = 0;
    for (auto& e : events["data"]) from_customer += e["actor"] == "customer";
    EXPECT_EQ(from_customer, 2);  // the acceptance and the follow-up answer, both from their page
}

// shared/domain: the neglected case. Nobody answers: nothing reaches the customer, the acknowledgement clock
// breaches and escalates; the manager's late apology then goes out by email.
TEST_F(MailTest, TheNeglectedCaseSendsNothingUntilSomeoneAnswers) {
    auto id = OpenCase("Sam", "sam@example.com", "Order three weeks late and nobody told me");
    clock_.Advance(std::chrono::hours(3));
    auto swept = scheduler_->SweepOnce();
    ASSERT_TRUE(swept);
    EXPECT_EQ(*swept, 1);
    auto top = Json(Get("/api/v1/queue?escalated=true"))["data"];
    ASSERT_EQ(top.size(), 1u);
    EXPECT_EQ(std::to_string(top[0]["case"]["id"].get<Id>()), id);
    auto counts = Counts();
    EXPECT_EQ(counts.pending + counts.sent + counts.failed, 0);

    Reply(id, {{"body", "Sam, I'm sorry: we knew your order was late and we should have told you. It ships tomorrow "
                        "by express, at our cost."},
               {"completes", {"acknowledge", "apologize"}}});
    auto mail = sink_->WaitFor(1);
    ASSERT_EQ(mail.size(), 1u);
    EXPECT_EQ(mail[0]["rcpt_tos"], json::array({"sam@example.com"}));
}

}  // namespace
}  // namespace amends::testing
