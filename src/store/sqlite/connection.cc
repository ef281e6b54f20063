#include "store/sqlite/connection.h"

#include "store/store.h"

namespace amends::store::sqlite {

Stmt::~Stmt() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

Stmt& Stmt::Bind(int index, std::int64_t v) {
    conn_.Check(sqlite3_bind_int64(stmt_, index, v), "bind");
    return *this;
}

Stmt& Stmt::Bind(int index, std::string_view v) {
    conn_.Check(sqlite3_bind_text64(stmt_, index, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8), "bind");
    return *this;
}

Stmt& Stmt::BindUncopied(int index, std::string_view v) {
    conn_.Check(sqlite3_bind_text64(stmt_, index, v.data(), v.size(), SQLITE_STATIC, SQLITE_UTF8), "bind");
    return *this;
}

Stmt& Stmt::Bind(int index, const std::optional<std::string>& v) { return v ? Bind(index, *v) : BindNull(index); }

Stmt& Stmt::Bind(int index, const std::optional<std::int64_t>& v) { return v ? Bind(index, *v) : BindNull(index); }

Stmt& Stmt::BindBlob(int index, std::string_view v) {
    conn_.Check(sqlite3_bind_blob64(stmt_, index, v.data(), v.size(), SQLITE_TRANSIENT), "bind");
    return *this;
}

Stmt& Stmt::BindNull(int index) {
    conn_.Check(sqlite3_bind_null(stmt_, index), "bind");
    return *this;
}

bool Stmt::Step(int* constraint) {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    if (constraint && (rc & 0xff) == SQLITE_CONSTRAINT) {
        *constraint = rc;
        return false;
    }
    conn_.Check(rc, sqlite3_sql(stmt_));
    return false;
}

std::string Stmt::Text(int col) const {
    auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
    return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col))) : std::string();
}

std::optional<std::string> Stmt::OptText(int col) const {
    if (IsNull(col)) return std::nullopt;
    if (sqlite3_column_type(stmt_, col) == SQLITE_BLOB) {
        auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, col));
        return std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)));
    }
    return Text(col);
}

std::optional<std::int64_t> Stmt::OptInt(int col) const {
    if (IsNull(col)) return std::nullopt;
    return Int(col);
}

namespace {

// SQLite's memory statistics take a process-wide mutex on every allocation and free (a bound text, a cursor, a
// record): about 8% of a bulk credit's CPU (perf, bench/credit). amends never reads them, so they are switched off
// before SQLite initializes, once per process. If something else initialized SQLite first, the call is refused
// (SQLITE_MISUSE) and the statistics simply stay on.
void ConfigureProcessOnce() {
    static const bool configured = [] {
        sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
        return true;
    }();
    (void)configured;
}

}  // namespace

Connection::Connection(const std::string& path, bool read_only) {
    ConfigureProcessOnce();
    int flags = read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    flags |= SQLITE_OPEN_NOMUTEX;
    int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
        std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
        sqlite3_close_v2(db_);
        db_ = nullptr;
        throw StoreFailure("cannot open database " + path + ": " + msg);
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, 10000);
}

Connection::~Connection() {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
}

Stmt Connection::Prepare(std::string_view sql) {
    auto it = cache_.find(sql);
    if (it != cache_.end()) return Stmt(*this, it->second);
    sqlite3_stmt* stmt = nullptr;
    Check(sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt, nullptr),
          sql);
    cache_.emplace(std::string(sql), stmt);
    return Stmt(*this, stmt);
}

void Connection::Exec(const char* sql) {
    char* err = nullptr;
    int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
        std::string msg = err ? err : sqlite3_errstr(rc);
        sqlite3_free(err);
        throw StoreFailure(msg + " (in: " + std::string(sql).substr(0, 80) + ")");
    }
}

void Connection::Check(int rc, std::string_view what) const {
    if (rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE) return;
    throw StoreFailure(std::string(sqlite3_errmsg(db_)) + " (" + std::string(what.substr(0, 80)) + ")");
}

}  // namespace amends::store::sqlite
