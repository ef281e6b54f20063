// credit_bench: a bulk credit of an incident (app::RemedyLedger::CreditIncident, what `amends incident credit` and
// POST /api/v1/incidents/{id}/credit run) against the floor of writing the same ledger rows: a plain batched INSERT
// into SQLite. Prints wall-clock figures; bench/RESULTS.md records them.
//
// Usage: credit_bench [CUSTOMERS [BATCH [PHASES]]]   (default 1000000 5000 all)
// PHASES: all, or `credit` to skip the baseline (for profiling the credit alone under callgrind or perf).
//
// Seeds (untimed) a temporary SQLite file with CUSTOMERS customers affected by one major incident, each with an
// invoice in their details, then times:
//  1. baseline: the same number of ledger rows the credit writes (two a customer with the default policy), inserted
//     with one prepared statement in transactions of BATCH customers' rows, into a fresh database with the same
//     schema (ledger_entries and its indexes), values precomputed;
//  2. the credit: for each affected customer in batches of BATCH per unit of work, read the customer and details,
//     look up the yearly total on the ledger, evaluate the default policy, append the issued entries (checked once
//     by the unique index), move the resumable run.
// Then checks the ledger (2 issued entries a customer, none twice) and that a rerun issues nothing.

#include <sqlite3.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "app/case_links.h"
#include "app/ledger.h"
#include "app/outbound.h"
#include "app/status_board.h"
#include "policy/policy.h"
#include "store/store.h"

using namespace amends;

namespace {

// CPU seconds (user + system) of every thread of the process so far: the machine is shared, so wall time alone
// says as much about the neighbours as about the code.
double CpuSeconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_utime.tv_sec + u.ru_stime.tv_sec + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

double Seconds(std::chrono::steady_clock::time_point since) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

std::int64_t Scalar(sqlite3* db, const char* sql) {
    sqlite3_stmt* s = nullptr;
    std::int64_t v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

// The baseline: `rows` ledger rows in transactions of `per_tx`, one prepared INSERT, no reads, no evaluation.
double PlainInsert(const std::string& path, long customers, long per_tx) {
    {
        auto store = store::OpenSqlite({path});  // the same schema, migrations applied
        if (!store) std::exit(1);
        (void)(*store)->WriteAndWait([&](store::Tx& tx) {
            for (long i = 1; i <= customers; ++i) {
                Customer c;
                c.name = "c";
                (void)tx.InsertCustomer(c);
            }
            return true;
        });
        (*store)->Close();
    }
    sqlite3* db = nullptr;
    // Opened as the store opens its connections (no per-connection mutex; one thread uses it), so the floor is fair.
    sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
    sqlite3_exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON", nullptr, nullptr,
                 nullptr);
    sqlite3_stmt* insert = nullptr;
    sqlite3_prepare_v2(db,
                       "INSERT INTO ledger_entries (type, subject, subject_id, customer_id, rule, kind, category, "
                       "amount_minor, percent, description, actor, note, at) "
                       "VALUES ('issued', 'incident', 'bench', ?1, ?2, ?3, 'outage', ?4, 0, ?5, 'cli', '', ?6)",
                       -1, &insert, nullptr);
    const char* rules[2] = {"outage-major-credit", "outage-upgrade"};
    const char* kinds[2] = {"credit", "upgrade"};
    const char* descriptions[2] = {"a credit of 25% of your invoice (12.25)", "a month on the next plan up (5.00)"};
    auto started = std::chrono::steady_clock::now();
    double cpu = CpuSeconds();
    for (long first = 1; first <= customers; first += per_tx) {
        sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
        for (long c = first; c < first + per_tx && c <= customers; ++c)
            for (int r = 0; r < 2; ++r) {
                sqlite3_bind_int64(insert, 1, c);
                sqlite3_bind_text(insert, 2, rules[r], -1, SQLITE_STATIC);
                sqlite3_bind_text(insert, 3, kinds[r], -1, SQLITE_STATIC);
                sqlite3_bind_int64(insert, 4, r == 0 ? 1225 : 500);
                sqlite3_bind_text(insert, 5, descriptions[r], -1, SQLITE_STATIC);
                sqlite3_bind_int64(insert, 6, 1795000000000);
                sqlite3_step(insert);
                sqlite3_reset(insert);
            }
        sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    }
    double seconds = Seconds(started);
    std::printf("baseline CPU: %.2f s\n", CpuSeconds() - cpu);
    sqlite3_finalize(insert);
    sqlite3_close(db);
    return seconds;
}

}  // namespace

