// Complaints by email through the API and `amends mail-in`: a new sender opens a case, a reply to our email lands
// on its case (only from that case's customer), a redelivered message is filed once, automatic mail never opens a
// case, a bounce marks the address, our own mail is ignored, and the exit codes a mail server acts on.

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "app/outbound.h"
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
    void SetUp() override {
        mail_address_ = "support@acme.test";
        ApiTest::SetUp();
    }
    // A plain message with no threading headers at all (a client that drops In-Reply-To), to `to`.
    static std::string Fresh(const std::string& from, const std::string& to, const std::string& message_id,
                             const std::string& text, const std::string& extra_headers = "") {
        return "From: " + from + "\r\nTo: " + to + "\r\nSubject: Re: still waiting\r\nMessage-ID: <" + message_id +
               ">\r\n" + extra_headers + "Content-Type: text/plain; charset=utf-8\r\n\r\n" + text + "\r\n";
    }
    std::string PlusAddress(Id case_id) { return app::ReplyAddress(*links_, "support@acme.test", case_id); }
    json Messages(Id case_id) {
        return Json(Get("/api/v1/cases/" + std::to_string(case_id) + "/messages?limit=200"))["data"];
    }
    json Notes(Id case_id) {
        json notes = json::array();
        json events = Json(Get("/api/v1/cases/" + std::to_string(case_id) + "/events?limit=200"))["data"];
        for (auto& e : events)
            if (e["type"] == "note.added") notes.push_back(e);
        return notes;
    }
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

TEST_F(MailInTest, AReplyToTheSignedPlusAddressLandsOnItsCaseWithoutThreadingHeaders) {
    Id case_id = Json(Mail(Eml("thunderbird_plain.eml")))["case_id"];
    std::string plus = PlusAddress(case_id);
    ASSERT_TRUE(plus.starts_with("support+c" + std::to_string(case_id) + ".")) << plus;
    EXPECT_EQ(app::CaseOfReplyAddress(*links_, plus), case_id);

    // In To (upper case, as some servers rewrite it), with no In-Reply-To or References.
    std::string shouted = plus;
    for (auto& c : shouted) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    auto by_to = Mail(Fresh("Maya Patel <maya.patel@example.com>", shouted, "p1@example.com", "Any news?"));
    ASSERT_EQ(by_to.status, 201) << by_to.body;
    EXPECT_EQ(Json(by_to)["action"], "reply");
    EXPECT_EQ(Json(by_to)["case_id"], case_id);

    // Only in the envelope (a Bcc, or a list): POST ?recipient= as `mail-in --recipient` sends it.
    std::string encoded = plus;
    encoded.replace(encoded.find('+'), 1, "%2B");
    auto by_envelope = Call("POST", "/api/v1/mail?recipient=" + encoded,
                            Fresh("maya.patel@example.com", "undisclosed-recipients:;", "p2@example.com", "Hello?"),
                            {{"Content-Type", "message/rfc822"}});
    ASSERT_EQ(by_envelope.status, 201) << by_envelope.body;
    EXPECT_EQ(Json(by_envelope)["case_id"], case_id);

    // In Delivered-To, as Postfix's local and pipe deliveries add it.
    auto by_delivered = Mail(Fresh("maya.patel@example.com", "support@acme.test", "p3@example.com", "Third try.",
                                   "Delivered-To: " + plus + "\r\n"));
    ASSERT_EQ(by_delivered.status, 201) << by_delivered.body;
    EXPECT_EQ(Json(by_delivered)["case_id"], case_id);
    auto messages = Messages(case_id);
    ASSERT_EQ(messages.size(), 4u);
    EXPECT_EQ(messages[1]["body"], "Any news?");
    EXPECT_EQ(messages[3]["body"], "Third try.");
    EXPECT_EQ(Cases(), 1);

    // A '+' left unencoded (read as a space in a query string) still means '+': no address holds a space.
    auto unencoded = Call("POST", "/api/v1/mail?recipient=" + plus,
                          Fresh("maya.patel@example.com", "support@acme.test", "p5@example.com", "Fourth."),
                          {{"Content-Type", "message/rfc822"}});
    EXPECT_EQ(Json(unencoded)["case_id"], case_id) << unencoded.body;
    auto bad = Call("POST", "/api/v1/mail?recipient=nobody", Fresh("maya.patel@example.com", plus, "p4@example.com", "x"),
                    {{"Content-Type", "message/rfc822"}});
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(Json(bad)["error"]["field"], "recipient");
}

