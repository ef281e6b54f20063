#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "common/embedded.h"
#include "store/store.h"

namespace amends::store {

std::span<const EmbeddedFile> SqliteMigrations();  // generated from store/sqlite/migrations/*.sql

namespace {

class SqliteStoreTest : public ::testing::Test {
protected:
    void SetUp() override {
        char pattern[] = "/tmp/amends-store-XXXXXX";
        dir_ = ::mkdtemp(pattern);
        path_ = (dir_ / "t.db").string();
        auto opened = OpenSqlite({path_});
        ASSERT_TRUE(opened) << opened.error().message;
        store_ = std::move(*opened);
    }
    void TearDown() override {
        store_.reset();
        std::filesystem::remove_all(dir_);
    }
    Id AddCustomer(const std::string& name) {
        Id id = 0;
        EXPECT_TRUE(store_->WriteAndWait([&](Tx& tx) {
            Customer c;
            c.name = name;
            id = *tx.InsertCustomer(c);
            return true;
        }));
        return id;
    }
    int Customers() {
        int n = 0;
        store_->Read([&](Tx& tx) {
            CustomerFilter f;
            f.limit = 100000;
            n = static_cast<int>(tx.ListCustomers(f).size());
        });
        return n;
    }

    std::filesystem::path dir_;
    std::string path_;
    std::unique_ptr<Store> store_;
};

TEST_F(SqliteStoreTest, AUnitThatReturnsFalseLeavesNoTraceAndSparesItsGroup) {
    std::atomic<int> done{0};
    for (int i = 0; i < 50; ++i)
        store_->Submit(
            [i](Tx& tx) {
                Customer c;
                c.name = "c" + std::to_string(i);
                tx.InsertCustomer(c);
                return i % 2 == 0;  // odd units roll back after writing
            },
            [&](std::optional<Error> e) {
                EXPECT_FALSE(e);
                ++done;
            });
    store_->Close();
    EXPECT_EQ(done, 50);
    auto reopened = OpenSqlite({path_});
    ASSERT_TRUE(reopened);
    store_ = std::move(*reopened);
    EXPECT_EQ(Customers(), 25);
}

TEST_F(SqliteStoreTest, AUnitThatThrowsFailsAloneAndWritesNothing) {
    std::optional<Error> error;
    store_->Submit(
        [](Tx& tx) -> bool {
            Customer c;
            c.name = "half";
            tx.InsertCustomer(c);
            throw std::runtime_error("broken invariant");
        },
        [&](std::optional<Error> e) { error = e; });
    AddCustomer("whole");
    ASSERT_TRUE(error);
    EXPECT_EQ(error->code, ErrorCode::kInternal);
    EXPECT_EQ(Customers(), 1);
}

TEST_F(SqliteStoreTest, ConcurrentWritersAreAllCommitted) {
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 100; ++i) AddCustomer("t" + std::to_string(t) + "-" + std::to_string(i));
        });
    for (auto& th : threads) th.join();
    EXPECT_EQ(Customers(), 400);
}

TEST_F(SqliteStoreTest, ADuplicateExternalRefIsAConflict) {
    ASSERT_TRUE(store_->WriteAndWait([](Tx& tx) {
        Customer c;
        c.name = "a";
        c.external_ref = "ref-1";
        EXPECT_TRUE(tx.InsertCustomer(c));
        auto again = tx.InsertCustomer(c);
        EXPECT_FALSE(again);
        EXPECT_EQ(again.error().code, ErrorCode::kConflict);
        return true;
    }));
    EXPECT_EQ(Customers(), 1);
}

TEST_F(SqliteStoreTest, MigrationsAreAppliedOnceAndReportedUpToDate) {
    store_->Close();
    auto again = MigrateSqlite(path_);
    ASSERT_TRUE(again);
    EXPECT_TRUE(again->empty());
    auto fresh = MigrateSqlite((dir_ / "fresh.db").string());
    ASSERT_TRUE(fresh);
    EXPECT_EQ(*fresh, (std::vector<int>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}));
}

