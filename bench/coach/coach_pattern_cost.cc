// coach_pattern_cost: where the coach's Hyperscan scan spends its time, pattern by pattern, on the same ~1 KB
// replies as coach_bench (thread CPU time, best of several runs, so other processes on the machine matter less).
//   coach_pattern_cost [--no-som] [--top=N] [--eager] [--marginal]
// Prints the scan cost of the whole English database, then each pattern's cost scanned on its own (a ranking,
// not a share: Hyperscan shares literal matching between patterns), then the whole database without the N, 2N,
// 4N... costliest patterns, which is how much rewriting them could save. With --eager, only the patterns scanned on
// every draft (group 0 of GroupPatterns: not in a `lazy` section) are ranked, after the cost of each group.
// With --marginal (implies --eager --no-som), group 0 is compiled as MultiMatcher compiles its forward database
// (no start tracking, the leading \b left out of patterns whose start a reverse scan finds), and for the N costliest
// patterns scanned alone, what group 0 costs without that one pattern: how much of the shared scan it adds.

#include <hs/hs.h>

#include <algorithm>
#include <cstdlib>
#include <cstdio>
#include <ctime>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "bench/coach/bench_replies.h"
#include "bench/coach/hs_set.h"
#include "coach/lexicon.h"
#include "coach/text.h"

namespace {

std::vector<std::string> ScanTexts() {
    std::vector<std::string> texts;
    for (const std::string& reply : amends::coach::bench::MakeReplies(1000, 1024, 42))
        texts.push_back(amends::coach::CollapseWhitespace(reply).text);
    return texts;
}

int CountMatch(unsigned, unsigned long long, unsigned long long, unsigned, void* count) {
    ++*static_cast<std::size_t*>(count);
    return 0;
}

// Microseconds per KB of scanned text, best of `runs`; negative if the set does not compile.
double Cost(const std::vector<std::string>& expressions, const std::vector<unsigned>& flags,
            const std::vector<std::string>& texts, int runs) {
    hs_database_t* db = amends::bench::CompileSet(expressions, flags);
    if (!db) return -1;
    hs_scratch_t* scratch = nullptr;
    hs_alloc_scratch(db, &scratch);
    std::size_t bytes = 0, matches = 0;
    for (const std::string& t : texts) bytes += t.size();
    double best = 1e300;
    for (int run = 0; run < runs; ++run) {
        double start = amends::bench::ThreadMicros();
        for (const std::string& t : texts)
            hs_scan(db, t.data(), static_cast<unsigned>(t.size()), 0, scratch, CountMatch, &matches);
        best = std::min(best, (amends::bench::ThreadMicros() - start) / (static_cast<double>(bytes) / 1024.0));
    }
    hs_free_scratch(scratch);
    hs_free_database(db);
    return best;
}

}  // namespace

