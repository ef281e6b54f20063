#pragma once
// A real HTTP server (tests/support/webhook_sink.py) on 127.0.0.1 that records the webhooks it receives: each a JSON
// object {path, status (what it answered), headers (lower-case names), body}.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace amends::testing {

class WebhookSink {
public:
    explicit WebhookSink(std::filesystem::path dir);  // starts it on a free port
    ~WebhookSink();

    std::string Url(const std::string& path = "/hook") const {
        return "http://127.0.0.1:" + std::to_string(port_) + path;
    }
    // Answers every request with `status` from now on (200 again with 0).
    void Answer(int status);
    std::vector<nlohmann::json> Requests() const;  // oldest first
    // Waits (at most `limit`, polling) until at least `n` requests arrived; returns them all.
    std::vector<nlohmann::json> WaitFor(std::size_t n, std::chrono::seconds limit = std::chrono::seconds(30)) const;

private:
    std::filesystem::path dir_;
    std::uint16_t port_ = 0;
    pid_t pid_ = -1;
};

}  // namespace amends::testing