TEST_F(SqliteStoreTest, TheOutboxQueuesOnceLeasesAndRecordsOutcomes) {
    TimePoint t0 = *ParseRfc3339("2026-11-23T09:00:00Z");
    auto item = [&](const std::string& key) {
        OutboxItem o;
        o.dedupe_key = key;
        o.recipient = "ann@example.com";
        o.subject = "s";
        o.body = "b";
        o.next_attempt_at = t0;
        o.created_at = t0;
        return o;
    };
    Expected<Id> first = 0, repeat = 0;
    ASSERT_TRUE(store_->WriteAndWait([&](Tx& tx) {
        first = tx.EnqueueOutbox(item("message:1"));
        repeat = tx.EnqueueOutbox(item("message:1"));
        tx.EnqueueOutbox(item("message:2"));
        return true;
    }));
    ASSERT_TRUE(first);
    ASSERT_FALSE(repeat);
    EXPECT_EQ(repeat.error().code, ErrorCode::kConflict);

    std::vector<OutboxItem> a, b, c;
    ASSERT_TRUE(store_->WriteAndWait([&](Tx& tx) {
        a = tx.ClaimOutbox(t0, t0 + std::chrono::minutes(5), 1);
        b = tx.ClaimOutbox(t0, t0 + std::chrono::minutes(5), 10);  // the first is leased: only the second
        c = tx.ClaimOutbox(t0, t0 + std::chrono::minutes(5), 10);  // both leased
        return true;
    }));
    ASSERT_EQ(a.size(), 1u);
    EXPECT_EQ(a[0].id, *first);
    EXPECT_EQ(a[0].attempts, 1);
    ASSERT_EQ(b.size(), 1u);
    EXPECT_NE(b[0].id, *first);
    EXPECT_TRUE(c.empty());

    ASSERT_TRUE(store_->WriteAndWait([&](Tx& tx) {
        tx.FinishOutbox(a[0].id, {OutboxOutcome::kSent, t0, {}, ""});
        tx.FinishOutbox(b[0].id, {OutboxOutcome::kRetry, t0, t0 + std::chrono::seconds(30), "451 later"});
        return true;
    }));
    std::vector<OutboxItem> early, due;
    ASSERT_TRUE(store_->WriteAndWait([&](Tx& tx) {
        early = tx.ClaimOutbox(t0 + std::chrono::seconds(29), t0 + std::chrono::minutes(6), 10);
        due = tx.ClaimOutbox(t0 + std::chrono::seconds(30), t0 + std::chrono::minutes(6), 10);
        return true;
    }));
    EXPECT_TRUE(early.empty());
    ASSERT_EQ(due.size(), 1u);
    EXPECT_EQ(due[0].attempts, 2);
    EXPECT_EQ(due[0].last_error, "451 later");
    // A lease that runs out (its worker died) frees the item for another worker.
    std::vector<OutboxItem> again;
    ASSERT_TRUE(store_->WriteAndWait([&](Tx& tx) {
        again = tx.ClaimOutbox(t0 + std::chrono::minutes(6), t0 + std::chrono::minutes(11), 10);
        tx.FinishOutbox(due[0].id, {OutboxOutcome::kFailed, t0, {}, "550 no such mailbox"});
        return true;
    }));
    EXPECT_EQ(again.size(), 1u);
    OutboxCounts counts;
    store_->Read([&](Tx& tx) { counts = tx.CountOutbox(); });
    EXPECT_EQ(counts.sent, 1);
    EXPECT_EQ(counts.failed, 1);
    EXPECT_EQ(counts.pending, 0);
}

TEST_F(SqliteStoreTest, WritesAfterCloseAreRefusedNotLost) {
    store_->Close();
    auto result = store_->WriteAndWait([](Tx&) { return true; });
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, ErrorCode::kUnavailable);
}

TEST(SqliteStore, AnUnopenableFileIsAClearError) {
    auto opened = OpenSqlite({"/nonexistent-dir/amends.db"});
    ASSERT_FALSE(opened);
    EXPECT_EQ(opened.error().code, ErrorCode::kUnavailable);
    EXPECT_NE(opened.error().message.find("/nonexistent-dir/amends.db"), std::string::npos);
}

