#include "rca/debrief.h"

#include <gtest/gtest.h>

#include "rca/rca_testing.h"

namespace amends::rca {
namespace {

using testing::At;
using testing::CarWithoutFullTank;
using testing::Fix;

TEST(Debrief, NewDebriefAsksFiveWhys) {
    Debrief d = NewDebrief(Subject::kIncident, "9", {}, "Outage", At("2026-01-01T00:00:00Z"));
    EXPECT_EQ(d.whys.size(), kDefaultWhys);
    EXPECT_TRUE(Validate(d));
}

TEST(Debrief, ValidationNamesTheField) {
    struct Row {
        const char* field;
        void (*mutate)(Debrief&);
    };
    const Row rows[] = {
        {"title", [](Debrief& d) { d.title = " "; }},
        {"case_ids", [](Debrief& d) { d.case_ids.clear(); }},
        {"incident_id", [](Debrief& d) { d.incident_id = "4"; }},
        {"case_ids[1]", [](Debrief& d) { d.case_ids = {41, 41}; }},
        {"whys", [](Debrief& d) { d.whys.clear(); }},
        {"whys[0].answer", [](Debrief& d) { d.whys[0].answer.clear(); }},
        {"impact.contacts", [](Debrief& d) { d.impact.contacts = -1; }},
        {"timeline[0].text", [](Debrief& d) { d.timeline = {TimelineEntry{}}; }},
        {"scope_test.in_process",
         [](Debrief& d) {
             d.cause_type = CauseType::kNoRule;
             d.scope_test.in_process = true;
         }},
        {"actions[0].why", [](Debrief& d) { d.actions = {Fix(7, "x", "2026-04-01")}; }},
        {"actions[0].owner",
         [](Debrief& d) {
             d.actions = {Fix(1, "x", "2026-04-01")};
             d.actions[0].owner.clear();
         }},
        {"actions[0].reason",
         [](Debrief& d) {
             d.actions = {Fix(1, "x", "2026-04-01")};
             d.actions[0].status = ActionStatus::kNotDoing;
         }},
        {"actions[0].completed_at",
         [](Debrief& d) {
             d.actions = {Fix(1, "x", "2026-04-01")};
             d.actions[0].status = ActionStatus::kCompleted;
         }},
        {"actions[0].due",
         [](Debrief& d) {
             d.actions = {Fix(1, "x", "2026-04-01")};
             d.actions[0].due = TimePoint{};
         }},
    };
    for (const Row& row : rows) {
        Debrief d = CarWithoutFullTank(true, CauseType::kRuleNotFollowed);
        ASSERT_TRUE(Validate(d));
        row.mutate(d);
        auto r = Validate(d);
        ASSERT_FALSE(r) << row.field;
        EXPECT_EQ(r.error().field, row.field) << r.error().message;
    }
}

TEST(Debrief, AnActionMustAnswerAnAnsweredWhy) {
    Debrief d = CarWithoutFullTank(false, CauseType::kNoRule);
    d.whys.push_back({"Why?", ""});
    d.actions = {Fix(2, "x", "2026-04-01")};
    auto r = Validate(d);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().field, "actions[0].why");
}

TEST(Debrief, AGapInTheChainNamesTheUnansweredWhy) {
    Debrief d = NewDebrief(Subject::kIncident, "1", {}, "t", At("2026-01-01"));
    d.whys[0].answer = "a";
    d.whys[3].answer = "d";
    auto r = Validate(d);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().field, "whys[2].answer");
}

TEST(Debrief, TheChecklistTestSuggestsTheScope) {
    struct Row {
        std::optional<bool> in_process;
        std::optional<CauseType> cause;
        std::optional<Scope> expected;
    };
    const Row rows[] = {
        {std::nullopt, CauseType::kRuleNotFollowed, std::nullopt},
        {false, std::nullopt, Scope::kSystemic},
        {false, CauseType::kNoRule, Scope::kSystemic},
        {true, CauseType::kRuleNotFollowed, Scope::kOneOff},
        {true, std::nullopt, Scope::kOneOff},
        {true, CauseType::kRuleNotUnderstood, Scope::kSystemic},
        {true, CauseType::kSituationNotAnticipated, Scope::kSystemic},
    };
    for (const Row& row : rows) {
        ScopeSuggestion s = SuggestScope({"fill the tank", row.in_process}, row.cause);
        EXPECT_EQ(s.scope, row.expected) << s.explanation;
        EXPECT_NE(s.explanation.find("\"fill the tank\""), std::string::npos) << s.explanation;
    }
}

