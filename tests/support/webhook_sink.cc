#include "tests/support/webhook_sink.h"

#include <signal.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "tests/support/process.h"

namespace amends::testing {

WebhookSink::WebhookSink(std::filesystem::path dir) : dir_(std::move(dir)) {
    std::filesystem::create_directories(dir_);
    port_ = FreePort();
    const char* source = std::getenv("AMENDS_SOURCE_DIR");
    std::string script = std::string(source ? source : AMENDS_SOURCE_ROOT) + "/tests/support/webhook_sink.py";
    pid_ = Spawn({"/usr/bin/python3", script, dir_.string(), std::to_string(port_)}, (dir_ / "sink.log").string());
    for (int i = 0; i < 600 && !std::filesystem::exists(dir_ / "ready"); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    if (!std::filesystem::exists(dir_ / "ready"))
        throw std::runtime_error("the webhook receiver did not start; see " + (dir_ / "sink.log").string());
}

WebhookSink::~WebhookSink() {
    if (pid_ > 0) StopChild(pid_, SIGTERM);
}

void WebhookSink::Answer(int status) {
    if (status == 0)
        std::filesystem::remove(dir_ / "status");
    else
        std::ofstream(dir_ / "status") << status << "\n";
}

std::vector<nlohmann::json> WebhookSink::Requests() const { return ReadJsonRecords(dir_); }

std::vector<nlohmann::json> WebhookSink::WaitFor(std::size_t n, std::chrono::seconds limit) const {
    auto until = std::chrono::steady_clock::now() + limit;
    for (;;) {
        auto got = Requests();
        if (got.size() >= n || std::chrono::steady_clock::now() >= until) return got;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

}  // namespace amends::testing
