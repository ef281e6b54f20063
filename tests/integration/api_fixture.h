#pragma once
// A real amends server on an ephemeral port over a real SQLite file, for black-box API tests.

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

#include "app/auth.h"
#include "app/outbound.h"
#include "app/recovery.h"
#include "app/status_board.h"
#include "domain/time.h"
#include "http/api.h"
#include "http/server.h"
#include "notify/outbox_worker.h"
#include "store/store.h"
#include "tests/support/http_client.h"

namespace amends::testing {

class ApiTest : public ::testing::Test {
protected:
    void SetUp() override;
    void TearDown() override;

    void StartServer();
    void StopServer();
    std::string AddUser(const std::string& name, Role role);

    HttpReply Call(const std::string& method, const std::string& target, const std::string& body = "",
                   std::map<std::string, std::string> headers = {}, const std::string& token = "");
    HttpReply Get(const std::string& target) { return Call("GET", target); }
    HttpReply Post(const std::string& target, const nlohmann::json& body, std::map<std::string, std::string> headers = {}) {
        return Call("POST", target, body.dump(), std::move(headers));
    }
    HttpReply Patch(const std::string& target, const nlohmann::json& body) { return Call("PATCH", target, body.dump()); }
    static nlohmann::json Json(const HttpReply& reply) { return nlohmann::json::parse(reply.body, nullptr, false); }
    // The CLI's commands, run in this process beside the server, stamp what they write with the system clock, while
    // the server runs on clock_ (fixed at 09:00 today). Before them, clock_ must be moved to at least the system's
    // time, or what the CLI queues is not yet due to the server (these tests failed after 09:00 UTC). clock_ stands
    // still, so it goes 10 minutes past the system's time: ahead of everything the CLI stamps during the test.
    void CatchUpWithTheSystemClock() {
        TimePoint ahead = SystemClock().Now() + std::chrono::minutes(10);
        if (clock_.Now() < ahead) clock_.Set(ahead);
    }
    nlohmann::json NewCustomer(const std::string& name, const std::string& email);
    nlohmann::json NewCase(Id customer_id, const std::string& subject, const std::string& category = "delivery");
    int CountCases();

    std::filesystem::path dir_;
    std::string db_;
    std::string token_;  // an admin's
    std::uint16_t port_ = 0;
    http::ServerOptions options_;
    std::unique_ptr<store::Store> store_;
    std::optional<app::Auth> auth_;
    std::optional<app::CaseLinks> links_;
    // Time stands still unless a test moves it: Monday 2026-11-23 09:00 UTC.
    ManualClock clock_{*ParseRfc3339("2026-11-23T09:00:00Z")};
    playbook::Config clocks_;  // a test may change it before StartServer
    std::unique_ptr<app::Recovery> recovery_;
    std::unique_ptr<app::ReplyCoach> reply_coach_;
    app::SendPolicy send_policy_;  // a test may change it before StartServer
    std::unique_ptr<app::Scheduler> scheduler_;  // not started: tests sweep by hand
    std::unique_ptr<app::Outbound> outbound_;   // links point at this server
    // Set smtp_url_ before StartServer to deliver mail: an outbox worker then runs with these options.
    std::string smtp_url_;
    std::string mail_address_;  // [mail] address: set before StartServer for signed Reply-To plus-addresses
    notify::WorkerOptions outbox_options_;
    std::unique_ptr<notify::OutboxWorker> outbox_;
    std::unique_ptr<notify::OutboxWorker> webhook_outbox_;  // always runs: webhooks need no server of ours
    app::PromiseOptions promises_;  // a test may change it before StartServer
    std::unique_ptr<app::StatusBoard> status_board_;
    std::unique_ptr<http::ApiContext> api_;
    std::unique_ptr<http::Router> router_;
    std::unique_ptr<http::Server> server_;
    std::thread thread_;
    std::unique_ptr<HttpClient> client_;
};

}  // namespace amends::testing
