// bench/fanout: the notices of one incident update to N affected customers (default 1,000,000), each rendered from
// the incident's mustache template with the customer's own details and durably queued in the outbox (committed,
// WAL, synchronous=NORMAL: what the server does), timed from the update's POST to the last notice committed.
//
// The limit, measured in the same run: a plain batched INSERT of the same rows (read back from the outbox, the
// reads not timed) into a fresh SQLite database with the outbox's schema and the same pragmas, 2,000 rows a
// transaction through one prepared statement. Prints one JSON line.
//
//   fanout_bench [CUSTOMERS] [DIR]

#include <sqlite3.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "app/case_links.h"
#include "app/outbound.h"
#include "app/status_board.h"
#include "store/store.h"

namespace {

using namespace amends;
using nlohmann::json;
using Seconds = std::chrono::duration<double>;

double CpuSeconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

double PeakRssMb() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_maxrss) / 1024.0;
}

void Check(int rc, sqlite3* db, const char* what) {
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
        std::fprintf(stderr, "%s: %s\n", what, sqlite3_errmsg(db));
        std::exit(1);
    }
}

// The baseline: the rows the fan-out queued, inserted plainly. Returns the seconds spent inserting.
double PlainInsert(const std::string& source, const std::string& target, std::int64_t& rows) {
    sqlite3 *in = nullptr, *out = nullptr;
    Check(sqlite3_open(source.c_str(), &in), in, "open source");
    Check(sqlite3_open(target.c_str(), &out), out, "open target");
    for (const char* sql : {"PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL",
                            "CREATE TABLE outbox (id INTEGER PRIMARY KEY, channel TEXT NOT NULL, dedupe_key TEXT NOT NULL "
                            "UNIQUE, case_id INTEGER, message_id INTEGER, recipient TEXT NOT NULL, subject TEXT NOT NULL "
                            "DEFAULT '', body TEXT NOT NULL, headers TEXT NOT NULL DEFAULT '{}', state TEXT NOT NULL "
                            "DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL, "
                            "leased_until INTEGER, last_error TEXT, created_at INTEGER NOT NULL, sent_at INTEGER)",
                            "CREATE INDEX outbox_due ON outbox (channel, next_attempt_at, id) WHERE state = 'pending'"})
        Check(sqlite3_exec(out, sql, nullptr, nullptr, nullptr), out, sql);
    sqlite3_stmt *read = nullptr, *insert = nullptr;
    Check(sqlite3_prepare_v2(in,
                             "SELECT channel, dedupe_key, recipient, subject, body, headers, next_attempt_at, created_at "
                             "FROM outbox WHERE id > ?1 ORDER BY id LIMIT 2000",
                             -1, &read, nullptr),
          in, "prepare read");
    Check(sqlite3_prepare_v2(out,
                             "INSERT INTO outbox (channel, dedupe_key, recipient, subject, body, headers, next_attempt_at, "
                             "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                             -1, &insert, nullptr),
          out, "prepare insert");
    struct Row {
        std::string text[6];
        std::int64_t at[2];
    };
    std::vector<Row> batch;
    std::int64_t last = 0;
    double spent = 0;
    rows = 0;
    for (;;) {
        batch.clear();
        sqlite3_bind_int64(read, 1, last);
        while (sqlite3_step(read) == SQLITE_ROW) {
            Row r;
            for (int i = 0; i < 6; ++i) r.text[i] = reinterpret_cast<const char*>(sqlite3_column_text(read, i));
            r.at[0] = sqlite3_column_int64(read, 6);
            r.at[1] = sqlite3_column_int64(read, 7);
            batch.push_back(std::move(r));
        }
        sqlite3_reset(read);
        if (batch.empty()) break;
        last += static_cast<std::int64_t>(batch.size());  // ids are dense from 1 in a fresh outbox
        auto start = std::chrono::steady_clock::now();
        Check(sqlite3_exec(out, "BEGIN", nullptr, nullptr, nullptr), out, "begin");
        for (const auto& r : batch) {
            for (int i = 0; i < 6; ++i) sqlite3_bind_text(insert, i + 1, r.text[i].data(), static_cast<int>(r.text[i].size()), SQLITE_STATIC);
            sqlite3_bind_int64(insert, 7, r.at[0]);
            sqlite3_bind_int64(insert, 8, r.at[1]);
            Check(sqlite3_step(insert), out, "insert");
            sqlite3_reset(insert);
        }
        Check(sqlite3_exec(out, "COMMIT", nullptr, nullptr, nullptr), out, "commit");
        spent += Seconds(std::chrono::steady_clock::now() - start).count();
        rows += static_cast<std::int64_t>(batch.size());
    }
    sqlite3_finalize(read);
    sqlite3_finalize(insert);
    sqlite3_close(in);
    sqlite3_close(out);
    return spent;
}

}  // namespace

