// The LMTP listener (RFC 2033) with a real TCP client over 127.0.0.1: the dialogue, pipelined commands, one reply
// per recipient after DATA, dot-stuffing, SIZE and a message too big, RSET, and filing through the same rules as
// POST /api/v1/mail (a reply to a case's signed plus-address lands on it). Python's smtplib.LMTP (Debian's
// /usr/bin/python3) is a second, independent client.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>

#include "app/outbound.h"
#include "lmtp/deliver_mail.h"
#include "lmtp/server.h"
#include "tests/integration/api_fixture.h"
#include "tests/support/process.h"

namespace amends::testing {
namespace {

using nlohmann::json;

// A line-oriented LMTP client on a blocking socket.
class Client {
public:
    explicit Client(std::uint16_t port) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(port);
        ::inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
        connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
        timeval tv{10, 0};  // a broken server fails the test instead of hanging it
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    }
    ~Client() { ::close(fd_); }
    bool connected() const { return connected_; }

    void Send(const std::string& bytes) {
        std::size_t sent = 0;
        while (sent < bytes.size()) {
            ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
            if (n <= 0) return;
            sent += static_cast<std::size_t>(n);
        }
    }
    // One line, without CRLF ("" when the connection closed).
    std::string Line() {
        for (;;) {
            auto nl = buffer_.find("\r\n");
            if (nl != std::string::npos) {
                std::string line = buffer_.substr(0, nl);
                buffer_.erase(0, nl + 2);
                return line;
            }
            char chunk[4096];
            ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
            if (n <= 0) return "";
            buffer_.append(chunk, static_cast<std::size_t>(n));
        }
    }
    // One whole reply (the lines of a multi-line reply joined by \n); its last line starts "NNN ".
    std::string Reply() {
        std::string all;
        for (;;) {
            std::string line = Line();
            if (line.empty()) return all;
            all += (all.empty() ? "" : "\n") + line;
            if (line.size() < 4 || line[3] == ' ') return all;
        }
    }
    std::string Say(const std::string& command) {
        Send(command + "\r\n");
        return Reply();
    }

private:
    int fd_ = -1;
    bool connected_ = false;
    std::string buffer_;
};

class LmtpTest : public ApiTest {
protected:
    void SetUp() override {
        mail_address_ = "support@acme.test";
        ApiTest::SetUp();
        delivery_.emplace(lmtp::MailDelivery{*store_, *recovery_, status_board_.get(), &*links_, clock_, {}, {}});
        lmtp::Options o;
        o.port = 0;
        o.max_message_bytes = 64 * 1024;
        o.read_timeout_ms = 5000;
        server_lmtp_ = std::make_unique<lmtp::Server>(o, lmtp::FileIntoAmends(*delivery_));
        auto port = server_lmtp_->Listen();
        ASSERT_TRUE(port) << port.error().message;
        lmtp_port_ = *port;
        server_lmtp_->Start();
    }
    void TearDown() override {
        server_lmtp_.reset();
        ApiTest::TearDown();
    }
    static std::string Complaint(const std::string& from, const std::string& id, const std::string& body) {
        return "From: " + from + "\r\nTo: support@acme.test\r\nSubject: Broken kettle\r\nMessage-ID: <" + id +
               ">\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body + "\r\n";
    }
    json Messages(Id case_id) {
        return Json(Get("/api/v1/cases/" + std::to_string(case_id) + "/messages?limit=200"))["data"];
    }
    int Cases() { return static_cast<int>(Json(Get("/api/v1/cases?limit=200"))["data"].size()); }

