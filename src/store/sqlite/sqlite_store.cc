// SQLite backend: one writer thread that commits queued units of work in groups, a pool of read-only
// connections that callers borrow for snapshots, and a checkpointer thread that copies the WAL into the database
// file in the background (so the writer never stalls on a checkpoint). WAL mode; synchronous=NORMAL by default (a
// commit is in the OS before it is acknowledged, so it survives a crash of the process), FULL in fsync durability.

#include <sqlite3.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>

#include "common/embedded.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/sqlite_tx.h"
#include "store/store.h"

namespace amends::store {

std::span<const EmbeddedFile> SqliteMigrations();  // generated from store/sqlite/migrations/*.sql

namespace sqlite {
namespace {

void Configure(Connection& db, Durability durability) {
    db.Exec("PRAGMA journal_mode = WAL");
    db.Exec(durability == Durability::kFsync ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
    db.Exec("PRAGMA foreign_keys = ON");
    db.Exec("PRAGMA temp_store = MEMORY");
}

int VersionOf(std::string_view file_name) {
    int v = 0;
    for (char c : file_name) {
        if (c < '0' || c > '9') break;
        v = v * 10 + (c - '0');
    }
    return v;
}

std::vector<int> ApplyMigrations(Connection& db) {
    db.Exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
            "applied_at INTEGER NOT NULL)");
    std::vector<int> applied;
    for (const auto& file : SqliteMigrations()) {
        int version = VersionOf(file.name);
        Transaction tx(db, "BEGIN IMMEDIATE");
        auto check = db.Prepare("SELECT 1 FROM schema_migrations WHERE version = ?1");
        check.Bind(1, version);
        if (check.Step()) continue;
        db.Exec(std::string(file.content).c_str());
        db.Prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)")
            .Bind(1, version)
            .Bind(2, file.name)
            .Bind(3, ToUnixMillis(SystemClock().Now()))
            .Run();
        tx.Commit();
        applied.push_back(version);
    }
    return applied;
}

struct Unit {
    Work work;
    Done done;
    std::optional<Error> error;
};

class SqliteStore final : public Store {
public:
    explicit SqliteStore(const SqliteOptions& options)
        : options_(options), writer_db_(options.path, /*read_only=*/false) {
        Configure(writer_db_, options.durability);
        ApplyMigrations(writer_db_);
        writer_db_.Exec("PRAGMA wal_autocheckpoint = 0");  // the checkpointer thread does it
        checkpoint_db_ = std::make_unique<Connection>(options.path, /*read_only=*/false);
        Configure(*checkpoint_db_, options.durability);
        writer_ = std::thread([this] { WriterLoop(); });
        checkpointer_ = std::thread([this] { CheckpointLoop(); });
    }

    ~SqliteStore() override { Close(); }

    void Submit(Work work, Done done) override {
        {
            std::lock_guard lock(mu_);
            if (!closing_) {
                queue_.push_back(Unit{std::move(work), std::move(done), std::nullopt});
                cv_.notify_one();
                return;
            }
        }
        done(Error{ErrorCode::kUnavailable, "the store is shutting down", ""});
    }

    void Read(const std::function<void(Tx&)>& read) override {
        std::unique_ptr<Connection> conn;
        {
            std::lock_guard lock(readers_mu_);
            if (!readers_.empty()) {
                conn = std::move(readers_.back());
                readers_.pop_back();
            }
        }
        if (!conn) {
            conn = std::make_unique<Connection>(options_.path, /*read_only=*/true);
            conn->Exec("PRAGMA query_only = ON");
        }
        struct Giveback {  // the connection returns to the pool however the read ends
            SqliteStore& store;
            std::unique_ptr<Connection>& conn;
            ~Giveback() { store.Return(std::move(conn)); }
        } giveback{*this, conn};
        Transaction snapshot(*conn, "BEGIN");
        SqliteTx tx(*conn);
        read(tx);
        snapshot.Commit();
    }

    void Close() override {
        {
            std::lock_guard lock(mu_);
            if (closing_) return;
            closing_ = true;
            cv_.notify_all();
            checkpoint_cv_.notify_all();
        }
        if (writer_.joinable()) writer_.join();
        if (checkpointer_.joinable()) checkpointer_.join();
    }

private:
    void Return(std::unique_ptr<Connection> conn) {
        std::lock_guard lock(readers_mu_);
        if (readers_.size() < 64) readers_.push_back(std::move(conn));
    }

