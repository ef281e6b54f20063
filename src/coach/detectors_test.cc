#include "coach/coach.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <ostream>

#include <random>
#include <string>
#include <thread>
#include <vector>

#include "coach/text.h"

namespace amends::coach {
namespace {

Report AnalyzeDraft(const std::string& text, const Context& context = {}) {
    auto report = DefaultCoach().Analyze(text, context);
    EXPECT_TRUE(report.has_value()) << text;
    return report.value_or(Report{});
}

struct ElementCase {
    const char* text;
    Element element;
    bool present;
};

void PrintTo(const ElementCase& c, std::ostream* os) { *os << Name(c.element) << (c.present ? " in: " : " not in: ") << c.text; }

class ElementDetection : public ::testing::TestWithParam<ElementCase> {};

TEST_P(ElementDetection, FindsOrRejectsTheElement) {
    const ElementCase& c = GetParam();
    EXPECT_EQ(AnalyzeDraft(c.text).Has(c.element), c.present) << c.text << " / " << Name(c.element);
}

INSTANTIATE_TEST_SUITE_P(
    Coach, ElementDetection,
    ::testing::Values(
        ElementCase{"I'm so sorry we sent the wrong size.", Element::kApology, true},
        ElementCase{"We are not sorry for enforcing our policy.", Element::kApology, false},
        ElementCase{"We apologise for the mix-up.", Element::kApology, true},
        ElementCase{"Sorry to bother you, but could you confirm your address?", Element::kApology, false},
        ElementCase{"We apologize if you were inconvenienced.", Element::kApology, false},
        ElementCase{"We're sorry you feel that way.", Element::kApology, false},
        ElementCase{"> I want an apology, not another macro.\nThanks for writing in.", Element::kApology, false},
        ElementCase{"I can't tell you how sorry I am about this.", Element::kApology, true},
        ElementCase{"That was our mistake, and I'll fix it today.", Element::kOwnership, true},
        ElementCase{"It's not our mistake, the courier lost it.", Element::kOwnership, false},
        ElementCase{"We didn't tell you about the delay, and we should have.", Element::kOwnership, true},
        ElementCase{"Thank you for letting us know.", Element::kThanks, true},
        ElementCase{"I've issued a full refund to your card.", Element::kRemedy, true},
        ElementCase{"Unfortunately we can't offer a refund on sale items.", Element::kRemedy, false},
        ElementCase{"Feel free to reply with any questions.", Element::kRemedy, false},
        ElementCase{"Feel free to reply with any questions.", Element::kInvitation, true},
        ElementCase{"It will arrive within 3 working days.", Element::kTimescale, true},
        ElementCase{"We'll have it with you by Friday.", Element::kTimescale, true},
        ElementCase{"We'll sort it as soon as possible.", Element::kTimescale, false},
        ElementCase{"Could you tell me what the error message said?", Element::kListeningQuestion, true},
        ElementCase{"That must have been so frustrating.", Element::kEmpathy, true},
        ElementCase{"It happened because our warehouse system mislabelled the parcel.", Element::kExplanation, true},
        // An explanation that blames the customer is blame, not explanation (docs/coach.md).
        ElementCase{"You must have entered the wrong card number, which is why the payment failed.", Element::kExplanation, false},
        // A liability disclaimer, or a cause that only names the problem again, explains nothing.
        ElementCase{"We are not responsible for delays caused by the courier.", Element::kExplanation, false},
        ElementCase{"We apologise for the inconvenience caused by the recent disruption.", Element::kExplanation, false},
        ElementCase{"The delay was caused by a failed power supply.", Element::kExplanation, true},
        // Explanations without a cue word: a mechanism, an outside cause, how we got it wrong.
        ElementCase{"The system renews automatically.", Element::kExplanation, true},
        ElementCase{"The building works next door run until Friday.", Element::kExplanation, true},
        ElementCase{"It was our error: we didn't update our records when you moved.", Element::kExplanation, true},
        ElementCase{"Sorry, the manufacturer is to blame here, they sent the wrong part.", Element::kExplanation, true},
        ElementCase{"We'll look into the underlying cause.", Element::kExplanation, false}),
    [](const ::testing::TestParamInfo<ElementCase>& info) {
        return std::to_string(info.index) + "_" + std::string(Name(info.param.element)) + (info.param.present ? "" : "_absent");
    });

struct FindingCase {
    const char* text;
    FindingKind kind;
    bool present;
};

void PrintTo(const FindingCase& c, std::ostream* os) { *os << Name(c.kind) << (c.present ? " in: " : " not in: ") << c.text; }

class FindingDetection : public ::testing::TestWithParam<FindingCase> {};

TEST_P(FindingDetection, FlagsOrClearsTheAntiPattern) {
    const FindingCase& c = GetParam();
    EXPECT_EQ(AnalyzeDraft(c.text).Has(c.kind), c.present) << c.text << " / " << Name(c.kind);
}

INSTANTIATE_TEST_SUITE_P(
    Coach, FindingDetection,
    ::testing::Values(
        FindingCase{"You must have misused it.", FindingKind::kBlameCustomer, true},
        FindingCase{"I'm not saying you should have read the manual.", FindingKind::kBlameCustomer, false},
        FindingCase{"This wasn't your fault at all.", FindingKind::kBlameCustomer, false},
        FindingCase{"> You should have checked the address!\nI'm sorry, we did get it wrong.", FindingKind::kBlameCustomer,
                    false},
        FindingCase{"We apologize if you were inconvenienced.", FindingKind::kConditionalApology, true},
        FindingCase{"Mistakes were made.", FindingKind::kDistancing, true},
        FindingCase{"We're sorry this happened.", FindingKind::kDistancing, true},
        FindingCase{"We're sorry we made a mistake.", FindingKind::kDistancing, false},
        FindingCase{"It was just a small delay.", FindingKind::kMinimizing, true},
        FindingCase{"This was not a minor delay, and I'm sorry.", FindingKind::kMinimizing, false},
        FindingCase{"The courier is to blame for this.", FindingKind::kThirdPartyBlame, true},
        FindingCase{"The delay was caused by a bug in our system.", FindingKind::kExcuseWithoutApology, true},
        FindingCase{"I'm sorry: the delay was caused by a bug in our system.", FindingKind::kExcuseWithoutApology, false},
        FindingCase{"We'll look into it.", FindingKind::kVaguePromise, true},
        FindingCase{"We'll look into it and reply by Friday.", FindingKind::kVaguePromise, false},
        // The matcher reports every end (a pattern's final \b is checked by the coach): when the longest end for a
        // start falls inside a word ("sorry if if|fy"), a shorter one at a word edge still counts.
        FindingCase{"Sorry if iffy wording upset you.", FindingKind::kConditionalApology, true},
        FindingCase{"Sorry iffy wording upset you.", FindingKind::kConditionalApology, false}),
    [](const ::testing::TestParamInfo<FindingCase>& info) {
        return std::to_string(info.index) + "_" + std::string(Name(info.param.kind)) + (info.param.present ? "" : "_absent");
    });

TEST(Coach, FindingSpanCoversTheMatchedWordsInCharacters) {
    std::string text = "Héllo — you must have misused it.";
    Report report = AnalyzeDraft(text);
    ASSERT_EQ(report.findings.size(), 1u);
    const Finding& f = report.findings[0];
    EXPECT_EQ(f.kind, FindingKind::kBlameCustomer);
    EXPECT_EQ(f.excerpt, "you must have misused");
    EXPECT_EQ(f.start, 8u);  // "Héllo — " is 8 characters, 11 bytes
    EXPECT_EQ(f.end, 8u + 21u);
    EXPECT_FALSE(f.reason.empty());
    EXPECT_FALSE(f.suggestion.empty());
}

// Regression (issue 4, sixth pass): a phrase ending one character before a line break lent its start to the same
// phrase on the next line, so the two came out as one finding spanning both lines.
TEST(Coach, ThePhraseBeforeALineBreakDoesNotWidenTheNextOne) {
    Report report = AnalyzeDraft("a tiny wait.\na tiny wait");
    ASSERT_EQ(report.findings.size(), 2u);
    EXPECT_EQ(report.findings[0].kind, FindingKind::kMinimizing);
    EXPECT_EQ(report.findings[0].excerpt, "a tiny wait");
    EXPECT_EQ(report.findings[1].kind, FindingKind::kMinimizing);
    EXPECT_EQ(report.findings[1].excerpt, "a tiny wait");
    EXPECT_EQ(report.findings[1].start, 13u);
}

TEST(Coach, RequirementsFollowTheContext) {
    Context ours{.step = Step::kOffer, .fault = Fault::kOurs};
    std::vector<Element> need = Coach::Required(ours);
    EXPECT_NE(std::find(need.begin(), need.end(), Element::kRemedy), need.end());
    EXPECT_NE(std::find(need.begin(), need.end(), Element::kOwnership), need.end());
    ours.remedy_offered = true;
    need = Coach::Required(ours);
    EXPECT_EQ(std::find(need.begin(), need.end(), Element::kRemedy), need.end());
    Context theirs{.step = Step::kOffer, .fault = Fault::kNotOurs};
    need = Coach::Required(theirs);
    EXPECT_EQ(std::find(need.begin(), need.end(), Element::kOwnership), need.end());
}

TEST(Coach, ExplanationWithoutApologyIsFineWhenTheFaultIsNotOurs) {
    const char* text = "Your card was declined because the bank flagged the payment.";
    EXPECT_TRUE(AnalyzeDraft(text).Has(FindingKind::kExcuseWithoutApology));
    EXPECT_FALSE(AnalyzeDraft(text, Context{.fault = Fault::kNotOurs}).Has(FindingKind::kExcuseWithoutApology));
}

TEST(Coach, AGoodReplyScoresHighAndABadOneLow) {
    Context context{.step = Step::kOffer, .fault = Fault::kOurs};
    Report good = AnalyzeDraft(
        "Hi Sam, I'm sorry: we sent your order to the wrong address, and that was our mistake. I've sent a replacement "
        "by express courier and it will arrive by Thursday. I've also refunded the delivery charge. Does that work for "
        "you?",
        context);
    EXPECT_EQ(good.verdict, Verdict::kGood) << ToJson(good);
    EXPECT_GE(good.score, 75);
    EXPECT_TRUE(good.missing.empty()) << ToJson(good);
    Report bad = AnalyzeDraft("You must have entered the wrong address. We'll look into it.", context);
    EXPECT_EQ(bad.verdict, Verdict::kPoor) << ToJson(bad);
    EXPECT_LT(bad.score, 45);
    EXPECT_FALSE(bad.missing.empty());
}

TEST(Coach, RejectsOversizedDraftsAndSurvivesInvalidUtf8) {
    std::string huge(kMaxDraftBytes + 1, 'a');
    auto report = DefaultCoach().Analyze(huge);
    ASSERT_FALSE(report.has_value());
    EXPECT_EQ(report.error().code, ErrorCode::kTooLarge);
    std::string broken = "We're so sorry \xc3 for the delay\xff.";
    auto ok = DefaultCoach().Analyze(broken);
    ASSERT_TRUE(ok.has_value());
    EXPECT_TRUE(ok->Has(Element::kApology));
}

TEST(Coach, JsonReportHasTheDocumentedShape) {
    Report report = AnalyzeDraft("Sorry if you were upset. We will fix it.");
    nlohmann::json json = nlohmann::json::parse(ToJson(report));
    EXPECT_TRUE(json["score"].is_number_integer());
    EXPECT_TRUE(json["verdict"] == "good" || json["verdict"] == "needs_work" || json["verdict"] == "poor");
    ASSERT_EQ(json["elements"].size(), kElementCount);
    EXPECT_EQ(json["elements"]["apology"], false);
    EXPECT_EQ(json["elements"]["plan"], true);
    ASSERT_FALSE(json["findings"].empty());
    const auto& first = json["findings"][0];
    EXPECT_EQ(first["kind"], "conditional_apology");
    EXPECT_EQ(first["start"], 0);
    for (const char* key : {"kind", "start", "end", "excerpt", "reason", "suggestion"}) EXPECT_TRUE(first.contains(key)) << key;
    EXPECT_TRUE(json["missing"].is_array());
}

}  // namespace
}  // namespace amends::coach

