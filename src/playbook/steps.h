#pragma once
// The nine recovery steps, the clocks that put deadlines on them, and a step's state, with their wire names.
// Pure data; see progress.h for how a case's events become a Progress, and docs/playbook.md for the whole module.

#include <optional>
#include <string_view>
#include <utility>

#include "domain/names.h"

namespace amends::playbook {

// The steps in the order a recovery walks them (shared/domain 003).
enum class Step {
    kAcknowledge,   // acknowledge the customer's concern
    kApologize,     // apologize that they had to contact us
    kListen,        // ask what is needed to understand what happened and how they feel
    kOffer,         // propose a solution with its timescale and cost
    kAgree,         // the customer agrees to the offer
    kConfirm,       // confirm what happens next
    kKeepInformed,  // make sure it happens; keep the customer informed while the case is open
    kFollowUp,      // after resolution, check the customer is happy
    kFixCause,      // link the case to a debrief, or mark it one-off with a reason
};
inline constexpr int kStepCount = 9;
inline constexpr Step kAllSteps[kStepCount] = {Step::kAcknowledge,  Step::kApologize, Step::kListen,
                                               Step::kOffer,        Step::kAgree,     Step::kConfirm,
                                               Step::kKeepInformed, Step::kFollowUp,  Step::kFixCause};

// A deadline. Each clock belongs to one step (ClockStep) and is the only thing that can breach.
enum class Clock {
    kAcknowledge,   // from opening to the first contact with the customer
    kAgree,         // from opening to the customer's agreement to an offer
    kConfirm,       // from the customer's agreement to the message confirming what happens next
    kKeepInformed,  // from the last contact to the next one (cadence; sooner after a plan change or a promise date)
    kFollowUp,      // from resolution (plus N days) to the follow-up
};
inline constexpr Clock kAllClocks[] = {Clock::kAcknowledge, Clock::kAgree, Clock::kConfirm, Clock::kKeepInformed,
                                       Clock::kFollowUp};

enum class StepState {
    kDone,     // evidence recorded (StepStatus names the event)
    kDue,      // should be done now or by its due time
    kPending,  // not yet possible (nothing to agree to, case not resolved, ...)
    kSkipped,  // the case was resolved or closed without it
    kWaived,   // declared not applicable, with a reason (step.waived)
};

inline constexpr std::pair<Step, std::string_view> kStepNames[] = {{Step::kAcknowledge, "acknowledge"},
                                                                   {Step::kApologize, "apologize"},
                                                                   {Step::kListen, "listen"},
                                                                   {Step::kOffer, "offer"},
                                                                   {Step::kAgree, "agree"},
                                                                   {Step::kConfirm, "confirm"},
                                                                   {Step::kKeepInformed, "keep_informed"},
                                                                   {Step::kFollowUp, "follow_up"},
                                                                   {Step::kFixCause, "fix_cause"}};
inline constexpr std::pair<Clock, std::string_view> kClockNames[] = {{Clock::kAcknowledge, "acknowledge"},
                                                                     {Clock::kAgree, "agree"},
                                                                     {Clock::kConfirm, "confirm"},
                                                                     {Clock::kKeepInformed, "keep_informed"},
                                                                     {Clock::kFollowUp, "follow_up"}};
inline constexpr std::pair<StepState, std::string_view> kStepStateNames[] = {{StepState::kDone, "done"},
                                                                             {StepState::kDue, "due"},
                                                                             {StepState::kPending, "pending"},
                                                                             {StepState::kSkipped, "skipped"},
                                                                             {StepState::kWaived, "waived"}};

constexpr std::string_view Name(Step v) { return NameIn<Step>(kStepNames, v); }
constexpr std::string_view Name(Clock v) { return NameIn<Clock>(kClockNames, v); }
constexpr std::string_view Name(StepState v) { return NameIn<StepState>(kStepStateNames, v); }
constexpr std::optional<Step> ParseStep(std::string_view s) { return ParseIn<Step>(kStepNames, s); }
constexpr std::optional<Clock> ParseClock(std::string_view s) { return ParseIn<Clock>(kClockNames, s); }

constexpr int Index(Step s) { return static_cast<int>(s); }

// The step whose deadline a clock is.
constexpr Step ClockStep(Clock c) {
    switch (c) {
        case Clock::kAcknowledge:
            return Step::kAcknowledge;
        case Clock::kAgree:
            return Step::kAgree;
        case Clock::kConfirm:
            return Step::kConfirm;
        case Clock::kKeepInformed:
            return Step::kKeepInformed;
        case Clock::kFollowUp:
            return Step::kFollowUp;
    }
    return Step::kAcknowledge;
}

}  // namespace amends::playbook
