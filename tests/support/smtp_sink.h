#pragma once
// A real SMTP server (tests/support/smtp_sink.py, aiosmtpd) on 127.0.0.1 for tests. Each message it accepted is a
// JSON object: mail_from, rcpt_tos, from, to, subject, date, message_id, in_reply_to, references, content_type,
// charset, body (the text part, decoded by Python's email package), html (the HTML part), reply_to,
// list_unsubscribe, list_unsubscribe_post, raw.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace amends::testing {

class SmtpSink {
public:
    // Starts it on a free port. `light`: records hold only rcpt_tos, mail_from, subject, message_id and the raw body
    // (for tests of many thousands of messages).
    explicit SmtpSink(std::filesystem::path dir, bool light = false);
    ~SmtpSink();

    std::string Url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }
    bool Running() const { return pid_ > 0; }
    void Stop();   // an outage: nothing listens on the port
    void Start();  // back on the same port, keeping what it received
    // While refusing, every message is answered 451 (try again later).
    void Refuse(bool on);
    // What it accepted so far, oldest first.
    std::vector<nlohmann::json> Messages() const;
    std::size_t Count() const;  // how many it accepted (without reading them)
    // Waits (at most `limit`, polling) until at least `n` messages arrived; returns them all.
    std::vector<nlohmann::json> WaitFor(std::size_t n, std::chrono::seconds limit = std::chrono::seconds(60)) const;

private:
    std::filesystem::path dir_;
    std::uint16_t port_ = 0;
    pid_t pid_ = -1;
    bool light_ = false;
};

}  // namespace amends::testing
