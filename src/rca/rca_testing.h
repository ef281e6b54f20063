#pragma once
// Debriefs the rca tests share.

#include "rca/debrief.h"

namespace amends::rca::testing {

inline TimePoint At(const char* text) { return *ParseRfc3339(text); }

// The car delivered without a full tank, with the checklist test answered `in_process` and the cause `cause`.
inline Debrief CarWithoutFullTank(bool in_process, CauseType cause) {
    Debrief d = NewDebrief(Subject::kCases, std::nullopt, {41}, "A new car delivered without a full tank",
                           At("2026-03-02T09:00:00Z"));
    d.id = 3;
    d.summary = "A customer collected a new car with an almost empty tank.";
    d.whys[0].answer = "The tank was not filled before delivery.";
    d.whys[1].answer = in_process ? "The preparer skipped the fuel line of the pre-delivery checklist."
                                  : "Nobody was asked to fill it: the pre-delivery checklist has no such step.";
    d.whys.resize(2);
    d.cause_type = cause;
    d.scope_test = {"fill the tank before delivery", in_process};
    return d;
}

inline Action Fix(std::size_t why, const char* description, const char* due) {
    Action a;
    a.kind = ActionKind::kPermanentFix;
    a.description = description;
    a.why = why;
    a.owner = "user:2";
    a.due = At(due);
    a.created_at = At("2026-03-02T10:00:00Z");
    return a;
}

}  // namespace amends::rca::testing
