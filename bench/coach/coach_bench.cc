// coach_bench: the reply coach on ~1 KB replies (MB/s on one core, p99 per reply) against the same patterns run
// as a loop of std::regex, and boilerplate lookups against N prior messages (p99, bytes per message).
//   coach_bench [--messages=N] [benchmark flags]    (N defaults to 1,000,000; --messages=10000000 for the full run)

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <random>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include <benchmark/benchmark.h>

#include "bench/coach/bench_replies.h"
#include "coach/boilerplate_index.h"
#include "coach/coach.h"

namespace {

using amends::coach::BoilerplateIndex;
using amends::coach::DefaultCoach;
using amends::coach::Fingerprint;

std::size_t g_messages = 1'000'000;

const std::vector<std::string>& Replies() {
    static const std::vector<std::string> replies = amends::coach::bench::MakeReplies(1000, 1024, 42);
    return replies;
}

double Percentile(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

// The full analysis (one Hyperscan scan plus negation, voids, findings, score), one reply at a time.
void BM_CoachAnalyze(benchmark::State& state) {
    const auto& replies = Replies();
    const auto& coach = DefaultCoach();
    std::vector<double> micros;
    std::size_t i = 0, bytes = 0;
    for (auto _ : state) {
        const std::string& reply = replies[i++ % replies.size()];
        auto start = std::chrono::steady_clock::now();
        auto report = coach.Analyze(reply);
        auto stop = std::chrono::steady_clock::now();
        benchmark::DoNotOptimize(report);
        micros.push_back(std::chrono::duration<double, std::micro>(stop - start).count());
        bytes += reply.size();
    }
    state.SetBytesProcessed(static_cast<int64_t>(bytes));
    state.counters["p50_us"] = Percentile(micros, 0.50);
    state.counters["p99_us"] = Percentile(micros, 0.99);
}
BENCHMARK(BM_CoachAnalyze)->MinTime(2.0)->Unit(benchmark::kMicrosecond);

// The naive baseline: the same pattern expressions as std::regex (ECMAScript, caseless), each searched in turn
// for all its matches. Matching only: no negation, voids or scoring, so the ratio understates the difference.
void BM_StdRegexBaseline(benchmark::State& state) {
    static std::vector<std::regex> regexes = [] {
        std::vector<std::regex> out;
        for (const auto& pattern : DefaultCoach().pack().patterns) {
            try {
                out.emplace_back(pattern.expression, std::regex::ECMAScript | std::regex::icase | std::regex::optimize);
            } catch (const std::regex_error&) {
                // A few Hyperscan-only constructs; the baseline runs without them (reported as "patterns").
            }
        }
        return out;
    }();
    const auto& replies = Replies();
    std::vector<double> micros;
    std::size_t i = 0, bytes = 0, matches = 0;
    for (auto _ : state) {
        const std::string& reply = replies[i++ % replies.size()];
        auto start = std::chrono::steady_clock::now();
        for (const std::regex& re : regexes)
            for (std::sregex_iterator it(reply.begin(), reply.end(), re), end; it != end; ++it) ++matches;
        auto stop = std::chrono::steady_clock::now();
        micros.push_back(std::chrono::duration<double, std::micro>(stop - start).count());
        bytes += reply.size();
    }
    benchmark::DoNotOptimize(matches);
    state.SetBytesProcessed(static_cast<int64_t>(bytes));
    state.counters["p99_us"] = Percentile(micros, 0.99);
    state.counters["patterns"] = static_cast<double>(regexes.size());
}
BENCHMARK(BM_StdRegexBaseline)->MinTime(2.0)->Unit(benchmark::kMicrosecond);

// Boilerplate lookups: g_messages prior messages to g_messages / 5 customers over 90 days; each lookup is for a
// known customer at the end of that period (the customer's history plus the last hour's window are checked).
void BM_BoilerplateCheck(benchmark::State& state) {
    const std::size_t n = g_messages, customers = std::max<std::size_t>(1, n / 5);
    constexpr std::int64_t kStart = 1'700'000'000, kSpan = 90 * 86'400;
    BoilerplateIndex index;
    index.Reserve(n, customers);
    std::mt19937_64 rng(7);
    auto customer_key = [](std::size_t c) { return "customer-" + std::to_string(c); };
    for (std::size_t i = 0; i < n; ++i) {
        Fingerprint fp;
        fp.simhash = rng();
        fp.sentences[0] = static_cast<std::uint32_t>(rng()) | 1;
        fp.sentences[1] = static_cast<std::uint32_t>(rng()) | 1;
        fp.sentence_count = 2;
        index.Add(customer_key(rng() % customers), fp, kStart + static_cast<std::int64_t>(i * kSpan / n));
    }
    std::vector<std::string> keys;
    for (int i = 0; i < 4096; ++i) keys.push_back(customer_key(rng() % customers));
    Fingerprint draft = amends::coach::FingerprintOf(Replies()[0]);
    std::vector<double> micros;
    std::size_t i = 0, hits = 0;
    for (auto _ : state) {
        const std::string& key = keys[i++ % keys.size()];
        auto start = std::chrono::steady_clock::now();
        auto hit = index.Check(key, draft, kStart + kSpan);
        auto stop = std::chrono::steady_clock::now();
        hits += hit.has_value();
        micros.push_back(std::chrono::duration<double, std::micro>(stop - start).count());
    }
    benchmark::DoNotOptimize(hits);
    state.counters["messages"] = static_cast<double>(n);
    state.counters["bytes_per_message"] = static_cast<double>(index.MemoryBytes()) / static_cast<double>(n);
    state.counters["p50_us"] = Percentile(micros, 0.50);
    state.counters["p99_us"] = Percentile(micros, 0.99);
}
BENCHMARK(BM_BoilerplateCheck)->Iterations(200'000)->Unit(benchmark::kMicrosecond);

// Fingerprinting a ~1 KB draft (done once per draft before the lookup).
void BM_Fingerprint(benchmark::State& state) {
    const auto& replies = Replies();
    std::size_t i = 0, bytes = 0;
    for (auto _ : state) {
        const std::string& reply = replies[i++ % replies.size()];
        benchmark::DoNotOptimize(amends::coach::FingerprintOf(reply));
        bytes += reply.size();
    }
    state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK(BM_Fingerprint)->Unit(benchmark::kMicrosecond);

}  // namespace

int main(int argc, char** argv) {
    std::vector<char*> rest;
    for (int i = 0; i < argc; ++i) {
        std::string_view arg = argv[i];
        if (arg.starts_with("--messages=")) g_messages = std::strtoull(argv[i] + 11, nullptr, 10);
        else rest.push_back(argv[i]);
    }
    int count = static_cast<int>(rest.size());
    benchmark::Initialize(&count, rest.data());
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