TEST_F(MailInTest, AForgedOrAlteredPlusAddressNeverThreads) {
    Id first = Json(Mail(Eml("thunderbird_plain.eml")))["case_id"];
    Id second = Json(Mail(Eml("gmail_reply.eml")))["case_id"];
    ASSERT_NE(first, second);
    std::string plus = PlusAddress(first);
    std::string tag = plus.substr(plus.find('.') + 1, 10);
    std::string forged = "support+c" + std::to_string(first) + ".aaaaaaaaaa@acme.test";
    std::string moved = "support+c" + std::to_string(second) + "." + tag + "@acme.test";  // another case, first's tag
    std::string cut = plus.substr(0, plus.find('@') - 1) + plus.substr(plus.find('@'));    // a character short
    EXPECT_FALSE(app::CaseOfReplyAddress(*links_, forged));
    EXPECT_FALSE(app::CaseOfReplyAddress(*links_, moved));
    EXPECT_FALSE(app::CaseOfReplyAddress(*links_, cut));
    EXPECT_FALSE(app::CaseOfReplyAddress(*links_, "support+c0." + tag + "@acme.test"));
    EXPECT_FALSE(app::CaseOfReplyAddress(*links_, "support@acme.test"));
    int n = 0;
    for (const auto& address : {forged, moved, cut}) {
        auto filed = Mail(Fresh("maya.patel@example.com", address, "forged" + std::to_string(++n) + "@example.com",
                                "Let me into case " + std::to_string(first)));
        ASSERT_EQ(filed.status, 201) << filed.body;
        EXPECT_EQ(Json(filed)["action"], "case_opened") << address;
        EXPECT_NE(Json(filed)["case_id"], first);
        EXPECT_NE(Json(filed)["case_id"], second);
    }
    EXPECT_EQ(Messages(first).size(), 1u);
    EXPECT_EQ(Messages(second).size(), 1u);

    // A forged tag does not stop Message-ID threading from the customer.
    auto threaded = Mail(Fresh("maya.patel@example.com", forged, "forged4@example.com", "Via In-Reply-To.",
                               "In-Reply-To: <case-" + std::to_string(first) + "@acme.test>\r\n"));
    EXPECT_EQ(Json(threaded)["action"], "reply");
    EXPECT_EQ(Json(threaded)["case_id"], first);
}

TEST_F(MailInTest, SomeoneElseWritingToACasesPlusAddressIsANoteOnTheCase) {
    Id case_id = Json(Mail(Eml("thunderbird_plain.eml")))["case_id"];
    auto colleague = Mail(Fresh("Raj Patel <raj@example.com>", PlusAddress(case_id), "raj1@example.com",
                                "I'm Maya's husband: the parcel is still not here."));
    ASSERT_EQ(colleague.status, 200) << colleague.body;
    EXPECT_EQ(Json(colleague)["action"], "note");
    EXPECT_EQ(Json(colleague)["case_id"], case_id);
    EXPECT_EQ(Cases(), 1) << "kept on the case, not a case of its own";
    EXPECT_EQ(Messages(case_id).size(), 1u) << "not the customer's contact";
    auto notes = Notes(case_id);
    ASSERT_FALSE(notes.empty());
    std::string body = notes.back().dump();
    EXPECT_NE(body.find("raj@example.com"), std::string::npos) << body;
    EXPECT_NE(body.find("the parcel is still not here"), std::string::npos) << body;

    // Once the case is closed, their mail opens a case of their own.
    ASSERT_EQ(Patch("/api/v1/cases/" + std::to_string(case_id), {{"state", "closed"}}).status, 200);
    auto later = Mail(Fresh("raj@example.com", PlusAddress(case_id), "raj2@example.com", "Hello again."));
    EXPECT_EQ(Json(later)["action"], "case_opened");
    EXPECT_EQ(Cases(), 2);
}

TEST_F(MailInTest, MailInPassesTheEnvelopeRecipient) {
    Id case_id = Json(Mail(Eml("thunderbird_plain.eml")))["case_id"];
    std::string url = "--url http://127.0.0.1:" + std::to_string(port_) + " --token " + token_;
    auto filed = MailIn(url + " --recipient '" + PlusAddress(case_id) + "'",
                        Fresh("maya.patel@example.com", "support@acme.test", "env1@example.com", "By the envelope."));
    EXPECT_EQ(filed.exit_code, 0) << filed.out;
    EXPECT_NE(filed.out.find("reply case " + std::to_string(case_id)), std::string::npos) << filed.out;
    auto usage = MailIn(url + " --recipient nobody", Fresh("maya.patel@example.com", "x@acme.test", "env2@x", "x"));
    EXPECT_EQ(usage.exit_code, 64);
}

