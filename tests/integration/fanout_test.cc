// The end-to-end story with real processes: a real `amends serve`, a real SMTP server (aiosmtpd). Declare
// an incident, attach 10,000 affected customers, post three updates; kill -9 the server while the second update's
// notices go out and restart it; take the mail server down during the third and bring it back. Every customer gets
// one personal email per update: never a second different notice for the same update, never none.
//
// SMTP cannot promise exactly once (a message the server accepted just before the kill is sent again after the
// restart); such a repeat carries the same Message-ID, so mail clients show it once. The test counts them and
// allows at most the messages that can be in flight at the kill (docs/decisions.md).

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "tests/support/http_client.h"
#include "tests/support/process.h"
#include "tests/support/smtp_sink.h"

namespace amends::testing {
namespace {

using nlohmann::json;

constexpr int kCustomers = 10000;
constexpr int kThreads = 4;  // SMTP connections
constexpr int kBatch = 20;   // items a worker leases at once

class FanoutTest : public ::testing::Test {
protected:
    void SetUp() override {
        const char* binary = std::getenv("AMENDS_BINARY");
        binary_ = binary ? binary : AMENDS_BINARY_PATH;
        ASSERT_TRUE(std::filesystem::exists(binary_)) << binary_;
        char pattern[] = "/tmp/amends-fanout-XXXXXX";
        dir_ = ::mkdtemp(pattern);
        db_ = (dir_ / "amends.db").string();
        sink_.emplace(dir_ / "smtp", /*light=*/true);
        std::ofstream(dir_ / "amends.toml") << "[smtp]\nurl = \"" << sink_->Url()
                                            << "\"\nfrom = \"Acme Support <support@acme.test>\"\n"
                                               "[outbox]\nthreads = " << kThreads << "\nbatch = " << kBatch
                                            << "\ninterval_ms = 50\nfirst_backoff_ms = 200\nmax_attempts = 30\n"
                                               "lease_ms = 2000\n";
        std::string out = (dir_ / "user.txt").string();
        int status = StopChild(Spawn({binary_, "user", "add", "ops", "--role", "manager", "--db", db_}, out), 0);
        ASSERT_EQ(WEXITSTATUS(status), 0);
        token_ = LastLine(out);
    }
    void TearDown() override {
        if (server_ > 0) StopChild(server_, SIGKILL);
        sink_.reset();
        std::filesystem::remove_all(dir_);
    }
    void Start() {
        if (port_ == 0) port_ = FreePort();
        server_ = Spawn({binary_, "serve", "--config", (dir_ / "amends.toml").string(), "--db", db_, "--listen",
                         "127.0.0.1:" + std::to_string(port_)},
                        (dir_ / "server.log").string());
        ASSERT_TRUE(WaitForServer(port_, 600)) << "server did not start";
        client_.emplace(port_);
    }
    HttpReply Post(const std::string& path, const json& body) {
        return client_->Send("POST", path, body.dump(), {{"Authorization", "Bearer " + token_}});
    }
    std::string binary_, db_, token_;
    std::filesystem::path dir_;
    std::optional<SmtpSink> sink_;
    std::optional<HttpClient> client_;
    std::uint16_t port_ = 0;
    pid_t server_ = -1;
};

TEST_F(FanoutTest, TenThousandCustomersHearEachOfThreeUpdatesOnceThroughACrashAndAMailOutage) {
    Start();
    ASSERT_EQ(Post("/api/v1/components", {{"id", "delivery"}, {"name", "Deliveries"}}).status, 201);
    auto declared = Post("/api/v1/incidents", {{"name", "Deliveries late"},
                                               {"status", "identified"},
                                               {"body", "A depot flooded; we're sorry. Deliveries run two days late."},
                                               {"components", {{"delivery", "partial_outage"}}},
                                               {"next_update_in", "2h"}});
    ASSERT_EQ(declared.status, 201) << declared.body;
    std::string id = json::parse(declared.body)["id"];
    for (int from = 0; from < kCustomers; from += 2500) {
        json customers = json::array();
        for (int i = from; i < from + 2500; ++i)
            customers.push_back({{"customer", {{"name", "Customer " + std::to_string(i)},
                                               {"email", "c" + std::to_string(i) + "@example.com"},
                                               {"external_ref", "cust-" + std::to_string(i)}}},
                                 {"details", {{"order", "order-" + std::to_string(i)}}}});
        auto attached = Post("/api/v1/incidents/" + id + "/affected", {{"customers", customers}});
        ASSERT_EQ(attached.status, 200) << attached.body;
        EXPECT_EQ(json::parse(attached.body)["notices_queued"], 2500);
    }

    // Update 2, and kill -9 while its notices are going out.
    ASSERT_EQ(Post("/api/v1/incidents/" + id + "/updates",
                   {{"status", "monitoring"}, {"body", "Deliveries are moving again."}, {"next_update_in", "4h"}})
                  .status,
              201);
    for (int i = 0; i < 6000 && sink_->Count() < kCustomers + 1500; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    ASSERT_GE(sink_->Count(), static_cast<std::size_t>(kCustomers + 1500));
    StopChild(server_, SIGKILL);
    server_ = -1;
    std::size_t at_kill = sink_->Count();
    EXPECT_LT(at_kill, 2u * kCustomers) << "the kill came after the fan-out had finished: the test proves less";
    Start();

    // Update 3 while the mail server is down; it comes back a little later.
    sink_->WaitFor(2 * kCustomers, std::chrono::seconds(600));
    sink_->Stop();
    ASSERT_EQ(Post("/api/v1/incidents/" + id + "/updates", {{"status", "resolved"}, {"body", "Every late box has arrived."}})
                  .status,
              201);
    std::this_thread::sleep_for(std::chrono::seconds(2));  // the outage: deliveries fail and back off
    sink_->Start();
    auto mail = sink_->WaitFor(3 * kCustomers, std::chrono::seconds(900));
    std::this_thread::sleep_for(std::chrono::seconds(3));  // longer than a lease: a late re-send would arrive now
    mail = sink_->Messages();

    std::map<std::string, std::set<std::string>> ids_by_customer;  // distinct Message-IDs
    std::map<std::string, int> copies;                              // per Message-ID
    for (const auto& m : mail) {
        ids_by_customer[m["rcpt_tos"][0]].insert(m["message_id"]);
        ++copies[m["message_id"]];
    }
    ASSERT_EQ(ids_by_customer.size(), static_cast<std::size_t>(kCustomers));
    int wrong = 0;
    for (const auto& [who, ids] : ids_by_customer) wrong += ids.size() != 3;
    EXPECT_EQ(wrong, 0) << "customers without exactly one notice per update";
    int repeats = 0;
    for (const auto& [message_id, n] : copies) repeats += n - 1;
    std::printf("fan-out: %zu emails for %d customers x 3 updates; %d repeated (same Message-ID) after the kill; "
                "%zu had arrived at the kill\n",
                mail.size(), kCustomers, repeats, at_kill);
    EXPECT_LE(repeats, kThreads * kBatch) << "more repeats than messages in flight at the kill";
    // The personal part: each customer's own order in their own email.
    for (const auto& m : mail)
        if (m["rcpt_tos"][0] == "c4242@example.com") {
            EXPECT_NE(m["body"].get<std::string>().find("order-4242"), std::string::npos);
        }
}

}  // namespace
}  // namespace amends::testing
