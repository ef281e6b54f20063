// The playbook under a scheduler's load (Google Benchmark). See bench/scheduler/RESULTS.md.
//
//   Derive/<stage>     one case's Progress, for cases at each stage of the recovery (more events, more work)
//   DeriveOffice       the full story on a business-hours calendar with holidays
//   BuildIndex/<n>     NextDueAt for n cases: building a scheduler's index from scratch (startup)
//   TickNaive/<n>      one scheduler tick that asks Breaches() of every one of n cases (the baseline)
//   TickIndexed/<n>    one tick that takes only the cases whose next due time has passed from an index, records
//                      their breaches as clock.breached events and re-indexes them (what the scheduler should do)
#include <map>
#include <random>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "domain/time.h"
#include "playbook/progress.h"

namespace amends::playbook {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;

const TimePoint kStart = *ParseRfc3339("2026-11-23T08:00:00Z");

void Add(std::vector<Event>& events, TimePoint at, std::string type, std::string data) {
    Event e;
    e.id = static_cast<Id>(events.size() + 1);
    e.case_id = 1;
    e.type = std::move(type);
    e.actor = "user:1";
    e.data_json = std::move(data);
    e.at = at;
    events.push_back(std::move(e));
}

// A case opened at `opened` that got as far as `stage` (0: just opened .. 6: resolved, followed up, cause linked).
std::vector<Event> Story(TimePoint opened, int stage) {
    std::vector<Event> e;
    Add(e, opened, "case.opened",
        R"({"customer_id":1,"subject":"my box never came","channel":"email","category":"delivery",)"
        R"("severity":"normal"})");
    Add(e, opened, "message.received", R"({"message_id":1})");
    if (stage >= 1) {
        Add(e, opened + minutes(25), "message.sent",
            R"({"message_id":2,"completes":["acknowledge","apologize","listen"],"elements":{"apology":true}})");
        Add(e, opened + minutes(26), "case.state_changed", R"({"from":"open","to":"waiting_on_customer"})");
        Add(e, opened + minutes(27), "note.added", R"({"body":"asked for the delivery address"})");
    }
    if (stage >= 2) Add(e, opened + hours(2), "message.received", R"({"message_id":3})");
    if (stage >= 3) {
        Add(e, opened + hours(3), "offer.made",
            R"({"offer_id":"box-2","summary":"a new box on Friday and 20% off","remedy":"discount","cost_minor":0,)"
            R"("due":")" +
                FormatRfc3339(opened + days(4)) + R"("})");
        Add(e, opened + hours(3), "message.sent", R"({"message_id":4})");
    }
    if (stage >= 4) {
        Add(e, opened + hours(4), "offer.accepted", R"({"offer_id":"box-2","comment":"yes please"})");
        Add(e, opened + hours(4) + minutes(20), "message.sent", R"({"message_id":5,"completes":["confirm"]})");
        for (int d = 1; d <= 3; ++d) Add(e, opened + days(d), "message.sent", R"({"message_id":6})");
    }
    if (stage >= 5) {
        Add(e, opened + days(4), "message.sent", R"({"message_id":7})");
        Add(e, opened + days(4) + minutes(5), "case.state_changed", R"({"from":"open","to":"resolved"})");
    }
    if (stage >= 6) {
        Add(e, opened + days(7), "message.sent", R"({"message_id":8,"completes":["follow_up"]})");
        Add(e, opened + days(7) + hours(2), "followup.answered", R"({"score":5,"comment":"thanks"})");
        Add(e, opened + days(8), "cause.linked", R"({"debrief_id":12})");
    }
    return e;
}

ClockPolicy Office() {
    ClockPolicy policy;
    policy.name = "office";
    policy.calendar.utc_offset = hours(1);
    for (auto& day : policy.calendar.week) day.clear();
    for (int d = 0; d < 5; ++d) policy.calendar.week[d] = {OpenSpan{9 * 60, 17 * 60}};
    for (int d = 0; d < 20; ++d)
        policy.calendar.holidays.push_back(std::chrono::sys_days(std::chrono::year(2026) / 12 / 1) + days(d * 7 + 2));
    return policy;
}

void BM_Derive(benchmark::State& state) {
    const int stage = static_cast<int>(state.range(0));
    const auto events = Story(kStart, stage);
    const ClockPolicy policy;
    const TimePoint now = kStart + days(9);
    for (auto _ : state) benchmark::DoNotOptimize(Derive(events, policy, now));
    state.SetItemsProcessed(state.iterations());
    state.counters["events"] = static_cast<double>(events.size());
}
BENCHMARK(BM_Derive)->DenseRange(0, 6);