int main(int argc, char** argv) {
    bool som = true, eager = false, marginal = false;
    std::size_t top = 10;
    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i];
        if (arg == "--no-som") som = false;
        else if (arg == "--eager") eager = true;
        else if (arg == "--marginal") marginal = eager = true, som = false;
        else if (arg.starts_with("--top=")) top = std::stoul(std::string(arg.substr(6)));
        else {
            std::fprintf(stderr, "usage: coach_pattern_cost [--no-som] [--top=N] [--eager] [--marginal]\n");
            return 64;
        }
    }
    auto pack = amends::coach::ParseLanguagePack(amends::coach::CoachLexicon(), "en");
    if (!pack) {
        std::fprintf(stderr, "%s\n", pack.error().message.c_str());
        return 1;
    }
    std::vector<std::string> expressions;
    std::vector<unsigned> flags;
    for (const amends::coach::Pattern& p : pack->patterns) {
        expressions.push_back(amends::coach::MatcherExpression(p));
        unsigned f = HS_FLAG_CASELESS | HS_FLAG_MULTILINE;
        // As the coach does: no start tracking through long bounded gaps (MultiMatcher::Compile).
        bool long_gap = p.expression.find(",160}") != std::string::npos || p.expression.find(",80}") != std::string::npos ||
                        p.expression.find(",60}") != std::string::npos || p.expression.find(",30}") != std::string::npos;
        if (som && !long_gap) f |= HS_FLAG_SOM_LEFTMOST;
        flags.push_back(f);
        // As MultiMatcher::Compile: a pattern whose start a reverse scan finds (variable width, no long gap) or that has
        // a {SCAN} point is scanned forward from that point, and without a leading \b.
        hs_expr_info_t* info = nullptr;
        hs_compile_error_t* error = nullptr;
        std::string& e = expressions.back();
        if (marginal && hs_expression_info(e.c_str(), f, &info, &error) == HS_SUCCESS) {
            if ((info->min_width != info->max_width && !long_gap) || p.scan_from > 0) {
                e.erase(0, p.scan_from);
                if (e.starts_with("\\b") && e.size() > 2 && std::string_view("?*+{").find(e[2]) == std::string_view::npos)
                    e.erase(0, 2);
            }
            std::free(info);
        }
        hs_free_compile_error(error);
    }
    const std::vector<std::string> texts = ScanTexts();
    std::printf("whole database (%zu patterns, %s): %.2f us/KB\n", expressions.size(),
                som ? "start of match" : "no start of match", Cost(expressions, flags, texts, 5));

    const std::vector<amends::coach::PatternGroup> groups = amends::coach::GroupPatterns(*pack);
    // The expressions and flags of `patterns`, but the one at index `without`.
    auto collect = [&](const std::vector<std::size_t>& patterns, std::size_t without, std::vector<std::string>& e,
                       std::vector<unsigned>& f) {
        e.clear();
        f.clear();
        for (std::size_t i : patterns)
            if (i != without) {
                e.push_back(expressions[i]);
                f.push_back(flags[i]);
            }
    };
    std::vector<bool> ranked(expressions.size(), true);
    if (eager) {
        for (const amends::coach::PatternGroup& g : groups) {
            std::vector<std::string> e;
            std::vector<unsigned> f;
            collect(g.patterns, expressions.size(), e, f);
            std::printf("group %-20s %3zu patterns: %.2f us/KB\n", g.label.empty() ? "(every draft)" : g.label.c_str(),
                        g.patterns.size(), Cost(e, f, texts, 5));
        }
        ranked.assign(expressions.size(), false);
        for (std::size_t i : groups[0].patterns) ranked[i] = true;
    }
    std::vector<std::pair<double, std::size_t>> alone;
    for (std::size_t i = 0; i < expressions.size(); ++i)
        if (ranked[i]) alone.push_back({Cost({expressions[i]}, {flags[i]}, texts, 2), i});
    std::sort(alone.rbegin(), alone.rend());
    std::printf("\ncostliest patterns scanned alone (us/KB):\n");
    for (std::size_t k = 0; k < std::min(top, alone.size()); ++k) {
        const amends::coach::Pattern& p = pack->patterns[alone[k].second];
        std::printf("%6.2f  %s:%d  %.110s\n", alone[k].first, p.file.c_str(), p.line, p.source.c_str());
    }
    if (marginal) {
        std::vector<std::string> e;
        std::vector<unsigned> f;
        collect(groups[0].patterns, expressions.size(), e, f);
        double all = Cost(e, f, texts, 7);
        std::printf("\ngroup 0 as the matcher compiles it: %.2f us/KB\nwhat each pattern adds to it (us/KB):\n", all);
        for (std::size_t k = 0; k < std::min(top, alone.size()); ++k) {
            collect(groups[0].patterns, alone[k].second, e, f);
            const amends::coach::Pattern& p = pack->patterns[alone[k].second];
            std::printf("%6.2f  %s:%d  %.110s\n", all - Cost(e, f, texts, 7), p.file.c_str(), p.line, p.source.c_str());
            std::fflush(stdout);
        }
        return 0;
    }
    std::printf("\nwhole database without the costliest N:\n");
    for (std::size_t n = top; n < expressions.size(); n *= 2) {
        if (n >= alone.size()) break;
        std::vector<bool> drop(expressions.size());
        for (std::size_t k = 0; k < n; ++k) drop[alone[k].second] = true;
        std::vector<std::string> rest;
        std::vector<unsigned> rest_flags;
        for (std::size_t i = 0; i < expressions.size(); ++i)
            if (!drop[i] && ranked[i]) {
                rest.push_back(expressions[i]);
                rest_flags.push_back(flags[i]);
            }
        std::printf("  N = %4zu: %.2f us/KB\n", n, Cost(rest, rest_flags, texts, 5));
    }
    return 0;
}
