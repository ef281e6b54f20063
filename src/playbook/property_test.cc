// Invariants of Derive over many random timelines (seeded, so a failure reproduces), run under the sanitizers.
#include <algorithm>
#include <random>

#include <gtest/gtest.h>

#include "playbook/playbook_testing.h"
#include "playbook/progress.h"

namespace amends::playbook {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using testing::At;
using testing::Timeline;

Timeline RandomTimeline(std::mt19937& rng, TimePoint opened) {
    Timeline t(opened);
    TimePoint at = opened;
    const char* states[] = {"open", "waiting_on_customer", "resolved", "closed"};
    const char* contact_steps[] = {"acknowledge", "apologize", "listen", "confirm", "keep_informed", "follow_up"};
    const char* waivable[] = {"listen", "offer", "agree", "confirm", "follow_up"};
    const char* offers[] = {"o1", "o2", "o3"};
    const int n = static_cast<int>(rng() % 30);
    for (int i = 0; i < n; ++i) {
        at += minutes(static_cast<int>(rng() % 600));
        switch (rng() % 14) {
            case 0:
                t.Sent(at);
                break;
            case 1:
                t.Sent(at, {contact_steps[rng() % 6], contact_steps[rng() % 6]});
                break;
            case 2:
                t.Received(at);
                break;
            case 3:
                t.State(at, states[rng() % 4]);
                break;
            case 4:
                t.Offer(at, offers[rng() % 3], at + hours(static_cast<int>(rng() % 100)));
                break;
            case 5:
                t.Accept(at, offers[rng() % 3]);
                break;
            case 6:
                t.Decline(at, offers[rng() % 3]);
                break;
            case 7:
                t.PlanChanged(at, "later", at + hours(static_cast<int>(rng() % 100)));
                break;
            case 8:
                t.Waive(at, waivable[rng() % 5]);
                break;
            case 9:
                t.StepDone(at, contact_steps[rng() % 6]);
                break;
            case 10:
                t.FollowUpAnswered(at, 1 + static_cast<int>(rng() % 5));
                break;
            case 11:
                t.CauseOneOff(at, "once");
                break;
            case 12:
                t.Breached(at, "keep_informed", at - hours(1));
                break;
            case 13:
                t.Add(at, "offer.made", R"({"offer_id":"bad"})");
                break;  // malformed: no summary, no due
        }
    }
    return t;
}

TEST(PlaybookProperties, DerivedProgressIsConsistentForRandomTimelines) {
    std::mt19937 rng(20261123);
    ClockPolicy office;
    office.calendar.utc_offset = hours(2);
    for (auto& day : office.calendar.week) day.clear();
    for (int d = 0; d < 6; ++d) office.calendar.week[d] = {OpenSpan{8 * 60, 12 * 60}, OpenSpan{13 * 60, 18 * 60}};
    office.calendar.holidays = {std::chrono::floor<std::chrono::days>(At("2026-11-25"))};
    const ClockPolicy policies[] = {ClockPolicy{}, office};
    for (int round = 0; round < 400; ++round) {
        const TimePoint opened = At("2026-11-23T06:00:00Z") + minutes(static_cast<int>(rng() % 5000));
        const Timeline t = RandomTimeline(rng, opened);
        const ClockPolicy& policy = policies[round % 2];
        for (TimePoint now = opened; now < opened + std::chrono::days(12); now += hours(7)) {
            const Progress p = Derive(t.events(), policy, now);
            SCOPED_TRACE("round " + std::to_string(round) + " at " + FormatRfc3339(now) + "\n" + Describe(p));
            for (const StepStatus& s : p.steps) {
                if (s.state == StepState::kDone || s.state == StepState::kWaived) {
                    ASSERT_TRUE(s.done_at);
                    ASSERT_LE(*s.done_at, now);
                    ASSERT_NE(s.evidence_event_id, 0);
                } else {
                    ASSERT_EQ(s.evidence_event_id, 0);
                }
                ASSERT_FALSE(s.why.empty() && s.state != StepState::kPending) << Name(s.step);
            }
            if (p.next_due) {
                ASSERT_EQ(p.Of(p.next_due->step).state, StepState::kDue);
                ASSERT_EQ(p.next_due->due_at, p.Of(p.next_due->step).due_at);
                for (const StepStatus& s : p.steps) {
                    if (s.state == StepState::kDue && s.due_at && p.next_due->due_at) {
                        ASSERT_LE(*p.next_due->due_at, *s.due_at);
                    }
                }
            } else {
                for (const StepStatus& s : p.steps) ASSERT_NE(s.state, StepState::kDue) << Name(s.step);
            }
            for (const Breach& b : p.breaches) {
                ASSERT_GT(now, b.due_at);
                ASSERT_EQ(b.late_by, now - b.due_at);
                if (!b.recorded) {
                    ASSERT_TRUE(p.next_check_at);
                    ASSERT_LE(*p.next_check_at, b.due_at + Millis(1));
                }
            }
            // Unless new events come, nothing new breaches before the next check.
            // (next_check_at is the first instant a new breach can exist, so look just before it.)
            const TimePoint later =
                p.next_check_at ? std::min(*p.next_check_at - Millis(1), now + hours(6)) : now + hours(6);
            const bool quiet = std::none_of(t.events().begin(), t.events().end(),
                                            [&](const Event& e) { return e.at > now && e.at <= later; });
            if (quiet) {
                for (const Breach& b : Derive(t.events(), policy, later).breaches) {
                    ASSERT_TRUE(b.recorded || b.due_at < now) << Name(b.clock) << " " << FormatRfc3339(b.due_at);
                }
            }
            if (p.state == CaseState::kResolved || p.state == CaseState::kClosed) {
                ASSERT_TRUE(p.paused);
            }
            ASSERT_EQ(p.clocks.size(), std::size(kAllClocks));
            for (const ClockStatus& c : p.clocks) {
                const bool listed = std::any_of(p.breaches.begin(), p.breaches.end(),
                                                [&](const Breach& b) { return b.clock == c.clock; });
                ASSERT_EQ(c.phase == ClockPhase::kBreached, listed) << Name(c.clock);
                if (c.phase == ClockPhase::kRunning) {
                    ASSERT_TRUE(c.due_at);
                    ASSERT_LE(now, *c.due_at);
                }
            }
            ASSERT_EQ(Describe(p), Describe(Derive(t.events(), policy, now)));  // deterministic
            std::vector<Event> past;
            for (const Event& e : t.events())
                if (e.at <= now) past.push_back(e);
            ASSERT_EQ(Describe(p), Describe(Derive(past, policy, now)));  // later events change nothing
            ASSERT_EQ(NextDueAt(t.events(), policy, now), p.next_check_at);
            // A scheduler's round: record what Breaches() returns; then the case is not due again at `now`.
            Timeline recorded = t;
            for (const Breach& b : Breaches(t.events(), policy, now)) recorded.Breached(now, Name(b.clock), b.due_at);
            if (auto again = NextDueAt(recorded.events(), policy, now)) {
                ASSERT_GT(*again, now);
            }
            std::vector<Breach> unrecorded;
            for (const Breach& b : p.breaches)
                if (!b.recorded) unrecorded.push_back(b);
            ASSERT_EQ(Breaches(t.events(), policy, now), unrecorded);
        }
    }
}

}  // namespace
}  // namespace amends::playbook