namespace amends::coach {
namespace {

TEST(Coach, PhrasesMatchAcrossRunsOfWhiteSpaceWithSpansInTheDraft) {
    std::string text = "Hello.\n\nYou  must\thave   misused it.";
    auto report = DefaultCoach().Analyze(text);
    ASSERT_TRUE(report.has_value());
    ASSERT_EQ(report->findings.size(), 1u);
    EXPECT_EQ(report->findings[0].excerpt, "You  must\thave   misused");
    EXPECT_EQ(report->findings[0].start, 8u);
}

}  // namespace
}  // namespace amends::coach

namespace amends::coach {
namespace {

TEST(Coach, ConcurrentAnalysesAgreeWithSequentialOnes) {
    const std::vector<std::string> drafts = {
        "I'm so sorry we sent the wrong size. A replacement arrives by Friday.",
        "You must have misused it. We'll look into it.",
        "> Sorry, but where is my refund?\nYour refund was issued today and will show within 3 days.",
        "We apologize if you were inconvenienced. Mistakes were made.",
    };
    std::vector<std::string> expected;
    for (const auto& d : drafts) expected.push_back(ToJson(DefaultCoach().Analyze(d).value()));
    std::vector<std::thread> threads;
    std::vector<int> mismatches(4, 0);
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 200; ++i) {
                std::size_t k = static_cast<std::size_t>(i + t) % drafts.size();
                if (ToJson(DefaultCoach().Analyze(drafts[k]).value()) != expected[k]) ++mismatches[t];
            }
        });
    }
    for (auto& thread : threads) thread.join();
    for (int m : mismatches) EXPECT_EQ(m, 0);
}

