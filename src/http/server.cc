#include "http/server.h"

#include <utility>  // before Asio: Boost 1.74's awaitable.hpp uses std::exchange without including it

#include <boost/asio.hpp>
#include <boost/beast.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <csignal>
#include <ctime>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_set>

#include "http/errors.h"

namespace amends::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

using SteadyTicks = std::chrono::steady_clock::duration::rep;

SteadyTicks SteadyNow() { return std::chrono::steady_clock::now().time_since_epoch().count(); }

struct Session {
    explicit Session(tcp::socket s) : socket(std::move(s)) {}
    tcp::socket socket;
    // When the read or write under way must have finished (steady clock ticks; 0: nothing under way). The server's
    // sweeper cancels the socket once it has passed: a read gives 408, a write ends the connection. One store per
    // I/O instead of a timer armed and cancelled for every request.
    std::atomic<SteadyTicks> deadline{0};
    bool timed_out = false;  // touched only on the thread of the session's I/O context
    bool idle = true;        // likewise
};

// The completion of one dispatch: the handler's Respond may run inline (public documents, errors) or later on
// any thread (writes, after their commit). Inline answers are taken without a post to the session's executor.
class Reply : public std::enable_shared_from_this<Reply> {
public:
    void Complete(Response response) {
        std::function<void(Response)> resume;
        {
            std::lock_guard lock(mu_);
            if (!resume_) {
                response_ = std::move(response);
                return;
            }
            resume = std::move(resume_);
        }
        resume(std::move(response));
    }
    // The answer if it has come already.
    std::optional<Response> Take() {
        std::lock_guard lock(mu_);
        return std::exchange(response_, std::nullopt);
    }
    // Completes on the awaiting coroutine's executor once the answer comes.
    template <typename Token>
    auto Wait(Token&& token) {
        return asio::async_initiate<Token, void(Response)>(
            [self = shared_from_this()](auto handler) {
                auto executor = asio::get_associated_executor(handler);
                auto shared = std::make_shared<decltype(handler)>(std::move(handler));
                auto work = std::make_shared<decltype(asio::make_work_guard(executor))>(asio::make_work_guard(executor));
                std::function<void(Response)> resume = [shared, work, executor](Response response) {
                    asio::post(executor, [shared, work, response = std::move(response)]() mutable {
                        (*shared)(std::move(response));
                        work->reset();
                    });
                };
                std::unique_lock lock(self->mu_);
                if (self->response_) {  // came between Take() and now
                    Response response = std::move(*self->response_);
                    self->response_.reset();
                    lock.unlock();
                    resume(std::move(response));
                    return;
                }
                self->resume_ = std::move(resume);
            },
            token);
    }

private:
    std::mutex mu_;
    std::optional<Response> response_;
    std::function<void(Response)> resume_;
};

bool SameName(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
    return true;
}

// The status line and header fields of `response`, ready for the wire. A header the handler set replaces the
// server's own of the same name.
std::string Head(const Response& response, std::size_t content_length, bool close, const std::string& date) {
    auto handler_sets = [&response](std::string_view name) {
        for (const auto& h : response.headers)
            if (SameName(h.first, name)) return true;
        return false;
    };
    std::string head;
    head.reserve(192 + 64 * response.headers.size());
    head += "HTTP/1.1 ";
    head += std::to_string(response.status);
    head += ' ';
    auto reason = bhttp::obsolete_reason(static_cast<bhttp::status>(response.status));
    head.append(reason.data(), reason.size());
    head += "\r\n";
    if (!handler_sets("Server")) head += "Server: amends\r\n";
    if (!handler_sets("Date")) head += "Date: " + date + "\r\n";
    if (!handler_sets("Content-Type")) head += "Content-Type: " + response.content_type + "\r\n";
    for (const auto& [name, value] : response.headers) {
        head += name;
        head += ": ";
        head += value;
        head += "\r\n";
    }
    const int status = response.status;
    if (!(status / 100 == 1 || status == 204 || status == 304) && !handler_sets("Content-Length"))
        head += "Content-Length: " + std::to_string(content_length) + "\r\n";
    if (close) head += "Connection: close\r\n";
    head += "\r\n";
    return head;
}

std::string JsonEscape(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (unsigned char c : s) {
        if (c == '"' || c == '\\') {
            out.push_back('\\');
            out.push_back(static_cast<char>(c));
        } else if (c < 0x20 || c >= 0x7f) {
            char buf[16];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
        } else {
            out.push_back(static_cast<char>(c));
        }
    }
    return out;
}