void BM_DeriveOffice(benchmark::State& state) {
    const auto events = Story(kStart, 6);
    const ClockPolicy policy = Office();
    for (auto _ : state) benchmark::DoNotOptimize(Derive(events, policy, kStart + days(9)));
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DeriveOffice);

// n open cases opened over the last 3 days, at every stage before resolution (mostly early: backlog).
struct Population {
    std::vector<std::vector<Event>> cases;
    TimePoint now;
};

Population MakePopulation(int n) {
    std::mt19937 rng(42);
    Population p;
    p.now = kStart + days(3);
    p.cases.reserve(n);
    for (int i = 0; i < n; ++i) {
        const TimePoint opened = kStart + minutes(static_cast<int>(rng() % (3 * 24 * 60)));
        const int stage = static_cast<int>(rng() % 5);
        auto events = Story(opened, stage);
        std::erase_if(events, [&](const Event& e) { return e.at > p.now; });
        p.cases.push_back(std::move(events));
    }
    return p;
}

void BM_BuildIndex(benchmark::State& state) {
    const Population p = MakePopulation(static_cast<int>(state.range(0)));
    const ClockPolicy policy;
    for (auto _ : state) {
        std::multimap<TimePoint, std::size_t> index;
        for (std::size_t i = 0; i < p.cases.size(); ++i)
            if (auto due = NextDueAt(p.cases[i], policy, p.now)) index.emplace(*due, i);
        benchmark::DoNotOptimize(index);
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_BuildIndex)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

void BM_TickNaive(benchmark::State& state) {
    const Population p = MakePopulation(static_cast<int>(state.range(0)));
    const ClockPolicy policy;
    std::size_t breaches = 0;
    for (auto _ : state) {
        for (const auto& events : p.cases) breaches += Breaches(events, policy, p.now).size();
    }
    benchmark::DoNotOptimize(breaches);
    state.counters["cases"] = static_cast<double>(state.range(0));
}
BENCHMARK(BM_TickNaive)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

void RecordBreaches(std::vector<Event>& events, TimePoint now, const ClockPolicy& policy) {
    for (const Breach& b : Breaches(events, policy, now))
        Add(events, now, "clock.breached",
            R"({"clock":")" + std::string(Name(b.clock)) + R"(","due":")" + FormatRfc3339(b.due_at) + R"("})");
}

// Each iteration is one tick a minute after the previous one. The index starts with every breach recorded, as a
// scheduler that has been running would have it; the ticks then find the cases whose time comes each minute.
void BM_TickIndexed(benchmark::State& state) {
    const ClockPolicy policy;
    Population p = MakePopulation(static_cast<int>(state.range(0)));
    std::multimap<TimePoint, std::size_t> index;
    for (std::size_t i = 0; i < p.cases.size(); ++i) {
        RecordBreaches(p.cases[i], p.now, policy);
        if (auto due = NextDueAt(p.cases[i], policy, p.now)) index.emplace(*due, i);
    }
    TimePoint now = p.now;
    std::size_t handled = 0;
    for (auto _ : state) {
        now += minutes(1);
        std::vector<std::size_t> due_cases;
        while (!index.empty() && index.begin()->first < now) {
            due_cases.push_back(index.begin()->second);
            index.erase(index.begin());
        }
        for (std::size_t i : due_cases) {
            RecordBreaches(p.cases[i], now, policy);
            if (auto due = NextDueAt(p.cases[i], policy, now)) index.emplace(*due, i);
            ++handled;
        }
    }
    state.counters["cases"] = static_cast<double>(state.range(0));
    state.counters["handled_per_tick"] = static_cast<double>(handled) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_TickIndexed)->Arg(1000)->Arg(10000)->Iterations(1440)->Unit(benchmark::kMicrosecond);

void BM_AddBusinessTime(benchmark::State& state) {
    const Calendar office = Office().calendar;
    TimePoint t = kStart;
    for (auto _ : state) {
        benchmark::DoNotOptimize(AddBusinessTime(t, hours(72), office));
        t += minutes(17);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AddBusinessTime);

}  // namespace
}  // namespace amends::playbook

BENCHMARK_MAIN();