    std::optional<lmtp::MailDelivery> delivery_;
    std::unique_ptr<lmtp::Server> server_lmtp_;
    std::uint16_t lmtp_port_ = 0;
};

TEST_F(LmtpTest, AComplaintDeliveredOverLmtpOpensACaseWithOneReplyPerRecipient) {
    Client c(lmtp_port_);
    ASSERT_TRUE(c.connected());
    EXPECT_TRUE(c.Reply().starts_with("220 "));
    EXPECT_TRUE(c.Say("EHLO mx.example.com").starts_with("500 ")) << "LMTP wants LHLO";
    EXPECT_TRUE(c.Say("MAIL FROM:<ann@example.com>").starts_with("503 ")) << "LHLO comes first";
    std::string lhlo = c.Say("LHLO mx.example.com");
    EXPECT_NE(lhlo.find("250-PIPELINING"), std::string::npos) << lhlo;
    EXPECT_NE(lhlo.find("250 SIZE 65536"), std::string::npos) << lhlo;
    EXPECT_TRUE(c.Say("DATA").starts_with("503 ")) << "no MAIL yet";
    EXPECT_TRUE(c.Say("MAIL FROM:<ann@example.com>").starts_with("250 "));
    EXPECT_TRUE(c.Say("MAIL FROM:<ann@example.com>").starts_with("503 ")) << "nested MAIL";
    EXPECT_TRUE(c.Say("RCPT TO:<support@acme.test>").starts_with("250 "));
    EXPECT_TRUE(c.Say("RCPT TO:<help@acme.test>").starts_with("250 "));
    EXPECT_TRUE(c.Say("RCPT TO:<no-at-sign>").starts_with("501 "));
    EXPECT_TRUE(c.Say("NOOP").starts_with("250 "));
    EXPECT_TRUE(c.Say("DATA").starts_with("354 "));
    // Dot-stuffed lines: ".." at the start of a line is one "." in the message.
    c.Send("From: Ann Lee <ann@example.com>\r\nTo: support@acme.test\r\nSubject: Broken kettle\r\n"
           "Message-ID: <k1@example.com>\r\n\r\nThe kettle you sent is broken.\r\n..and the lid is missing.\r\n"
           "...\r\n.\r\n");
    std::string first = c.Reply(), second = c.Reply();
    EXPECT_TRUE(first.starts_with("250 2.0.0 <support@acme.test> case_opened case ")) << first;
    EXPECT_TRUE(second.starts_with("250 2.0.0 <help@acme.test> case_opened case ")) << second;
    EXPECT_TRUE(c.Say("QUIT").starts_with("221 "));

    ASSERT_EQ(Cases(), 1) << "filed once for both recipients";
    Id case_id = std::stoll(first.substr(first.rfind(' ') + 1));
    auto messages = Messages(case_id);
    ASSERT_EQ(messages.size(), 1u);
    EXPECT_EQ(messages[0]["body"], "The kettle you sent is broken.\n.and the lid is missing.\n..");
}

TEST_F(LmtpTest, PipelinedCommandsGetTheirRepliesInOrderAndRsetForgetsTheTransaction) {
    Client c(lmtp_port_);
    ASSERT_TRUE(c.connected());
    c.Reply();
    // Everything up to DATA in one write (RFC 2920), then the message and the next transaction in another.
    c.Send("LHLO mx.example.com\r\nMAIL FROM:<bob@example.com>\r\nRCPT TO:<support@acme.test>\r\nRSET\r\n"
           "MAIL FROM:<bob@example.com> SIZE=200 BODY=8BITMIME\r\nRCPT TO:<support@acme.test>\r\nDATA\r\n");
    EXPECT_TRUE(c.Reply().starts_with("250-"));
    EXPECT_TRUE(c.Reply().starts_with("250 2.1.0"));
    EXPECT_TRUE(c.Reply().starts_with("250 2.1.5"));
    EXPECT_TRUE(c.Reply().starts_with("250 2.0.0")) << "RSET";
    EXPECT_TRUE(c.Reply().starts_with("250 2.1.0"));
    EXPECT_TRUE(c.Reply().starts_with("250 2.1.5"));
    EXPECT_TRUE(c.Reply().starts_with("354 "));
    c.Send(Complaint("bob@example.com", "b1@example.com", "First.") + ".\r\nMAIL FROM:<carol@example.com>\r\n"
           "RCPT TO:<support@acme.test>\r\nDATA\r\n");
    EXPECT_TRUE(c.Reply().starts_with("250 2.0.0 <support@acme.test> case_opened"));
    EXPECT_TRUE(c.Reply().starts_with("250 2.1.0"));
    EXPECT_TRUE(c.Reply().starts_with("250 2.1.5"));
    EXPECT_TRUE(c.Reply().starts_with("354 "));
    c.Send(Complaint("carol@example.com", "c1@example.com", "Second.") + ".\r\nQUIT\r\n");
    EXPECT_TRUE(c.Reply().starts_with("250 2.0.0 <support@acme.test> case_opened"));
    EXPECT_TRUE(c.Reply().starts_with("221 "));
    EXPECT_EQ(Cases(), 2);
}

TEST_F(LmtpTest, AMessageTooBigIsRefusedWith552AndTheConnectionGoesOn) {
    Client c(lmtp_port_);
    ASSERT_TRUE(c.connected());
    c.Reply();
    c.Say("LHLO mx.example.com");
    EXPECT_TRUE(c.Say("MAIL FROM:<ann@example.com> SIZE=999999").starts_with("552 ")) << "declared too big";
    EXPECT_TRUE(c.Say("MAIL FROM:<ann@example.com>").starts_with("250 "));
    c.Say("RCPT TO:<support@acme.test>");
    c.Say("RCPT TO:<help@acme.test>");
    EXPECT_TRUE(c.Say("DATA").starts_with("354 "));
    std::string big = "From: ann@example.com\r\nSubject: big\r\n\r\n";
    for (int i = 0; i < 2000; ++i) big += std::string(70, 'x') + "\r\n";  // 144 KB, over the 64 KiB limit
    c.Send(big + ".\r\n");
    EXPECT_TRUE(c.Reply().starts_with("552 5.3.4"));
    EXPECT_TRUE(c.Reply().starts_with("552 5.3.4")) << "one reply per recipient";
    EXPECT_EQ(Cases(), 0);
    // The session is still good for the next message.
    c.Say("MAIL FROM:<ann@example.com>");
    c.Say("RCPT TO:<support@acme.test>");
    c.Say("DATA");
    c.Send(Complaint("ann@example.com", "small@example.com", "Small enough.") + ".\r\n");
    EXPECT_TRUE(c.Reply().starts_with("250 2.0.0"));
    // Not an email at all: a permanent refusal the mail server bounces, never a crash.
    c.Say("MAIL FROM:<ann@example.com>");
    c.Say("RCPT TO:<support@acme.test>");
    c.Say("DATA");
    c.Send("no headers here\r\n.\r\n");
    EXPECT_TRUE(c.Reply().starts_with("554 5.6.0")) ;
    EXPECT_EQ(Cases(), 1);
}

TEST_F(LmtpTest, TheEnvelopeRecipientThreadsByTheSignedPlusAddressAndAStoreFailureIsTemporary) {
    Client c(lmtp_port_);
    ASSERT_TRUE(c.connected());
    c.Reply();
    c.Say("LHLO mx.example.com");
    c.Say("MAIL FROM:<ann@example.com>");
    c.Say("RCPT TO:<support@acme.test>");
    c.Say("DATA");
    c.Send(Complaint("ann@example.com", "a1@example.com", "The kettle leaks.") + ".\r\n");
    std::string opened = c.Reply();
    ASSERT_TRUE(opened.starts_with("250 ")) << opened;
    Id case_id = std::stoll(opened.substr(opened.rfind(' ') + 1));
    std::string plus = app::ReplyAddress(*links_, "support@acme.test", case_id);
    c.Say("MAIL FROM:<ann@example.com>");
    c.Say("RCPT TO:<" + plus + ">");
    c.Say("DATA");
    // Headers name only the bare address (a Bcc): the envelope carries the case.
    c.Send(Complaint("ann@example.com", "a2@example.com", "Still leaking.") + ".\r\n");
    std::string reply = c.Reply();
    EXPECT_EQ(reply, "250 2.0.0 <" + plus + "> reply case " + std::to_string(case_id));
    EXPECT_EQ(Messages(case_id).size(), 2u);

    // The store is gone (closed): 451, the mail server keeps the message and retries.
    store_->Close();
    c.Say("MAIL FROM:<ann@example.com>");
    c.Say("RCPT TO:<support@acme.test>");
    c.Say("DATA");
    c.Send(Complaint("dan@example.com", "d1@example.com", "Hello?") + ".\r\n");
    EXPECT_TRUE(c.Reply().starts_with("451 4.3.0")) ;
}

TEST_F(LmtpTest, PythonsSmtplibLmtpDeliversThroughIt) {
    std::string script = dir_.string() + "/lmtp_client.py";
    std::ofstream(script) << R"PY(
import smtplib, sys
port = int(sys.argv[1])
body = ("From: Erin Cole <erin@example.com>\r\nTo: support@acme.test\r\nSubject: Wrong size shoes\r\n"
        "Message-ID: <e1@example.com>\r\n\r\nYou sent size 9, I ordered 7.\r\n.\r\n.hidden line\r\n")
with smtplib.LMTP("127.0.0.1", port) as lmtp:
    # One recipient a transaction: smtplib reads a single reply after DATA, where LMTP sends one per recipient.
    refused = lmtp.sendmail("erin@example.com", ["support@acme.test"], body)
    print("refused", refused)
    try:
        lmtp.sendmail("erin@example.com", ["support@acme.test"], "no headers at all\r\n")
    except smtplib.SMTPDataError as e:
        print("data error", e.smtp_code)
)PY";
    auto run = RunShell("/usr/bin/python3 " + script + " " + std::to_string(lmtp_port_));
    EXPECT_EQ(run.exit_code, 0) << run.out;
    EXPECT_NE(run.out.find("refused {}"), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("data error 554"), std::string::npos) << run.out;
    ASSERT_EQ(Cases(), 1);
    auto cases = Json(Get("/api/v1/cases?limit=10"))["data"];
    auto messages = Messages(cases[0]["id"].get<Id>());
    ASSERT_EQ(messages.size(), 1u);
    EXPECT_EQ(messages[0]["body"], "You sent size 9, I ordered 7.\n.\n.hidden line") << "smtplib stuffed, we unstuffed";
}

}  // namespace
}  // namespace amends::testing
