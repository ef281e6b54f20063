#include "coach/lexicon.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "coach/coach.h"

namespace amends::coach {
namespace {

using Macros = std::map<std::string, std::string, std::less<>>;

TEST(CoachLexicon, ExpandsMacrosSpacesAndApostrophes) {
    Macros macros{{"WE", "(?:i|we)"}, {"SORRY", "{WE} sorry"}};
    auto out = ExpandPattern("\\b{SORRY} we're [a-z ]x{2,3}", macros);
    ASSERT_TRUE(out.has_value()) << out.error().message;
    EXPECT_EQ(*out, "\\b(?:i|we) sorry we(?:'|\u2019)re [a-z ]x{2,3}");
}

TEST(CoachLexicon, RejectsUnknownMacro) {
    auto out = ExpandPattern("{NOPE} x", Macros{});
    ASSERT_FALSE(out.has_value());
    EXPECT_NE(out.error().message.find("NOPE"), std::string::npos);
}

// {SCAN} (docs/coach.md): where the matcher's forward scan starts, kept out of the expression.
TEST(CoachLexicon, ScanMarksWhereTheForwardScanStarts) {
    Macros macros{{"WE", "(?:i|we)"}, {"SORRY", "(?:sorry|apologies)"}};
    auto out = ExpandPatternWithScan("\\b{WE}'re (?:so )?{SCAN}{SORRY} for\\b", macros);
    ASSERT_TRUE(out.has_value()) << out.error().message;
    EXPECT_EQ(out->first, "\\b(?:i|we)(?:'|\u2019)re (?:so )?(?:sorry|apologies) for\\b");
    EXPECT_EQ(out->first, *ExpandPattern("\\b{WE}'re (?:so )?{SORRY} for\\b", macros));
    EXPECT_EQ(out->second, out->first.find("(?:sorry"));
    auto none = ExpandPatternWithScan("\\b{WE} regret", macros);
    ASSERT_TRUE(none.has_value());
    EXPECT_EQ(none->second, 0u);
    for (const char* bad : {"(?:a {SCAN}b)", "a|{SCAN}b", "a {SCAN}b|c", "[a{SCAN}b]", "{SCAN}a", "a{SCAN}", "a{SCAN}?b",
                            "a{SCAN} b", "a {SCAN}b {SCAN}c", "a\\{SCAN}b", "a{SCAN}{2}"}) {
        auto refused = ExpandPatternWithScan(bad, macros);
        ASSERT_FALSE(refused.has_value()) << bad;
        EXPECT_NE(refused.error().message.find("{SCAN}"), std::string::npos) << bad;
    }
    const amends::EmbeddedFile files[] = {{"xx.lex", "@language xx\n[apology]\n\\b(?:i|we) {SCAN}regret\nsorry\n(a{SCAN}b)\n"}};
    auto pack = ParseLanguagePack(files, "xx");
    ASSERT_FALSE(pack.has_value());
    EXPECT_EQ(pack.error().field, "xx.lex:5");
    const amends::EmbeddedFile good[] = {{"xx.lex", "@language xx\n[apology]\n\\b(?:i|we) {SCAN}regret\nsorry\n"}};
    pack = ParseLanguagePack(good, "xx");
    ASSERT_TRUE(pack.has_value()) << pack.error().message;
    EXPECT_EQ(pack->patterns[0].expression, "\\b(?:i|we) regret");
    EXPECT_EQ(pack->patterns[0].scan_from, 11u);
    EXPECT_EQ(pack->patterns[1].scan_from, 0u);
    MatcherPatterns input = MatcherPatternsOf(*pack, std::vector<std::size_t>{1, 0});
    EXPECT_EQ(input.expressions, (std::vector<std::string>{"sorry", "\\b(?:i|we) regret"}));
    EXPECT_EQ(input.scan_from, (std::vector<std::size_t>{0, 11}));
}

TEST(CoachLexicon, ParsesSectionsAttributesAndMessages) {
    const amends::EmbeddedFile files[] = {
        {"xx_a.lex", "# comment\n@language xx\n@define W (?:we|i)\n[apology voids=remedy]\n{W} regret\n"
                     "[timescale statement nonegate]\ntomorrow\n@reason blame_customer Because.\n@missing plan Add one.\n"},
        {"yy_a.lex", "@language yy\n[thanks]\nmerci\n"},
    };
    auto pack = ParseLanguagePack(files, "xx");
    ASSERT_TRUE(pack.has_value()) << pack.error().field << ": " << pack.error().message;
    ASSERT_EQ(pack->sections.size(), 2u);
    EXPECT_EQ(pack->sections[0].label, "apology");
    EXPECT_EQ(pack->sections[0].role, Role::kElement);
    EXPECT_EQ(pack->sections[0].voids, std::vector<std::string>{"remedy"});
    EXPECT_TRUE(pack->sections[1].statement);
    EXPECT_FALSE(pack->sections[1].negatable);
    ASSERT_EQ(pack->patterns.size(), 2u);
    EXPECT_EQ(pack->patterns[0].expression, "(?:we|i) regret");
    EXPECT_EQ(pack->patterns[0].line, 5);
    EXPECT_EQ(pack->reasons.at("blame_customer"), "Because.");
    EXPECT_EQ(pack->missing.at("plan"), "Add one.");
}

TEST(CoachLexicon, ErrorsNameFileAndLine) {
    const amends::EmbeddedFile unknown_label[] = {{"xx.lex", "@language xx\n\n[kindness]\nhello\n"}};
    auto pack = ParseLanguagePack(unknown_label, "xx");
    ASSERT_FALSE(pack.has_value());
    EXPECT_EQ(pack.error().field, "xx.lex:3");
    const amends::EmbeddedFile derived[] = {{"xx.lex", "@language xx\n[boilerplate]\nhello\n"}};
    EXPECT_FALSE(ParseLanguagePack(derived, "xx").has_value());
    const amends::EmbeddedFile orphan[] = {{"xx.lex", "@language xx\nhello\n"}};
    EXPECT_EQ(ParseLanguagePack(orphan, "xx").error().field, "xx.lex:2");
    EXPECT_EQ(ParseLanguagePack(orphan, "zz").error().code, ErrorCode::kNotFound);
}

TEST(CoachLexicon, TheEnglishPackIsCompiledInAndComplete) {
    auto pack = ParseLanguagePack(CoachLexicon(), "en");
    ASSERT_TRUE(pack.has_value()) << pack.error().field << ": " << pack.error().message;
    EXPECT_GT(pack->patterns.size(), 200u);
    for (std::size_t i = 0; i < kFindingKindCount; ++i) {
        std::string name(Name(static_cast<FindingKind>(i)));
        EXPECT_TRUE(pack->reasons.contains(name)) << name;
        EXPECT_TRUE(pack->suggestions.contains(name)) << name;
    }
    for (std::size_t i = 0; i < kElementCount; ++i)
        EXPECT_TRUE(pack->missing.contains(std::string(Name(static_cast<Element>(i))))) << i;
}

// With start-of-match tracking, each unbounded repeat (\w+, \d*, (...)*) costs Hyperscan about one more pass over
// the draft; the packs bound them ({W}, {WS}, x{0,3}). Lazy or possessive forms count too.
TEST(CoachLexicon, EnglishPatternsHaveNoUnboundedRepeats) {
    auto pack = ParseLanguagePack(CoachLexicon(), "en");
    ASSERT_TRUE(pack.has_value());
    for (const Pattern& pattern : pack->patterns) {
        const std::string& e = pattern.expression;
        bool in_class = false;
        for (std::size_t i = 0; i < e.size(); ++i) {
            if (e[i] == '\\') {
                ++i;
                continue;
            }
            if (in_class) {
                in_class = e[i] != ']';
                continue;
            }
            if (e[i] == '[') {
                in_class = true;
                if (i + 1 < e.size() && e[i + 1] == ']') ++i;
                continue;
            }
            bool open_brace = e[i] == '{' && e.find('}', i) != std::string::npos &&
                              e.substr(i, e.find('}', i) - i).ends_with(",");
            EXPECT_FALSE(e[i] == '+' || e[i] == '*' || open_brace)
                << pattern.file << ":" << pattern.line << ": " << pattern.source;
        }
    }
}

TEST(CoachLexicon, TheMatcherLeavesAFinalWordBoundaryToTheCoach) {
    Pattern ends{0, "\\bsorry\\b", "\\bsorry\\b", "x.lex", 1, true, true};
    EXPECT_EQ(MatcherExpression(ends), "\\bsorry");
    Pattern open{0, "\\bsorry", "\\bsorry", "x.lex", 2, true, false};
    EXPECT_EQ(MatcherExpression(open), "\\bsorry");
    Pattern escaped{0, "a\\\\b", "a\\\\b", "x.lex", 3, false, false};
    EXPECT_EQ(MatcherExpression(escaped), "a\\\\b");
}

TEST(CoachLexicon, LazySectionsGoToOneGroupPerElement) {
    const amends::EmbeddedFile files[] = {
        {"xx.lex", "@language xx\n[apology]\nsorry\n[apology lazy]\nregret\n[mask voids=apology]\nsorry to\n"
                   "[plan promise statement lazy]\nwill fix\n[apology lazy]\napologies\n[plan]\nfixed\n"},
    };
    auto pack = ParseLanguagePack(files, "xx");
    ASSERT_TRUE(pack.has_value()) << pack.error().field << ": " << pack.error().message;
    EXPECT_TRUE(pack->sections[1].lazy);
    EXPECT_FALSE(pack->sections[0].lazy);
    std::vector<PatternGroup> groups = GroupPatterns(*pack);
    ASSERT_EQ(groups.size(), 3u);
    EXPECT_EQ(groups[0].label, "");
    EXPECT_EQ(groups[0].patterns, (std::vector<std::size_t>{0, 2, 5}));
    EXPECT_EQ(groups[1].label, "apology");
    EXPECT_EQ(groups[1].patterns, (std::vector<std::size_t>{1, 4}));
    EXPECT_FALSE(groups[1].promise);
    EXPECT_EQ(groups[2].label, "plan");
    EXPECT_EQ(groups[2].patterns, std::vector<std::size_t>{3});
    EXPECT_TRUE(groups[2].promise);
    std::vector<PatternGroup> eager = GroupPatterns(*pack, /*lazy=*/false);
    ASSERT_EQ(eager.size(), 1u);
    EXPECT_EQ(eager[0].patterns.size(), 6u);
}

// Only an element section whose matches can do nothing but make the element present may be lazy.
TEST(CoachLexicon, LazyIsOnlyForElementsThatVoidNothing) {
    for (const char* header : {"[blame_customer lazy]", "[mask lazy]", "[negation lazy]", "[empathy voids=apology lazy]",
                               "[apology lazy vague]"}) {
        const std::string content = std::string("@language xx\n") + header + "\nhello\n";
        const amends::EmbeddedFile files[] = {{"xx.lex", content}};
        auto pack = ParseLanguagePack(files, "xx");
        ASSERT_FALSE(pack.has_value()) << header;
        EXPECT_EQ(pack.error().field, "xx.lex:2") << header;
        EXPECT_NE(pack.error().message.find("lazy"), std::string::npos) << header;
    }
}

TEST(CoachLexicon, AnUnknownLanguageIsNotFound) {
    auto coach = Coach::Create("tlh");
    ASSERT_FALSE(coach.has_value());
    EXPECT_EQ(coach.error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace amends::coach