TEST(Coach, ArbitraryBytesNeverBreakTheReport) {
    std::mt19937 rng(20240601);
    const std::string alphabet = "sorry we're not you must have If if > \" \n\t.,;:?!'\xe2\x80\x99\xc3\xa9\xff\x80 abc123";
    for (int round = 0; round < 300; ++round) {
        std::string text;
        std::size_t length = rng() % 400;
        for (std::size_t i = 0; i < length; ++i) text += alphabet[rng() % alphabet.size()];
        auto report = DefaultCoach().Analyze(text);
        ASSERT_TRUE(report.has_value());
        std::size_t characters = CodePointOffset(text, text.size());
        for (const Finding& f : report->findings) {
            EXPECT_LE(f.start, f.end);
            EXPECT_LE(f.end, characters);
        }
        EXPECT_GE(report->score, 0);
        EXPECT_LE(report->score, 100);
        EXPECT_FALSE(nlohmann::json::parse(ToJson(*report), nullptr, false).is_discarded());
    }
}

// Lazy sections (GroupPatterns) are scanned only when the other patterns leave their element absent: the reports
// must be those of one database holding every pattern, whatever the context (the excuse depends on the fault and
// the step, the vague promise on the timescale), on the labelled corpus and on drafts stitched from it.
TEST(Coach, LazySectionsGiveTheReportsOfOneScanOfEveryPattern) {
    auto eager = Coach::Create("en", /*lazy=*/false);
    ASSERT_TRUE(eager.has_value()) << eager.error().message;
    std::vector<std::string> texts = {
        "It was entirely our fault. Did you get the replacement?",
        "Our driver forgot your parcel. We'll send a new one.",
        "The system crashed. We will send it as soon as possible.",
        "Sorry that we missed your call. Is the new one working? We'll call you back.",
        "I'm sorry, that was our mistake. Has the refund arrived? Our team will fix it by Friday.",
        "We're not sorry. Do you still want it? We have refunded you.",
        "> Did you even read my email?\nThanks for waiting. The order has been refunded.",
    };
    const char* root = std::getenv("AMENDS_SOURCE_DIR");
    std::ifstream corpus(std::filesystem::path(root ? root : ".") / "tests" / "corpus" / "coach" / "replies.jsonl");
    for (std::string line; std::getline(corpus, line);)
        if (!line.empty()) texts.push_back(nlohmann::json::parse(line).at("text").get<std::string>());
    ASSERT_GT(texts.size(), 300u) << "the corpus was not found (AMENDS_SOURCE_DIR)";
    std::mt19937 rng(4);
    std::vector<std::string> drafts = texts;
    for (int i = 0; i < 600; ++i) {
        std::string draft;
        for (int k = 1 + static_cast<int>(rng() % 4); k > 0; --k) draft += texts[rng() % texts.size()] + (rng() % 3 ? " " : "\n");
        drafts.push_back(draft);
    }
    const Step steps[] = {Step::kUnknown, Step::kAcknowledge, Step::kApologize, Step::kListen, Step::kOffer,
                          Step::kAgree, Step::kConfirm, Step::kKeepInformed, Step::kFollowUp, Step::kFixCause};
    const Fault faults[] = {Fault::kUnknown, Fault::kOurs, Fault::kNotOurs};
    std::size_t compared = 0;
    for (std::size_t i = 0; i < drafts.size(); ++i) {
        Context context;
        context.step = steps[i % std::size(steps)];
        context.fault = faults[i / std::size(steps) % std::size(faults)];
        context.remedy_offered = i % 7 == 0;
        auto lazy = DefaultCoach().Analyze(drafts[i], context);
        auto reference = (*eager)->Analyze(drafts[i], context);
        ASSERT_TRUE(lazy.has_value() && reference.has_value());
        ASSERT_EQ(ToJson(*lazy), ToJson(*reference)) << drafts[i];
        ++compared;
    }
    EXPECT_EQ(compared, drafts.size());
}

