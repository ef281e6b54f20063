#pragma once
// Synthetic cases for testing and benchmarking recurrence (library amends_rca_synthetic, not linked into the
// server): background cases whose texts are drawn at random from a Zipf-distributed vocabulary of made-up words,
// plus planted groups, each a complaint template that every member repeats with words dropped and noise added,
// inside the recurrence window. Deterministic for a seed.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "rca/recurrence.h"

namespace amends::rca {

struct SyntheticOptions {
    std::size_t cases = 100000;  // in all, planted included
    std::size_t groups = 50;     // planted groups
    std::size_t min_group = 6;   // sizes drawn uniformly in [min_group, max_group]
    std::size_t max_group = 40;
    std::size_t categories = 12;
    std::uint64_t seed = 7;
    TimePoint now = FromUnixMillis(1'800'000'000'000);
    Millis span = std::chrono::days(365);   // background cases are spread over this, ending at now
    Millis window = std::chrono::days(28);  // planted cases are spread over this, ending at now
};

struct SyntheticSet {
    std::vector<CaseDigest> cases;  // ids 1..n, shuffled
    std::vector<int> planted;       // per case: its planted group, or -1
    std::size_t groups = 0;
};

SyntheticSet GenerateCases(const SyntheticOptions& options);

// How well flagged groups recover the planted ones. A flagged group matches a planted group when more than half of
// its cases come from it and it holds more than half of that group's cases.
struct PlantedScore {
    std::size_t planted = 0, flagged = 0, matched_flags = 0, found = 0;
    double precision = 1.0;       // matched flags / flags
    double recall = 1.0;          // planted groups found / planted groups
    double case_precision = 1.0;  // cases in flagged groups that belong to the planted group matched
    double case_recall = 1.0;     // planted cases inside the flagged group matched to their group
};
PlantedScore ScorePlanted(const SyntheticSet& set, const RecurrenceReport& report);

}  // namespace amends::rca
