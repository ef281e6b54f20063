// The mail corpus (tests/data/mail/*.eml, each with the .json of what it must give): messages shaped as Thunderbird,
// Outlook and Gmail send them, an HTML-only one, an attachment with an RFC 2231 name, a bounce, an out-of-office,
// KOI8-R, and broken MIME. Plus the reply splitter and the HTML flattener on their own.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "mailin/parse.h"

namespace amends::mailin {
namespace {

using nlohmann::json;

std::string Read(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::filesystem::path Corpus() {
    const char* source = std::getenv("AMENDS_SOURCE_DIR");
    return std::filesystem::path(source ? source : AMENDS_SOURCE_ROOT) / "tests/data/mail";
}

TEST(MailCorpus, EveryMessageGivesWhatItsJsonSays) {
    int files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(Corpus())) {
        if (entry.path().extension() != ".eml") continue;
        ++files;
        SCOPED_TRACE(entry.path().filename().string());
        json want = json::parse(Read(std::filesystem::path(entry.path()).replace_extension(".json")));
        auto got = Parse(Read(entry.path()));
        ASSERT_TRUE(got) << got.error().message;
        EXPECT_EQ(got->from.address, want["from"]);
        if (want.contains("from_name")) {
            EXPECT_EQ(got->from.name, want["from_name"]);
        }
        if (want.contains("subject")) {
            EXPECT_EQ(got->subject, want["subject"]);
        }
        if (want.contains("message_id")) {
            EXPECT_EQ(got->message_id, want["message_id"]);
        }
        if (want.contains("in_reply_to")) {
            EXPECT_EQ(got->in_reply_to, want["in_reply_to"]);
        }
        if (want.contains("references")) {
            EXPECT_EQ(json(got->references), want["references"]);
        }
        if (want.contains("new_text")) {
            EXPECT_EQ(got->new_text, want["new_text"]);
        }
        for (const auto& t : want.value("text_contains", json::array()))
            EXPECT_NE(got->text.find(t.get<std::string>()), std::string::npos) << t << " in\n" << got->text;
        for (const auto& t : want.value("text_excludes", json::array()))
            EXPECT_EQ(got->text.find(t.get<std::string>()), std::string::npos) << t << " in\n" << got->text;
        for (const auto& t : want.value("new_text_contains", json::array()))
            EXPECT_NE(got->new_text.find(t.get<std::string>()), std::string::npos) << t << " in\n" << got->new_text;
        for (const auto& t : want.value("new_text_excludes", json::array()))
            EXPECT_EQ(got->new_text.find(t.get<std::string>()), std::string::npos) << t << " in\n" << got->new_text;
        if (want.contains("html_only")) {
            EXPECT_EQ(got->html_only, want["html_only"].get<bool>());
        }
        if (want.contains("automatic")) EXPECT_EQ(got->automatic, want["automatic"].get<bool>()) << got->automatic_reason;
        if (want.contains("attachments")) {
            json attachments = json::array();
            for (const auto& a : got->attachments)
                attachments.push_back({{"filename", a.filename}, {"content_type", a.content_type}, {"size", a.size}});
            EXPECT_EQ(attachments, want["attachments"]);
        }
        if (want.contains("bounce")) {
            ASSERT_TRUE(got->bounce.has_value());
            EXPECT_EQ(json(got->bounce->failed), want["bounce"]);
            EXPECT_EQ(got->bounce->status, want.value("bounce_status", ""));
        } else {
            EXPECT_FALSE(got->bounce.has_value());
        }
    }
    EXPECT_GE(files, 9);
}

TEST(MailParse, WhatIsNoMessageIsRefusedAndWhatIsTooLargeIsRefusedWhole) {
    EXPECT_FALSE(Parse(""));
    EXPECT_FALSE(Parse("just some words\r\n"));
    auto no_from = Parse("To: support@acme.test\r\nSubject: hi\r\n\r\nbody\r\n");
    ASSERT_FALSE(no_from);
    EXPECT_NE(no_from.error().message.find("From"), std::string::npos);
    Limits small;
    small.max_message_bytes = 100;
    auto big = Parse("From: a@b.test\r\n\r\n" + std::string(200, 'x'), small);
    ASSERT_FALSE(big);
    EXPECT_EQ(big.error().code, ErrorCode::kTooLarge);
}

TEST(MailParse, AnAttachmentOverTheLimitIsListedAsDroppedNotKept) {
    std::string raw = "From: a@b.test\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n"
                      "--B\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n--B\r\n"
                      "Content-Type: application/octet-stream; name=big.bin\r\nContent-Disposition: attachment; "
                      "filename=big.bin\r\n\r\n" + std::string(5000, 'z') + "\r\n--B--\r\n";
    Limits limits;
    limits.max_attachment_bytes = 1000;
    auto got = Parse(raw, limits);
    ASSERT_TRUE(got) << got.error().message;
    EXPECT_TRUE(got->attachments.empty());
    ASSERT_EQ(got->dropped.size(), 1u);
    EXPECT_EQ(got->dropped[0], "big.bin");
    EXPECT_FALSE(got->notes.empty());
    EXPECT_EQ(got->new_text, "see attached");
}

TEST(MailParse, AnAttachmentKeepsItsDecodedBytes) {
    auto got = Parse(Read(Corpus() / "attachment.eml"));
    ASSERT_TRUE(got) << got.error().message;
    ASSERT_EQ(got->attachments.size(), 1u);
    EXPECT_EQ(got->attachments[0].content.size(), 62u);
    EXPECT_TRUE(got->attachments[0].content.starts_with("%PDF-")) << got->attachments[0].content;
}

TEST(MailParse, WithoutAttachmentsKeepsTheWordsAndNamesWhatWentInTheNotes) {
    std::string raw = "From: a@b.test\r\nSubject: receipt\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; "
                      "boundary=B\r\n\r\n--B\r\nContent-Type: multipart/alternative; boundary=C\r\n\r\n--C\r\n"
                      "Content-Type: text/plain\r\n\r\nsee attached\r\n--C\r\nContent-Type: text/html\r\n\r\n"
                      "<p>see attached</p>\r\n--C--\r\n--B\r\nContent-Type: image/png; name=a.png\r\n"
                      "Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=a.png\r\n\r\n"
                      "iVBORw0KGgo=\r\n--B\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; "
                      "filename=big.pdf\r\n\r\n" + std::string(3000, 'p') + "\r\n--B--\r\n";
    auto smaller = WithoutAttachments(raw);
    ASSERT_TRUE(smaller);
    EXPECT_LT(smaller->size(), raw.size() - 3000);
    auto got = Parse(*smaller);
    ASSERT_TRUE(got) << got.error().message;
    EXPECT_EQ(got->new_text, "see attached");
    EXPECT_TRUE(got->attachments.empty());
    ASSERT_EQ(got->dropped.size(), 2u);
    EXPECT_EQ(got->dropped[0], "big.pdf (3000 bytes)");
    EXPECT_EQ(got->dropped[1], "a.png (8 bytes)");
    EXPECT_FALSE(WithoutAttachments("From: a@b.test\r\nSubject: x\r\n\r\nplain\r\n")) << "nothing to remove";
}

TEST(MailParse, OurOwnMailIsRecognised) {
    auto got = Parse("From: support@acme.test\r\nX-Amends-Incident: abc\r\nSubject: x\r\n\r\nhello\r\n");
    ASSERT_TRUE(got);
    EXPECT_TRUE(got->ours);
}

TEST(NewText, KeepsAnInlineQuoteTheCustomerAnswersAndCutsTheHistory) {
    EXPECT_EQ(NewText("> Could we bring it on Tuesday?\nYes please, Tuesday.\n\nOn Mon, Acme wrote:\n> old"),
              "> Could we bring it on Tuesday?\nYes please, Tuesday.");
    EXPECT_EQ(NewText("Fine.\n-----Original Message-----\nFrom: x"), "Fine.");
    EXPECT_EQ(NewText("Fine.\n________________________________\nFrom: Acme\nSent: today"), "Fine.");
    EXPECT_EQ(NewText("Thanks\n-- \nSam\nCEO"), "Thanks");
    EXPECT_EQ(NewText("Only words."), "Only words.");
}

TEST(HtmlToText, DropsTagsScriptsAndStylesAndDecodesEntities) {
    EXPECT_EQ(HtmlToText("<p>A &amp; B</p><script>alert(1)</script><p>caf&#233; &#x2603;</p>"), "A & B\n\ncafé ☃");
    EXPECT_EQ(HtmlToText("<div>one<br>two</div>"), "one\ntwo");
}

}  // namespace
}  // namespace amends::mailin
