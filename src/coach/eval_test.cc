#include "coach/eval.h"

#include <gtest/gtest.h>

#include <string>

namespace amends::coach {
namespace {

const LabelScore& Score(const EvalResult& result, std::string_view label) {
    for (const LabelScore& s : result.labels)
        if (s.label == label) return s;
    throw std::out_of_range(std::string(label));
}

TEST(CoachEval, CountsTruePositivesFalsePositivesAndMisses) {
    std::string jsonl =
        R"({"text": "I'm sorry, that was our mistake.", "labels": {"apology": true, "ownership": true}})" "\n"
        R"({"text": "Thanks for waiting.", "labels": {"apology": true, "thanks": true}})" "\n"
        "\n"
        R"({"text": "We apologise for the delay.", "labels": {"thanks": false}})" "\n";
    auto result = Evaluate(DefaultCoach(), jsonl);
    ASSERT_TRUE(result.has_value()) << result.error().message;
    EXPECT_EQ(result->items, 3u);
    const LabelScore& apology = Score(*result, "apology");
    EXPECT_EQ(apology.support, 2u);
    EXPECT_EQ(apology.true_positives, 1u);
    EXPECT_EQ(apology.false_negatives, 1u);  // "Thanks for waiting." is no apology
    EXPECT_EQ(apology.false_positives, 1u);  // the third line left apology out: false
    EXPECT_DOUBLE_EQ(apology.precision, 0.5);
    EXPECT_DOUBLE_EQ(apology.recall, 0.5);
    EXPECT_DOUBLE_EQ(apology.f1, 0.5);
    EXPECT_DOUBLE_EQ(Score(*result, "thanks").f1, 1.0);
    EXPECT_EQ(result->mismatches.size(), 2u);
    EXPECT_NE(FormatEvalTable(*result).find("| apology | 2 | 1 | 1 | 1 | 0.500 | 0.500 | 0.500 |"), std::string::npos);
}

TEST(CoachEval, PreviousMessagesFeedTheBoilerplateCheck) {
    std::string jsonl =
        R"({"text": "Our apologies for the delay, and for the fact that we didn't inform you earlier.", "labels": {"boilerplate": true}, "context": {"step": "keep_informed", "previous": ["Our apologies for the delay, and for the fact that we didn't inform you earlier."]}})";
    auto result = Evaluate(DefaultCoach(), jsonl);
    ASSERT_TRUE(result.has_value()) << result.error().message;
    EXPECT_EQ(Score(*result, "boilerplate").true_positives, 1u);
}

TEST(CoachEval, BadLinesAreErrorsNamingTheLine) {
    auto bad_json = Evaluate(DefaultCoach(), "{\"text\": \"a\", \"labels\": {}}\n{oops\n");
    ASSERT_FALSE(bad_json.has_value());
    EXPECT_EQ(bad_json.error().field, "line 2");
    auto bad_label = Evaluate(DefaultCoach(), R"({"text": "a", "labels": {"kindness": true}})");
    ASSERT_FALSE(bad_label.has_value());
    EXPECT_NE(bad_label.error().message.find("kindness"), std::string::npos);
    auto bad_step = Evaluate(DefaultCoach(), R"({"text": "a", "labels": {}, "context": {"step": "dance"}})");
    EXPECT_FALSE(bad_step.has_value());
}

}  // namespace
}  // namespace amends::coach