// CodePointOffset counts eight bytes at a time; it must agree with a count byte by byte at every offset, across
// word boundaries and with multi-byte characters split between words.
TEST(Coach, CodePointOffsetsAgreeWithAByteByByteCount) {
    const std::string text = "h\xc3\xa9llo \xe2\x80\x94 w\xc3\xb6rld \xe2\x9c\x93 \xf0\x9f\x99\x82 caf\xc3\xa9 sorry \xe2\x80\x99 ok";
    std::size_t expected = 0;
    for (std::size_t offset = 0; offset <= text.size() + 2; ++offset) {
        EXPECT_EQ(CodePointOffset(text, offset), expected) << offset;
        if (offset < text.size() && (static_cast<unsigned char>(text[offset]) & 0xC0) != 0x80) ++expected;
    }
}

// CodePointOffset sums 16 bytes at a time in byte lanes that it adds up every 255 blocks: on a draft long enough
// for several of those (and a lane that would overflow without it: all continuation bytes), it agrees with a count
// byte by byte.
TEST(Coach, CodePointOffsetsAgreeOnALongDraft) {
    std::mt19937 rng(11);
    const std::string pieces[] = {"a", "sorry ", "\xc3\xa9", "\xe2\x80\x99", "\xf0\x9f\x99\x82", "\n"};
    std::string text;
    while (text.size() < 20000) text += pieces[rng() % std::size(pieces)];
    text += std::string(3 * 255 * 16, '\x80');  // continuation bytes only
    std::vector<std::size_t> expected(text.size() + 1);
    for (std::size_t i = 0; i < text.size(); ++i)
        expected[i + 1] = expected[i] + ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 ? 1 : 0);
    for (std::size_t offset = 0; offset <= text.size(); offset += 1 + rng() % 97)
        ASSERT_EQ(CodePointOffset(text, offset), expected[offset]) << offset;
    EXPECT_EQ(CodePointOffset(text, text.size()), expected[text.size()]);
}