int main(int argc, char** argv) {
    std::int64_t n = argc > 1 ? std::stoll(argv[1]) : 1000000;
    std::filesystem::path dir = argc > 2 ? argv[2] : std::filesystem::temp_directory_path() / "amends-fanout-bench";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    std::string db = (dir / "amends.db").string();

    auto opened = store::OpenSqlite({db});
    if (!opened) {
        std::fprintf(stderr, "%s\n", opened.error().message.c_str());
        return 1;
    }
    store::Store& st = **opened;
    auto links = app::CaseLinks::Open(st);
    app::Outbound outbound(*links, app::MailSettings{"https://support.acme.test", "acme.test"});
    SystemClock clock;
    app::StatusBoard board(st, clock, status::PageInfo{"acme", "Acme", "https://status.acme.test"}, outbound, nullptr);
    if (!board.Load()) return 1;
    board.Apply("component.add", std::nullopt, json{{"id", "delivery"}, {"name", "Deliveries"}});
    auto declared = board.Apply("incident.create", std::nullopt,
                                json{{"name", "Deliveries late"},
                                     {"status", "identified"},
                                     {"body", "A depot flooded; we're sorry. Deliveries run two days late."},
                                     {"components", {{"delivery", "partial_outage"}}},
                                     {"next_update_in", "2h"}});
    if (!declared) return 1;
    std::string incident = json::parse(declared->body)["id"];
    if (!board.RunFanOut()) return 1;  // the declaration's job: nobody attached yet

    // Setup (not timed): N customers attached with their details, as `amends incident affected` leaves them.
    auto setup_start = std::chrono::steady_clock::now();
    TimePoint now = clock.Now();
    for (std::int64_t from = 0; from < n; from += 10000) {
        auto written = st.WriteAndWait([&](store::Tx& tx) {
            for (std::int64_t i = from; i < std::min(n, from + 10000); ++i) {
                Customer c;
                c.name = "Customer " + std::to_string(i);
                c.email = "customer" + std::to_string(i) + "@example.com";
                c.external_ref = "cust-" + std::to_string(i);
                c.created_at = c.updated_at = now;
                auto id = tx.InsertCustomer(c);
                if (!id) return false;
                tx.PutAffected(incident, *id,
                               json{{"order", "order-" + std::to_string(100000 + i)}, {"new_date", "2026-11-27"}}.dump(), now);
            }
            return true;
        });
        if (!written) {
            std::fprintf(stderr, "setup: %s\n", written.error().message.c_str());
            return 1;
        }
    }
    double setup = Seconds(std::chrono::steady_clock::now() - setup_start).count();
    double rss_before = PeakRssMb();

    // Timed: the update, then its notices.
    double cpu_start = CpuSeconds();
    auto start = std::chrono::steady_clock::now();
    auto updated = board.Apply("incident.update", incident,
                               json{{"status", "monitoring"},
                                    {"body", "Deliveries are moving again; your box is on its way."},
                                    {"next_update_in", "4h"}});
    if (!updated) {
        std::fprintf(stderr, "update: %s\n", updated.error().message.c_str());
        return 1;
    }
    auto queued = board.RunFanOut();
    double fanout = Seconds(std::chrono::steady_clock::now() - start).count();
    double fanout_cpu = CpuSeconds() - cpu_start;
    if (!queued) {
        std::fprintf(stderr, "fan-out: %s\n", queued.error().message.c_str());
        return 1;
    }
    double rss = PeakRssMb();
    st.Close();

    std::int64_t rows = 0;
    double plain_cpu_start = CpuSeconds();
    double plain = PlainInsert(db, (dir / "plain.db").string(), rows);
    double plain_cpu = CpuSeconds() - plain_cpu_start;  // includes the untimed reads
    std::printf("%s\n", json{{"customers", n},
                             {"notices_queued", *queued},
                             {"fanout_seconds", fanout},
                             {"notices_per_second", static_cast<double>(*queued) / fanout},
                             {"plain_insert_rows", rows},
                             {"plain_insert_seconds", plain},
                             {"ratio_fanout_to_plain", fanout / plain},
                             {"peak_rss_mb", rss},
                             {"fanout_cpu_seconds", fanout_cpu},
                             {"plain_cpu_seconds_with_reads", plain_cpu},
                             {"peak_rss_mb_before_fanout", rss_before},
                             {"setup_seconds", setup},
                             {"db_bytes", std::filesystem::file_size(db)}}
                            .dump()
                            .c_str());
    std::filesystem::remove_all(dir);
    return 0;
}
