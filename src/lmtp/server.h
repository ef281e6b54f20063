#pragma once
// An LMTP listener (RFC 2033) so a mail server (Postfix's lmtp transport, Exim's lmtp, ...) delivers straight to
// amends: LHLO, MAIL FROM (with SIZE), RCPT TO, DATA with dot-unstuffing and one reply per accepted recipient after
// it, RSET, NOOP, VRFY, QUIT; PIPELINING, ENHANCEDSTATUSCODES, 8BITMIME and SIZE are announced. A message over
// `max_message_bytes` is refused with 552 (before DATA when MAIL FROM declares its SIZE); a temporary failure of
// the deliverer is 451 so the mail server keeps the message and retries.
//
// Blocking sockets: one thread accepts, one thread per connection (at most `max_connections`; more are told 421
// and closed). Every read has a timeout. Stop() closes the listener and every connection and joins the threads.
// Thread-safe: Deliver may be called from several connection threads at once.

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "domain/error.h"

namespace amends::lmtp {

// What became of one message.
struct DeliveryReply {
    enum Kind {
        kDelivered,  // 250: filed
        kTemporary,  // 451: the store failed; the mail server retries later
        kPermanent,  // 554: never acceptable (not an email at all); the mail server bounces it
    } kind = kDelivered;
    std::string text;  // for the reply line ("case_opened case 12", the reason)
};

// Files one message (the bytes after dot-unstuffing, CRLF line ends) received for `recipients` (the RCPT TO
// addresses accepted, lower case) from `sender` (MAIL FROM, possibly empty for a bounce). Called once per message.
using Deliver = std::function<DeliveryReply(std::string_view message, const std::vector<std::string>& recipients,
                                            const std::string& sender)>;

struct Options {
    std::string host = "127.0.0.1";
    std::uint16_t port = 2424;                  // 0: any free port (Listen answers it)
    std::string hostname = "amends";            // in the greeting and the LHLO reply
    std::size_t max_message_bytes = 64u << 20;  // SIZE; larger messages get 552
    std::size_t max_recipients = 100;           // per message; more get 452
    int max_connections = 32;
    int read_timeout_ms = 300000;               // RFC 5321 asks for at least 5 minutes
};

class Server {
public:
    Server(Options options, Deliver deliver);
    ~Server();  // Stop()s
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Binds and listens; returns the port. Errors: kUnavailable (address in use, cannot bind).
    Expected<std::uint16_t> Listen();
    // Starts accepting on a thread of its own (after Listen).
    void Start();
    // Closes the listener and every open connection, and joins all threads. Idempotent.
    void Stop();

private:
    void AcceptLoop();
    void Serve(int fd);

    Options options_;
    Deliver deliver_;
    int listener_ = -1;
    int wake_[2] = {-1, -1};  // a pipe that ends the accept loop's poll
    std::atomic<bool> stopping_{false};
    std::thread acceptor_;
    std::mutex mutex_;
    std::vector<int> open_;  // connection sockets, shut down by Stop
    struct Worker {
        std::thread thread;
        std::shared_ptr<std::atomic<bool>> done;
    };
    std::vector<Worker> threads_;  // finished ones are joined at the next accept
    int active_ = 0;
};

}  // namespace amends::lmtp
