// Recurrence as the server runs it (GET /api/v1/debriefs/recurrence): 100,000 generated cases with planted groups,
// all inside the 30-day window, stored in a real SQLite file; app::RecurrenceReportJson reads them from the store,
// groups them and judges the groups. Times it against a baseline measured in the same run: the bare scan of the
// same cases from the store (what any report over them must pay). Scores the flagged groups against the planted
// ones (precision, recall), then does the same on a set without planted groups, where nothing may be flagged.
// Usage: recurrence_store_bench [cases=100000] [groups=50] [runs=3]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "app/debriefs.h"
#include "rca/synthetic.h"
#include "store/store.h"

using namespace amends;

namespace {

template <typename F>
double Median(int runs, F f) {
    std::vector<double> seconds;
    for (int r = 0; r < runs; ++r) {
        const auto start = std::chrono::steady_clock::now();
        f();
        seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    std::sort(seconds.begin(), seconds.end());
    return seconds[seconds.size() / 2];
}

struct Result {
    double scan = 0, report = 0;
    rca::RecurrenceReport flagged;  // the flags of the JSON report, as groups of case ids
    std::size_t groups = 0;
};

Result Run(const rca::SyntheticSet& set, TimePoint now, int runs, const std::string& path) {
    std::filesystem::remove(path);
    std::filesystem::remove(path + "-wal");
    std::filesystem::remove(path + "-shm");
    auto opened = store::OpenSqlite({path});
    if (!opened) {
        std::fprintf(stderr, "cannot open %s: %s\n", path.c_str(), opened.error().message.c_str());
        std::exit(1);
    }
    auto& db = **opened;
    std::vector<const rca::CaseDigest*> sorted;
    for (const auto& c : set.cases) sorted.push_back(&c);
    std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->id < b->id; });
    auto written = db.WriteAndWait([&](store::Tx& tx) {
        Customer customer;
        customer.name = "Bench";
        customer.created_at = customer.updated_at = now;
        Id customer_id = *tx.InsertCustomer(customer);
        for (const auto* d : sorted) {
            Case c;
            c.customer_id = customer_id;
            c.subject = d->text;
            c.category = d->category;
            c.reference = d->reference;
            c.created_at = c.updated_at = d->created_at;
            if (tx.InsertCase(c) != d->id) throw store::StoreFailure("case ids out of step");
        }
        return true;
    });
    if (!written) {
        std::fprintf(stderr, "insert failed: %s\n", written.error().message.c_str());
        std::exit(1);
    }
    Result r;
    const auto& options = app::DefaultDebriefOptions();
    std::size_t seen = 0;
    r.scan = Median(runs, [&] {
        db.Read([&](store::Tx& tx) { tx.ForEachCaseSince(now - options.recurrence.window, [&](const Case&) { ++seen; }); });
    });
    nlohmann::json report;
    r.report = Median(runs, [&] { db.Read([&](store::Tx& tx) { report = app::RecurrenceReportJson(tx, now, options); }); });
    r.groups = report["groups"].get<std::size_t>();
    for (const auto& f : report["flags"]) {
        r.flagged.flags.push_back(rca::SystemicFlag{r.flagged.groups.size(), 0, ""});
        r.flagged.groups.push_back(rca::CaseGroup{f["category"], f["case_ids"].get<std::vector<Id>>()});
    }
    if (report["cases"].get<std::size_t>() != set.cases.size()) {
        std::fprintf(stderr, "the report read %zu cases of %zu\n", report["cases"].get<std::size_t>(), set.cases.size());
        std::exit(1);
    }
    db.Close();
    std::filesystem::remove(path);
    return r;
}

}  // namespace

int main(int argc, char** argv) {
    rca::SyntheticOptions options;
    if (argc > 1) options.cases = std::strtoull(argv[1], nullptr, 10);
    if (argc > 2) options.groups = std::strtoull(argv[2], nullptr, 10);
    const int runs = argc > 3 ? std::atoi(argv[3]) : 3;
    options.span = std::chrono::days(29);  // every case inside the report's 30-day window
    options.now = FromUnixMillis(ToUnixMillis(SystemClock().Now()));
    const std::string path = (std::filesystem::temp_directory_path() / "amends-recurrence-bench.db").string();

    const rca::SyntheticSet set = rca::GenerateCases(options);
    const Result planted = Run(set, options.now, runs, path);
    const rca::PlantedScore s = rca::ScorePlanted(set, planted.flagged);
    std::printf("planted: %zu cases, %zu groups; median of %d runs\n", set.cases.size(), set.groups, runs);
    std::printf("  baseline, scan of the cases from SQLite: %.3f s\n", planted.scan);
    std::printf("  GET /api/v1/debriefs/recurrence's work (read, group, judge): %.3f s (%.1fx the scan)\n",
                planted.report, planted.report / planted.scan);
    std::printf("  groups of >= 2 cases: %zu; flagged: %zu; planted groups found: %zu of %zu\n", planted.groups,
                s.flagged, s.found, s.planted);
    std::printf("  precision %.3f, recall %.3f (groups); case precision %.3f, case recall %.3f\n", s.precision,
                s.recall, s.case_precision, s.case_recall);

    rca::SyntheticOptions none = options;
    none.groups = 0;
    const rca::SyntheticSet empty = rca::GenerateCases(none);
    const Result nothing = Run(empty, none.now, runs, path);
    std::printf("no groups: %zu cases; scan %.3f s; report %.3f s; groups of >= 2 cases: %zu; flagged: %zu\n",
                empty.cases.size(), nothing.scan, nothing.report, nothing.groups, nothing.flagged.flags.size());
    return planted.report <= 5.0 && nothing.flagged.flags.empty() ? 0 : 1;
}