TEST_F(SqliteStoreTest, DebriefsKeepTheirCasesAndActionsAreFoundByStatusAndDueDate) {
    const TimePoint t0 = *ParseRfc3339("2026-11-23T09:00:00Z");
    Id c1 = 0, c2 = 0, d1 = 0, d2 = 0, late = 0;
    ASSERT_TRUE(store_->WriteAndWait([&](Tx& tx) {
        Customer customer;
        customer.name = "C";
        Id customer_id = *tx.InsertCustomer(customer);
        Case c;
        c.customer_id = customer_id;
        c.subject = "s";
        c.created_at = t0;
        c1 = tx.InsertCase(c);
        c.created_at = t0 + std::chrono::hours(1);
        c2 = tx.InsertCase(c);
        d1 = tx.InsertDebrief(DebriefRecord{0, "inc1", {c2, c1}, R"({"title":"a"})", std::nullopt, t0, t0});
        d2 = tx.InsertDebrief(DebriefRecord{0, std::nullopt, {c1}, R"({"title":"b"})", std::nullopt, t0, t0});
        late = tx.InsertAction(ActionRecord{0, d1, "outstanding", t0, "{}", std::nullopt, "[]", t0, t0});
        tx.InsertAction(ActionRecord{0, d1, "outstanding", t0 + std::chrono::hours(48), "{}", std::nullopt, "[]", t0, t0});
        tx.InsertAction(ActionRecord{0, d2, "completed", t0, "{}", std::nullopt, "[]", t0, t0});
        return true;
    }));
    store_->Read([&](Tx& tx) {
        auto d = tx.FindDebrief(d1);
        ASSERT_TRUE(d);
        EXPECT_EQ(d->case_ids, (std::vector<Id>{c1, c2}));
        EXPECT_EQ(d->incident_id, "inc1");
        DebriefFilter by_case;
        by_case.case_id = c1;
        EXPECT_EQ(tx.ListDebriefs(by_case).size(), 2u);
        by_case.case_id = c2;
        ASSERT_EQ(tx.ListDebriefs(by_case).size(), 1u);
        DebriefFilter by_incident;
        by_incident.incident_id = "inc1";
        EXPECT_EQ(tx.ListDebriefs(by_incident).front().id, d1);
        ActionFilter overdue;
        overdue.status = "outstanding";
        overdue.due_before = t0 + std::chrono::hours(1);
        auto rows = tx.ListActions(overdue);
        ASSERT_EQ(rows.size(), 1u);
        EXPECT_EQ(rows[0].id, late);
        ActionFilter of_d2;
        of_d2.debrief_id = d2;
        EXPECT_EQ(tx.ListActions(of_d2).size(), 1u);
        std::vector<Id> since;
        tx.ForEachCaseSince(t0 + std::chrono::minutes(30), [&](const Case& c) { since.push_back(c.id); });
        EXPECT_EQ(since, std::vector<Id>{c2});
    });
    ASSERT_TRUE(store_->WriteAndWait([&](Tx& tx) {
        auto d = *tx.FindDebrief(d1);
        d.case_ids = {c2};
        d.published_at = t0;
        tx.UpdateDebrief(d);
        auto a = *tx.FindAction(late);
        a.status = "completed";
        a.reopened_at = t0;
        a.reopened_by_json = "[7]";
        tx.UpdateAction(a);
        return true;
    }));
    store_->Read([&](Tx& tx) {
        auto d = tx.FindDebrief(d1);
        EXPECT_EQ(d->case_ids, std::vector<Id>{c2});
        EXPECT_EQ(d->published_at, t0);
        auto a = tx.FindAction(late);
        EXPECT_EQ(a->status, "completed");
        EXPECT_EQ(a->reopened_by_json, "[7]");
        EXPECT_EQ(a->reopened_at, t0);
    });
}