// IsValidUtf8 skips ASCII 64 and 16 bytes at a time: a bad byte anywhere in a long ASCII run (the first or last byte
// of a block, just past one) is still found, and agrees with SanitizeUtf8, which reads byte by byte.
TEST(Coach, IsValidUtf8FindsABadByteAnywhereInALongAsciiRun) {
    std::mt19937 rng(13);
    const std::string bad[] = {"\xff", "\x80", "\xe2\x80", "\xc3", "\xed\xa0\x80"};
    const std::string good[] = {"\xc2\xa3", "\xe2\x80\x99", "\xf0\x9f\x99\x82"};
    for (std::size_t length = 0; length < 200; ++length) {
        for (std::size_t at = 0; at <= length; at += 1 + rng() % 5) {
            std::string text(length, 'a');
            ASSERT_TRUE(IsValidUtf8(text));
            std::string with_good = text, with_bad = text;
            with_good.insert(at, good[rng() % std::size(good)]);
            with_bad.insert(at, bad[rng() % std::size(bad)]);
            ASSERT_TRUE(IsValidUtf8(with_good)) << length << " " << at;
            ASSERT_FALSE(IsValidUtf8(with_bad)) << length << " " << at;
            ASSERT_EQ(SanitizeUtf8(with_bad) == with_bad, false);
        }
    }
}

