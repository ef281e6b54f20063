// Recurrence over generated cases: times GenerateCases (not counted) and FindRecurrence, and scores the flagged
// groups against the planted ones; then the same on a set without planted groups, where nothing may be flagged.
// Usage: recurrence_bench [cases=100000] [groups=50] [runs=3]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "rca/recurrence.h"
#include "rca/synthetic.h"

using namespace amends::rca;

namespace {

double TimeFind(const SyntheticSet& set, amends::TimePoint now, RecurrenceReport& report, int runs) {
    std::vector<double> seconds;
    for (int r = 0; r < runs; ++r) {
        const auto start = std::chrono::steady_clock::now();
        report = FindRecurrence(set.cases, {}, now);
        seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    std::sort(seconds.begin(), seconds.end());
    return seconds[seconds.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
    SyntheticOptions options;
    if (argc > 1) options.cases = std::strtoull(argv[1], nullptr, 10);
    if (argc > 2) options.groups = std::strtoull(argv[2], nullptr, 10);
    const int runs = argc > 3 ? std::atoi(argv[3]) : 3;

    const SyntheticSet set = GenerateCases(options);
    std::size_t planted_cases = 0;
    for (int p : set.planted) planted_cases += p >= 0;
    RecurrenceReport report;
    const double seconds = TimeFind(set, options.now, report, runs);
    const PlantedScore s = ScorePlanted(set, report);
    std::printf("planted: %zu cases, %zu groups (%zu cases in them); median of %d runs: %.3f s\n", set.cases.size(),
                set.groups, planted_cases, runs, seconds);
    std::printf("  groups of >= 2 cases: %zu; flagged: %zu; matched flags: %zu; planted groups found: %zu\n",
                report.groups.size(), s.flagged, s.matched_flags, s.found);
    std::printf("  precision %.3f, recall %.3f (groups); case precision %.3f, case recall %.3f\n", s.precision,
                s.recall, s.case_precision, s.case_recall);

    SyntheticOptions none = options;
    none.groups = 0;
    const SyntheticSet empty = GenerateCases(none);
    RecurrenceReport empty_report;
    const double empty_seconds = TimeFind(empty, none.now, empty_report, runs);
    std::size_t largest = 0;
    for (const CaseGroup& g : empty_report.groups) largest = std::max(largest, g.case_ids.size());
    std::printf("no groups: %zu cases; median %.3f s; groups of >= 2 cases: %zu (largest %zu); flagged: %zu\n",
                empty.cases.size(), empty_seconds, empty_report.groups.size(), largest, empty_report.flags.size());
    return seconds <= 5.0 && empty_report.flags.empty() ? 0 : 1;
}
