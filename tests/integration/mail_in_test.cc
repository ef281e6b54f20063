// Complaints by email through the API and `amends mail-in`: a new sender opens a case, a reply to our email lands
// on its case (only from that case's customer), a redelivered message is filed once, automatic mail never opens a
// case, a bounce marks the address, our own mail is ignored, and the exit codes a mail server acts on.

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "tests/integration/api_fixture.h"
#include "tests/support/process.h"

namespace amends::testing {
namespace {

using nlohmann::json;

std::string Eml(const std::string& name) {
    const char* source = std::getenv("AMENDS_SOURCE_DIR");
    std::ifstream in(std::string(source ? source : AMENDS_SOURCE_ROOT) + "/tests/data/mail/" + name, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string Reply(const std::string& from, const std::string& message_id, const std::string& in_reply_to,
                  const std::string& text, const std::string& extra_headers = "") {
    return "From: " + from + "\r\nTo: support@acme.test\r\nSubject: Re: My order never arrived [case #1]\r\n"
           "Message-ID: <" + message_id + ">\r\nIn-Reply-To: <" + in_reply_to + ">\r\nReferences: <" + in_reply_to +
           ">\r\n" + extra_headers + "Content-Type: text/plain; charset=utf-8\r\n\r\n" + text +
           "\r\n\r\nOn Mon, 23 Nov 2026, Acme Support wrote:\r\n> I'm so sorry.\r\n";
}

class MailInTest : public ApiTest {
protected:
    HttpReply Mail(const std::string& raw) {
        return Call("POST", "/api/v1/mail", raw, {{"Content-Type", "message/rfc822"}});
    }
    int Cases() { return static_cast<int>(Json(Get("/api/v1/cases?limit=200"))["data"].size()); }
    ShellRun MailIn(const std::string& args, const std::string& raw) {
        const char* env = std::getenv("AMENDS_BINARY");
        std::string binary = env ? env : AMENDS_BINARY_PATH;
        std::string input = dir_.string() + "/in.eml";
        std::ofstream(input, std::ios::binary) << raw;
        return RunShell(binary + " mail-in " + args + " < " + input);
    }
};

TEST_F(MailInTest, ANewSenderOpensACaseAndTheirReplyToOurEmailLandsOnIt) {
    auto opened = Mail(Eml("thunderbird_plain.eml"));
    ASSERT_EQ(opened.status, 201) << opened.body;
    EXPECT_EQ(Json(opened)["action"], "case_opened");
    Id case_id = Json(opened)["case_id"];
    json c = Json(Get("/api/v1/cases/" + std::to_string(case_id)));
    EXPECT_EQ(c["subject"], "My order never arrived");
    EXPECT_EQ(c["channel"], "email");
    auto customer = Json(Get("/api/v1/customers/" + std::to_string(c["customer_id"].get<Id>())));
    EXPECT_EQ(customer["email"], "maya.patel@example.com");
    EXPECT_EQ(customer["name"], "Maya Patel");
    auto messages = Json(Get("/api/v1/cases/" + std::to_string(case_id) + "/messages"))["data"];
    ASSERT_EQ(messages.size(), 1u);
    EXPECT_EQ(messages[0]["direction"], "in");
    EXPECT_NE(messages[0]["body"].get<std::string>().find("order 1207"), std::string::npos);
    EXPECT_EQ(messages[0]["body"].get<std::string>().find("07700 900123"), std::string::npos) << "the signature is cut";

    // The same message delivered again (the mail server retried after a timeout): filed once.
    auto again = Mail(Eml("thunderbird_plain.eml"));
    EXPECT_EQ(again.status, 200);
    EXPECT_EQ(Json(again)["action"], "duplicate");
    EXPECT_EQ(Cases(), 1);

    // Our reply, then theirs, threaded by In-Reply-To.
    auto ours = Post("/api/v1/cases/" + std::to_string(case_id) + "/messages",
                     {{"body", "I'm so sorry we missed your delivery; that was our mistake. Could we bring it tomorrow?"},
                      {"send", false}});
    ASSERT_EQ(ours.status, 201) << ours.body;
    std::string ours_id = "case-" + std::to_string(case_id) + ".message-" + std::to_string(Json(ours)["id"].get<Id>()) +
                          "@acme.test";
    auto reply = Mail(Reply("Maya Patel <maya.patel@example.com>", "r1@example.com", ours_id, "Tomorrow is fine."));
    ASSERT_EQ(reply.status, 201) << reply.body;
    EXPECT_EQ(Json(reply)["action"], "reply");
    EXPECT_EQ(Json(reply)["case_id"], case_id);
    messages = Json(Get("/api/v1/cases/" + std::to_string(case_id) + "/messages"))["data"];
    ASSERT_EQ(messages.size(), 3u);
    EXPECT_EQ(messages[2]["body"], "Tomorrow is fine.") << "the quoted history is not the customer's words";

    // Someone else quoting the same Message-ID does not get into Maya's case.
    auto stranger = Mail(Reply("Eve <eve@example.com>", "r2@example.com", ours_id, "Let me in."));
    ASSERT_EQ(stranger.status, 201);
    EXPECT_EQ(Json(stranger)["action"], "case_opened");
    EXPECT_NE(Json(stranger)["case_id"], case_id);
}

TEST_F(MailInTest, AutomaticMailNeverOpensACaseAndABounceMarksTheAddress) {
    Id case_id = Json(Mail(Eml("thunderbird_plain.eml")))["case_id"];
    auto ooo = Mail(Reply("maya.patel@example.com", "oof@example.com", "case-" + std::to_string(case_id) + "@acme.test",
                          "I am away until Monday.", "Auto-Submitted: auto-replied\r\n"));
    ASSERT_EQ(ooo.status, 200) << ooo.body;
    EXPECT_EQ(Json(ooo)["action"], "note");
    EXPECT_EQ(Json(Get("/api/v1/cases/" + std::to_string(case_id) + "/messages"))["data"].size(), 1u)
        << "an auto-reply is no customer contact";
    auto lone = Mail(Eml("out_of_office.eml"));
    EXPECT_EQ(Json(lone)["action"], "ignored");
    EXPECT_EQ(Cases(), 1);

    // A bounce for Maya's address.
    std::string bounce = Eml("bounce.eml");
    for (std::string from : {"Nobody@example.com", "nobody@example.com"})
        for (auto at = bounce.find(from); at != std::string::npos; at = bounce.find(from))
            bounce.replace(at, from.size(), "maya.patel@example.com");
    auto bounced = Mail(bounce);
    ASSERT_EQ(bounced.status, 200) << bounced.body;
    EXPECT_EQ(Json(bounced)["action"], "bounce");
    json c = Json(Get("/api/v1/cases/" + std::to_string(case_id)));
    auto customer = Json(Get("/api/v1/customers/" + std::to_string(c["customer_id"].get<Id>())));
    EXPECT_EQ(customer["attributes"]["email_failing"]["status"], "5.1.1") << customer.dump();
    EXPECT_EQ(Cases(), 1);

    auto own = Mail("From: support@acme.test\r\nX-Amends-Incident: abc\r\nSubject: Update\r\nMessage-ID: <o@acme.test>\r\n\r\nHi\r\n");
    EXPECT_EQ(Json(own)["action"], "ignored");
    auto junk = Mail("this is not an email");
    EXPECT_EQ(junk.status, 400);
    EXPECT_EQ(Json(junk)["error"]["field"], "message");
    EXPECT_EQ(Cases(), 1);
}

TEST_F(MailInTest, MailInExitsWithCodesAMailServerActsOn) {
    std::string url = "--url http://127.0.0.1:" + std::to_string(port_) + " --token " + token_;
    auto filed = MailIn(url, Eml("gmail_reply.eml"));
    EXPECT_EQ(filed.exit_code, 0) << filed.out;
    EXPECT_NE(filed.out.find("case_opened case "), std::string::npos) << filed.out;
    auto junk = MailIn(url, "not an email at all");
    EXPECT_EQ(junk.exit_code, 65) << junk.out;
    auto bad_token = MailIn("--url http://127.0.0.1:" + std::to_string(port_) + " --token amd_wrong", Eml("koi8r.eml"));
    EXPECT_EQ(bad_token.exit_code, 75) << "a configuration fault keeps the mail queued: " << bad_token.out;
    StopServer();
    auto down = MailIn(url, Eml("koi8r.eml"));
    EXPECT_EQ(down.exit_code, 75) << down.out;
    EXPECT_NE(down.out.find("retry"), std::string::npos);
    auto usage = MailIn("--url ftp://x --token t", Eml("koi8r.eml"));
    EXPECT_EQ(usage.exit_code, 64);
}

}  // namespace
}  // namespace amends::testing
