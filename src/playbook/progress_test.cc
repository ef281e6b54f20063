#include "playbook/progress.h"

#include <algorithm>
#include <functional>

#include <gtest/gtest.h>

#include "playbook/playbook_testing.h"
#include "playbook/progress_json.h"

namespace amends::playbook {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;
using testing::At;
using testing::Timeline;

const TimePoint kOpened = At("2026-11-23T10:00:00Z");  // a Monday

Progress DeriveAt(const Timeline& t, TimePoint now, const ClockPolicy& policy = ClockPolicy{}) {
    return Derive(t.events(), policy, now);
}

TEST(Playbook, AcknowledgementIsDueWithinOneHour) {
    Timeline t(kOpened);
    const Progress p = DeriveAt(t, kOpened + minutes(10));
    const StepStatus& ack = p.Of(Step::kAcknowledge);
    EXPECT_EQ(ack.state, StepState::kDue);
    EXPECT_EQ(ack.due_at, kOpened + hours(1));
    ASSERT_TRUE(p.next_due);
    EXPECT_EQ(p.next_due->step, Step::kAcknowledge);
    EXPECT_EQ(p.next_due->due_at, kOpened + hours(1));
    EXPECT_EQ(p.next_due->late_by, Millis(0));
    EXPECT_TRUE(p.breaches.empty());
    EXPECT_EQ(p.next_check_at, kOpened + hours(1) + Millis(1)) << "the first instant a breach can exist";
    EXPECT_EQ(p.policy, "default");
}

TEST(Playbook, AcknowledgementBreachesOnlyAfterItsDeadline) {
    Timeline t(kOpened);
    EXPECT_TRUE(DeriveAt(t, kOpened + hours(1)).breaches.empty());
    const Progress late = DeriveAt(t, kOpened + hours(1) + Millis(1));
    ASSERT_EQ(late.breaches.size(), 1u);
    EXPECT_EQ(late.breaches[0], (Breach{Clock::kAcknowledge, kOpened + hours(1), Millis(1), false}));
    EXPECT_EQ(late.next_due->late_by, Millis(1));
}

TEST(Playbook, AnyMessageToTheCustomerAcknowledges) {
    Timeline t(kOpened);
    t.Sent(kOpened + minutes(30));
    const Progress p = DeriveAt(t, kOpened + hours(2));
    const StepStatus& ack = p.Of(Step::kAcknowledge);
    EXPECT_EQ(ack.state, StepState::kDone);
    EXPECT_EQ(ack.done_at, kOpened + minutes(30));
    EXPECT_EQ(ack.evidence_event_id, t.last_id());
    EXPECT_EQ(ack.due_at, kOpened + hours(1));
    EXPECT_TRUE(p.breaches.empty());
}

TEST(Playbook, LateAcknowledgementIsDoneButShowsItsDeadline) {
    Timeline t(kOpened);
    t.Sent(kOpened + hours(3));
    const Progress p = DeriveAt(t, kOpened + hours(4));
    const StepStatus& ack = p.Of(Step::kAcknowledge);
    EXPECT_EQ(ack.state, StepState::kDone);
    EXPECT_GT(*ack.done_at, *ack.due_at);
    EXPECT_TRUE(p.breaches.empty()) << "a clock met, even late, is no longer breached at now";
}

TEST(Playbook, AnAutomaticReceiptDoesNotAcknowledge) {
    Timeline t(kOpened);
    t.Add(kOpened + Millis(1), "message.sent", R"({"message_id":1,"automatic":true})", "system");
    const Progress p = DeriveAt(t, kOpened + hours(2));
    EXPECT_EQ(p.Of(Step::kAcknowledge).state, StepState::kDue);
    EXPECT_EQ(p.Of(Step::kKeepInformed).state, StepState::kPending);
    ASSERT_EQ(p.breaches.size(), 1u);
    EXPECT_EQ(p.breaches[0].clock, Clock::kAcknowledge);
}

TEST(Playbook, AnAutomaticMessageDoesWhatItLists) {
    Timeline t(kOpened);
    t.Sent(kOpened + minutes(5));
    t.State(kOpened + hours(1), "resolved");
    t.Add(kOpened + days(3), "message.sent", R"({"message_id":9,"automatic":true,"completes":["follow_up"]})",
          "system");
    const Progress p = DeriveAt(t, kOpened + days(4));
    EXPECT_EQ(p.Of(Step::kFollowUp).state, StepState::kDone);
    EXPECT_EQ(p.Of(Step::kFollowUp).evidence_event_id, t.last_id());
}

TEST(Playbook, StepCompletedRecordsWorkDoneOutsideAMessage) {
    Timeline t(kOpened);
    t.StepDone(kOpened + minutes(5), "apologize", "called the customer and apologized");
    const Progress p = DeriveAt(t, kOpened + minutes(10));
    EXPECT_EQ(p.Of(Step::kApologize).state, StepState::kDone);
    EXPECT_EQ(p.Of(Step::kAcknowledge).state, StepState::kDone) << "a call is a contact";
    EXPECT_EQ(p.Of(Step::kAcknowledge).evidence_event_id, t.last_id());
}

TEST(Playbook, EachContactStepIsDoneOnlyWhenTheMessageSaysSo) {
    struct Case {
        Step step;
        std::vector<std::string_view> completes;
        StepState expected;
    } cases[] = {
        {Step::kApologize, {}, StepState::kDue},
        {Step::kApologize, {"apologize"}, StepState::kDone},
        {Step::kApologize, {"listen"}, StepState::kDue},
        {Step::kListen, {}, StepState::kDue},
        {Step::kListen, {"listen"}, StepState::kDone},
        {Step::kListen, {"acknowledge", "apologize", "listen"}, StepState::kDone},
        {Step::kAcknowledge, {}, StepState::kDone},
        {Step::kAcknowledge, {"apologize"}, StepState::kDone},
    };
    for (const Case& c : cases) {
        Timeline t(kOpened);
        std::string list;
        for (auto s : c.completes) list += (list.empty() ? "\"" : ",\"") + std::string(s) + "\"";
        t.Add(kOpened + minutes(20), "message.sent", R"({"message_id":1,"completes":[)" + list + "]}");
        EXPECT_EQ(DeriveAt(t, kOpened + minutes(30)).Of(c.step).state, c.expected) << Name(c.step) << " with " << list;
    }
}

TEST(Playbook, OfferIsDueUntilOneIsMadeThenAgreementIsAwaited) {
    Timeline t(kOpened);
    t.Sent(kOpened + minutes(10), {"apologize", "listen"});
    Progress p = DeriveAt(t, kOpened + hours(1));
    EXPECT_EQ(p.Of(Step::kOffer).state, StepState::kDue);
    EXPECT_EQ(p.Of(Step::kOffer).due_at, kOpened + hours(72));
    EXPECT_EQ(p.Of(Step::kAgree).state, StepState::kPending);
    EXPECT_EQ(p.Of(Step::kConfirm).state, StepState::kPending);

    t.Offer(kOpened + hours(2), "o1", kOpened + days(3));
    p = DeriveAt(t, kOpened + hours(3));
    EXPECT_EQ(p.Of(Step::kOffer).state, StepState::kDone);
    EXPECT_EQ(p.Of(Step::kOffer).evidence_event_id, t.last_id());
    EXPECT_EQ(p.Of(Step::kAgree).state, StepState::kDue);
    EXPECT_EQ(p.Of(Step::kAgree).due_at, kOpened + hours(72));
    ASSERT_EQ(p.offers.size(), 1u);
    EXPECT_EQ(p.offers[0].answer, OfferStatus::Answer::kPending);
    EXPECT_EQ(p.offers[0].due, kOpened + days(3));
}

TEST(Playbook, DeclinedOfferLoopsBackToANewOffer) {
    Timeline t(kOpened);
    t.Sent(kOpened + minutes(10), {"apologize"});
    t.Offer(kOpened + hours(1), "o1", kOpened + days(5), "a voucher");
    t.Decline(kOpened + hours(2), "o1", "I want a refund");
    Progress p = DeriveAt(t, kOpened + hours(3));
    EXPECT_EQ(p.Of(Step::kOffer).state, StepState::kDue);
    EXPECT_NE(p.Of(Step::kOffer).why.find("declined"), std::string::npos) << p.Of(Step::kOffer).why;
    EXPECT_NE(p.Of(Step::kOffer).why.find("I want a refund"), std::string::npos);
    EXPECT_EQ(p.Of(Step::kAgree).state, StepState::kPending);

    t.Offer(kOpened + hours(4), "o2", kOpened + days(1), "a full refund today");
    const Id second = t.last_id();
    t.Accept(kOpened + hours(5), "o2");
    p = DeriveAt(t, kOpened + hours(5));
    EXPECT_EQ(p.Of(Step::kOffer).state, StepState::kDone);
    EXPECT_EQ(p.Of(Step::kOffer).evidence_event_id, second);
    EXPECT_EQ(p.Of(Step::kAgree).state, StepState::kDone);
    EXPECT_EQ(p.Of(Step::kAgree).evidence_event_id, t.last_id());
    ASSERT_EQ(p.offers.size(), 2u);
    EXPECT_EQ(p.offers[0].answer, OfferStatus::Answer::kDeclined);
    EXPECT_EQ(p.offers[1].answer, OfferStatus::Answer::kAccepted);
    EXPECT_EQ(p.promised_by, kOpened + days(1));
}

TEST(Playbook, OfferAndAgreeFollowTheOfferTouchedLast) {
    enum Op { kMake1, kMake2, kAccept1, kAccept2, kDecline1, kDecline2 };
    struct Case {
        const char* name;
        std::vector<Op> ops;
        StepState offer;
        StepState agree;
    } cases[] = {
        {"one offer pending", {kMake1}, StepState::kDone, StepState::kDue},
        {"one offer accepted", {kMake1, kAccept1}, StepState::kDone, StepState::kDone},
        {"one offer declined", {kMake1, kDecline1}, StepState::kDue, StepState::kPending},
        {"declined then a second pending", {kMake1, kDecline1, kMake2}, StepState::kDone, StepState::kDue},
        {"a second offer after agreement needs agreement again",
         {kMake1, kAccept1, kMake2},
         StepState::kDone,
         StepState::kDue},
        {"an answer to the older offer makes it current",
         {kMake1, kMake2, kAccept1},
         StepState::kDone,
         StepState::kDone},
        {"the customer changes their mind", {kMake1, kAccept1, kDecline1}, StepState::kDue, StepState::kPending},
        {"both declined", {kMake1, kMake2, kDecline1, kDecline2}, StepState::kDue, StepState::kPending},
    };
    for (const Case& c : cases) {
        Timeline t(kOpened);
        TimePoint at = kOpened;
        for (Op op : c.ops) {
            at += minutes(10);
            switch (op) {
                case kMake1:
                    t.Offer(at, "o1", kOpened + days(2));
                    break;
                case kMake2:
                    t.Offer(at, "o2", kOpened + days(2));
                    break;
                case kAccept1:
                    t.Accept(at, "o1");
                    break;
                case kAccept2:
                    t.Accept(at, "o2");
                    break;
                case kDecline1:
                    t.Decline(at, "o1");
                    break;
                case kDecline2:
                    t.Decline(at, "o2");
                    break;
            }
        }
        const Progress p = DeriveAt(t, at + minutes(1));
        EXPECT_EQ(p.Of(Step::kOffer).state, c.offer) << c.name;
        EXPECT_EQ(p.Of(Step::kAgree).state, c.agree) << c.name;
        EXPECT_TRUE(p.problems.empty()) << c.name;
    }
}

TEST(Playbook, TheLatestCauseDecisionWins) {
    Timeline t(kOpened);
    t.CauseLinked(kOpened + hours(1), 4);
    t.CauseOneOff(kOpened + hours(2), "turned out to be a one-off");
    Progress p = DeriveAt(t, kOpened + hours(3));
    EXPECT_FALSE(p.debrief_id);
    EXPECT_EQ(p.Of(Step::kFixCause).evidence_event_id, t.last_id());
    t.CauseLinked(kOpened + hours(4), 5);
    p = DeriveAt(t, kOpened + hours(5));
    EXPECT_EQ(p.debrief_id, 5);
}

TEST(Playbook, DoneBeatsWaived) {
    Timeline t(kOpened);
    t.Waive(kOpened + minutes(5), "listen", "the customer said all there was to say");
    t.Sent(kOpened + minutes(10), {"listen"});
    const Progress p = DeriveAt(t, kOpened + minutes(20));
    EXPECT_EQ(p.Of(Step::kListen).state, StepState::kDone);
    EXPECT_EQ(p.Of(Step::kListen).evidence_event_id, t.last_id());
}

TEST(Playbook, ABreachRecordedForAnotherDeadlineDoesNotCount) {
    Timeline t(kOpened);
    t.Breached(kOpened + hours(1), "acknowledge", kOpened + minutes(59));
    t.Breached(kOpened + hours(1), "agree", kOpened + hours(1));
    const auto breaches = Breaches(t.events(), ClockPolicy{}, kOpened + hours(2));
    ASSERT_EQ(breaches.size(), 1u);
    EXPECT_EQ(breaches[0].clock, Clock::kAcknowledge);
    EXPECT_FALSE(breaches[0].recorded);
}

TEST(Playbook, EventsAtTheSameInstantKeepTheirOrder) {
    Timeline t(kOpened);
    t.Offer(kOpened + hours(1), "o1", kOpened + days(1));
    t.Accept(kOpened + hours(2), "o1");
    t.Sent(kOpened + hours(2), {"confirm"});  // same millisecond as the acceptance, after it
    const Progress p = DeriveAt(t, kOpened + hours(3));
    EXPECT_EQ(p.Of(Step::kConfirm).state, StepState::kDone);
}

TEST(Playbook, ReopeningAClosedCaseResumesItsClocks) {
    Timeline t(kOpened);
    t.State(kOpened + minutes(30), "closed");  // closed by mistake before anyone answered
    t.State(kOpened + hours(10), "open");
    const Progress p = DeriveAt(t, kOpened + hours(10) + minutes(1));
    EXPECT_EQ(p.Of(Step::kAcknowledge).state, StepState::kDue);
    EXPECT_EQ(p.Of(Step::kAcknowledge).due_at, kOpened + hours(10) + minutes(30));
    EXPECT_EQ(p.Of(Step::kFollowUp).state, StepState::kPending);
}

TEST(Playbook, AgreementMakesConfirmationDue) {
    Timeline t(kOpened);
    t.Sent(kOpened + minutes(10), {"apologize", "listen", "confirm"});  // confirm before any agreement: no
    t.Offer(kOpened + hours(1), "o1", kOpened + days(2));
    t.Accept(kOpened + hours(2), "o1");
    Progress p = DeriveAt(t, kOpened + hours(2) + minutes(30));
    EXPECT_EQ(p.Of(Step::kConfirm).state, StepState::kDue);
    EXPECT_EQ(p.Of(Step::kConfirm).due_at, kOpened + hours(3));
    ASSERT_TRUE(p.next_due);
    EXPECT_EQ(p.next_due->step, Step::kConfirm);
    EXPECT_NE(p.next_due->why.find("o1"), std::string::npos);

    EXPECT_EQ(DeriveAt(t, kOpened + hours(3) + Millis(1)).breaches,
              (std::vector<Breach>{{Clock::kConfirm, kOpened + hours(3), Millis(1), false}}));

    t.Sent(kOpened + hours(2) + minutes(40), {"confirm"});
    p = DeriveAt(t, kOpened + hours(4));
    EXPECT_EQ(p.Of(Step::kConfirm).state, StepState::kDone);
    EXPECT_EQ(p.Of(Step::kConfirm).evidence_event_id, t.last_id());
    EXPECT_TRUE(p.breaches.empty());
}

TEST(Playbook, AgreeClockBreachesWhenNoOfferIsAgreedInTime) {
    Timeline t(kOpened);
    t.Sent(kOpened + minutes(10), {"apologize"});
    for (int day = 1; day <= 3; ++day) t.Sent(kOpened + days(day) - hours(1));  // kept informed, no offer
    const Progress p = DeriveAt(t, kOpened + hours(72) + minutes(5));
    ASSERT_EQ(p.breaches.size(), 1u);
    EXPECT_EQ(p.breaches[0].clock, Clock::kAgree);
    EXPECT_EQ(p.breaches[0].due_at, kOpened + hours(72));
}

TEST(Playbook, KeepInformedIsDueEvery24HoursAfterTheLastContact) {
    Timeline t(kOpened);
    t.Sent(kOpened + minutes(10), {"apologize"});
    Progress p = DeriveAt(t, kOpened + hours(5));
    EXPECT_EQ(p.Of(Step::kKeepInformed).state, StepState::kDue);
    EXPECT_EQ(p.Of(Step::kKeepInformed).due_at, kOpened + minutes(10) + hours(24));

    t.Sent(kOpened + hours(20));
    p = DeriveAt(t, kOpened + hours(21));
    EXPECT_EQ(p.Of(Step::kKeepInformed).due_at, kOpened + hours(44));

    p = DeriveAt(t, kOpened + hours(45));
    ASSERT_EQ(p.breaches.size(), 1u);
    EXPECT_EQ(p.breaches[0].clock, Clock::kKeepInformed);
    EXPECT_EQ(p.breaches[0].late_by, hours(1));
}

TEST(Playbook, KeepInformedWaitsForTheFirstContact) {
    Timeline t(kOpened);
    const Progress p = DeriveAt(t, kOpened + minutes(5));
    EXPECT_EQ(p.Of(Step::kKeepInformed).state, StepState::kPending);
    EXPECT_FALSE(p.Of(Step::kKeepInformed).due_at);
}

TEST(Playbook, PlanChangeMustBeToldToTheCustomerImmediately) {
    Timeline t(kOpened);
    t.Sent(kOpened + minutes(10), {"apologize", "listen"});
    t.Offer(kOpened + hours(1), "o1", kOpened + days(2));
    t.Accept(kOpened + hours(2), "o1");
    t.Sent(kOpened + hours(2) + minutes(5), {"confirm"});
    const TimePoint changed = kOpened + hours(6);
    t.PlanChanged(changed, "the courier needs two more days", kOpened + days(4));
    Progress p = DeriveAt(t, changed + minutes(1));
    EXPECT_EQ(p.Of(Step::kKeepInformed).state, StepState::kDue);
    EXPECT_EQ(p.Of(Step::kKeepInformed).due_at, changed);
    ASSERT_TRUE(p.next_due);
    EXPECT_EQ(p.next_due->step, Step::kKeepInformed);
    EXPECT_NE(p.next_due->why.find("courier"), std::string::npos) << p.next_due->why;
    EXPECT_EQ(p.next_due->late_by, minutes(1));
    EXPECT_EQ(p.promised_by, kOpened + days(4));
    EXPECT_EQ(p.Of(Step::kConfirm).state, StepState::kDone) << "the agreement stays confirmed";

    t.Sent(changed + minutes(2));
    p = DeriveAt(t, changed + minutes(3));
    EXPECT_EQ(p.Of(Step::kKeepInformed).due_at, changed + minutes(2) + hours(24));
    EXPECT_TRUE(p.breaches.empty());
}

TEST(Playbook, PlanChangeToldInTheSameInstantIsInTime) {
    Timeline t(kOpened);
    t.Sent(kOpened + minutes(10));
    t.PlanChanged(kOpened + hours(1), "new date");
    t.Sent(kOpened + hours(1));
    const Progress p = DeriveAt(t, kOpened + hours(2));
    EXPECT_TRUE(p.breaches.empty());
    EXPECT_EQ(p.Of(Step::kKeepInformed).due_at, kOpened + hours(25));
}

TEST(Playbook, PromisedDateMakesAnUpdateDue) {
    Timeline t(kOpened);
    t.Sent(kOpened + minutes(10));
    t.Offer(kOpened + minutes(20), "o1", kOpened + hours(6), "a courier brings it by 4pm");
    t.Accept(kOpened + minutes(30), "o1");
    t.Sent(kOpened + minutes(40), {"confirm"});
    const Progress p = DeriveAt(t, kOpened + hours(5));
    EXPECT_EQ(p.Of(Step::kKeepInformed).due_at, kOpened + hours(6));
    EXPECT_NE(p.Of(Step::kKeepInformed).why.find("promised"), std::string::npos);
}

TEST(Playbook, WaitingOnTheCustomerPausesTheClocks) {
    Timeline t(kOpened);
    t.State(kOpened + minutes(20), "waiting_on_customer");
    Progress p = DeriveAt(t, kOpened + hours(30));
    EXPECT_TRUE(p.paused);
    EXPECT_EQ(p.state, CaseState::kWaitingOnCustomer);
    EXPECT_TRUE(p.breaches.empty());
    EXPECT_FALSE(p.Of(Step::kAcknowledge).due_at);
    EXPECT_NE(p.Of(Step::kAcknowledge).why.find("paused"), std::string::npos);
    EXPECT_FALSE(p.next_check_at);

    // The customer's reply resumes the clocks with the 40 minutes that were left.
    const TimePoint reply = kOpened + hours(30);
    t.Received(reply);
    p = DeriveAt(t, reply + minutes(1));
    EXPECT_FALSE(p.paused);
    EXPECT_EQ(p.Of(Step::kAcknowledge).due_at, reply + minutes(40));
    EXPECT_EQ(p.next_check_at, reply + minutes(40) + Millis(1));
}

TEST(Playbook, AnyCustomerAnswerOrMovingBackToOpenResumesTheClocks) {
    struct Case {
        const char* name;
        std::function<void(Timeline&, TimePoint)> resume;
    } cases[] = {
        {"message received", [](Timeline& t, TimePoint at) { t.Received(at); }},
        {"offer accepted", [](Timeline& t, TimePoint at) { t.Accept(at, "o1"); }},
        {"offer declined", [](Timeline& t, TimePoint at) { t.Decline(at, "o1"); }},
        {"state back to open", [](Timeline& t, TimePoint at) { t.State(at, "open"); }},
    };
    for (const Case& c : cases) {
        Timeline t(kOpened);
        t.Sent(kOpened + minutes(5));
        t.Offer(kOpened + hours(1), "o1", kOpened + days(10));  // a promise far beyond the cadence
        t.State(kOpened + hours(1), "waiting_on_customer");
        const TimePoint resumed = kOpened + hours(50);
        c.resume(t, resumed);
        const Progress p = DeriveAt(t, resumed + minutes(1));
        EXPECT_FALSE(p.paused) << c.name;
        // Keep-informed ran 55 minutes before the pause; 23h05m remain after it.
        EXPECT_EQ(p.Of(Step::kKeepInformed).due_at, resumed + hours(23) + minutes(5)) << c.name;
    }
}

TEST(Playbook, WaitingAgainAfterTheCustomerAnsweredPausesAgain) {
    Timeline t(kOpened);
    t.Sent(kOpened + minutes(5));
    t.State(kOpened + minutes(10), "waiting_on_customer");
    t.Received(kOpened + hours(1));                      // resumes; the app left the state as it was
    t.State(kOpened + hours(2), "waiting_on_customer");  // asked another question
    const Progress p = DeriveAt(t, kOpened + days(3));
    EXPECT_TRUE(p.paused);
    EXPECT_TRUE(p.breaches.empty());
    // Keep-informed ran 5 minutes before the first wait and 1 hour between the waits.
    EXPECT_FALSE(p.Of(Step::kKeepInformed).due_at);
}

TEST(Playbook, APauseAfterAStepWasDoneDoesNotMoveTheDeadlineItWasDoneAgainst) {
    Timeline t(kOpened);
    t.Sent(kOpened + minutes(30));
    t.State(kOpened + minutes(40), "waiting_on_customer");
    t.Received(kOpened + hours(5));
    const Progress p = DeriveAt(t, kOpened + hours(6));
    EXPECT_EQ(p.Of(Step::kAcknowledge).due_at, kOpened + hours(1));
    // The agree clock still runs: its deadline moves by the 4h20m pause.
    EXPECT_EQ(p.Of(Step::kOffer).due_at, kOpened + hours(72) + hours(4) + minutes(20));
}

TEST(Playbook, AStepDoneWhileTheClockWasPausedHasNoDeadlineAgainstIt) {
    Timeline t(kOpened);
    t.State(kOpened + minutes(10), "waiting_on_customer");
    t.Sent(kOpened + hours(3));  // acknowledged while waiting
    t.Received(kOpened + hours(4));
    const Progress p = DeriveAt(t, kOpened + hours(5));
    EXPECT_EQ(p.Of(Step::kAcknowledge).state, StepState::kDone);
    EXPECT_FALSE(p.Of(Step::kAcknowledge).due_at);
    EXPECT_TRUE(p.breaches.empty());
}

TEST(Playbook, BreachBeforeThePauseStaysABreach) {
    Timeline t(kOpened);
    t.State(kOpened + hours(2), "waiting_on_customer");
    const Progress p = DeriveAt(t, kOpened + hours(5));
    EXPECT_TRUE(p.paused);
    ASSERT_EQ(p.breaches.size(), 1u);
    EXPECT_EQ(p.breaches[0].clock, Clock::kAcknowledge);
    EXPECT_EQ(p.breaches[0].due_at, kOpened + hours(1));
}

TEST(Playbook, StaffMessageWhileWaitingDoesNotResume) {
    Timeline t(kOpened);
    t.Sent(kOpened + minutes(5));
    t.State(kOpened + minutes(10), "waiting_on_customer");
    t.Sent(kOpened + hours(1));  // a reminder to the customer
    const Progress p = DeriveAt(t, kOpened + hours(40));
    EXPECT_TRUE(p.paused);
    EXPECT_TRUE(p.breaches.empty());
}

TEST(Playbook, ResolvingSkipsUnfinishedStepsAndMakesFollowUpDue) {
    Timeline t(kOpened);
    t.Sent(kOpened + minutes(10), {"apologize"});
    const TimePoint resolved = kOpened + hours(3);
    t.State(resolved, "resolved");
    const Id resolved_event = t.last_id();
    const Progress p = DeriveAt(t, resolved + hours(1));
    EXPECT_EQ(p.state, CaseState::kResolved);
    EXPECT_TRUE(p.paused);
    for (Step s : {Step::kListen, Step::kOffer, Step::kAgree, Step::kConfirm})
        EXPECT_EQ(p.Of(s).state, StepState::kSkipped) << Name(s);
    EXPECT_EQ(p.Of(Step::kKeepInformed).state, StepState::kDone);
    EXPECT_EQ(p.Of(Step::kKeepInformed).evidence_event_id, resolved_event);
    EXPECT_EQ(p.Of(Step::kFollowUp).state, StepState::kDue);
    EXPECT_EQ(p.Of(Step::kFollowUp).due_at, resolved + days(3));
    EXPECT_EQ(p.Of(Step::kFixCause).state, StepState::kDue);
    EXPECT_FALSE(p.Of(Step::kFixCause).due_at);
    ASSERT_TRUE(p.next_due);
    EXPECT_EQ(p.next_due->step, Step::kFollowUp);
    EXPECT_TRUE(p.breaches.empty());
    EXPECT_EQ(p.next_check_at, resolved + days(3) + Millis(1));
}

TEST(Playbook, ResolvedWithoutAnyContactSkipsKeepInformed) {
    Timeline t(kOpened);
    t.State(kOpened + minutes(30), "closed");
    const Progress p = DeriveAt(t, kOpened + hours(2));
    EXPECT_EQ(p.Of(Step::kAcknowledge).state, StepState::kSkipped);
    EXPECT_EQ(p.Of(Step::kKeepInformed).state, StepState::kSkipped);
    EXPECT_TRUE(p.breaches.empty()) << "closed before the acknowledgement was due";
}

TEST(Playbook, FollowUpBreachesAfterItsDay) {
    Timeline t(kOpened);
    t.Sent(kOpened + minutes(10));
    t.State(kOpened + hours(1), "resolved");
    const Progress p = DeriveAt(t, kOpened + hours(1) + days(3) + minutes(1));
    ASSERT_EQ(p.breaches.size(), 1u);
    EXPECT_EQ(p.breaches[0].clock, Clock::kFollowUp);
}

TEST(Playbook, FollowUpIsDoneByAMessageOrByTheCustomersAnswer) {
    Timeline by_message(kOpened);
    by_message.Sent(kOpened + minutes(10));
    by_message.State(kOpened + hours(1), "resolved");
    by_message.Sent(kOpened + days(3), {"follow_up"});
    EXPECT_EQ(DeriveAt(by_message, kOpened + days(4)).Of(Step::kFollowUp).state, StepState::kDone);

    Timeline by_answer(kOpened);
    by_answer.Sent(kOpened + minutes(10));
    by_answer.State(kOpened + hours(1), "resolved");
    by_answer.FollowUpAnswered(kOpened + days(3), 4);
    const Progress p = DeriveAt(by_answer, kOpened + days(4));
    EXPECT_EQ(p.Of(Step::kFollowUp).state, StepState::kDone);
    EXPECT_EQ(p.Of(Step::kFollowUp).evidence_event_id, by_answer.last_id());
    EXPECT_EQ(p.follow_up_score, 4);
}

TEST(Playbook, FollowUpBeforeResolutionDoesNotCount) {
    Timeline t(kOpened);
    t.Sent(kOpened + minutes(10), {"follow_up"});
    t.State(kOpened + hours(1), "resolved");
    EXPECT_EQ(DeriveAt(t, kOpened + hours(2)).Of(Step::kFollowUp).state, StepState::kDue);
}

TEST(Playbook, ReopeningMakesFollowUpPendingAgainAndResumesClocks) {
    Timeline t(kOpened);
    t.Sent(kOpened + minutes(10));
    t.State(kOpened + hours(1), "resolved");
    t.Sent(kOpened + days(3), {"follow_up"});
    const TimePoint reopened = kOpened + days(3) + hours(1);
    t.State(reopened, "open");  // the customer says the box is still missing
    const Progress p = DeriveAt(t, reopened + minutes(1));
    EXPECT_EQ(p.state, CaseState::kOpen);
    EXPECT_FALSE(p.paused);
    EXPECT_EQ(p.Of(Step::kFollowUp).state, StepState::kPending);
    EXPECT_EQ(p.Of(Step::kKeepInformed).state, StepState::kDue);
    // The last contact (the follow-up) was during the resolved pause: the cadence runs from the reopening.
    EXPECT_EQ(p.Of(Step::kKeepInformed).due_at, reopened + hours(24));
    EXPECT_EQ(p.Of(Step::kOffer).state, StepState::kDue);
}

TEST(Playbook, ResolvedThenClosedKeepsTheResolutionTime) {
    Timeline t(kOpened);
    t.Sent(kOpened + minutes(10));
    t.State(kOpened + hours(1), "resolved");
    t.State(kOpened + hours(30), "closed");
    const Progress p = DeriveAt(t, kOpened + hours(31));
    EXPECT_EQ(p.state, CaseState::kClosed);
    EXPECT_EQ(p.Of(Step::kFollowUp).due_at, kOpened + hours(1) + days(3));
}

TEST(Playbook, FixCauseIsDoneByADebriefOrAOneOffReason) {
    Timeline linked(kOpened);
    linked.CauseLinked(kOpened + hours(1), 17);
    Progress p = DeriveAt(linked, kOpened + hours(2));
    EXPECT_EQ(p.Of(Step::kFixCause).state, StepState::kDone);
    EXPECT_EQ(p.debrief_id, 17);
    EXPECT_NE(p.Of(Step::kFixCause).why.find("17"), std::string::npos);

    Timeline one_off(kOpened);
    one_off.CauseOneOff(kOpened + hours(1), "a new driver missed the street");
    p = DeriveAt(one_off, kOpened + hours(2));
    EXPECT_EQ(p.Of(Step::kFixCause).state, StepState::kDone);
    EXPECT_FALSE(p.debrief_id);
    EXPECT_NE(p.Of(Step::kFixCause).why.find("new driver"), std::string::npos);

    Timeline open_case(kOpened);
    EXPECT_EQ(DeriveAt(open_case, kOpened + hours(2)).Of(Step::kFixCause).state, StepState::kPending);
}

TEST(Playbook, WaivedStepIsNotApplicableAndItsClockStops) {
    Timeline t(kOpened);
    t.Sent(kOpened + minutes(10), {"apologize", "listen"});
    t.Waive(kOpened + hours(1), "offer", "the customer only wanted to let us know");
    const Progress p = DeriveAt(t, kOpened + hours(80));
    EXPECT_EQ(p.Of(Step::kOffer).state, StepState::kWaived);
    EXPECT_EQ(p.Of(Step::kAgree).state, StepState::kWaived) << "no offer, nothing to agree";
    EXPECT_EQ(p.Of(Step::kConfirm).state, StepState::kWaived);
    EXPECT_EQ(p.Of(Step::kOffer).evidence_event_id, t.last_id());
    EXPECT_NE(p.Of(Step::kOffer).why.find("only wanted"), std::string::npos);
    for (const Breach& b : p.breaches) EXPECT_NE(b.clock, Clock::kAgree);
}

TEST(Playbook, AnOfferMadeAfterAllRestartsTheAgreeClockAWaiverStopped) {
    Timeline t(kOpened);
    t.Sent(kOpened + minutes(10));
    t.Waive(kOpened + hours(1), "offer", "nothing to offer yet");
    t.Offer(kOpened + hours(50), "o1", kOpened + days(5));
    const Progress p = DeriveAt(t, kOpened + hours(73));
    EXPECT_EQ(p.Of(Step::kOffer).state, StepState::kDone);
    EXPECT_EQ(p.Of(Step::kAgree).state, StepState::kDue);
    bool agree_breached = false;
    for (const Breach& b : p.breaches) agree_breached |= b.clock == Clock::kAgree;
    EXPECT_TRUE(agree_breached) << Describe(p);
}

TEST(Playbook, WaivedFollowUpDoesNotBreach) {
    Timeline t(kOpened);
    t.Sent(kOpened + minutes(10));
    t.State(kOpened + hours(1), "resolved");
    t.Waive(kOpened + hours(2), "follow_up", "asked not to be contacted again");
    const Progress p = DeriveAt(t, kOpened + days(10));
    EXPECT_EQ(p.Of(Step::kFollowUp).state, StepState::kWaived);
    EXPECT_TRUE(p.breaches.empty());
    EXPECT_FALSE(p.next_check_at);
}

TEST(Playbook, RecordedBreachIsNotReportedAgain) {
    Timeline t(kOpened);
    const TimePoint due = kOpened + hours(1);
    ASSERT_EQ(Breaches(t.events(), ClockPolicy{}, due + minutes(1)).size(), 1u);
    EXPECT_EQ(NextDueAt(t.events(), ClockPolicy{}, due + minutes(1)), due + Millis(1)) << "past: act now";

    t.Breached(due + minutes(1), "acknowledge", due);
    EXPECT_TRUE(Breaches(t.events(), ClockPolicy{}, due + minutes(2)).empty());
    const Progress p = DeriveAt(t, due + minutes(2));
    ASSERT_EQ(p.breaches.size(), 1u);
    EXPECT_TRUE(p.breaches[0].recorded);
    EXPECT_EQ(p.next_check_at, kOpened + hours(72) + Millis(1)) << "the agree clock is next";
}

TEST(Playbook, ASchedulerCheckingAtExactlyTheDeadlineFindsNothingAndLooksLater) {
    Timeline t(kOpened);
    const TimePoint due = kOpened + hours(1);
    EXPECT_TRUE(Breaches(t.events(), ClockPolicy{}, due).empty());
    const auto next = NextDueAt(t.events(), ClockPolicy{}, due);
    ASSERT_TRUE(next);
    EXPECT_GT(*next, due) << "a scheduler selecting next_check_at <= now would loop on this case";
    EXPECT_EQ(Breaches(t.events(), ClockPolicy{}, *next).size(), 1u);
}

TEST(Playbook, ANewDeadlineCanBreachAgain) {
    Timeline t(kOpened);
    t.Sent(kOpened);
    const TimePoint first_due = kOpened + hours(24);
    t.Breached(first_due + minutes(1), "keep_informed", first_due);
    t.Sent(first_due + hours(1));
    const auto breaches = Breaches(t.events(), ClockPolicy{}, first_due + hours(26));
    ASSERT_EQ(breaches.size(), 1u);
    EXPECT_EQ(breaches[0].clock, Clock::kKeepInformed);
    EXPECT_EQ(breaches[0].due_at, first_due + hours(25));
}

TEST(Playbook, DerivingAtAnEarlierNowReplaysTheCase) {
    Timeline t(kOpened);
    t.Sent(kOpened + hours(2), {"apologize"});
    const Progress before = DeriveAt(t, kOpened + hours(1) + minutes(30));
    EXPECT_EQ(before.Of(Step::kAcknowledge).state, StepState::kDue);
    ASSERT_EQ(before.breaches.size(), 1u);
    EXPECT_EQ(DeriveAt(t, kOpened + hours(3)).Of(Step::kAcknowledge).state, StepState::kDone);
}

TEST(Playbook, EventOrderInTheInputDoesNotMatter) {
    Timeline t(kOpened);
    t.Sent(kOpened + minutes(10), {"apologize", "listen"});
    t.Offer(kOpened + hours(1), "o1", kOpened + days(2));
    t.Decline(kOpened + hours(2), "o1");
    t.Offer(kOpened + hours(3), "o2", kOpened + days(2));
    t.Accept(kOpened + hours(4), "o2");
    std::vector<Event> reversed(t.events().begin(), t.events().end());
    std::reverse(reversed.begin(), reversed.end());
    const Progress a = DeriveAt(t, kOpened + hours(5));
    const Progress b = Derive(reversed, ClockPolicy{}, kOpened + hours(5));
    for (Step s : kAllSteps) {
        EXPECT_EQ(a.Of(s).state, b.Of(s).state) << Name(s);
        EXPECT_EQ(a.Of(s).evidence_event_id, b.Of(s).evidence_event_id) << Name(s);
        EXPECT_EQ(a.Of(s).due_at, b.Of(s).due_at) << Name(s);
    }
}

TEST(Playbook, MalformedEvidenceIsSkippedAndReported) {
    Timeline t(kOpened);
    t.Add(kOpened + minutes(1), "message.sent", R"({"completes":["sorry"]})");
    t.Add(kOpened + minutes(2), "offer.accepted", R"({"offer_id":"nope"})");
    t.Add(kOpened + minutes(3), "followup.answered", "{bad json");
    t.Add(kOpened + minutes(4), "note.added", R"({"body":"not playbook business"})");
    const Progress p = DeriveAt(t, kOpened + minutes(5));
    EXPECT_EQ(p.problems.size(), 3u);
    EXPECT_EQ(p.Of(Step::kAcknowledge).state, StepState::kDue) << "a malformed message is not evidence";
    EXPECT_NE(p.problems[0].find("completes[0]"), std::string::npos) << p.problems[0];
    EXPECT_NE(p.problems[1].find("nope"), std::string::npos) << p.problems[1];
}

TEST(Playbook, RepeatedOfferIdIsReportedAndIgnored) {
    Timeline t(kOpened);
    t.Offer(kOpened + minutes(1), "o1", kOpened + days(1), "first");
    t.Offer(kOpened + minutes(2), "o1", kOpened + days(1), "again");
    const Progress p = DeriveAt(t, kOpened + minutes(5));
    ASSERT_EQ(p.offers.size(), 1u);
    EXPECT_EQ(p.offers[0].summary, "first");
    EXPECT_EQ(p.problems.size(), 1u);
}

TEST(Playbook, DescribeListsEveryStepAndTheNextDue) {
    Timeline t(kOpened);
    t.Sent(kOpened + minutes(10), {"apologize"});
    const std::string text = Describe(DeriveAt(t, kOpened + minutes(20)));
    EXPECT_NE(text.find("policy \"default\", state open\n"), std::string::npos) << text;
    EXPECT_NE(text.find("acknowledge done at 2026-11-23T10:10:00.000Z by event 2, was due 2026-11-23T11:00:00.000Z"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("fix_cause pending\n"), std::string::npos) << text;
    EXPECT_NE(text.find("listen due by 2026-11-26T10:00:00.000Z\n"), std::string::npos) << text;
    EXPECT_NE(text.find("next keep_informed due 2026-11-24T10:10:00.000Z: Update"), std::string::npos) << text;
}

TEST(Playbook, ProgressAsJsonUsesTheWireNames) {
    Timeline t(kOpened);
    t.Sent(kOpened + minutes(10), {"apologize"});
    t.Offer(kOpened + hours(1), "o1", kOpened + days(2));
    t.Decline(kOpened + hours(2), "o1", "too little");
    const nlohmann::json j = DeriveAt(t, kOpened + hours(3));
    EXPECT_EQ(j["policy"], "default");
    EXPECT_EQ(j["state"], "open");
    EXPECT_EQ(j["paused"], false);
    ASSERT_EQ(j["steps"].size(), 9u);
    EXPECT_EQ(j["steps"][0]["step"], "acknowledge");
    EXPECT_EQ(j["steps"][0]["state"], "done");
    EXPECT_EQ(j["steps"][0]["done_at"], "2026-11-23T10:10:00.000Z");
    EXPECT_EQ(j["steps"][0]["evidence_event_id"], 2);
    EXPECT_EQ(j["steps"][3]["step"], "offer");
    EXPECT_EQ(j["steps"][3]["state"], "due");
    EXPECT_TRUE(j["steps"][4]["evidence_event_id"].is_null());
    EXPECT_EQ(j["next_due"]["step"], "keep_informed");
    EXPECT_EQ(j["next_due"]["late_by_ms"], 0);
    EXPECT_EQ(j["offers"][0]["answer"], "declined");
    EXPECT_EQ(j["offers"][0]["comment"], "too little");
    EXPECT_TRUE(j["breaches"].empty());
    ASSERT_EQ(j["clocks"].size(), 5u);
    EXPECT_EQ(j["clocks"][0]["clock"], "acknowledge");
    EXPECT_EQ(j["clocks"][0]["phase"], "met");
    EXPECT_TRUE(j["follow_up_score"].is_null());
    EXPECT_EQ(j["next_check_at"], "2026-11-24T10:10:00.001Z");
}

TEST(Playbook, EachClockHasAPhase) {
    auto phases = [](const Progress& p) {
        std::vector<std::string_view> out;
        for (const ClockStatus& c : p.clocks) out.push_back(Name(c.phase));
        return out;
    };
    using V = std::vector<std::string_view>;
    // Order: acknowledge, agree, confirm, keep_informed, follow_up.
    Timeline t(kOpened);
    EXPECT_EQ(phases(DeriveAt(t, kOpened)), (V{"running", "running", "not_started", "not_started", "not_started"}));
    EXPECT_EQ(phases(DeriveAt(t, kOpened + hours(2))),
              (V{"breached", "running", "not_started", "not_started", "not_started"}));
    t.Sent(kOpened + hours(3));
    t.Offer(kOpened + hours(4), "o1", kOpened + days(9));
    t.State(kOpened + hours(4), "waiting_on_customer");
    EXPECT_EQ(phases(DeriveAt(t, kOpened + hours(5))),
              (V{"met_late", "paused", "not_started", "paused", "not_started"}));
    t.Accept(kOpened + hours(6), "o1");
    t.Sent(kOpened + hours(6), {"confirm"});
    t.State(kOpened + hours(8), "resolved");
    const Progress resolved = DeriveAt(t, kOpened + hours(9));
    EXPECT_EQ(phases(resolved), (V{"met_late", "met", "met", "met", "running"}));
    EXPECT_EQ(resolved.clocks[4].due_at, kOpened + hours(8) + days(3));
    Timeline closed(kOpened);
    closed.State(kOpened + minutes(10), "closed");
    EXPECT_EQ(phases(DeriveAt(closed, kOpened + hours(1))),
              (V{"stopped", "stopped", "not_started", "not_started", "running"}));
}

TEST(Playbook, NoEventsNothingIsDue) {
    const Progress p = Derive(std::span<const Event>(), ClockPolicy{}, kOpened);
    EXPECT_FALSE(p.next_due);
    EXPECT_FALSE(p.next_check_at);
    for (Step s : kAllSteps) EXPECT_EQ(p.Of(s).state, StepState::kPending) << Name(s);
}

TEST(Playbook, NextDueIsTheEarliestDeadlineTiesToTheEarlierStep) {
    Timeline t(kOpened);
    const Progress p = DeriveAt(t, kOpened + minutes(1));
    // Acknowledge and apologize share the acknowledgement deadline; acknowledge comes first.
    EXPECT_EQ(p.Of(Step::kApologize).due_at, p.Of(Step::kAcknowledge).due_at);
    ASSERT_TRUE(p.next_due);
    EXPECT_EQ(p.next_due->step, Step::kAcknowledge);
}

TEST(Playbook, BusinessHoursMoveTheAcknowledgementDeadline) {
    ClockPolicy office;
    office.name = "office";
    office.calendar.utc_offset = std::chrono::hours(1);
    for (auto& day : office.calendar.week) day.clear();
    for (int d = 0; d < 5; ++d) office.calendar.week[d] = {OpenSpan{9 * 60, 17 * 60}};
    const TimePoint friday_evening = At("2026-11-27T18:30:00+01:00");
    Timeline t(friday_evening);
    const Progress p = DeriveAt(t, At("2026-11-29T12:00:00+01:00"), office);
    EXPECT_EQ(p.Of(Step::kAcknowledge).due_at, At("2026-11-30T10:00:00+01:00"));
    EXPECT_TRUE(p.breaches.empty()) << "nobody is late over the weekend";
    EXPECT_EQ(p.policy, "office");
}

TEST(Playbook, ThePolicyIsChosenByTheCaseFacts) {
    Config config;
    ClockPolicy critical;
    critical.name = "critical";
    critical.match.severities = {Severity::kCritical};
    critical.targets.acknowledge = minutes(15);
    config.policies.push_back(critical);
    Timeline t(kOpened);
    CaseFacts facts;
    facts.severity = Severity::kCritical;
    Progress p = Derive(facts, t.events(), config, kOpened);
    EXPECT_EQ(p.policy, "critical");
    EXPECT_EQ(p.Of(Step::kAcknowledge).due_at, kOpened + minutes(15));
    facts.severity = Severity::kNormal;
    p = Derive(facts, t.events(), config, kOpened);
    EXPECT_EQ(p.policy, "default");
    EXPECT_EQ(p.Of(Step::kAcknowledge).due_at, kOpened + hours(1));
}

}  // namespace
}  // namespace amends::playbook
