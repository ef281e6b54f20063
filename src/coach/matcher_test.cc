#include "coach/matcher.h"

#include <gtest/gtest.h>
#include <hs/hs.h>

#include <algorithm>
#include <random>
#include <string>
#include <tuple>
#include <thread>
#include <vector>

#include "coach/lexicon.h"
#include "coach/precompiled.h"

namespace amends::coach {
namespace {

TEST(MultiMatcher, ReportsEveryPatternWithItsSpan) {
    std::vector<std::string> patterns = {"\\bsorry\\b", "our (?:mistake|fault)", "[a-z]{0,40}zz"};
    auto matcher = MultiMatcher::Compile(patterns);
    ASSERT_TRUE(matcher.has_value()) << matcher.error().message;
    std::vector<RawMatch> out;
    (*matcher)->Scan("So SORRY, our fault.", out);
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[0].id, 0u);
    EXPECT_EQ(out[0].start, 3u);
    EXPECT_EQ(out[0].end, 8u);
    EXPECT_EQ(out[1].id, 1u);
    EXPECT_EQ(out[1].start, 10u);
    EXPECT_TRUE((*matcher)->ExactStart(0));
    EXPECT_FALSE((*matcher)->ExactStart(2));  // a long bounded gap: only the end is tracked
}

TEST(MultiMatcher, EndsInsideAWordAreLeftOutWhenThePatternWantsAWordEdge) {
    std::vector<std::string> patterns = {"\\bsorr(?:y|ies)", "\\brefund"};
    auto matcher = MultiMatcher::Compile(patterns);
    ASSERT_TRUE(matcher.has_value());
    std::vector<bool> word_end = {true, false};
    std::vector<RawMatch> out;
    (*matcher)->Scan("sorryness, sorry, refunded", out, &word_end);
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[0].id, 0u);
    EXPECT_EQ(out[0].start, 11u);
    EXPECT_EQ(out[0].end, 16u);
    EXPECT_EQ(out[1].id, 1u);  // no edge wanted: "refund" inside "refunded" stays
    EXPECT_EQ(out[1].start, 18u);
}

TEST(MultiMatcher, ReversedTextIsALineBreakThenTheBytesBackwards) {
    std::string out = "left over from a longer text, to be overwritten";
    for (std::size_t n = 0; n <= 40; ++n) {
        std::string text;
        for (std::size_t i = 0; i < n; ++i) text += static_cast<char>('a' + i % 26 + (i % 3 == 0 ? 0x80 : 0));
        ReverseInto(text, out);
        std::string expected(1, '\n');
        for (std::size_t i = n; i > 0; --i) expected.push_back(text[i - 1]);
        EXPECT_EQ(out, expected) << n;
    }
}

TEST(MultiMatcher, InvalidPatternNamesItsIndex) {
    std::vector<std::string> patterns = {"fine", "(unclosed"};
    auto matcher = MultiMatcher::Compile(patterns);
    ASSERT_FALSE(matcher.has_value());
    EXPECT_EQ(matcher.error().field, "1");
}

TEST(MultiMatcher, SerializedDatabaseRoundTripsAndRejectsOtherPatterns) {
    std::vector<std::string> patterns = {"apolog(?:y|ies)", "refund"};
    auto matcher = MultiMatcher::Compile(patterns, /*portable=*/true);
    ASSERT_TRUE(matcher.has_value());
    std::string bytes = (*matcher)->Serialize();
    auto restored = MultiMatcher::Deserialize(bytes, patterns);
    ASSERT_TRUE(restored.has_value()) << restored.error().message;
    std::vector<RawMatch> out;
    (*restored)->Scan("our apologies, and a refund", out);
    EXPECT_EQ(out.size(), 2u);
    std::vector<std::string> other = {"apolog(?:y|ies)", "credit"};
    EXPECT_EQ(MultiMatcher::Deserialize(bytes, other).error().code, ErrorCode::kUnprocessable);
    EXPECT_FALSE(MultiMatcher::Deserialize(bytes.substr(0, 40), patterns).has_value());
}