// Migration 0012 rebuilds ledger_entries (its type CHECK without an IN list): a database written before it keeps
// every entry, id for id, and the exactly-once keys still hold afterwards.
TEST(SqliteStoreMigration, TheLedgerRebuildOf0012KeepsEntriesAndTheirExactlyOnceKeys) {
    char pattern[] = "/tmp/amends-store-XXXXXX";
    std::filesystem::path dir = ::mkdtemp(pattern);
    const std::string path = (dir / "old.db").string();
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    auto exec = [&](const std::string& sql) {
        char* error = nullptr;
        int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
        EXPECT_EQ(rc, SQLITE_OK) << (error ? error : "") << " in " << sql.substr(0, 80);
        sqlite3_free(error);
        return rc;
    };
    // The schema as it was before 0012: every earlier migration, recorded as applied.
    exec("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
    for (const auto& file : SqliteMigrations()) {
        int version = std::stoi(std::string(file.name.substr(0, 4)));
        if (version >= 12) continue;
        exec(std::string(file.content));
        exec("INSERT INTO schema_migrations VALUES (" + std::to_string(version) + ", '" + std::string(file.name) + "', 0)");
    }
    exec("INSERT INTO customers (id, name, email, created_at, updated_at) VALUES (7, 'Ann', 'ann@example.com', 0, 0)");
    exec("INSERT INTO ledger_entries (id, type, subject, subject_id, customer_id, rule, kind, category, amount_minor, "
         "description, actor, at) VALUES "
         "(40, 'issued', 'incident', 'inc1', 7, 'outage-credit', 'credit', 'outage', 1225, 'a credit', 'cli', 1000), "
         "(41, 'issued', 'incident', 'inc1', 7, 'outage-upgrade', 'upgrade', 'outage', 500, 'an upgrade', 'cli', 1000), "
         "(45, 'reversed', 'incident', 'inc1', 7, 'outage-upgrade', 'upgrade', 'outage', 500, '', 'user:1', 2000)");
    sqlite3_close(db);

    auto applied = MigrateSqlite(path);
    ASSERT_TRUE(applied) << applied.error().message;
    ASSERT_FALSE(applied->empty());
    EXPECT_EQ(applied->front(), 12);

    auto opened = OpenSqlite({path});
    ASSERT_TRUE(opened) << opened.error().message;
    auto& store = **opened;
    std::vector<LedgerEntry> entries;
    store.Read([&](Tx& tx) { entries = tx.ListLedger(LedgerFilter{}); });
    ASSERT_EQ(entries.size(), 3u);
    EXPECT_EQ(entries[0].id, 40);
    EXPECT_EQ(entries[0].rule, "outage-credit");
    EXPECT_EQ(entries[0].amount_minor, 1225);
    EXPECT_EQ(entries[0].description, "a credit");
    EXPECT_EQ(entries[1].id, 41);
    EXPECT_EQ(entries[2].id, 45);
    EXPECT_EQ(entries[2].type, "reversed");
    EXPECT_EQ(entries[2].actor, "user:1");

    std::optional<Id> again, reversed_again, other_customer;
    bool bad_type_refused = false;
    ASSERT_TRUE(store.WriteAndWait([&](Tx& tx) {
        LedgerEntry e = entries[0];
        e.id = 0;
        again = tx.AppendLedgerEntry(e);  // the same key issued again: refused by the rebuilt unique index
        e = entries[2];
        e.id = 0;
        reversed_again = tx.AppendLedgerEntry(e);
        Customer c;
        c.name = "Bo";
        e = entries[0];
        e.id = 0;
        e.customer_id = *tx.InsertCustomer(c);
        other_customer = tx.AppendLedgerEntry(e);
        e.type = "granted";  // not a type of the ledger: the rebuilt CHECK still refuses it
        try {
            tx.AppendLedgerEntry(e);
        } catch (const StoreFailure&) {
            bad_type_refused = true;
        }
        return true;
    }));
    EXPECT_FALSE(again);
    EXPECT_FALSE(reversed_again);
    ASSERT_TRUE(other_customer);
    EXPECT_GT(*other_customer, 45);
    EXPECT_TRUE(bad_type_refused);
    store.Close();
    opened->reset();

    // The indexes are back, and the type rule no longer builds an IN list.
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(db,
                       "SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_schema WHERE tbl_name = "
                       "'ledger_entries' ORDER BY name)",
                       -1, &s, nullptr);
    ASSERT_EQ(sqlite3_step(s), SQLITE_ROW);
    EXPECT_EQ(std::string(reinterpret_cast<const char*>(sqlite3_column_text(s, 0))),
              "ledger_by_customer,ledger_by_proposal,ledger_entries,ledger_issued_once,ledger_reversed_once");
    sqlite3_finalize(s);
    sqlite3_prepare_v2(db, "SELECT sql FROM sqlite_schema WHERE name = 'ledger_entries'", -1, &s, nullptr);
    ASSERT_EQ(sqlite3_step(s), SQLITE_ROW);
    EXPECT_EQ(std::string(reinterpret_cast<const char*>(sqlite3_column_text(s, 0))).find(" IN ("), std::string::npos);
    sqlite3_finalize(s);
    sqlite3_close(db);
    std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace amends::store
