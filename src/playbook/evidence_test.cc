#include "playbook/evidence.h"

#include <gtest/gtest.h>

#include "playbook/playbook_testing.h"

namespace amends::playbook {
namespace {

using testing::At;

TEST(Evidence, EveryPlaybookEventTypeIsRecognised) {
    for (std::string_view type : {event_type::kCaseOpened, event_type::kCaseStateChanged, event_type::kMessageSent,
                                  event_type::kMessageReceived, event_type::kStepCompleted, event_type::kStepWaived,
                                  event_type::kOfferMade, event_type::kOfferAccepted, event_type::kOfferDeclined,
                                  event_type::kPlanChanged, event_type::kFollowUpAnswered, event_type::kCauseLinked,
                                  event_type::kCauseOneOff, event_type::kClockBreached})
        EXPECT_TRUE(IsPlaybookEvent(type)) << type;
    EXPECT_FALSE(IsPlaybookEvent("note.added"));
    EXPECT_FALSE(IsPlaybookEvent("case.assigned"));
}

TEST(Evidence, OtherEventTypesAreNotTheBusinessOfThePlaybook) {
    auto e = ParseEvidence("note.added", "not even json");
    ASSERT_TRUE(e);
    EXPECT_TRUE(e->completes.empty());
}

TEST(Evidence, MessageSentListsTheStepsItCompletes) {
    auto e = ParseEvidence("message.sent", R"({"message_id":7,"completes":["acknowledge","apologize","apologize"],)"
                                           R"("elements":{"apology":true}})");
    ASSERT_TRUE(e) << e.error().message;
    EXPECT_EQ(e->completes, (std::vector<Step>{Step::kAcknowledge, Step::kApologize}));
    auto plain = ParseEvidence("message.sent", R"({"message_id":7})");
    ASSERT_TRUE(plain);
    EXPECT_TRUE(plain->completes.empty());
    EXPECT_FALSE(plain->automatic);
    auto automatic = ParseEvidence("message.sent", R"({"message_id":8,"automatic":true,"completes":["follow_up"]})");
    ASSERT_TRUE(automatic);
    EXPECT_TRUE(automatic->automatic);
}

TEST(Evidence, OfferMadeCarriesSummaryDueRemedyAndCost) {
    auto e = ParseEvidence("offer.made", R"({"offer_id":"o1","summary":"a new box by Friday",)"
                                         R"("remedy":"replacement","cost_minor":0,"due":"2026-11-27T17:00:00Z"})");
    ASSERT_TRUE(e) << e.error().message;
    EXPECT_EQ(e->offer_id, "o1");
    EXPECT_EQ(e->summary, "a new box by Friday");
    EXPECT_EQ(e->remedy, "replacement");
    EXPECT_EQ(e->cost_minor, 0);
    EXPECT_EQ(e->due, At("2026-11-27T17:00:00Z"));
    auto numeric = ParseEvidence("offer.accepted", R"({"offer_id":42})");
    ASSERT_TRUE(numeric);
    EXPECT_EQ(numeric->offer_id, "42");
}

TEST(Evidence, EachTypeReadsItsFields) {
    auto state = ParseEvidence("case.state_changed", R"({"from":"open","to":"waiting_on_customer"})");
    ASSERT_TRUE(state);
    EXPECT_EQ(state->to, CaseState::kWaitingOnCustomer);
    auto step = ParseEvidence("step.completed", R"({"step":"listen","evidence":"called; asked what was missing"})");
    ASSERT_TRUE(step);
    EXPECT_EQ(step->completes, std::vector<Step>{Step::kListen});
    EXPECT_EQ(step->text, "called; asked what was missing");
    auto waived = ParseEvidence("step.waived", R"({"step":"follow_up","reason":"asked not to be contacted"})");
    ASSERT_TRUE(waived);
    EXPECT_EQ(waived->completes, std::vector<Step>{Step::kFollowUp});
    auto plan = ParseEvidence("plan.changed", R"({"what":"courier delayed","new_due":"2026-11-30"})");
    ASSERT_TRUE(plan);
    EXPECT_EQ(plan->text, "courier delayed");
    EXPECT_EQ(plan->due, At("2026-11-30T00:00:00Z"));
    auto answered = ParseEvidence("followup.answered", R"({"score":5,"comment":"great"})");
    ASSERT_TRUE(answered);
    EXPECT_EQ(answered->score, 5);
    auto linked = ParseEvidence("cause.linked", R"({"debrief_id":9})");
    ASSERT_TRUE(linked);
    EXPECT_EQ(linked->debrief_id, 9);
    auto one_off = ParseEvidence("cause.one_off", R"({"reason":"driver lost the parcel"})");
    ASSERT_TRUE(one_off);
    EXPECT_EQ(one_off->text, "driver lost the parcel");
    auto breached = ParseEvidence("clock.breached", R"({"clock":"acknowledge","due":"2026-11-23T11:00:00.000Z"})");
    ASSERT_TRUE(breached);
    EXPECT_EQ(breached->clock, Clock::kAcknowledge);
    EXPECT_EQ(breached->due, At("2026-11-23T11:00:00Z"));
}

TEST(Evidence, MalformedDataIsRejectedNamingTheField) {
    struct Case {
        const char* type;
        const char* data;
        const char* field;
    } cases[] = {
        {"message.sent", "[1,2]", "data"},
        {"message.sent", "{not json", "data"},
        {"message.sent", R"({"completes":"apologize"})", "completes"},
        {"message.sent", R"({"completes":["apologize","sorry"]})", "completes[1]"},
        {"message.sent", R"({"completes":[3]})", "completes[0]"},
        {"message.sent", R"({"completes":["offer"]})", "completes[0]"},
        {"message.sent", R"({"completes":["fix_cause"]})", "completes[0]"},
        {"message.sent", R"({"automatic":"yes"})", "automatic"},
        {"case.state_changed", R"({"from":"open","to":"done"})", "to"},
        {"case.state_changed", R"({"from":"open"})", "to"},
        {"step.completed", R"({"step":"agree","evidence":"said yes"})", "step"},
        {"step.completed", R"({"step":"listen"})", "evidence"},
        {"step.completed", R"({"step":"listen","evidence":"   "})", "evidence"},
        {"step.waived", R"({"step":"acknowledge","reason":"no"})", "step"},
        {"step.waived", R"({"step":"offer"})", "reason"},
        {"offer.made", R"({"summary":"x","due":"2026-11-27"})", "offer_id"},
        {"offer.made", R"({"offer_id":"o1","due":"2026-11-27"})", "summary"},
        {"offer.made", R"({"offer_id":"o1","summary":"x"})", "due"},
        {"offer.made", R"({"offer_id":"o1","summary":"x","due":"next week"})", "due"},
        {"offer.made", R"({"offer_id":"o1","summary":"x","due":"2026-11-27","cost_minor":-5})", "cost_minor"},
        {"offer.made", R"({"offer_id":"o1","summary":"x","due":"2026-11-27","remedy":7})", "remedy"},
        {"offer.made", R"({"offer_id":0,"summary":"x","due":"2026-11-27"})", "offer_id"},
        {"offer.accepted", R"({})", "offer_id"},
        {"offer.declined", R"({"offer_id":"o1","comment":12})", "comment"},
        {"plan.changed", R"({"new_due":"2026-11-27"})", "what"},
        {"plan.changed", R"({"what":"later","new_due":"soon"})", "new_due"},
        {"followup.answered", R"({"score":0})", "score"},
        {"followup.answered", R"({"score":6})", "score"},
        {"followup.answered", R"({"score":"5"})", "score"},
        {"cause.linked", R"({"debrief_id":"9"})", "debrief_id"},
        {"cause.linked", R"({"debrief_id":-1})", "debrief_id"},
        {"cause.one_off", R"({"reason":""})", "reason"},
        {"clock.breached", R"({"clock":"lunch","due":"2026-11-27"})", "clock"},
        {"clock.breached", R"({"clock":"agree"})", "due"},
    };
    for (const Case& c : cases) {
        auto e = ParseEvidence(c.type, c.data);
        ASSERT_FALSE(e) << c.type << " " << c.data;
        EXPECT_EQ(e.error().code, ErrorCode::kInvalidArgument) << c.type << " " << c.data;
        EXPECT_EQ(e.error().field, c.field) << c.type << " " << c.data << ": " << e.error().message;
    }
}

TEST(Evidence, OverlongTextIsTooLarge) {
    const std::string reason(kMaxLongTextBytes + 1, 'x');
    auto e = ParseEvidence("cause.one_off", R"({"reason":")" + reason + R"("})");
    ASSERT_FALSE(e);
    EXPECT_EQ(e.error().code, ErrorCode::kTooLarge);
    EXPECT_EQ(e.error().field, "reason");
}

TEST(Evidence, ContactAndWaivableStepsAreTheDocumentedOnes) {
    std::vector<Step> contact, waivable;
    for (Step s : kAllSteps) {
        if (IsContactStep(s)) contact.push_back(s);
        if (IsWaivableStep(s)) waivable.push_back(s);
    }
    EXPECT_EQ(contact, (std::vector<Step>{Step::kAcknowledge, Step::kApologize, Step::kListen, Step::kConfirm,
                                          Step::kKeepInformed, Step::kFollowUp}));
    EXPECT_EQ(waivable,
              (std::vector<Step>{Step::kListen, Step::kOffer, Step::kAgree, Step::kConfirm, Step::kFollowUp}));
}

TEST(Steps, NamesRoundTrip) {
    for (Step s : kAllSteps) EXPECT_EQ(ParseStep(Name(s)), s);
    for (Clock c : kAllClocks) EXPECT_EQ(ParseClock(Name(c)), c);
    EXPECT_EQ(Name(Step::kKeepInformed), "keep_informed");
    EXPECT_EQ(Name(Step::kFixCause), "fix_cause");
    EXPECT_EQ(Name(StepState::kWaived), "waived");
    EXPECT_FALSE(ParseStep("apologise"));
    EXPECT_EQ(ClockStep(Clock::kKeepInformed), Step::kKeepInformed);
    EXPECT_EQ(ClockStep(Clock::kAgree), Step::kAgree);
}

}  // namespace
}  // namespace amends::playbook