TEST(MultiMatcher, TheEnglishDatabasesArePrecompiled) {
    auto pack = ParseLanguagePack(CoachLexicon(), "en");
    ASSERT_TRUE(pack.has_value());
    std::vector<PatternGroup> groups = GroupPatterns(*pack);
    ASSERT_GT(groups.size(), 1u);
    for (const PatternGroup& group : groups) {
        MatcherPatterns input = MatcherPatternsOf(*pack, group.patterns);
        int found = 0;
        for (const PrecompiledDatabase& db : PrecompiledDatabases()) {
            if (db.language != "en" || db.group != group.label) continue;
            ++found;
            // Not stale: no compiling at start-up.
            auto restored = MultiMatcher::Deserialize(db.bytes, input.expressions, input.scan_from);
            EXPECT_TRUE(restored.has_value()) << group.label << ": " << restored.error().message;
        }
        EXPECT_EQ(found, 1) << group.label;
    }
}

TEST(MultiMatcher, ScansFromManyThreadsAtOnce) {
    std::vector<std::string> patterns = {"\\bsorry\\b", "\\bthanks?\\b"};
    auto matcher = MultiMatcher::Compile(patterns);
    ASSERT_TRUE(matcher.has_value());
    std::vector<std::thread> threads;
    std::vector<std::size_t> counts(4);
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 1000; ++i) {
                std::vector<RawMatch> out;
                (*matcher)->Scan("sorry and thanks, sorry", out);
                counts[t] += out.size();
            }
        });
    }
    for (auto& thread : threads) thread.join();
    for (std::size_t c : counts) EXPECT_EQ(c, 3000u);
}