// IsWordEdgeFast (inlined for ASCII neighbours) answers as IsWordEdge for every span and flag, with letters,
// digits, punctuation, accented letters and curly apostrophes on either side.
TEST(Coach, IsWordEdgeFastAgreesWithIsWordEdge) {
    std::mt19937 rng(5);
    const std::string pieces[] = {"a", "Z", "7", " ", ".", "'", "_", "\xc3\xa9", "\xe2\x80\x99", "\xe4\xb8\xad", "\n"};
    for (int round = 0; round < 300; ++round) {
        std::string text;
        for (std::size_t k = rng() % 12; k > 0; --k) text += pieces[rng() % std::size(pieces)];
        for (std::size_t start = 0; start <= text.size(); ++start)
            for (std::size_t end = start; end <= text.size(); ++end)
                for (int flags = 0; flags < 4; ++flags) {
                    bool check_start = flags & 1, check_end = flags & 2;
                    ASSERT_EQ(IsWordEdgeFast(text, start, end, check_start, check_end),
                              IsWordEdge(text, start, end, check_start, check_end))
                        << text << " " << start << " " << end << " " << flags;
                }
    }
}

// The layout as it was read before the one-pass LayOut: line by line, byte by byte, then sorted.
Layout LayOutLineByLine(std::string_view text) {
    auto punct3 = [&](std::size_t i, unsigned char third) {
        return i + 2 < text.size() && static_cast<unsigned char>(text[i]) == 0xE2 &&
               static_cast<unsigned char>(text[i + 1]) == 0x80 && static_cast<unsigned char>(text[i + 2]) == third;
    };
    Layout layout;
    layout.sentence_starts.push_back(0);
    std::size_t line_start = 0;
    while (line_start <= text.size()) {
        std::size_t line_end = text.find('\n', line_start);
        if (line_end == std::string_view::npos) line_end = text.size();
        std::size_t first = text.find_first_not_of(" \t\r", line_start);
        if (first != std::string_view::npos && first < line_end && text[first] == '>') {
            layout.quoted.push_back({line_start, line_end});
        } else {
            std::size_t open = std::string_view::npos;
            bool curly = false;
            for (std::size_t i = line_start; i < line_end; ++i) {
                char c = text[i];
                if (open == std::string_view::npos) {
                    if (c == '"') {
                        open = i;
                        curly = false;
                    } else if (punct3(i, 0x9C)) {
                        open = i;
                        curly = true;
                    }
                } else if (!curly && c == '"') {
                    if (i + 1 - open <= 400) layout.quoted.push_back({open, i + 1});
                    open = std::string_view::npos;
                } else if (curly && punct3(i, 0x9D)) {
                    if (i + 3 - open <= 400) layout.quoted.push_back({open, i + 3});
                    open = std::string_view::npos;
                }
            }
        }
        if (line_end == text.size()) break;
        line_start = line_end + 1;
        layout.sentence_starts.push_back(line_start);
        layout.clause_marks.push_back(line_end);
    }
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '.' || c == '!' || c == '?') {
            layout.clause_marks.push_back(i);
            if (i + 1 == text.size() || text[i + 1] == ' ' || text[i + 1] == '\t' || text[i + 1] == '"')
                layout.sentence_starts.push_back(i + 1);
        } else if (c == ',' || c == ';' || c == ':' || c == '(' || c == ')' || punct3(i, 0x94) || punct3(i, 0x93)) {
            layout.clause_marks.push_back(i);
        }
    }
    std::sort(layout.sentence_starts.begin(), layout.sentence_starts.end());
    layout.sentence_starts.erase(std::unique(layout.sentence_starts.begin(), layout.sentence_starts.end()),
                                 layout.sentence_starts.end());
    std::sort(layout.clause_marks.begin(), layout.clause_marks.end());
    std::sort(layout.quoted.begin(), layout.quoted.end(), [](const ByteRange& a, const ByteRange& b) { return a.start < b.start; });
    return layout;
}