// RFC 7231 date, formatted once per second per thread.
const std::string& HttpDate() {
    thread_local std::time_t cached = 0;
    thread_local std::string text;
    std::time_t now = std::time(nullptr);
    if (now != cached) {
        cached = now;
        std::tm tm{};
        gmtime_r(&now, &tm);
        char buf[64];
        std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
        text = buf;
    }
    return text;
}

std::string IsoNow() {
    auto now = std::chrono::system_clock::now();
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
    std::time_t secs = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[96];  // room for any int the format could print, so -Wformat-truncation is quiet
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                  tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
    return buf;
}

// Request log lines, written in batches: one write(2) per 64 KiB or per flush (every 200 ms and at the end),
// instead of one per request. Thread-safe.
class AccessLog {
public:
    explicit AccessLog(std::FILE* out) : out_(out) {}
    ~AccessLog() { Flush(); }
    void Add(const std::string& line) {
        std::lock_guard lock(mu_);
        buffer_ += line;
        if (buffer_.size() >= 64 * 1024) FlushLocked();
    }
    void Flush() {
        std::lock_guard lock(mu_);
        FlushLocked();
    }

private:
    void FlushLocked() {
        if (!out_ || buffer_.empty()) return;
        std::fwrite(buffer_.data(), 1, buffer_.size(), out_);
        std::fflush(out_);
        buffer_.clear();
    }
    std::FILE* out_;
    std::mutex mu_;
    std::string buffer_;
};

}  // namespace

struct Server::Impl {
    Impl(ServerOptions o, const Router& r)
        : options(std::move(o)),
          router(r),
          contexts(MakeContexts(options.threads)),
          control(asio::make_strand(*contexts[0])),
          acceptor(control),
          signals(control),
          drain_timer(control),
          log_timer(control),
          sweep_timer(control),
          access_log(options.access_log) {}

    asio::awaitable<void> FlushLog() {
        while (!draining) {
            log_timer.expires_after(std::chrono::milliseconds(200));
            beast::error_code ec;
            co_await log_timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
            access_log.Flush();
        }
    }

    // Every read and write has a deadline (read_timeout); this one timer enforces them all: a connection whose
    // deadline passed is cancelled on its own strand, where the deadline is checked again.
    asio::awaitable<void> Sweep() {
        const auto every = std::clamp<std::chrono::steady_clock::duration>(options.read_timeout / 10,
                                                                           std::chrono::milliseconds(5),
                                                                           std::chrono::milliseconds(250));
        std::vector<std::shared_ptr<Session>> late;
        while (!draining) {
            sweep_timer.expires_after(every);
            beast::error_code ec;
            co_await sweep_timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
            const SteadyTicks now = SteadyNow();
            late.clear();
            {
                std::lock_guard lock(mu);
                for (const auto& s : sessions) {
                    SteadyTicks d = s->deadline.load(std::memory_order_relaxed);
                    if (d != 0 && d < now) late.push_back(s);
                }
            }
            for (auto& s : late)
                asio::post(s->socket.get_executor(), [s, now] {
                    SteadyTicks d = s->deadline.load(std::memory_order_relaxed);
                    if (d == 0 || d >= now) return;  // finished meanwhile
                    s->timed_out = true;
                    beast::error_code ignored;
                    s->socket.cancel(ignored);
                });
        }
    }

    asio::awaitable<void> Accept() {
        for (;;) {
            beast::error_code ec;
            tcp::socket socket =
                co_await acceptor.async_accept(contexts[next_context++ % contexts.size()]->get_executor(),
                                               asio::redirect_error(asio::use_awaitable, ec));
            if (ec) {
                if (draining || ec == asio::error::operation_aborted) co_return;
                asio::steady_timer pause(control, std::chrono::milliseconds(10));  // EMFILE and friends
                co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
                continue;
            }
            auto session = std::make_shared<Session>(std::move(socket));
            {
                std::lock_guard lock(mu);
                sessions.insert(session);
            }
            asio::co_spawn(session->socket.get_executor(), Serve(session), asio::detached);
        }
    }