TEST_F(MailInTest, AttachmentsAreKeptWithTheCaseAndServedAsBytesToSave) {
    auto opened = Mail(Eml("attachment.eml"));
    ASSERT_EQ(opened.status, 201) << opened.body;
    Id case_id = Json(opened)["case_id"];
    auto list = Json(Get("/api/v1/cases/" + std::to_string(case_id) + "/attachments"))["data"];
    ASSERT_EQ(list.size(), 1u) << list.dump();
    EXPECT_EQ(list[0]["filename"], "reçu n°1.pdf");
    EXPECT_EQ(list[0]["content_type"], "application/pdf");
    EXPECT_EQ(list[0]["size"], 62);
    EXPECT_EQ(list[0]["message_id"], Json(opened)["message_id"]);
    auto file = Get(list[0]["url"].get<std::string>());
    EXPECT_EQ(file.status, 200);
    EXPECT_TRUE(file.body.starts_with("%PDF-1.4")) << file.body;
    EXPECT_EQ(file.body.size(), 62u);
    EXPECT_EQ(file.headers["content-type"], "application/pdf");
    EXPECT_EQ(file.headers["content-disposition"], "inline; filename*=UTF-8''re%C3%A7u%20n%C2%B01.pdf");
    EXPECT_EQ(file.headers["x-content-type-options"], "nosniff");

    // An HTML attachment is never served as HTML (it could run in the console's origin).
    std::string html = "From: ann@example.com\r\nSubject: page\r\nMessage-ID: <h1@example.com>\r\nMIME-Version: 1.0\r\n"
                       "Content-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\nsee "
                       "this\r\n--B\r\nContent-Type: text/html\r\nContent-Disposition: attachment; filename=x.html\r\n\r\n"
                       "<script>alert(1)</script>\r\n--B--\r\n";
    Id other = Json(Mail(html))["case_id"];
    auto listed = Json(Get("/api/v1/cases/" + std::to_string(other) + "/attachments"))["data"];
    ASSERT_EQ(listed.size(), 1u);
    auto served = Get(listed[0]["url"].get<std::string>());
    EXPECT_EQ(served.headers["content-type"], "application/octet-stream");
    EXPECT_TRUE(served.headers["content-disposition"].starts_with("attachment;"));
    EXPECT_EQ(Get("/api/v1/attachments/9999").status, 404);
    EXPECT_EQ(Get("/api/v1/cases/9999/attachments").status, 404);
}

TEST_F(MailInTest, A50MegabyteAttachmentIsDroppedButTheEmailIsFiled) {
    // 50 MB of attachment, far over the server's body limit (64 KiB here, 1 MiB by default): mail-in posts the
    // words without it, and the case says what was not kept. Never a bounce, never a lost message.
    std::string raw = "From: Tom Becker <tom@example.com>\r\nTo: support@acme.test\r\nSubject: Video of the damage\r\n"
                      "Message-ID: <big@example.com>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; "
                      "boundary=B\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\nThe sofa arrived torn; video "
                      "attached.\r\n--B\r\nContent-Type: video/mp4; name=damage.mp4\r\nContent-Transfer-Encoding: "
                      "base64\r\nContent-Disposition: attachment; filename=damage.mp4\r\n\r\n";
    std::string line(76, 'A');
    line += "\r\n";
    raw.reserve(raw.size() + 70u * 1024 * 1024);
    for (std::size_t bytes = 0; bytes < 50u * 1024 * 1024; bytes += 57) raw += line;  // 76 base64 chars = 57 bytes
    raw += "--B--\r\n";
    std::string url = "--url http://127.0.0.1:" + std::to_string(port_) + " --token " + token_;
    auto filed = MailIn(url, raw);
    EXPECT_EQ(filed.exit_code, 0) << filed.out;
    EXPECT_NE(filed.out.find("without its attachments"), std::string::npos) << filed.out;
    ASSERT_NE(filed.out.find("case_opened case "), std::string::npos) << filed.out;
    auto cases = Json(Get("/api/v1/cases?limit=10"))["data"];
    ASSERT_EQ(cases.size(), 1u);
    Id case_id = cases[0]["id"];
    EXPECT_EQ(Messages(case_id)[0]["body"], "The sofa arrived torn; video attached.");
    std::string notes = Notes(case_id).dump();
    EXPECT_NE(notes.find("damage.mp4 (52428"), std::string::npos) << notes;
    EXPECT_NE(notes.find("not kept"), std::string::npos) << notes;
    EXPECT_TRUE(Json(Get("/api/v1/cases/" + std::to_string(case_id) + "/attachments"))["data"].empty());
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
