#include "rca/json.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "rca/rca_testing.h"

namespace amends::rca {
namespace {

using testing::At;
using testing::CarWithoutFullTank;
using testing::Fix;

TEST(RcaJson, ADebriefSurvivesARoundTrip) {
    Debrief d = CarWithoutFullTank(false, CauseType::kNoRule);
    d.scope = Scope::kSystemic;
    d.impact = {1, 2, 1, 5000};
    d.timeline = {{At("2026-03-01T17:00:00Z"), "case 41 opened by Ann Smith", "A car was delivered", 41, 7}};
    d.actions = {Fix(1, "add the step to the pre-delivery checklist", "2026-03-31")};
    d.actions[0].id = 5;
    d.actions[0].debrief_id = 3;
    const nlohmann::json j = d;
    EXPECT_EQ(j["scope_suggestion"]["scope"], "systemic");
    EXPECT_EQ(j["publish_gaps"].size(), 0u);
    auto back = ParseDebrief(j);
    ASSERT_TRUE(back) << back.error().field << ": " << back.error().message;
    EXPECT_EQ(nlohmann::json(*back), j);
}

TEST(RcaJson, ErrorsNameTheMember) {
    const nlohmann::json base = CarWithoutFullTank(true, CauseType::kRuleNotFollowed);
    struct Row {
        const char* field;
        nlohmann::json patch;
    };
    const Row rows[] = {
        {"subject", {{"subject", "case"}}},
        {"title", {{"title", 3}}},
        {"whys[0].answer", {{"whys", {{{"question", "Why?"}, {"answer", ""}}, {{"question", "Why?"}, {"answer", "x"}},
                                      {{"question", "Why?"}, {"answer", "y"}}}}}},
        {"whys[0].colour", {{"whys", {{{"question", "Why?"}, {"colour", "red"}}}}}},
        {"cause_type", {{"cause_type", "bad_luck"}}},
        {"scope_test.in_process", {{"scope_test", {{"in_process", "yes"}}}}},
        {"actions[0].why",
         {{"actions", {{{"kind", "workaround"}, {"description", "d"}, {"why", 9}, {"owner", "o"}, {"due", "2026-04-01"}}}}}},
        {"actions[0].due", {{"actions", {{{"kind", "workaround"}, {"description", "d"}, {"why", 0}, {"owner", "o"}}}}}},
        {"actions[0].reason",
         {{"actions",
           {{{"kind", "workaround"}, {"description", "d"}, {"why", 0}, {"owner", "o"}, {"due", "2026-04-01"},
             {"status", "not_doing"}}}}}},
        {"timeline[0].at", {{"timeline", {{{"at", "yesterday"}, {"text", "t"}}}}}},
        {"impact.customers", {{"impact", {{"customers", 1}}}}},
        {"colour", {{"colour", "red"}}},
    };
    for (const Row& row : rows) {
        nlohmann::json j = base;
        j.merge_patch(row.patch);
        auto r = ParseDebrief(j);
        ASSERT_FALSE(r) << row.field;
        EXPECT_EQ(r.error().field, row.field) << r.error().message;
    }
}

TEST(RcaJson, ParseActionChecksTheWhyIndex) {
    const nlohmann::json j = {{"kind", "permanent_fix"}, {"description", "add the step"}, {"why", 4},
                              {"owner", "user:2"},       {"due", "2026-04-01"}};
    EXPECT_TRUE(ParseAction(j, 5));
    auto r = ParseAction(j, 4);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().field, "why");
    EXPECT_EQ(ParseAction(nlohmann::json::array(), 5).error().field, "action");
}

}  // namespace
}  // namespace amends::rca
