#include "rca/recurrence.h"

#include <gtest/gtest.h>

#include "rca/rca_testing.h"
#include "rca/synthetic.h"

namespace amends::rca {
namespace {

using testing::At;

CaseDigest Case(Id id, const char* category, const char* text, const char* at, const char* reference = nullptr) {
    CaseDigest c{id, category, std::nullopt, text, At(at)};
    if (reference) c.reference = reference;
    return c;
}

std::vector<CaseDigest> CarCases() {
    return {
        Case(1, "delivery", "My new car was delivered without a full tank of fuel.", "2026-03-01"),
        Case(2, "delivery", "The new car was delivered with an empty fuel tank!", "2026-03-05"),
        Case(3, "delivery", "Delivered my new car, no fuel in the tank, not even a full tank", "2026-03-09"),
        Case(4, "billing", "My new car was delivered without a full tank of fuel.", "2026-03-09"),
        Case(5, "delivery", "The radio in my new car does not work", "2026-03-10"),
        Case(6, "delivery", "Seats are the wrong colour", "2026-03-11", "Order 77"),
        Case(7, "delivery", "Where is my invoice?", "2026-03-12", "order  77"),
    };
}

TEST(Recurrence, GroupsByCategoryTextAndReference) {
    const auto cases = CarCases();
    auto groups = GroupCases(cases);
    ASSERT_EQ(groups.size(), 2u);
    EXPECT_EQ(groups[0].case_ids, (std::vector<Id>{1, 2, 3}));
    EXPECT_EQ(groups[1].case_ids, (std::vector<Id>{6, 7})) << "the same reference, case and spaces aside";
}

TEST(Recurrence, FlagsAGroupOverTheThresholdInTheWindowWithoutADebrief) {
    const auto cases = CarCases();
    RecurrenceOptions options;
    options.threshold = 3;
    options.window = std::chrono::days(30);
    auto report = FindRecurrence(cases, {}, At("2026-03-20"), options);
    ASSERT_EQ(report.flags.size(), 1u);
    EXPECT_EQ(report.groups[report.flags[0].group].case_ids, (std::vector<Id>{1, 2, 3}));
    EXPECT_EQ(report.flags[0].explanation,
              "3 alike cases of category delivery in the last 30 days and no debrief: a possible systemic problem");

    options.window = std::chrono::days(14);  // case 1 falls out
    EXPECT_TRUE(FindRecurrence(cases, {}, At("2026-03-20"), options).flags.empty());

    options.window = std::chrono::days(30);
    const DebriefCoverage debrief{3, {2}, {}};
    EXPECT_TRUE(FindRecurrence(cases, std::span(&debrief, 1), At("2026-03-20"), options).flags.empty())
        << "a debrief covers the group";
}

TEST(Recurrence, ANewCaseAfterACompletedActionReopensTheQuestion) {
    auto cases = CarCases();
    const DebriefCoverage debrief{3, {1, 2}, {{8, At("2026-03-07")}}};
    auto report = FindRecurrence(cases, std::span(&debrief, 1), At("2026-03-20"));
    ASSERT_EQ(report.reopenings.size(), 1u);
    EXPECT_EQ(report.reopenings[0].debrief_id, 3);
    EXPECT_EQ(report.reopenings[0].action_id, 8);
    EXPECT_EQ(report.reopenings[0].new_case_ids, (std::vector<Id>{3}));

    const DebriefCoverage later{3, {1, 2}, {{8, At("2026-03-10")}}};
    EXPECT_TRUE(FindRecurrence(cases, std::span(&later, 1), At("2026-03-20")).reopenings.empty());
}

TEST(Recurrence, NothingIsFlaggedInASetWithoutGroups) {
    SyntheticOptions options;
    options.cases = 20000;
    options.groups = 0;
    const SyntheticSet set = GenerateCases(options);
    auto report = FindRecurrence(set.cases, {}, options.now);
    EXPECT_TRUE(report.flags.empty()) << report.flags.size() << " flags, the first: "
                                      << (report.flags.empty() ? "" : report.flags[0].explanation);
}

TEST(Recurrence, PlantedGroupsAreFound) {
    SyntheticOptions options;
    options.cases = 20000;
    options.groups = 20;
    const SyntheticSet set = GenerateCases(options);
    auto report = FindRecurrence(set.cases, {}, options.now);
    const PlantedScore score = ScorePlanted(set, report);
    EXPECT_GE(score.recall, 0.95);
    EXPECT_GE(score.precision, 0.95);
    EXPECT_GE(score.case_recall, 0.9);
}

}  // namespace
}  // namespace amends::rca
