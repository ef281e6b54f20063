#include "coach/matcher.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

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

TEST(MultiMatcher, TheEnglishDatabaseIsPrecompiled) {
    bool found = false;
    for (const PrecompiledDatabase& db : PrecompiledDatabases()) found = found || (db.language == "en" && !db.bytes.empty());
    EXPECT_TRUE(found);
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

}  // namespace
}  // namespace amends::coach