// LayOut reads the draft in one pass, 16 bytes at a time, and leaves its lists unsorted as they come: it must give
// the layout of a line-by-line, byte-by-byte reading, with quoted lines, straight and curly quotes (closed, unclosed,
// across a line break, too long), dashes, sentence ends before ' ', '\t', '"' and the end, and 16-byte blocks.
TEST(Coach, LayOutInOnePassAgreesWithALineByLineReading) {
    std::mt19937 rng(3);
    const std::string pieces[] = {"a", "word ", " ", "\t", "\r", "\n", "> ", ">", ". ", ".", "!", "?", ",", ";", ":", "(",
                                  ")", "\"", "\xe2\x80\x9c", "\xe2\x80\x9d", "\xe2\x80\x94", "\xe2\x80\x93", "\xe2\x80\x99",
                                  "\xc3\xa9", std::string(40, 'x')};
    for (int round = 0; round < 20000; ++round) {
        std::string text;
        for (std::size_t k = rng() % 40; k > 0; --k) text += pieces[rng() % std::size(pieces)];
        if (round % 100 == 0) text += std::string("\"") + std::string(450, 'q') + "\" \xe2\x80\x9c" + std::string(390, 'q') + "\xe2\x80\x9d";
        Layout expected = LayOutLineByLine(text);
        Layout got;
        LayOut(text, got);
        ASSERT_EQ(got.sentence_starts, expected.sentence_starts) << text;
        ASSERT_EQ(got.clause_marks, expected.clause_marks) << text;
        ASSERT_EQ(got.quoted.size(), expected.quoted.size()) << text;
        for (std::size_t i = 0; i < got.quoted.size(); ++i) {
            ASSERT_EQ(got.quoted[i].start, expected.quoted[i].start) << text;
            ASSERT_EQ(got.quoted[i].end, expected.quoted[i].end) << text;
        }
    }
}

// SentenceOf searches without branches: it must give the sentence an upper_bound gives, for every offset, with one
// sentence, with offsets past the last start, and with lists of every length up to 70 (odd, even, powers of two).
TEST(Coach, SentenceOfIsTheLastSentenceStartingAtOrBeforeTheOffset) {
    std::mt19937 rng(5);
    for (std::size_t count = 1; count <= 70; ++count) {
        Layout layout;
        layout.sentence_starts.push_back(0);
        while (layout.sentence_starts.size() < count) layout.sentence_starts.push_back(layout.sentence_starts.back() + 1 + rng() % 9);
        const std::vector<std::size_t>& starts = layout.sentence_starts;
        for (std::size_t pos = 0; pos <= starts.back() + 3; ++pos) {
            auto expected = static_cast<std::size_t>(std::upper_bound(starts.begin(), starts.end(), pos) - starts.begin()) - 1;
            ASSERT_EQ(layout.SentenceOf(pos), expected) << count << " sentences, offset " << pos;
        }
    }
}

// The compact scan text (copied 16 bytes at a time, offsets kept only where they shift) must be the same text and
// the same offsets as the byte-by-byte collapse, whatever the white space: runs across 16-byte blocks, lone \t,
// \r, \f, \v, runs at either end.
TEST(Coach, CompactScanTextAgreesWithTheByteByByteCollapse) {
    std::mt19937 rng(7);
    const std::string alphabet = "abcdefgh sorry.,?\xe2\x80\x99  \n\t\r\f\v";
    for (int round = 0; round < 20000; ++round) {
        std::string text;
        std::size_t length = rng() % 100;
        for (std::size_t i = 0; i < length; ++i)
            text += rng() % 3 == 0 ? alphabet[rng() % alphabet.size()] : static_cast<char>('a' + rng() % 26);
        ScanText full = CollapseWhitespace(text);
        CompactScanText compact;
        CollapseWhitespace(text, compact);
        ASSERT_EQ(compact.text, full.text) << round;
        for (std::size_t i = 0; i < full.original.size(); ++i) ASSERT_EQ(compact.Original(i), full.original[i]) << round << " " << i;
    }
}

// Counting code points span by span, as the findings do, agrees with counting from the start.
TEST(Coach, CodePointOffsetsAddUpOverSpans) {
    const std::string text = "h\xc3\xa9llo \xe2\x80\x94 w\xc3\xb6rld \xe2\x9c\x93 \xf0\x9f\x99\x82 caf\xc3\xa9 sorry \xe2\x80\x99 ok";
    for (std::size_t a = 0; a <= text.size(); ++a)
        for (std::size_t b = a; b <= text.size(); ++b)
            ASSERT_EQ(CodePointOffset(text, a) + CodePointOffset(std::string_view(text).substr(a), b - a), CodePointOffset(text, b));
}

}  // namespace
}  // namespace amends::coach
