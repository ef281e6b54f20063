// kill -9 of a real `amends serve` process in the middle of a burst of writes: after a restart, every write that
// was answered 2xx is there, and the database passes PRAGMA integrity_check.

#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/support/http_client.h"
#include "tests/support/process.h"

namespace amends::testing {
namespace {

class CrashTest : public ::testing::Test {
protected:
    void SetUp() override {
        const char* binary = std::getenv("AMENDS_BINARY");  // overrides the one built beside this test
        binary_ = binary ? binary : AMENDS_BINARY_PATH;
        ASSERT_TRUE(std::filesystem::exists(binary_)) << binary_;
        char pattern[] = "/tmp/amends-crash-XXXXXX";
        dir_ = ::mkdtemp(pattern);
        db_ = (dir_ / "amends.db").string();
        std::string out = (dir_ / "user.txt").string();
        pid_t pid = Spawn({binary_, "user", "add", "loader", "--role", "agent", "--db", db_}, out);
        int status = 0;
        ::waitpid(pid, &status, 0);
        ASSERT_EQ(WEXITSTATUS(status), 0);
        token_ = LastLine(out);
        ASSERT_EQ(token_.rfind("amd_", 0), 0u) << token_;
    }
    void TearDown() override {
        if (server_ > 0) {
            ::kill(server_, SIGKILL);
            ::waitpid(server_, nullptr, 0);
        }
        std::filesystem::remove_all(dir_);
    }
    void Start() {
        port_ = FreePort();
        server_ = Spawn({binary_, "serve", "--db", db_, "--listen", "127.0.0.1:" + std::to_string(port_)},
                        (dir_ / "server.log").string());
        ASSERT_TRUE(WaitForServer(port_)) << "server did not start";
    }

    std::string binary_;
    std::filesystem::path dir_;
    std::string db_;
    std::string token_;
    std::uint16_t port_ = 0;
    pid_t server_ = -1;
};

// Sends POST /api/v1/cases from six connections until `stop`; collects the ids answered 201.
class Burst {
public:
    Burst(std::uint16_t port, const std::string& token, long long customer_id) {
        for (int w = 0; w < 6; ++w)
            writers_.emplace_back([=, this] {
                HttpClient client(port);
                for (int i = 0; i < 100000 && !stop_; ++i) {
                    std::string body = R"({"customer_id": )" + std::to_string(customer_id) + R"(, "subject": "burst )" +
                                       std::to_string(w) + "-" + std::to_string(i) + R"("})";
                    auto reply = client.Send("POST", "/api/v1/cases", body, {{"Authorization", "Bearer " + token}});
                    if (reply.status == 0) return;  // the server is gone
                    if (reply.status == 201) {
                        std::lock_guard lock(mu_);
                        acknowledged_.push_back(nlohmann::json::parse(reply.body)["id"].get<long long>());
                    } else {
                        ++other_;
                    }
                }
            });
    }
    ~Burst() { Stop(); }
    // Waits until `n` writes were acknowledged (or a generous bound passes).
    void WaitFor(std::size_t n) {
        for (int i = 0; i < 4000 && Count() < n; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    std::size_t Count() {
        std::lock_guard lock(mu_);
        return acknowledged_.size();
    }
    void Stop() {
        stop_ = true;
        for (auto& t : writers_)
            if (t.joinable()) t.join();
    }
    std::vector<long long> Acknowledged() {
        std::lock_guard lock(mu_);
        return acknowledged_;
    }
    int Other() const { return other_; }

private:
    std::mutex mu_;
    std::vector<long long> acknowledged_;
    std::atomic<bool> stop_{false};
    std::atomic<int> other_{0};
    std::vector<std::thread> writers_;
};

long long MakeCustomer(std::uint16_t port, const std::string& token) {
    HttpClient setup(port);
    auto customer = setup.Send("POST", "/api/v1/customers", R"({"name": "Burst Customer"})",
                               {{"Authorization", "Bearer " + token}});
    EXPECT_EQ(customer.status, 201) << customer.body;
    return nlohmann::json::parse(customer.body)["id"].get<long long>();
}

std::string IntegrityCheck(const std::string& path) {
    sqlite3* db = nullptr;
    if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) return "cannot open";
    sqlite3_stmt* check = nullptr;
    sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &check, nullptr);
    std::string result = sqlite3_step(check) == SQLITE_ROW ? reinterpret_cast<const char*>(sqlite3_column_text(check, 0)) : "no row";
    sqlite3_finalize(check);
    sqlite3_close(db);
    return result;
}

std::size_t Missing(std::uint16_t port, const std::string& token, const std::vector<long long>& ids) {
    HttpClient reader(port);
    std::size_t missing = 0;
    for (auto id : ids) {
        auto reply = reader.Send("GET", "/api/v1/cases/" + std::to_string(id), "", {{"Authorization", "Bearer " + token}});
        if (reply.status != 200) ++missing;
    }
    return missing;
}

TEST_F(CrashTest, EveryAcknowledgedWriteSurvivesKill9) {
    Start();
    Burst burst(port_, token_, MakeCustomer(port_, token_));
    burst.WaitFor(500);  // kill while the writers are still sending
    ASSERT_EQ(::kill(server_, SIGKILL), 0);
    ::waitpid(server_, nullptr, 0);
    server_ = -1;
    burst.Stop();
    auto acknowledged = burst.Acknowledged();
    ASSERT_GE(acknowledged.size(), 500u);
    EXPECT_EQ(IntegrityCheck(db_), "ok");
    Start();
    EXPECT_EQ(Missing(port_, token_, acknowledged), 0u) << "of " << acknowledged.size() << " acknowledged writes";
}

TEST_F(CrashTest, SigtermDrainsInFlightWritesAndExitsCleanly) {
    Start();
    Burst burst(port_, token_, MakeCustomer(port_, token_));
    burst.WaitFor(300);
    ASSERT_EQ(::kill(server_, SIGTERM), 0);
    int status = 0;
    ::waitpid(server_, &status, 0);
    server_ = -1;
    burst.Stop();
    EXPECT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0);
    EXPECT_EQ(burst.Other(), 0) << "requests answered with an error during the drain";
    auto acknowledged = burst.Acknowledged();
    ASSERT_GE(acknowledged.size(), 300u);
    EXPECT_EQ(IntegrityCheck(db_), "ok");
    Start();
    EXPECT_EQ(Missing(port_, token_, acknowledged), 0u);
    std::ifstream log(dir_ / "server.log");
    std::string text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
    EXPECT_NE(text.find("drained and stopped"), std::string::npos);
}

}  // namespace
}  // namespace amends::testing