// Matches of one Hyperscan scan with leftmost start-of-match tracking (what the matcher did before it found starts
// in a second stage), sorted: the reference the matcher must agree with.
std::vector<std::tuple<std::uint32_t, std::size_t, std::size_t>> TrackedScan(const std::vector<std::string>& expressions,
                                                                             const MultiMatcher& matcher,
                                                                             std::string_view text) {
    static std::vector<std::tuple<std::uint32_t, std::size_t, std::size_t>> out;
    static hs_database_t* db = nullptr;
    static hs_scratch_t* scratch = nullptr;
    // Compiled again for other expressions: compared by value, as two tests' vectors may share an address.
    static std::vector<std::string> compiled_for;
    if (compiled_for != expressions) {
        std::vector<const char*> sources;
        std::vector<unsigned> flags, ids;
        for (std::size_t i = 0; i < expressions.size(); ++i) {
            sources.push_back(expressions[i].c_str());
            flags.push_back(HS_FLAG_CASELESS | HS_FLAG_MULTILINE |
                            (matcher.ExactStart(static_cast<std::uint32_t>(i)) ? HS_FLAG_SOM_LEFTMOST : 0u));
            ids.push_back(static_cast<unsigned>(i));
        }
        hs_compile_error_t* error = nullptr;
        if (db) hs_free_database(db);
        db = nullptr;
        EXPECT_EQ(hs_compile_multi(sources.data(), flags.data(), ids.data(), static_cast<unsigned>(sources.size()),
                                   HS_MODE_BLOCK, nullptr, &db, &error),
                  HS_SUCCESS);
        hs_alloc_scratch(db, &scratch);
        compiled_for = expressions;
    }
    out.clear();
    hs_scan(db, text.data(), static_cast<unsigned>(text.size()), 0, scratch,
            [](unsigned id, unsigned long long from, unsigned long long to, unsigned, void*) {
                out.emplace_back(id, static_cast<std::size_t>(from), static_cast<std::size_t>(to));
                return 0;
            },
            nullptr);
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<std::tuple<std::uint32_t, std::size_t, std::size_t>> MatcherScan(const MultiMatcher& matcher, std::string_view text) {
    std::vector<RawMatch> raw;
    matcher.Scan(text, raw);
    std::vector<std::tuple<std::uint32_t, std::size_t, std::size_t>> out;
    for (const RawMatch& m : raw) out.emplace_back(m.id, m.start, m.end);
    std::sort(out.begin(), out.end());
    return out;
}

// Starts found in a second stage (fixed widths, reversed patterns anchored at each end, a forward scan without the
// leading \b) must be exactly those of one scan with start-of-match tracking: on small cases at the edges (start and
// end of the text, ^ after a line break, \b next to letters) ...
TEST(MultiMatcher, StartsAreThoseOfOneScanWithStartTracking) {
    const std::vector<std::string> patterns = {
        "\\bsorry",
        "(?:[.!?:;]|^) ?(?:so |very )?sorry",
        "\\b(?:i|we) (?:\\w{1,16} ){0,3}refunded",
        "\\bour (?:mistake|fault)s?",
        "\\b(?:i(?:'|\xe2\x80\x99)m|we are) (?:so )?sorry",
        "[a-z]{0,40}zz",
        "\\bx\\d{1,3}",
    };
    auto matcher = MultiMatcher::Compile(patterns);
    ASSERT_TRUE(matcher.has_value()) << matcher.error().message;
    const std::vector<std::string> texts = {
        "sorry", "unsorry sorry", "So sorry. sorry!", "\nsorry", "a.sorry", "we we really truly refunded",
        "i i refunded", "Our mistakes, our fault", "I\xe2\x80\x99m sorry we are so sorry", "azz buzz", "x1 x12345 ax1",
        "wei refunded", "i refunded", "",
    };
    for (const std::string& t : texts) EXPECT_EQ(MatcherScan(**matcher, t), TrackedScan(patterns, **matcher, t)) << t;
}

// A pattern ending in `\b[^.!?\n]{0,N}\?` is scanned as its words alone, and Scan() finds the '?' after them: the
// matches must be those of Hyperscan scanning the whole pattern, with the '?' at and just past the end of the gap, a
// '.', '!' or line break first, the words twice before one '?', the words inside a longer word (the \b, '_' being a
// word byte to Hyperscan), the end of the text, a top-level alternation (no tail then), and once more after a
// serialize and restore.
TEST(MultiMatcher, AQuestionTailEndsWhereTheWholePatternWould) {
    static const std::vector<std::string> patterns = {
        "\\bcould you (?:tell|let)\\b[^.!?\\n]{0,20}\\?",
        "\\bwhat (?:happened|time)[^.!?\\n]{0,25}\\?",  // no \b before the tail
        "\\bsorry",
        "\\bwhich \\w{1,16} (?:is|was)\\b[^.!?\\n]{0,40}\\?",
        "\\bcould you let|\\bwhat time\\b[^.!?\\n]{0,30}\\?",  // the tail is the second branch's only
        "\\bsorry[(|]\\b[^.!?\\n]{0,30}\\?",                   // a '|' in a class is no alternation
    };
    auto matcher = MultiMatcher::Compile(patterns);
    ASSERT_TRUE(matcher.has_value()) << matcher.error().message;
    auto restored = MultiMatcher::Deserialize((*matcher)->Serialize(), patterns);
    ASSERT_TRUE(restored.has_value()) << restored.error().message;
    const char* const kPieces[] = {"could you tell", "could you let", "Could You Tell", "could you tells", "could you tell_",
                                   "what happened", "what time", "which size is", "which one was", "sorry", "sorry(", "sorry|", "?", "?", ".",
                                   "!", "\n", " ", " ", "x", "yyyyyyyyyy", "_", "\xe2\x80\x99"};
    std::mt19937 rng(17);
    std::size_t questions = 0;
    for (int round = 0; round < 4000; ++round) {
        std::string text;
        for (std::size_t k = rng() % 14; k > 0; --k) text += kPieces[rng() % std::size(kPieces)];
        auto expected = TrackedScan(patterns, **matcher, text);
        ASSERT_EQ(MatcherScan(**matcher, text), expected) << text;
        ASSERT_EQ(MatcherScan(**restored, text), expected) << text;
        // In order of end once the questions' ends have moved to their '?', and what was in the vector before the
        // scan stays where it was.
        std::vector<RawMatch> raw = {RawMatch{99, 0, 1'000'000}};
        (*matcher)->Scan(text, raw);
        ASSERT_EQ(raw[0].id, 99u);
        ASSERT_TRUE(std::is_sorted(raw.begin() + 1, raw.end(), [](const RawMatch& a, const RawMatch& b) { return a.end < b.end; }))
            << text;
        questions += static_cast<std::size_t>(std::count_if(expected.begin(), expected.end(), [](const auto& m) { return std::get<0>(m) != 2; }));
    }
    EXPECT_GT(questions, 300u);  // questions were found: the comparison is not vacuous
}

// Regression: the reversed pattern was anchored with ^, which in multi-line mode also matches after a line break
// inside the window, so a match ending one byte before a line break lent its start to the next match ("reply me.\n
// reply me" came out as one match from 0 to 18).
TEST(MultiMatcher, AStartDoesNotComeFromAMatchBeforeALineBreak) {
    const std::vector<std::string> patterns = {
        "\\b(?:just )?(?:reply|respond) (?:to )?(?:this|here|me)",
        "\\b(?:only|just) (?:a|one) (?:\\w{1,16} )?(?:small|minor) (?:delay|issue)",
    };
    auto matcher = MultiMatcher::Compile(patterns);
    ASSERT_TRUE(matcher.has_value()) << matcher.error().message;
    std::vector<RawMatch> out;
    (*matcher)->Scan("reply me.\nreply me", out);
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[1].start, 10u);
    EXPECT_EQ(out[1].end, 18u);
    const std::vector<std::string> texts = {
        "reply me.\nreply me", "just reply here!\nJust reply to this", "reply me\n\nreply me",
        "only a small delay.\nonly a small issue", "Only one very minor issue,\njust a small delay", "x\nreply me",
    };
    for (const std::string& t : texts) EXPECT_EQ(MatcherScan(**matcher, t), TrackedScan(patterns, **matcher, t)) << t;
}

