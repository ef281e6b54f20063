// sweep_bench: the server's scheduler sweep (app::Scheduler::SweepOnce over the case_clocks index in SQLite) with
// many open cases of which a few are due. Prints wall-clock figures; bench/RESULTS.md records them.
// Usage: sweep_bench [OPEN_CASES [DUE_CASES]]   (default 1000000 10000)
// Builds the cases in a temporary SQLite file through the same use case the API uses (app::OpenCase), then moves
// a ManualClock past the due cases' acknowledgement deadline and times one sweep, which records one breach per
// due case.

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "app/cases.h"
#include "app/recovery.h"
#include "store/store.h"

using namespace amends;

int main(int argc, char** argv) {
    const long open_cases = argc > 1 ? std::atol(argv[1]) : 1000000;
    const long due_cases = argc > 2 ? std::atol(argv[2]) : 10000;
    char pattern[] = "/tmp/amends-sweep-XXXXXX";
    std::filesystem::path dir = ::mkdtemp(pattern);
    auto store = store::OpenSqlite({(dir / "sweep.db").string()});
    if (!store) return std::fprintf(stderr, "%s\n", store.error().message.c_str()), 1;
    app::Recovery recovery;
    TimePoint t0 = *ParseRfc3339("2026-11-23T09:00:00Z");
    ManualClock clock(t0);

    Customer customer;
    customer.name = "Sweep";
    Id customer_id = 0;
    (void)(*store)->WriteAndWait([&](store::Tx& tx) {
        customer_id = app::CreateCustomer(tx, customer, t0)->id;
        return true;
    });
    auto started = std::chrono::steady_clock::now();
    const long kPerUnit = 2000;
    for (long made = 0; made < open_cases; made += kPerUnit) {
        auto written = (*store)->WriteAndWait([&](store::Tx& tx) {
            for (long i = made; i < std::min(open_cases, made + kPerUnit); ++i) {
                Case c;
                c.customer_id = customer_id;
                c.subject = "case " + std::to_string(i);
                // The first `due_cases` open at t0 (acknowledgement due t0+1h); the rest two hours later.
                TimePoint at = i < due_cases ? t0 : t0 + std::chrono::hours(2);
                if (!app::OpenCase(tx, recovery, "user:1", c, std::nullopt, at)) return false;
            }
            return true;
        });
        if (!written) return std::fprintf(stderr, "%s\n", written.error().message.c_str()), 1;
    }
    double build_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

    clock.Set(t0 + std::chrono::minutes(61));  // past the due cases' deadline, before everyone else's
    app::Scheduler scheduler(**store, recovery, clock, std::chrono::seconds(1), 1000);
    started = std::chrono::steady_clock::now();
    auto first = scheduler.SweepOnce();
    double sweep_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    started = std::chrono::steady_clock::now();
    auto second = scheduler.SweepOnce();
    double idle_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (!first || !second) return std::fprintf(stderr, "sweep failed\n"), 1;
    std::printf("open cases %ld, due %ld: built in %.1f s; sweep recorded %d breaches in %.3f s "
                "(%.1f us a due case); the next sweep, nothing due, %.6f s\n",
                open_cases, due_cases, build_s, *first, sweep_s, sweep_s * 1e6 / std::max(1L, due_cases), idle_s);
    (*store)->Close();
    std::filesystem::remove_all(dir);
    return *first == due_cases ? 0 : 1;
}