int main(int argc, char** argv) {
    const long customers = argc > 1 ? std::atol(argv[1]) : 1000000;
    const int batch = argc > 2 ? std::atoi(argv[2]) : 5000;
    const bool with_baseline = argc <= 3 || std::string_view(argv[3]) != "credit";
    char pattern[] = "/tmp/amends-credit-bench-XXXXXX";
    std::filesystem::path dir = ::mkdtemp(pattern);
    const std::string path = (dir / "credit.db").string();

    // Seed: customers, a major incident, every customer affected with an invoice of 49.00 in their details.
    auto seeding = std::chrono::steady_clock::now();
    auto store = store::OpenSqlite({path});
    if (!store) return std::fprintf(stderr, "%s\n", store.error().message.c_str()), 1;
    SystemClock clock;
    auto links = app::CaseLinks::Open(**store);
    app::Outbound outbound(*links, app::MailSettings{});
    app::StatusBoard board(**store, clock, status::PageInfo{"amends", "amends", ""}, outbound, nullptr);
    if (!board.Load()) return 1;
    auto created = board.Apply("incident.create", std::nullopt,
                               nlohmann::json{{"name", "Checkout down"}, {"status", "identified"}, {"impact", "major"},
                                              {"body", "Checkout is down."}, {"next_update_in", "1h"}});
    if (!created) return std::fprintf(stderr, "%s\n", created.error().message.c_str()), 1;
    std::string incident_id = nlohmann::json::parse(created->body)["id"];
    for (long made = 0; made < customers; made += 50000) {
        (void)(*store)->WriteAndWait([&](store::Tx& tx) {
            for (long i = made; i < std::min(customers, made + 50000); ++i) {
                Customer c;
                c.name = "Customer " + std::to_string(i);
                c.email = "c" + std::to_string(i) + "@example.com";
                c.created_at = c.updated_at = clock.Now();
                auto id = tx.InsertCustomer(c);
                tx.PutAffected(incident_id, *id, R"({"order":"A-1","invoice_value_minor":"4900"})", clock.Now());
            }
            return true;
        });
    }
    std::printf("seeded %ld affected customers in %.1f s\n", customers, Seconds(seeding));

    double baseline = with_baseline ? PlainInsert((dir / "plain.db").string(), customers, batch) : 0;
    if (with_baseline)
        std::printf("baseline: plain batched INSERT of %ld ledger rows: %.2f s (%.0f rows/s)\n", 2 * customers, baseline,
                    2 * customers / baseline);

    app::Recovery recovery;
    app::RemedyLedger ledger(policy::DefaultPolicy(), recovery);
    app::IncidentFacts incident{incident_id, policy::Impact::kMajor, 60};
    app::CreditOptions options;
    options.who = Principal{0, "bench", Role::kAdmin};
    options.actor = "cli";
    options.batch = batch;
    auto started = std::chrono::steady_clock::now();
    double cpu = CpuSeconds();
    auto result = ledger.CreditIncident(**store, incident, options, clock);
    double credit = Seconds(started);
    std::printf("credit CPU: %.2f s\n", CpuSeconds() - cpu);
    if (!result) return std::fprintf(stderr, "%s\n", result.error().message.c_str()), 1;
    std::printf("credit: %ld customers, %lld entries issued (%lld.%02lld) in %.2f s (%.0f customers/s)\n", customers,
                static_cast<long long>(result->issued), static_cast<long long>(result->issued_minor / 100),
                static_cast<long long>(result->issued_minor % 100), credit, customers / credit);
    if (with_baseline) std::printf("ratio: credit / plain insert = %.2f\n", credit / baseline);
    std::printf("target: %s the 10 s target\n", credit <= 10.0 ? "within" : "OVER");

    started = std::chrono::steady_clock::now();
    auto rerun = ledger.CreditIncident(**store, incident, options, clock);
    std::printf("rerun: %lld issued, %lld already issued, in %.2f s\n", rerun ? static_cast<long long>(rerun->issued) : -1,
                rerun ? static_cast<long long>(rerun->already_issued) : -1, Seconds(started));
    (*store)->Close();

    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    std::int64_t issued = Scalar(db, "SELECT count(*) FROM ledger_entries WHERE type = 'issued'");
    std::int64_t twice = Scalar(db,
                                "SELECT count(*) FROM (SELECT customer_id, rule FROM ledger_entries WHERE type = 'issued' "
                                "GROUP BY customer_id, rule HAVING count(*) > 1)");
    sqlite3_close(db);
    std::printf("check: %lld issued entries (expected %ld), %lld issued twice\n", static_cast<long long>(issued),
                2 * customers, static_cast<long long>(twice));
    std::filesystem::remove_all(dir);
    return issued == 2 * customers && twice == 0 ? 0 : 1;
}