// {SCAN}: a forward scan for a suffix of the pattern, every end checked by the reverse scan of the whole, gives the
// matches of one scan of the whole patterns with start tracking; ends only the suffix has are dropped.
TEST(MultiMatcher, AForwardScanFromAnInnerPointGivesTheMatchesOfTheWholePattern) {
    const std::vector<std::string> patterns = {
        "\\b(?:i|we) (?:\\w{1,16} ){0,2}refunded",
        "\\bour (?:mistake|fault)s?",
        "\\bour fault",  // fixed width: checked by a reverse scan too
        "(?:[.!?:;]|^) ?(?:so |very )?sorry",
        "\\bthank(?:s| you)",
    };
    std::vector<std::size_t> scan_from;
    for (const char* from : {"refunded", "(?:mistake", "fault", "sorry", "(?:s|"})
        scan_from.push_back(patterns[scan_from.size()].find(from));
    auto matcher = MultiMatcher::Compile(patterns, /*portable=*/false, scan_from);
    ASSERT_TRUE(matcher.has_value()) << matcher.error().message;
    std::vector<RawMatch> out;
    (*matcher)->Scan("they refunded it, your fault, no worries", out);
    EXPECT_TRUE(out.empty());  // the suffixes match, the whole patterns do not
    (*matcher)->Scan("we refunded it", out);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].start, 0u);
    EXPECT_EQ(out[0].end, 11u);
    const std::vector<std::string> texts = {
        "we refunded", "they refunded", "I have now refunded", "xi refunded", "we have not yet fully refunded",
        "your fault, our fault; ours faults. Our mistakes", "so sorry. sorry! a.sorry", "\nsorry\nvery sorry",
        "thanks, thank you, thank\nyou, thankyou", "we refunded.\nrefunded\nwe refunded", "",
    };
    for (const std::string& t : texts) EXPECT_EQ(MatcherScan(**matcher, t), TrackedScan(patterns, **matcher, t)) << t;
    // The restored database keeps the same forward scans; other scan points make it stale.
    auto portable = MultiMatcher::Compile(patterns, /*portable=*/true, scan_from);
    ASSERT_TRUE(portable.has_value());
    std::string bytes = (*portable)->Serialize();
    auto restored = MultiMatcher::Deserialize(bytes, patterns, scan_from);
    ASSERT_TRUE(restored.has_value()) << restored.error().message;
    for (const std::string& t : texts) EXPECT_EQ(MatcherScan(**restored, t), TrackedScan(patterns, **matcher, t)) << t;
    EXPECT_FALSE(MultiMatcher::Deserialize(bytes, patterns).has_value());
}