    asio::awaitable<void> Serve(std::shared_ptr<Session> s) {
        beast::error_code ec;
        std::string remote = s->socket.remote_endpoint(ec).address().to_string();
        beast::flat_buffer buffer(options.header_limit + options.body_limit);
        const SteadyTicks timeout_ticks =
            std::chrono::duration_cast<std::chrono::steady_clock::duration>(options.read_timeout).count();
        for (;;) {
            if (draining) break;
            bhttp::request_parser<bhttp::string_body> parser;
            parser.header_limit(static_cast<std::uint32_t>(options.header_limit));
            parser.body_limit(options.body_limit);
            s->idle = true;
            s->timed_out = false;
            s->deadline.store(SteadyNow() + timeout_ticks, std::memory_order_relaxed);
            co_await bhttp::async_read(s->socket, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
            s->deadline.store(0, std::memory_order_relaxed);
            s->idle = false;
            if (ec == asio::error::operation_aborted && s->timed_out) ec = beast::error::timeout;
            auto started = std::chrono::steady_clock::now();
            Request request;
            Response response;
            bool close = false;
            if (ec) {
                if (ec == bhttp::error::end_of_stream || ec == asio::error::operation_aborted ||
                    ec == asio::error::connection_reset || ec == asio::error::eof ||
                    (ec == beast::error::timeout && !parser.got_some()))
                    break;
                close = true;
                if (ec == beast::error::timeout)
                    response = ErrorResponse(408, "request_timeout", "the request was not received in time", "");
                else if (ec == bhttp::error::body_limit)
                    response = ErrorResponse(413, "payload_too_large",
                                             "the body is larger than " + std::to_string(options.body_limit) + " bytes", "");
                else if (ec == bhttp::error::header_limit)
                    response = ErrorResponse(431, "headers_too_large", "the request headers are too large", "");
                else
                    response = ErrorResponse(400, "malformed_request", "malformed HTTP request: " + ec.message(), "");
                if (parser.is_header_done()) {
                    request.method = std::string(parser.get().method_string());
                    request.path = std::string(parser.get().target());
                }
            } else {
                auto& msg = parser.get();
                request.method = std::string(msg.method_string());
                request.target = std::string(msg.target());
                request.remote = remote;
                request.body = std::move(msg.body());
                for (const auto& field : msg) {
                    std::string name(field.name_string());
                    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                    request.headers.emplace_back(std::move(name), std::string(field.value()));
                }
                close = !msg.keep_alive();
                if (!ParseTarget(request.target, request.path, request.query)) {
                    request.path = request.target;
                    response = ErrorResponse(400, "malformed_request", "the request target is malformed", "");
                } else {
                    auto reply = std::make_shared<Reply>();
                    router.Dispatch(request, [reply](Response r) { reply->Complete(std::move(r)); });
                    if (auto now = reply->Take())
                        response = std::move(*now);
                    else
                        response = co_await reply->Wait(asio::use_awaitable);
                    if (response.render) response.body = response.render();
                }
            }
            if (draining) close = true;
            // Head and body go out in one gathered write, without copying the body.
            std::size_t bytes = response.body.size();
            const std::string head = Head(response, bytes, close, HttpDate());
            std::array<asio::const_buffer, 2> wire{asio::buffer(head), asio::buffer(response.body)};
            if (request.method == "HEAD") wire[1] = asio::const_buffer();
            s->deadline.store(SteadyNow() + timeout_ticks, std::memory_order_relaxed);
            co_await asio::async_write(s->socket, wire, asio::redirect_error(asio::use_awaitable, ec));
            s->deadline.store(0, std::memory_order_relaxed);
            if (options.access_log) {
                double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
                char numbers[64];
                std::snprintf(numbers, sizeof numbers, "\"status\":%d,\"bytes\":%zu,\"ms\":%.3f}\n", response.status,
                              bytes, ms);
                access_log.Add("{\"ts\":\"" + IsoNow() + "\",\"remote\":\"" + remote + "\",\"method\":\"" +
                               JsonEscape(request.method) + "\",\"path\":\"" + JsonEscape(request.path) + "\"," + numbers);
            }
            if (ec || close) break;
        }
        s->socket.shutdown(tcp::socket::shutdown_send, ec);
        s->socket.close(ec);
        bool last = false;
        {
            std::lock_guard lock(mu);
            sessions.erase(s);
            last = sessions.empty();
        }
        if (last && draining)
            asio::post(control, [this] {
                drain_timer.cancel();
                ReleaseContexts();
            });
    }

    static std::vector<std::unique_ptr<asio::io_context>> MakeContexts(int threads) {
        int n = threads > 0 ? threads : static_cast<int>(std::thread::hardware_concurrency());
        std::vector<std::unique_ptr<asio::io_context>> out;
        for (int i = 0; i < std::max(n, 1); ++i) out.push_back(std::make_unique<asio::io_context>(1));
        return out;
    }
    static std::vector<asio::executor_work_guard<asio::io_context::executor_type>> MakeGuards(
        const std::vector<std::unique_ptr<asio::io_context>>& contexts) {
        std::vector<asio::executor_work_guard<asio::io_context::executor_type>> out;
        for (const auto& c : contexts) out.push_back(asio::make_work_guard(*c));
        return out;
    }
    // Lets every context's run() return once its work is done. On the control strand; idempotent.
    void ReleaseContexts() {
        for (auto& g : guards) g.reset();
    }

    void BeginDrain() {
        if (draining.exchange(true)) return;
        asio::post(control, [this] {
            beast::error_code ec;
            acceptor.close(ec);
            signals.cancel(ec);
            log_timer.cancel();
            sweep_timer.cancel();
            std::vector<std::shared_ptr<Session>> open;
            {
                std::lock_guard lock(mu);
                open.assign(sessions.begin(), sessions.end());
            }
            for (auto& s : open)
                asio::post(s->socket.get_executor(), [s] {
                    beast::error_code ignored;
                    if (s->idle) s->socket.cancel(ignored);
                });
            if (open.empty()) return ReleaseContexts();
            drain_timer.expires_after(options.drain_timeout);
            drain_timer.async_wait([this](beast::error_code wait_ec) {
                if (wait_ec) return;  // cancelled: everyone left in time
                std::lock_guard lock(mu);
                for (auto& s : sessions)
                    asio::post(s->socket.get_executor(), [s] {
                        beast::error_code ignored;
                        s->socket.cancel(ignored);
                    });
            });
        });
    }

    ServerOptions options;
    const Router& router;
    // One I/O context per thread, each run by its own thread: a connection lives on one of them (round robin), so
    // its steps need no strand and no lock is shared between threads on the hot path. Each is kept running by a
    // work guard until the drain ends.
    std::vector<std::unique_ptr<asio::io_context>> contexts;
    std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards = MakeGuards(contexts);
    std::size_t next_context = 0;  // on the control strand
    asio::strand<asio::io_context::executor_type> control;  // acceptor, signals, drain timer
    tcp::acceptor acceptor;
    asio::signal_set signals;
    asio::steady_timer drain_timer;
    asio::steady_timer log_timer;
    asio::steady_timer sweep_timer;
    AccessLog access_log;
    std::atomic<bool> draining{false};
    std::mutex mu;
    std::unordered_set<std::shared_ptr<Session>> sessions;
};

Server::Server(ServerOptions options, const Router& router) : impl_(std::make_unique<Impl>(std::move(options), router)) {}

Server::~Server() = default;

Expected<std::uint16_t> Server::Listen() {
    beast::error_code ec;
    auto address = asio::ip::make_address(impl_->options.host, ec);
    if (ec) return Fail(ErrorCode::kInvalidArgument, "not an IP address: " + impl_->options.host, "listen");
    tcp::endpoint endpoint(address, impl_->options.port);
    auto& acceptor = impl_->acceptor;
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor.bind(endpoint, ec);
    if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec)
        return Fail(ErrorCode::kUnavailable,
                    "cannot listen on " + impl_->options.host + ":" + std::to_string(impl_->options.port) + ": " +
                        ec.message(),
                    "listen");
    return acceptor.local_endpoint().port();
}

void Server::Run() {
    auto& impl = *impl_;
    asio::co_spawn(impl.control, impl.Accept(), asio::detached);
    if (impl.options.access_log) asio::co_spawn(impl.control, impl.FlushLog(), asio::detached);
    asio::co_spawn(impl.control, impl.Sweep(), asio::detached);
    if (impl.options.handle_signals) {
        impl.signals.add(SIGINT);
        impl.signals.add(SIGTERM);
        impl.signals.async_wait([&impl](beast::error_code ec, int) {
            if (!ec) impl.BeginDrain();
        });
    }
    std::vector<std::thread> threads;
    for (std::size_t i = 1; i < impl.contexts.size(); ++i)
        threads.emplace_back([&impl, i] { impl.contexts[i]->run(); });
    impl.contexts[0]->run();
    for (auto& t : threads) t.join();
    impl.access_log.Flush();
}

void Server::Stop() { impl_->BeginDrain(); }

}  // namespace amends::http
