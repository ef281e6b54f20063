#include "notify/mime.h"

#include <gtest/gtest.h>

#include "notify/outbox_worker.h"

namespace amends::notify {
namespace {

TimePoint At(const char* text) { return *ParseRfc3339(text); }

TEST(Mime, AsciiHeaderTextIsKeptAndLineBreaksCannotInjectHeaders) {
    EXPECT_EQ(EncodeHeaderText("Your order 123"), "Your order 123");
    EXPECT_EQ(EncodeHeaderText("Hi\r\nBcc: everyone@example.com"), "Hi  Bcc: everyone@example.com");
}

TEST(Mime, NonAsciiHeaderTextBecomesEncodedWordsOfWholeCharacters) {
    EXPECT_EQ(EncodeHeaderText("Café"), "=?UTF-8?B?Q2Fmw6k=?=");
    std::string long_text;
    for (int i = 0; i < 30; ++i) long_text += "é";  // 60 bytes: two encoded words
    std::string encoded = EncodeHeaderText(long_text);
    auto fold = encoded.find("\r\n ");
    ASSERT_NE(fold, std::string::npos);
    EXPECT_LE(fold, 60u);
    EXPECT_EQ(encoded.find("\r\n ", fold + 1), std::string::npos);
}

TEST(Mime, QuotedPrintableEscapesWhatMustBeAndBreaksLongLines) {
    EXPECT_EQ(EncodeQuotedPrintable("a=b"), "a=3Db");
    EXPECT_EQ(EncodeQuotedPrintable("é"), "=C3=A9");
    EXPECT_EQ(EncodeQuotedPrintable("trailing \nnext"), "trailing=20\r\nnext");
    EXPECT_EQ(EncodeQuotedPrintable(".\nFrom here"), "=2E\r\n=46rom here");
    std::string line(200, 'x');
    std::string qp = EncodeQuotedPrintable(line);
    std::size_t start = 0;
    std::string decoded;
    while (start < qp.size()) {
        auto end = qp.find("\r\n", start);
        if (end == std::string::npos) end = qp.size();
        std::string_view piece(qp.data() + start, end - start);
        EXPECT_LE(piece.size(), 76u);
        if (piece.ends_with('=')) piece.remove_suffix(1);
        decoded += piece;
        start = end + 2;
    }
    EXPECT_EQ(decoded, line);
}

TEST(Mime, DatesAreRfc5322) {
    EXPECT_EQ(FormatRfc5322Date(At("2026-11-23T09:00:05.250Z")), "Mon, 23 Nov 2026 09:00:05 +0000");
    EXPECT_EQ(FormatRfc5322Date(At("2024-02-29T23:59:59Z")), "Thu, 29 Feb 2024 23:59:59 +0000");
}

TEST(Mime, MailboxesParse) {
    auto m = ParseMailbox(" \"Acme Support\" <support@acme.test> ");
    EXPECT_EQ(m.name, "Acme Support");
    EXPECT_EQ(m.address, "support@acme.test");
    EXPECT_EQ(ParseMailbox("support@acme.test").address, "support@acme.test");
    EXPECT_EQ(ParseMailbox("Acme Support").address, "");
    EXPECT_EQ(ParseMailbox("<a b@c.d>").address, "");
}

TEST(Mime, ComposeWritesHeadersThenAQuotedPrintableBody) {
    Email e;
    e.from = {"Zoë at Acme", "support@acme.test"};
    e.to = {"", "ann@example.com"};
    e.subject = "We're sorry about order 123";
    e.body = "Hello Ann,\nWe got it wrong.";
    e.date = At("2026-11-23T09:00:00Z");
    e.headers = {{"Message-ID", "<case-1.message-2@acme.test>"}};
    std::string out = Compose(e);
    EXPECT_EQ(out,
              "From: =?UTF-8?B?Wm/DqyBhdCBBY21l?= <support@acme.test>\r\n"
              "To: ann@example.com\r\n"
              "Subject: We're sorry about order 123\r\n"
              "Date: Mon, 23 Nov 2026 09:00:00 +0000\r\n"
              "Message-ID: <case-1.message-2@acme.test>\r\n"
              "MIME-Version: 1.0\r\n"
              "Content-Type: multipart/alternative; boundary=\"=_amends-alternative\"\r\n"
              "\r\n"
              "--=_amends-alternative\r\n"
              "Content-Type: text/plain; charset=UTF-8\r\n"
              "Content-Transfer-Encoding: quoted-printable\r\n"
              "\r\n"
              "Hello Ann,\r\nWe got it wrong.\r\n"
              "--=_amends-alternative\r\n"
              "Content-Type: text/html; charset=UTF-8\r\n"
              "Content-Transfer-Encoding: quoted-printable\r\n"
              "\r\n" +
                  EncodeQuotedPrintable(TextToHtml(e.body)) +
                  "--=_amends-alternative--\r\n");
}

TEST(Mime, TheHtmlPartEscapesEverythingAndMakesLinksClickable) {
    std::string html = TextToHtml("Ann & <b>Bob</b> said \"hi\".\nSee https://acme.test/c/AbC_-9?x=1&y=2. Or (http://a.test/x).\n"
                                  "Not a link: xhttp://b.test javascript:alert(1)");
    EXPECT_NE(html.find("Ann &amp; &lt;b&gt;Bob&lt;/b&gt; said &quot;hi&quot;."), std::string::npos) << html;
    EXPECT_NE(html.find("<a href=\"https://acme.test/c/AbC_-9?x=1&amp;y=2\">https://acme.test/c/AbC_-9?x=1&amp;y=2</a>. Or"),
              std::string::npos)
        << html;
    EXPECT_NE(html.find("(<a href=\"http://a.test/x\">http://a.test/x</a>)"), std::string::npos) << html;
    EXPECT_EQ(html.find("href=\"xhttp"), std::string::npos);
    EXPECT_EQ(html.find("href=\"javascript"), std::string::npos);
    EXPECT_EQ(html.find("<b>"), std::string::npos);
    EXPECT_NE(html.find("white-space:pre-wrap"), std::string::npos) << "line breaks are kept";
}

TEST(Mime, ALongUrlHeaderIsFoldedOntoALineOfItsOwn) {
    Email e;
    e.from = {"", "support@acme.test"};
    e.to = {"", "ann@example.com"};
    std::string url = "<https://status.acme.test/u/" + std::string(40, 'A') + ">";
    e.headers = {{"List-Unsubscribe", url}, {"List-Unsubscribe-Post", "List-Unsubscribe=One-Click"}};
    std::string out = Compose(e);
    EXPECT_NE(out.find("List-Unsubscribe:\r\n " + url + "\r\n"), std::string::npos) << out;
    EXPECT_NE(out.find("List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"), std::string::npos) << out;
}

TEST(Mime, NoPartCanHoldTheBoundary) {
    Email e;
    e.from = {"", "support@acme.test"};
    e.to = {"", "ann@example.com"};
    e.body = "--=_amends-alternative--\n=_amends-alternative";
    std::string out = Compose(e);
    std::size_t count = 0;
    for (auto at = out.find("--=_amends-alternative"); at != std::string::npos; at = out.find("--=_amends-alternative", at + 1))
        ++count;
    EXPECT_EQ(count, 3u) << out;
}

TEST(OutboxBackoff, DoublesFromTheFirstWaitUpToTheCap) {
    WorkerOptions o;
    TimePoint now = At("2026-11-23T09:00:00Z");
    EXPECT_EQ(NextAttempt(o, 1, now) - now, std::chrono::seconds(30));
    EXPECT_EQ(NextAttempt(o, 2, now) - now, std::chrono::seconds(60));
    EXPECT_EQ(NextAttempt(o, 4, now) - now, std::chrono::seconds(240));
    EXPECT_EQ(NextAttempt(o, 30, now) - now, std::chrono::hours(1));
}

}  // namespace
}  // namespace amends::notify