// A long-gap pattern (its start is not tracked: the caller widens it to the sentence) may have a {SCAN} point too: the
// reverse scan only checks each end, and the start stays unknown (0), as without one.
TEST(MultiMatcher, ALongGapPatternScannedFromAnInnerPointKeepsItsEndsAndAnUnknownStart) {
    const std::vector<std::string> patterns = {"sorry", "\\bcould you (?:please )?(?:tell|send)\\b[^.!?\\n]{0,160}\\?",
                                               "\\byou must have [^.!?\\n]{0,80}\\b(?:which is why|which caused)"};
    const std::vector<std::size_t> scan_from = {0, patterns[1].find("\\?"), patterns[2].find("(?:which is")};
    auto matcher = MultiMatcher::Compile(patterns, /*portable=*/false, scan_from);
    ASSERT_TRUE(matcher.has_value()) << matcher.error().message;
    EXPECT_FALSE((*matcher)->ExactStart(1));
    EXPECT_FALSE((*matcher)->ExactStart(2));
    std::vector<RawMatch> out;
    (*matcher)->Scan("Why? Could you tell me more? Could you not? So sorry. You must have left, which caused it", out);
    ASSERT_EQ(out.size(), 3u);
    EXPECT_EQ(out[0].id, 1u);
    EXPECT_EQ(out[0].start, 0u);
    EXPECT_EQ(out[0].end, 28u);
    EXPECT_EQ(out[1].id, 0u);
    EXPECT_EQ(out[2].id, 2u);
    EXPECT_EQ(out[2].start, 0u);
    const std::vector<std::string> texts = {
        "could you tell us? could you send it?\nwhy?", "could you tell. me?", "? could you send?", "",
        "you must have x which is why, you must have y. which caused", "could you please send the form, and the photo?",
    };
    for (const std::string& t : texts) EXPECT_EQ(MatcherScan(**matcher, t), TrackedScan(patterns, **matcher, t)) << t;
}

TEST(MultiMatcher, AForwardScanFromAnInnerPointNeedsAPatternWhoseStartAReverseScanFinds) {
    const std::vector<std::string> open = {"sorry", "\\bcould you\\b[^.?]*\\?"};  // unbounded: no reverse scan
    auto refused = MultiMatcher::Compile(open, /*portable=*/false, std::vector<std::size_t>{0, open[1].find("\\?")});
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().field, "1");
    EXPECT_NE(refused.error().message.find("{SCAN}"), std::string::npos);
    const std::vector<std::string> one = {"sorry"};
    EXPECT_FALSE(MultiMatcher::Compile(one, false, std::vector<std::size_t>{0, 0}).has_value());  // one offset each
    EXPECT_FALSE(MultiMatcher::Compile(one, false, std::vector<std::size_t>{5}).has_value());     // nothing after it
}

// ... and on the English pack, over drafts made of the lexicon's own words with punctuation, quotes and line breaks.
TEST(MultiMatcher, EnglishStartsAreThoseOfOneScanWithStartTracking) {
    auto pack = ParseLanguagePack(CoachLexicon(), "en");
    ASSERT_TRUE(pack.has_value());
    static std::vector<std::string> expressions;
    std::vector<std::size_t> all(pack->patterns.size());
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
    MatcherPatterns input = MatcherPatternsOf(*pack, all);
    expressions = input.expressions;
    // With the lexicon's {SCAN} points: the forward scans from them must give the matches of the whole patterns.
    ASSERT_TRUE(std::any_of(input.scan_from.begin(), input.scan_from.end(), [](std::size_t f) { return f > 0; }));
    auto matcher = MultiMatcher::Compile(expressions, /*portable=*/false, input.scan_from);
    ASSERT_TRUE(matcher.has_value()) << matcher.error().message;
    std::vector<std::string> words;
    for (const Pattern& p : pack->patterns) {
        std::string word;
        for (char c : p.source + " ") {
            if (std::isalpha(static_cast<unsigned char>(c))) {
                word += c;
            } else {
                if (word.size() > 1) words.push_back(word);
                word.clear();
            }
        }
    }
    const char* const kJoins[] = {" ", " ", " ", " ", ", ", ". ", "? ", "\n", "'", "\xe2\x80\x99", " I ", " we ", "-", "5"};
    std::mt19937 rng(11);
    std::size_t matches = 0;
    for (int round = 0; round < 2000; ++round) {
        std::string text;
        for (std::size_t k = 0, n = 3 + rng() % 40; k < n; ++k) {
            text += words[rng() % words.size()];
            text += kJoins[rng() % std::size(kJoins)];
        }
        auto got = MatcherScan(**matcher, text);
        ASSERT_EQ(got, TrackedScan(expressions, **matcher, text)) << text;
        matches += got.size();
    }
    EXPECT_GT(matches, 2000u);  // the drafts do match: the comparison is not vacuous
}

}  // namespace
}  // namespace amends::coach
