// The two stories of the issue, told event by event.
#include <gtest/gtest.h>

#include "playbook/playbook_testing.h"
#include "playbook/progress.h"

namespace amends::playbook {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;
using testing::At;
using testing::Timeline;

// A grocery box never came. The shop acknowledges within the hour with an apology and a question, offers a new
// box by Friday with 20% off, the customer accepts, the shop confirms, delivers, resolves, follows up three days
// later, the customer answers 5/5, and the cause (a courier depot) is linked to a debrief.
TEST(Stories, TheGroceryBoxThatNeverCameWalksEveryStepWithEvidence) {
    const TimePoint opened = At("2026-11-23T08:12:00Z");
    Timeline t(opened);
    t.Received(opened);
    t.Sent(opened + minutes(25), {"acknowledge", "apologize", "listen"});
    const Id acknowledged = t.last_id();
    t.State(opened + minutes(26), "waiting_on_customer");
    t.Received(opened + hours(2));  // "the box was for my mother's birthday"
    t.Offer(opened + hours(3), "box-2", At("2026-11-27T18:00:00Z"), "a new box on Friday and 20% off the order");
    const Id offered = t.last_id();
    t.Sent(opened + hours(3));
    t.Accept(opened + hours(4), "box-2");
    const Id accepted = t.last_id();
    t.Sent(opened + hours(4) + minutes(20), {"confirm"});
    const Id confirmed = t.last_id();
    t.Sent(opened + days(1) + hours(2));  // "your box is packed"
    t.Sent(opened + days(2) + hours(1));  // "the courier has it"
    t.Sent(At("2026-11-26T08:00:00Z"));   // "it is at the depot near you"
    t.Sent(At("2026-11-27T07:30:00Z"));   // "it arrives today"
    t.Sent(At("2026-11-27T16:00:00Z"));   // "delivered this afternoon"
    t.State(At("2026-11-27T16:05:00Z"), "resolved");
    const Id resolved = t.last_id();
    t.Sent(At("2026-11-30T15:30:00Z"), {"follow_up"});
    const Id followed_up = t.last_id();
    t.FollowUpAnswered(At("2026-11-30T19:00:00Z"), 5);
    t.CauseLinked(At("2026-12-01T10:00:00Z"), 12);
    const Id cause = t.last_id();

    // Each moment of the story, replayed at its own `now`: what was due then.
    struct Moment {
        const char* at;
        Step next;
    } moments[] = {
        {"2026-11-23T08:20:00Z", Step::kAcknowledge},  {"2026-11-23T09:00:00Z", Step::kOffer},
        {"2026-11-23T11:30:00Z", Step::kKeepInformed},  // the offer awaits an answer; the next update is sooner
        {"2026-11-23T12:25:00Z", Step::kConfirm},      {"2026-11-25T12:00:00Z", Step::kKeepInformed},
        {"2026-11-28T12:00:00Z", Step::kFollowUp},
    };
    for (const Moment& m : moments) {
        const Progress p = Derive(t.events(), ClockPolicy{}, At(m.at));
        ASSERT_TRUE(p.next_due) << m.at;
        EXPECT_EQ(p.next_due->step, m.next) << m.at << ": " << p.next_due->why;
        EXPECT_TRUE(p.breaches.empty()) << m.at;
    }

    const Progress p = Derive(t.events(), ClockPolicy{}, At("2026-12-02T00:00:00Z"));
    const std::pair<Step, Id> evidence[] = {
        {Step::kAcknowledge, acknowledged}, {Step::kApologize, acknowledged},
        {Step::kListen, acknowledged},      {Step::kOffer, offered},
        {Step::kAgree, accepted},           {Step::kConfirm, confirmed},
        {Step::kKeepInformed, resolved},    {Step::kFollowUp, followed_up},
        {Step::kFixCause, cause},
    };
    for (const auto& [step, id] : evidence) {
        EXPECT_EQ(p.Of(step).state, StepState::kDone) << Name(step) << ": " << p.Of(step).why;
        EXPECT_EQ(p.Of(step).evidence_event_id, id) << Name(step);
        if (p.Of(step).due_at) {
            EXPECT_LE(*p.Of(step).done_at, *p.Of(step).due_at) << Name(step) << " was late";
        }
    }
    EXPECT_FALSE(p.next_due);
    EXPECT_TRUE(p.breaches.empty());
    EXPECT_FALSE(p.next_check_at);
    EXPECT_EQ(p.follow_up_score, 5);
    EXPECT_EQ(p.debrief_id, 12);
    EXPECT_TRUE(p.problems.empty());
    EXPECT_EQ(p.state, CaseState::kResolved);
}

// Nobody answers: the acknowledgement breaches after an hour, once; the scheduler records it and is not told
// again; the agree clock breaches after 72 hours. A case put to waiting on the customer does not breach at all.
TEST(Stories, TheNeglectedCaseBreachesOnceAndTheWaitingCaseDoesNot) {
    const TimePoint opened = At("2026-11-23T10:00:00Z");
    Timeline neglected(opened);
    Timeline waiting(opened);
    waiting.Sent(opened + minutes(15), {"apologize"});
    waiting.State(opened + minutes(16), "waiting_on_customer");

    std::vector<Breach> recorded;
    // A scheduler that wakes every 10 minutes for four days, recording what Breaches() returns.
    for (TimePoint now = opened; now <= opened + days(4); now += minutes(10)) {
        for (const Breach& b : Breaches(neglected.events(), ClockPolicy{}, now)) {
            neglected.Breached(now, Name(b.clock), b.due_at);
            recorded.push_back(b);
        }
        EXPECT_TRUE(Breaches(waiting.events(), ClockPolicy{}, now).empty()) << FormatRfc3339(now);
        if (now >= opened + minutes(16)) {
            EXPECT_FALSE(NextDueAt(waiting.events(), ClockPolicy{}, now)) << FormatRfc3339(now);
        }
    }
    ASSERT_EQ(recorded.size(), 2u);
    EXPECT_EQ(recorded[0].clock, Clock::kAcknowledge);
    EXPECT_EQ(recorded[0].due_at, opened + hours(1));
    EXPECT_EQ(recorded[0].late_by, minutes(10));
    EXPECT_EQ(recorded[1].clock, Clock::kAgree);
    EXPECT_EQ(recorded[1].due_at, opened + hours(72));

    const Progress p = Derive(neglected.events(), ClockPolicy{}, opened + days(4));
    EXPECT_EQ(p.Of(Step::kAcknowledge).state, StepState::kDue);
    ASSERT_TRUE(p.next_due);
    EXPECT_EQ(p.next_due->step, Step::kAcknowledge);
    EXPECT_EQ(p.next_due->late_by, days(4) - hours(1));
    EXPECT_EQ(p.breaches.size(), 2u);
    for (const Breach& b : p.breaches) EXPECT_TRUE(b.recorded);
    EXPECT_FALSE(p.next_check_at) << "every running clock has breached and been recorded";

    const Progress w = Derive(waiting.events(), ClockPolicy{}, opened + days(4));
    EXPECT_TRUE(w.paused);
    EXPECT_TRUE(w.breaches.empty());
}

}  // namespace
}  // namespace amends::playbook
