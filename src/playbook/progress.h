#pragma once
// playbook: the nine recovery steps as data and pure functions. A case's progress through the steps, its clocks,
// its next due step and its breaches are derived from its events and `now`; nothing here is stored or read from
// anywhere else. Deriving at an earlier `now` replays the case as it stood then (later events are ignored).
// See docs/playbook.md for the evidence vocabulary (evidence.h), the rules and the clock configuration.

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "domain/model.h"
#include "domain/time.h"
#include "playbook/config.h"
#include "playbook/steps.h"

namespace amends::playbook {

// Where one step stands.
struct StepStatus {
    Step step = Step::kAcknowledge;
    StepState state = StepState::kPending;
    std::optional<TimePoint> done_at;  // kDone and kWaived: when
    Id evidence_event_id = 0;          // kDone and kWaived: the event that did (or waived) it; 0 otherwise
    std::optional<TimePoint> due_at;   // the deadline of the step's clock, when one runs (also kept once done,
                                       // so done_at > due_at means done late); empty while the clock is paused
    std::string why;                   // for people: what to do, or what did it
};

// An offer made on the case and the customer's answer, in the order they were made.
struct OfferStatus {
    enum class Answer { kPending, kAccepted, kDeclined };
    std::string offer_id;
    Id event_id = 0;  // the offer.made event
    TimePoint made_at{};
    std::string summary;
    std::string remedy;
    std::int64_t cost_minor = 0;
    TimePoint due{};  // when the offer promises it will be done
    Answer answer = Answer::kPending;
    std::optional<TimePoint> answered_at;
    std::string comment;
};

// The step to do next: the due step with the earliest deadline (ties go to the earlier step), or the first due
// step when no clock is running.
struct NextDue {
    Step step = Step::kAcknowledge;
    std::optional<TimePoint> due_at;
    Millis late_by{0};  // now - due_at when past due, else 0
    std::string why;
};

// Where a clock stands at `now` (Zendesk shows the same as an SLA badge).
enum class ClockPhase {
    kNotStarted,  // its start has not happened (no agreement yet, no contact yet, not resolved)
    kRunning,     // counting down to due_at
    kPaused,      // waiting on the customer: no due time until they answer
    kMet,         // its step was done by the deadline (or while paused)
    kMetLate,     // its step was done after the deadline
    kBreached,    // past due_at and its step not done
    kStopped,     // the case was resolved or closed, or the step waived, before it was met
};
inline constexpr std::pair<ClockPhase, std::string_view> kClockPhaseNames[] = {
    {ClockPhase::kNotStarted, "not_started"}, {ClockPhase::kRunning, "running"},
    {ClockPhase::kPaused, "paused"},          {ClockPhase::kMet, "met"},
    {ClockPhase::kMetLate, "met_late"},       {ClockPhase::kBreached, "breached"},
    {ClockPhase::kStopped, "stopped"}};
constexpr std::string_view Name(ClockPhase v) { return NameIn<ClockPhase>(kClockPhaseNames, v); }

// One clock at `now`.
struct ClockStatus {
    Clock clock = Clock::kAcknowledge;
    ClockPhase phase = ClockPhase::kNotStarted;
    std::optional<TimePoint> due_at;  // the deadline it runs (or ran) against; empty while paused or not started
};

// A clock past its deadline with its step not done. A breach is identified by (clock, due_at): after the
// scheduler appends `clock.breached {clock, due}` it is `recorded`, and Breaches() stops returning it.
struct Breach {
    Clock clock = Clock::kAcknowledge;
    TimePoint due_at{};
    Millis late_by{0};
    bool recorded = false;
    friend bool operator==(const Breach&, const Breach&) = default;
};

// Everything derived about a case at one instant. A value.
struct Progress {
    std::array<StepStatus, kStepCount> steps;
    CaseState state = CaseState::kOpen;  // from the last case.state_changed
    bool paused = false;                 // clocks stopped: waiting on the customer (no answer yet), resolved, closed
    std::optional<NextDue> next_due;
    std::vector<ClockStatus> clocks;         // every clock, in kAllClocks order
    std::vector<Breach> breaches;            // at `now`, recorded or not, in clock order
    std::optional<TimePoint> next_check_at;  // when a scheduler should look again: 1 ms after the earliest deadline
                                             // of a running clock whose breach is not yet recorded, the first
                                             // instant that breach can exist; at or after it Breaches() has work
                                             // (unless new events came), and once the breaches at `now` are
                                             // recorded, next_check_at is after `now`
    std::vector<OfferStatus> offers;
    std::optional<TimePoint> promised_by;  // the date the current plan promises (accepted offer or plan.changed)
    std::optional<int> follow_up_score;    // the customer's answer to the follow-up, 1..5
    std::optional<Id> debrief_id;          // fix_cause by cause.linked
    std::string policy;                    // the name of the clock policy applied
    std::vector<std::string> problems;     // events ignored because their data was malformed, and why

    const StepStatus& Of(Step s) const { return steps[Index(s)]; }
};

// Derives a case's progress from its events (any order; sorted stably by `at`) under one clock policy.
// Events after `now` are ignored. Never fails: malformed evidence is skipped and listed in `problems`.
Progress Derive(std::span<const Event> events, const ClockPolicy& policy, TimePoint now);

// The same, choosing the policy by the case's facts.
inline Progress Derive(const CaseFacts& facts, std::span<const Event> events, const Config& config, TimePoint now) {
    return Derive(events, config.Choose(facts), now);
}

// For a scheduler's index: when to look at the case next (Progress::next_check_at). Past when a breach is waiting
// to be recorded; empty when no clock is running (paused, or nothing left with a deadline). Selecting the cases
// with next_check_at <= now never selects a case with nothing to record.
std::optional<TimePoint> NextDueAt(std::span<const Event> events, const ClockPolicy& policy, TimePoint now);

// The breaches at `now` not yet recorded by a clock.breached event: what a scheduler should record.
std::vector<Breach> Breaches(std::span<const Event> events, const ClockPolicy& policy, TimePoint now);

// A plain-text rendering, one fact per line, for logs, the CLI and the golden tests (tests/data/playbook/).
std::string Describe(const Progress& progress);

}  // namespace amends::playbook
