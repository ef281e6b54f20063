#pragma once
// The HTTP/1.1 server: Boost.Beast with C++20 coroutines on a pool of threads. Defensive at the edge: a body-size
// limit (413), a header-size limit (431), a read timeout per request (408, or a quiet close when idle), one request
// at a time per connection (bounded pipelining), and a graceful drain: stop accepting, finish what is in flight,
// close idle keep-alive connections, and give up on stragglers after a deadline. One JSON log line per request.
//
// Listen, Run and Stop may be called from different threads; Stop is safe to call at any time, more than once.
// A handler's Respond callback refers to the server's I/O context: destroy the Server only after every callback it
// handed out has been released (close the store, whose writer thread holds them, first).

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

#include "domain/error.h"
#include "http/router.h"

namespace amends::http {

struct ServerOptions {
    std::string host = "127.0.0.1";
    std::uint16_t port = 8080;  // 0 picks a free port
    int threads = 0;            // 0: one per core
    std::size_t body_limit = 1024 * 1024;
    std::size_t header_limit = 16 * 1024;
    std::chrono::milliseconds read_timeout{15000};
    std::chrono::milliseconds drain_timeout{10000};
    bool handle_signals = false;     // drain on SIGTERM and SIGINT
    std::FILE* access_log = stderr;  // nullptr: no request log
};

class Server {
public:
    Server(ServerOptions options, const Router& router);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Binds and listens; returns the bound port. kUnavailable when the address cannot be bound.
    Expected<std::uint16_t> Listen();
    // Serves until drained (after Stop or a signal). Returns once every connection has ended.
    void Run();
    // Begins the graceful drain.
    void Stop();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace amends::http
