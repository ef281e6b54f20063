#pragma once
// A thin RAII layer over one sqlite3 connection: prepared statements cached per connection, every return code
// checked in one place (Check), failures thrown as store::StoreFailure. A Connection is used by one thread at a time.

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace amends::store::sqlite {

class Connection;

// A prepared statement borrowed from the connection's cache; reset and unbound when it goes out of scope.
class Stmt {
public:
    Stmt(Connection& conn, sqlite3_stmt* stmt) : conn_(conn), stmt_(stmt) {}
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;
    ~Stmt();

    Stmt& Bind(int index, std::int64_t v);
    Stmt& Bind(int index, int v) { return Bind(index, static_cast<std::int64_t>(v)); }
    Stmt& Bind(int index, std::string_view v);
    Stmt& Bind(int index, const std::string& v) { return Bind(index, std::string_view(v)); }
    Stmt& Bind(int index, const char* v) { return Bind(index, std::string_view(v)); }
    Stmt& Bind(int index, const std::optional<std::string>& v);
    Stmt& Bind(int index, const std::optional<std::int64_t>& v);
    Stmt& BindBlob(int index, std::string_view v);
    // Binds text without copying it: `v` must stay alive and unchanged until this Stmt goes out of scope (it is
    // unbound then). For hot paths that bind a caller's strings (a bulk credit's ledger entries).
    Stmt& BindUncopied(int index, std::string_view v);
    Stmt& BindNull(int index);

    // Steps once: true when a row is ready, false when done. Throws on error; returns the code in `constraint`
    // instead of throwing when it is a constraint violation and `constraint` is given.
    bool Step(int* constraint = nullptr);
    void Run() { Step(); }

    std::int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }
    std::string Text(int col) const;
    std::optional<std::string> OptText(int col) const;
    std::optional<std::int64_t> OptInt(int col) const;
    bool IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

private:
    Connection& conn_;
    sqlite3_stmt* stmt_;
};

class Connection {
public:
    // Opens `path`; read_only connections never write. Throws StoreFailure.
    Connection(const std::string& path, bool read_only);
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;
    ~Connection();

    // Returns the cached statement for `sql` (prepared on first use).
    Stmt Prepare(std::string_view sql);
    // Runs one or more statements without results (parsed each time: for migrations and setup).
    void Exec(const char* sql);
    // Runs one statement without results through the statement cache (for the hot path: BEGIN, SAVEPOINT, ...).
    void Run(std::string_view sql) { Prepare(sql).Run(); }
    std::int64_t LastInsertId() const { return sqlite3_last_insert_rowid(db_); }
    std::int64_t Changes() const { return sqlite3_changes64(db_); }
    // Throws StoreFailure with `what` and SQLite's message unless rc is OK, ROW or DONE.
    void Check(int rc, std::string_view what) const;
    sqlite3* handle() const { return db_; }

private:
    sqlite3* db_ = nullptr;
    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    std::unordered_map<std::string, sqlite3_stmt*, Hash, std::equal_to<>> cache_;  // SQL text -> statement
};

// A transaction that rolls back unless committed. The destructor never throws.
class Transaction {
public:
    // kind: "BEGIN" (deferred, for reads) or "BEGIN IMMEDIATE" (takes the write lock now).
    Transaction(Connection& conn, const char* kind) : conn_(conn) { conn_.Run(kind); }
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    ~Transaction() {
        if (!done_) sqlite3_exec(conn_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
    }
    // Throws StoreFailure when the commit fails; the destructor then rolls back.
    void Commit() {
        conn_.Run("COMMIT");
        done_ = true;
    }

private:
    Connection& conn_;
    bool done_ = false;
};

}  // namespace amends::store::sqlite