    void WriterLoop() {
        std::vector<Unit> batch;
        for (;;) {
            {
                std::unique_lock lock(mu_);
                cv_.wait(lock, [&] { return !queue_.empty() || closing_; });
                if (queue_.empty()) return;  // closing, and everything queued is done
                while (!queue_.empty() && static_cast<int>(batch.size()) < options_.max_group) {
                    batch.push_back(std::move(queue_.front()));
                    queue_.pop_front();
                }
            }
            CommitGroup(batch);
            for (auto& unit : batch) {
                unit.done(unit.error);
                unit = Unit{};  // release what the callbacks hold now, not after the whole group
            }
            batch.clear();
        }
    }

    // Every 25 ms, a passive checkpoint (small ones: a checkpoint's fsync of many pages at once stalled writes
    // behind it and showed in the p99 of bench/ingest): copies committed WAL frames into the database file without blocking the
    // writer or readers. At close, a last one that also truncates the WAL.
    void CheckpointLoop() {
        std::unique_lock lock(mu_);
        while (!closing_) {
            checkpoint_cv_.wait_for(lock, std::chrono::milliseconds(25), [&] { return closing_; });
            lock.unlock();
            sqlite3_wal_checkpoint_v2(checkpoint_db_->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
            lock.lock();
        }
        lock.unlock();
        sqlite3_wal_checkpoint_v2(checkpoint_db_->handle(), nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
    }

    // Runs every unit inside its own savepoint of one transaction, then commits once.
    void CommitGroup(std::vector<Unit>& batch) {
        std::optional<Transaction> group;
        try {
            group.emplace(writer_db_, "BEGIN IMMEDIATE");
        } catch (const StoreFailure& e) {
            for (auto& unit : batch) unit.error = Error{ErrorCode::kUnavailable, e.what(), ""};
            return;
        }
        SqliteTx tx(writer_db_);
        for (auto& unit : batch) {
            try {
                writer_db_.Run("SAVEPOINT unit");
                bool keep = false;
                try {
                    keep = unit.work(tx);
                } catch (const StoreFailure& e) {
                    unit.error = Error{ErrorCode::kUnavailable, e.what(), ""};
                } catch (const std::exception& e) {
                    unit.error = Error{ErrorCode::kInternal, e.what(), ""};
                }
                if (!keep) writer_db_.Run("ROLLBACK TO unit");
                writer_db_.Run("RELEASE unit");
            } catch (const StoreFailure& e) {
                unit.error = Error{ErrorCode::kUnavailable, e.what(), ""};
            }
        }
        try {
            group->Commit();
        } catch (const StoreFailure& e) {
            for (auto& unit : batch)
                if (!unit.error) unit.error = Error{ErrorCode::kUnavailable, e.what(), ""};
        }
    }

    SqliteOptions options_;
    Connection writer_db_;  // used only by the writer thread after construction
    std::mutex mu_;
    std::condition_variable cv_;             // the writer waits here for work
    std::condition_variable checkpoint_cv_;  // the checkpointer waits here (a shared one would lose wake-ups)
    std::deque<Unit> queue_;
    bool closing_ = false;
    std::thread writer_;
    std::unique_ptr<Connection> checkpoint_db_;  // used only by the checkpointer thread
    std::thread checkpointer_;
    std::mutex readers_mu_;
    std::vector<std::unique_ptr<Connection>> readers_;
};

}  // namespace
}  // namespace sqlite

Expected<std::unique_ptr<Store>> OpenSqlite(const SqliteOptions& options) {
    try {
        return std::unique_ptr<Store>(std::make_unique<sqlite::SqliteStore>(options));
    } catch (const StoreFailure& e) {
        return Fail(ErrorCode::kUnavailable, e.what());
    }
}

Expected<std::vector<int>> MigrateSqlite(const std::string& path) {
    try {
        sqlite::Connection db(path, /*read_only=*/false);
        sqlite::Configure(db, Durability::kProcess);
        return sqlite::ApplyMigrations(db);
    } catch (const StoreFailure& e) {
        return Fail(ErrorCode::kUnavailable, e.what());
    }
}

}  // namespace amends::store
