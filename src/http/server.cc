#include "http/server.h"

#include <utility>  // before Asio: Boost 1.74's awaitable.hpp uses std::exchange without including it

#include <boost/asio.hpp>
#include <boost/beast.hpp>

#include <atomic>
#include <csignal>
#include <ctime>
#include <mutex>
#include <thread>
#include <unordered_set>

#include "http/errors.h"

namespace amends::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

struct Session {
    explicit Session(tcp::socket socket) : stream(std::move(socket)), read_timer(stream.get_executor()) {}
    beast::tcp_stream stream;
    // Reads are timed by this timer, not by the stream's expiry, which would close the socket before a 408 is sent.
    asio::steady_timer read_timer;
    bool timed_out = false;
    bool idle = true;  // touched only on the session's strand
};

// Calls the router and completes the awaiting coroutine on its own executor, whichever thread answers.
template <typename Token>
auto AsyncDispatch(const Router& router, const Request& request, Token&& token) {
    return asio::async_initiate<Token, void(Response)>(
        [&router, &request](auto handler) {
            auto executor = asio::get_associated_executor(handler);
            auto shared = std::make_shared<decltype(handler)>(std::move(handler));
            auto work = std::make_shared<decltype(asio::make_work_guard(executor))>(asio::make_work_guard(executor));
            router.Dispatch(request, [shared, work, executor](Response response) {
                asio::post(executor, [shared, work, response = std::move(response)]() mutable {
                    (*shared)(std::move(response));
                    work->reset();
                });
            });
        },
        token);
}

std::string JsonEscape(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (unsigned char c : s) {
        if (c == '"' || c == '\\') {
            out.push_back('\\');
            out.push_back(static_cast<char>(c));
        } else if (c < 0x20 || c >= 0x7f) {
            char buf[8];
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
    char buf[40];
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
          control(asio::make_strand(ioc)),
          acceptor(control),
          signals(control),
          drain_timer(control),
          log_timer(control),
          access_log(options.access_log) {}

    asio::awaitable<void> FlushLog() {
        while (!draining) {
            log_timer.expires_after(std::chrono::milliseconds(200));
            beast::error_code ec;
            co_await log_timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
            access_log.Flush();
        }
    }

    asio::awaitable<void> Accept() {
        for (;;) {
            beast::error_code ec;
            tcp::socket socket =
                co_await acceptor.async_accept(asio::make_strand(ioc), asio::redirect_error(asio::use_awaitable, ec));
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
            asio::co_spawn(session->stream.get_executor(), Serve(session), asio::detached);
        }
    }

    asio::awaitable<void> Serve(std::shared_ptr<Session> s) {
        beast::error_code ec;
        std::string remote = s->stream.socket().remote_endpoint(ec).address().to_string();
        beast::flat_buffer buffer(options.header_limit + options.body_limit);
        for (;;) {
            if (draining) break;
            bhttp::request_parser<bhttp::string_body> parser;
            parser.header_limit(static_cast<std::uint32_t>(options.header_limit));
            parser.body_limit(options.body_limit);
            s->idle = true;
            s->timed_out = false;
            s->stream.expires_never();
            s->read_timer.expires_after(options.read_timeout);
            s->read_timer.async_wait([s](beast::error_code wait_ec) {
                if (wait_ec) return;
                s->timed_out = true;
                s->stream.socket().cancel();
            });
            co_await bhttp::async_read(s->stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
            s->read_timer.cancel();
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
                    response = co_await AsyncDispatch(router, request, asio::use_awaitable);
                    if (response.render) response.body = response.render();
                }
            }
            if (draining) close = true;
            bhttp::response<bhttp::string_body> out{static_cast<bhttp::status>(response.status), 11};
            out.set(bhttp::field::server, "amends");
            out.set(bhttp::field::date, HttpDate());
            out.set(bhttp::field::content_type, response.content_type);
            for (const auto& [name, value] : response.headers) out.set(name, value);
            out.keep_alive(!close);
            std::size_t bytes = response.body.size();
            out.body() = std::move(response.body);
            out.prepare_payload();
            if (request.method == "HEAD") out.body().clear();
            s->stream.expires_after(options.read_timeout);
            co_await bhttp::async_write(s->stream, out, asio::redirect_error(asio::use_awaitable, ec));
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
        s->stream.socket().shutdown(tcp::socket::shutdown_send, ec);
        s->stream.close();
        bool last = false;
        {
            std::lock_guard lock(mu);
            sessions.erase(s);
            last = sessions.empty();
        }
        if (last && draining) asio::post(control, [this] { drain_timer.cancel(); });
    }

    void BeginDrain() {
        if (draining.exchange(true)) return;
        asio::post(control, [this] {
            beast::error_code ec;
            acceptor.close(ec);
            signals.cancel(ec);
            log_timer.cancel();
            std::vector<std::shared_ptr<Session>> open;
            {
                std::lock_guard lock(mu);
                open.assign(sessions.begin(), sessions.end());
            }
            for (auto& s : open)
                asio::post(s->stream.get_executor(), [s] {
                    if (s->idle) s->stream.cancel();
                });
            if (open.empty()) return;
            drain_timer.expires_after(options.drain_timeout);
            drain_timer.async_wait([this](beast::error_code wait_ec) {
                if (wait_ec) return;  // cancelled: everyone left in time
                std::lock_guard lock(mu);
                for (auto& s : sessions) asio::post(s->stream.get_executor(), [s] { s->stream.cancel(); });
            });
        });
    }

    ServerOptions options;
    const Router& router;
    asio::io_context ioc;
    asio::strand<asio::io_context::executor_type> control;  // acceptor, signals, drain timer
    tcp::acceptor acceptor;
    asio::signal_set signals;
    asio::steady_timer drain_timer;
    asio::steady_timer log_timer;
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
    if (impl.options.handle_signals) {
        impl.signals.add(SIGINT);
        impl.signals.add(SIGTERM);
        impl.signals.async_wait([&impl](beast::error_code ec, int) {
            if (!ec) impl.BeginDrain();
        });
    }
    int n = impl.options.threads > 0 ? impl.options.threads : static_cast<int>(std::thread::hardware_concurrency());
    std::vector<std::thread> threads;
    for (int i = 1; i < n; ++i) threads.emplace_back([&impl] { impl.ioc.run(); });
    impl.ioc.run();
    for (auto& t : threads) t.join();
    impl.access_log.Flush();
}

void Server::Stop() { impl_->BeginDrain(); }

}  // namespace amends::http