TEST(Debrief, OverdueActionsAreOutstandingPastTheirDueDateMostOverdueFirst) {
    Debrief d = CarWithoutFullTank(false, CauseType::kNoRule);
    d.actions = {Fix(1, "a", "2026-03-10"), Fix(1, "b", "2026-03-05"), Fix(1, "c", "2026-03-20"),
                 Fix(1, "d", "2026-03-01")};
    for (std::size_t i = 0; i < d.actions.size(); ++i) d.actions[i].id = static_cast<Id>(i + 1);
    d.actions[3].status = ActionStatus::kCompleted;
    d.actions[3].completed_at = At("2026-03-02");
    const Debrief list[] = {d};
    auto overdue = OverdueActions(list, At("2026-03-15"));
    ASSERT_EQ(overdue.size(), 2u);
    EXPECT_EQ(overdue[0].action.action_id, 2);
    EXPECT_EQ(overdue[0].overdue, std::chrono::days(10));
    EXPECT_EQ(overdue[1].action.action_id, 1);
}

TEST(Debrief, AWorkaroundGoesStaleUntilAPermanentFixForItsWhyOrDeeperIsCompleted) {
    Debrief d = CarWithoutFullTank(false, CauseType::kNoRule);
    Action workaround = Fix(0, "fill the tank at handover by hand", "2026-03-03");
    workaround.kind = ActionKind::kWorkaround;
    workaround.id = 1;
    workaround.status = ActionStatus::kCompleted;
    workaround.completed_at = At("2026-03-02T11:00:00Z");
    Action fix = Fix(1, "add the step to the pre-delivery checklist", "2026-04-30");
    fix.id = 2;
    d.actions = {workaround, fix};
    const auto max_age = std::chrono::days(30);

    std::vector<Debrief> list = {d};
    EXPECT_TRUE(StaleWorkarounds(list, At("2026-03-20"), max_age).empty()) << "younger than the limit";
    auto stale = StaleWorkarounds(list, At("2026-05-01"), max_age);
    ASSERT_EQ(stale.size(), 1u);
    EXPECT_EQ(stale[0].workaround.action_id, 1);
    ASSERT_TRUE(stale[0].planned);
    EXPECT_EQ(stale[0].planned->action_id, 2);

    list[0].actions[1].status = ActionStatus::kCompleted;
    list[0].actions[1].completed_at = At("2026-04-20");
    EXPECT_TRUE(StaleWorkarounds(list, At("2026-05-01"), max_age).empty()) << "the fix is done";

    list[0].actions[1].why = 0;
    list[0].actions[0].why = 1;
    EXPECT_EQ(StaleWorkarounds(list, At("2026-05-01"), max_age).size(), 1u) << "a shallower fix does not cover it";
}

TEST(Debrief, PublishGapsNameWhatIsMissing) {
    Debrief d = NewDebrief(Subject::kIncident, "1", {}, "Outage", At("2026-01-01"));
    std::vector<std::string> fields;
    for (const Error& e : PublishGaps(d)) fields.push_back(e.field);
    EXPECT_EQ(fields, (std::vector<std::string>{"summary", "whys[0].answer", "whys[1].answer", "whys[2].answer",
                                                "whys[3].answer", "whys[4].answer", "cause_type",
                                                "scope_test.in_process", "scope"}));

    Debrief systemic = CarWithoutFullTank(false, CauseType::kNoRule);
    systemic.scope = Scope::kSystemic;
    ASSERT_EQ(PublishGaps(systemic).size(), 1u);
    EXPECT_EQ(PublishGaps(systemic)[0].field, "actions");
    systemic.actions = {Fix(1, "add the step to the pre-delivery checklist", "2026-03-31")};
    EXPECT_TRUE(ReadyToPublish(systemic));

    Debrief one_off = CarWithoutFullTank(true, CauseType::kRuleNotFollowed);
    one_off.scope = Scope::kOneOff;
    ASSERT_EQ(PublishGaps(one_off).size(), 1u);
    EXPECT_EQ(PublishGaps(one_off)[0].field, "scope_reason");
    one_off.scope_reason = "the checklist has the step; it was skipped once";
    EXPECT_TRUE(ReadyToPublish(one_off));
}

TEST(Debrief, TimelineFromEventsIsInTimeOrder) {
    std::vector<Event> events = {{2, 41, "message.received", "customer", "{}", At("2026-03-02T09:05:00Z")},
                                 {1, 41, "case.opened", "user:2", "{}", At("2026-03-02T09:00:00Z")}};
    auto timeline = TimelineFromEvents(events);
    ASSERT_EQ(timeline.size(), 2u);
    EXPECT_EQ(timeline[0].text, "case 41: case.opened (user:2)");
    EXPECT_EQ(timeline[1].event_id, 2);
    EXPECT_FALSE(timeline[0].public_text);
}

}  // namespace
}  // namespace amends::rca
