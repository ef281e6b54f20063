#pragma once
// Recurrence: cases grouped by category, reference and text similarity, so that the same complaint coming back is
// seen. Two cases of one category join a group when they name the same reference ("flight BA 117") or when their
// texts are similar: the Jaccard similarity of their word sets (folded by the coach's tokenizer, numbers and common
// words left out) estimated by MinHash, candidates found by LSH banding, groups closed by union-find. A group with
// `threshold` cases inside the window and no debrief is flagged as a possible systemic problem; a case created
// after a debrief's action was completed, in a group holding that debrief's cases, reopens the question.
// Pure; thread-safe (no shared state).

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "domain/model.h"
#include "domain/time.h"

namespace amends::rca {

// What recurrence needs of a case.
struct CaseDigest {
    Id id = 0;
    std::string category;
    std::optional<std::string> reference;
    std::string text;  // subject and description
    TimePoint created_at{};
};

struct RecurrenceOptions {
    double similarity = 0.5;  // estimated Jaccard similarity of two cases' word sets to join them
    std::size_t threshold = 5;                    // cases within the window that make a group worth flagging
    Millis window = std::chrono::days(30);        // ending at `now`
};

// A group of at least two cases, ids in the order of the input.
struct CaseGroup {
    std::string category;
    std::vector<Id> case_ids;
};

// Groups of at least two cases, largest first (ties: earliest first case in the input).
std::vector<CaseGroup> GroupCases(std::span<const CaseDigest> cases, const RecurrenceOptions& options = {});

// What recurrence needs of a debrief: its cases and its completed actions.
struct DebriefCoverage {
    Id debrief_id = 0;
    std::vector<Id> case_ids;
    struct Completed {
        Id action_id = 0;
        TimePoint completed_at{};
    };
    std::vector<Completed> completed_actions;
};

struct SystemicFlag {
    std::size_t group = 0;  // index in RecurrenceReport::groups
    std::size_t cases_in_window = 0;
    std::string explanation;
};

struct Reopening {
    std::size_t group = 0;
    Id debrief_id = 0;
    Id action_id = 0;
    std::vector<Id> new_case_ids;  // cases of the group created after the action was completed
};

struct RecurrenceReport {
    std::vector<CaseGroup> groups;
    std::vector<SystemicFlag> flags;       // groups without a debrief over the threshold in the window
    std::vector<Reopening> reopenings;     // completed actions the group's new cases call into question
};

// Groups the cases and judges each group at `now` against the debriefs.
RecurrenceReport FindRecurrence(std::span<const CaseDigest> cases, std::span<const DebriefCoverage> debriefs,
                                TimePoint now, const RecurrenceOptions& options = {});

}  // namespace amends::rca
