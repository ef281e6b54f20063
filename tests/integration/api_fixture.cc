#include "tests/integration/api_fixture.h"

#include "notify/webhook.h"

#include <unistd.h>

#include "notify/smtp.h"

namespace amends::testing {

void ApiTest::SetUp() {
    char pattern[] = "/tmp/amends-test-XXXXXX";
    dir_ = ::mkdtemp(pattern);
    db_ = (dir_ / "amends.db").string();
    options_.host = "127.0.0.1";
    options_.port = 0;
    options_.threads = 2;
    options_.access_log = nullptr;
    options_.read_timeout = std::chrono::milliseconds(1000);
    options_.body_limit = 64 * 1024;
    StartServer();
    token_ = AddUser("admin", Role::kAdmin);
}

void ApiTest::TearDown() {
    StopServer();
    std::filesystem::remove_all(dir_);
}

void ApiTest::StartServer() {
    auto store = store::OpenSqlite({db_});
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
    auto auth = app::Auth::Open(*store_);
    ASSERT_TRUE(auth) << auth.error().message;
    auth_.emplace(std::move(*auth));
    recovery_ = std::make_unique<app::Recovery>(clocks_);
    auto links = app::CaseLinks::Open(*store_);
    ASSERT_TRUE(links) << links.error().message;
    links_.emplace(std::move(*links));
    reply_coach_ = std::make_unique<app::ReplyCoach>(send_policy_);
    reply_coach_->LoadHistory(*store_);
    outbound_ = std::make_unique<app::Outbound>(*links_, app::MailSettings{});
    api_ = std::make_unique<http::ApiContext>(
        http::ApiContext{*store_, *auth_, *recovery_, *reply_coach_, *links_, clock_, *outbound_});
    status_board_ = std::make_unique<app::StatusBoard>(*store_, clock_, status::PageInfo{"amends", "Acme", "http://127.0.0.1"},
                                                       *outbound_, reply_coach_.get());
    api_->status = status_board_.get();
    if (!smtp_url_.empty()) {
        notify::SmtpOptions smtp{.url = smtp_url_, .from = "Acme Support <support@acme.test>"};
        outbox_ = std::make_unique<notify::OutboxWorker>(
            *store_, clock_, [smtp] { return std::make_unique<notify::SmtpSender>(smtp); }, outbox_options_);
    }
    notify::WorkerOptions hooks = outbox_options_;
    hooks.channel = "webhook";
    webhook_outbox_ = std::make_unique<notify::OutboxWorker>(
        *store_, clock_,
        [this] {
            notify::WebhookOptions o;
            o.timeout = std::chrono::seconds(5);
            o.secret_of = [this](std::int64_t id) {
                std::optional<std::string> secret;
                store_->Read([&](store::Tx& tx) {
                    if (auto w = tx.FindWebhook(id); w && !w->deleted_at) secret = w->secret;
                });
                return secret;
            };
            return std::make_unique<notify::WebhookSender>(std::move(o));
        },
        hooks);
    api_->outbox_queued = [this] {
        if (outbox_) outbox_->Wake();
        webhook_outbox_->Wake();
    };
    status_board_->OnQueued(api_->outbox_queued);
    status_board_->SetPromiseOptions(promises_);
    scheduler_ = std::make_unique<app::Scheduler>(*store_, *recovery_, clock_, std::chrono::seconds(1));
    router_ = std::make_unique<http::Router>();
    http::RegisterApi(*router_, *api_);
    options_.port = port_;  // a restart keeps the port
    server_ = std::make_unique<http::Server>(options_, *router_);
    auto port = server_->Listen();
    ASSERT_TRUE(port) << port.error().message;
    port_ = *port;
    *outbound_ = app::Outbound(*links_, app::MailSettings{"http://127.0.0.1:" + std::to_string(port_), "acme.test", mail_address_});
    {
        auto loaded = status_board_->Load();
        ASSERT_TRUE(loaded) << loaded.error().message;
    }
    thread_ = std::thread([this] { server_->Run(); });
    if (outbox_) outbox_->Start();
    webhook_outbox_->Start();
    status_board_->StartWorker(std::chrono::milliseconds(100));
    client_ = std::make_unique<HttpClient>(port_);
}

void ApiTest::StopServer() {
    if (!server_) return;
    client_.reset();
    status_board_->StopWorker();
    if (outbox_) outbox_->Stop();
    webhook_outbox_->Stop();
    server_->Stop();
    thread_.join();
    scheduler_.reset();
    store_->Close();  // before the server goes: the writer thread may still hold its response callbacks
    server_.reset();
    outbox_.reset();
    webhook_outbox_.reset();
    status_board_.reset();
    store_.reset();
}

std::string ApiTest::AddUser(const std::string& name, Role role) {
    std::string token;
    auto written = store_->WriteAndWait([&](store::Tx& tx) {
        auto added = auth_->AddUser(tx, name, role, clock_.Now());
        if (!added) return false;
        token = added->token;
        return true;
    });
    EXPECT_TRUE(written);
    EXPECT_FALSE(token.empty());
    return token;
}

HttpReply ApiTest::Call(const std::string& method, const std::string& target, const std::string& body,
                        std::map<std::string, std::string> headers, const std::string& token) {
    if (!headers.count("Authorization")) headers["Authorization"] = "Bearer " + (token.empty() ? token_ : token);
    if (headers["Authorization"] == "-") headers.erase("Authorization");
    return client_->Send(method, target, body, headers);
}

nlohmann::json ApiTest::NewCustomer(const std::string& name, const std::string& email) {
    auto reply = Post("/api/v1/customers", {{"name", name}, {"email", email}});
    EXPECT_EQ(reply.status, 201) << reply.body;
    return Json(reply);
}

nlohmann::json ApiTest::NewCase(Id customer_id, const std::string& subject, const std::string& category) {
    auto reply = Post("/api/v1/cases", {{"customer_id", customer_id}, {"subject", subject}, {"category", category}});
    EXPECT_EQ(reply.status, 201) << reply.body;
    return Json(reply);
}

int ApiTest::CountCases() {
    int n = 0;
    store_->Read([&](store::Tx& tx) {
        store::CaseFilter f;
        f.limit = 1000000;
        n = static_cast<int>(tx.ListCases(f).size());
    });
    return n;
}

}  // namespace amends::testing
