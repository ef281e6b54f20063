#include "lmtp/server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <optional>

namespace amends::lmtp {

namespace {

constexpr std::size_t kMaxCommandLine = 2048;  // RFC 5321 allows 512 for a command; extensions make it longer

std::string Upper(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

std::string Lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// One connection's socket: buffered line reads with a timeout, and writes gathered until the client has no more
// pipelined commands waiting (RFC 2920: replies may be sent in a batch).
class Connection {
public:
    Connection(int fd, int timeout_ms) : fd_(fd), timeout_ms_(timeout_ms) {}

    // The next line without its CRLF (or bare LF). nullopt on close, timeout or error. `too_long` is set when the
    // line ran past `limit` bytes: the rest of it is read and dropped.
    std::optional<std::string> ReadLine(std::size_t limit, bool& too_long) {
        too_long = false;
        std::string line;
        for (;;) {
            auto nl = std::memchr(buffer_.data() + start_, '\n', buffer_.size() - start_);
            if (nl) {
                std::size_t end = static_cast<const char*>(nl) - buffer_.data();
                std::size_t take = end - start_;
                if (!too_long) {
                    if (line.size() + take > limit) {
                        too_long = true;
                        line.clear();
                    } else {
                        line.append(buffer_, start_, take);
                    }
                }
                start_ = end + 1;
                if (!too_long && !line.empty() && line.back() == '\r') line.pop_back();
                return line;
            }
            std::size_t rest = buffer_.size() - start_;
            if (!too_long) {
                if (line.size() + rest > limit) {
                    too_long = true;
                    line.clear();
                } else {
                    line.append(buffer_, start_, rest);
                }
            }
            buffer_.clear();
            start_ = 0;
            if (!Fill()) return std::nullopt;
        }
    }
    // Whether more input is already buffered (a pipelined command): then replies wait in the write buffer.
    bool HasBuffered() const { return start_ < buffer_.size(); }

    void Reply(std::string_view text) {
        out_ += text;
        out_ += "\r\n";
    }
    bool Flush() {
        std::size_t sent = 0;
        while (sent < out_.size()) {
            ssize_t n = ::send(fd_, out_.data() + sent, out_.size() - sent, MSG_NOSIGNAL);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return false;
            sent += static_cast<std::size_t>(n);
        }
        out_.clear();
        return true;
    }
    // Flushes unless the client already sent more (pipelining).
    bool FlushUnlessPipelined() { return HasBuffered() ? true : Flush(); }

private:
    bool Fill() {
        if (!Flush()) return false;  // the client waits for our replies before it sends more
        pollfd p{fd_, POLLIN, 0};
        for (;;) {
            int r = ::poll(&p, 1, timeout_ms_);
            if (r < 0 && errno == EINTR) continue;
            if (r <= 0) return false;
            break;
        }
        char chunk[16384];
        ssize_t n;
        do {
            n = ::recv(fd_, chunk, sizeof chunk, 0);
        } while (n < 0 && errno == EINTR);
        if (n <= 0) return false;
        buffer_.append(chunk, static_cast<std::size_t>(n));
        return true;
    }

    int fd_;
    int timeout_ms_;
    std::string buffer_;
    std::size_t start_ = 0;
    std::string out_;
};

// The address inside "FROM:<a@b> SIZE=10" / "TO:<a@b>"; nullopt when malformed. `params` gets what follows.
std::optional<std::string> PathOf(std::string_view arg, std::string& params) {
    while (!arg.empty() && arg.front() == ' ') arg.remove_prefix(1);
    if (arg.empty() || arg.front() != '<') return std::nullopt;
    auto close = arg.find('>');
    if (close == std::string_view::npos) return std::nullopt;
    std::string path(arg.substr(1, close - 1));
    if (auto colon = path.find(':'); !path.empty() && path.front() == '@' && colon != std::string::npos)
        path = path.substr(colon + 1);  // a source route "@a,@b:user@c"
    for (char c : path)
        if (static_cast<unsigned char>(c) < 0x20 || c == ' ' || c == '<' || c == '>') return std::nullopt;
    params = std::string(arg.substr(close + 1));
    return path;
}

// The SIZE=n parameter of MAIL FROM, if any (nullopt when absent; -1 when malformed).
std::optional<long long> SizeParameter(const std::string& params) {
    std::string upper = Upper(params);
    auto at = upper.find("SIZE=");
    if (at == std::string::npos || (at > 0 && upper[at - 1] != ' ')) return std::nullopt;
    long long v = 0;
    std::size_t i = at + 5;
    if (i >= upper.size() || !std::isdigit(static_cast<unsigned char>(upper[i]))) return -1;
    for (; i < upper.size() && std::isdigit(static_cast<unsigned char>(upper[i])); ++i) {
        if (v > (1ll << 50)) return -1;
        v = v * 10 + (upper[i] - '0');
    }
    return v;
}

}  // namespace

Server::Server(Options options, Deliver deliver) : options_(std::move(options)), deliver_(std::move(deliver)) {}

Server::~Server() { Stop(); }

Expected<std::uint16_t> Server::Listen() {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(options_.port);
    if (::inet_pton(AF_INET, options_.host.c_str(), &address.sin_addr) != 1)
        return Fail(ErrorCode::kInvalidArgument, "lmtp: " + options_.host + " is not an IPv4 address", "lmtp");
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return Fail(ErrorCode::kUnavailable, std::string("lmtp: socket: ") + std::strerror(errno));
    int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || ::listen(fd, 64) != 0) {
        std::string why = std::strerror(errno);
        ::close(fd);
        return Fail(ErrorCode::kUnavailable,
                    "lmtp: cannot listen on " + options_.host + ":" + std::to_string(options_.port) + ": " + why);
    }
    socklen_t len = sizeof address;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &len);
    if (::pipe2(wake_, O_CLOEXEC) != 0) {
        ::close(fd);
        return Fail(ErrorCode::kUnavailable, std::string("lmtp: pipe: ") + std::strerror(errno));
    }
    listener_ = fd;
    options_.port = ntohs(address.sin_port);
    return options_.port;
}

void Server::Start() { acceptor_ = std::thread([this] { AcceptLoop(); }); }

void Server::Stop() {
    if (stopping_.exchange(true)) return;
    if (wake_[1] >= 0) {
        char c = 0;
        [[maybe_unused]] auto n = ::write(wake_[1], &c, 1);
    }
    if (acceptor_.joinable()) acceptor_.join();
    std::vector<Worker> threads;
    {
        std::lock_guard lock(mutex_);
        for (int fd : open_) ::shutdown(fd, SHUT_RDWR);
        threads = std::move(threads_);
    }
    for (auto& t : threads)
        if (t.thread.joinable()) t.thread.join();
    for (int* fd : {&listener_, &wake_[0], &wake_[1]})
        if (*fd >= 0) {
            ::close(*fd);
            *fd = -1;
        }
}

void Server::AcceptLoop() {
    while (!stopping_) {
        pollfd p[2] = {{listener_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
        int r = ::poll(p, 2, -1);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0 || (p[1].revents & POLLIN)) break;
        int fd = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0) continue;
        std::lock_guard lock(mutex_);
        if (stopping_ || active_ >= options_.max_connections) {
            static constexpr char kBusy[] = "421 4.3.2 Too many connections, try again later\r\n";
            [[maybe_unused]] auto n = ::send(fd, kBusy, sizeof kBusy - 1, MSG_NOSIGNAL);
            ::close(fd);
            continue;
        }
        std::erase_if(threads_, [](Worker& w) {
            if (!w.done->load()) return false;
            w.thread.join();
            return true;
        });
        ++active_;
        open_.push_back(fd);
        auto done = std::make_shared<std::atomic<bool>>(false);
        threads_.push_back({std::thread([this, fd, done] {
                                Serve(fd);
                                std::lock_guard lock(mutex_);
                                std::erase(open_, fd);
                                --active_;
                                ::close(fd);
                                done->store(true);
                            }),
                            done});
    }
}

void Server::Serve(int fd) {
    Connection c(fd, options_.read_timeout_ms);
    c.Reply("220 " + options_.hostname + " LMTP amends ready");
    if (!c.Flush()) return;
    bool greeted = false;
    std::optional<std::string> sender;  // set by MAIL FROM
    std::vector<std::string> recipients;
    auto reset = [&] {
        sender.reset();
        recipients.clear();
    };
    while (!stopping_) {
        bool too_long = false;
        auto line = c.ReadLine(kMaxCommandLine, too_long);
        if (!line) {
            c.Flush();
            return;
        }
        if (too_long) {
            c.Reply("500 5.5.2 Line too long");
            c.FlushUnlessPipelined();
            continue;
        }
        std::string verb = Upper(line->substr(0, line->find(' ')));
        std::string arg = line->size() > verb.size() ? line->substr(verb.size() + 1) : "";
        if (verb == "LHLO") {
            if (arg.empty()) {
                c.Reply("501 5.5.4 LHLO needs a host name");
            } else {
                greeted = true;
                reset();
                c.Reply("250-" + options_.hostname);
                c.Reply("250-PIPELINING");
                c.Reply("250-ENHANCEDSTATUSCODES");
                c.Reply("250-8BITMIME");
                c.Reply("250 SIZE " + std::to_string(options_.max_message_bytes));
            }
        } else if (verb == "HELO" || verb == "EHLO") {
            c.Reply("500 5.5.1 This is LMTP: say LHLO");
        } else if (verb == "MAIL") {
            std::string params;
            std::optional<std::string> path;
            if (Upper(arg.substr(0, 5)) == "FROM:") path = PathOf(std::string_view(arg).substr(5), params);
            if (!greeted) {
                c.Reply("503 5.5.1 Say LHLO first");
            } else if (sender) {
                c.Reply("503 5.5.1 Nested MAIL command");
            } else if (!path) {
                c.Reply("501 5.5.4 Syntax: MAIL FROM:<address>");
            } else if (auto size = SizeParameter(params); size && *size < 0) {
                c.Reply("501 5.5.4 Malformed SIZE");
            } else if (size && static_cast<unsigned long long>(*size) > options_.max_message_bytes) {
                c.Reply("552 5.3.4 Message size exceeds the limit of " + std::to_string(options_.max_message_bytes) +
                        " bytes");
            } else {
                sender = Lower(*path);
                c.Reply("250 2.1.0 Sender OK");
            }
        } else if (verb == "RCPT") {
            std::string params;
            std::optional<std::string> path;
            if (Upper(arg.substr(0, 3)) == "TO:") path = PathOf(std::string_view(arg).substr(3), params);
            if (!sender) {
                c.Reply("503 5.5.1 Need MAIL before RCPT");
            } else if (!path || path->empty() || path->find('@') == std::string::npos) {
                c.Reply("501 5.1.3 Syntax: RCPT TO:<address>");
            } else if (recipients.size() >= options_.max_recipients) {
                c.Reply("452 4.5.3 Too many recipients");
            } else {
                recipients.push_back(Lower(*path));
                c.Reply("250 2.1.5 Recipient OK");
            }
        } else if (verb == "DATA") {
            if (!sender) {
                c.Reply("503 5.5.1 Need MAIL first");
            } else if (recipients.empty()) {
                c.Reply("503 5.5.1 No valid recipients");  // RFC 2033 4.2: DATA with no accepted RCPT fails
            } else {
                c.Reply("354 Go ahead; end with <CRLF>.<CRLF>");
                if (!c.Flush()) return;
                std::string message;
                bool over = false, ended = false;
                for (;;) {
                    bool long_line = false;
                    auto data = c.ReadLine(options_.max_message_bytes + 2, long_line);
                    if (!data) return;  // the client went away mid-message: nothing was delivered
                    if (long_line) {
                        over = true;
                        continue;
                    }
                    if (*data == ".") {
                        ended = true;
                        break;
                    }
                    std::string_view text = *data;
                    if (text.starts_with('.')) text.remove_prefix(1);  // dot-unstuffing (RFC 5321 4.5.2)
                    if (over || message.size() + text.size() + 2 > options_.max_message_bytes) {
                        over = true;
                        message.clear();
                        message.shrink_to_fit();
                        continue;
                    }
                    message.append(text);
                    message += "\r\n";
                }
                (void)ended;
                // One reply per accepted recipient (RFC 2033 4.2): the message is filed once for all of them.
                if (over) {
                    for (std::size_t i = 0; i < recipients.size(); ++i)
                        c.Reply("552 5.3.4 Message size exceeds the limit of " +
                                std::to_string(options_.max_message_bytes) + " bytes");
                } else {
                    DeliveryReply reply;
                    try {
                        reply = deliver_(message, recipients, *sender);
                    } catch (const std::exception& e) {
                        reply = {DeliveryReply::kTemporary, std::string("internal error: ") + e.what()};
                    }
                    std::string text = reply.text;
                    for (auto& ch : text)
                        if (ch == '\r' || ch == '\n') ch = ' ';
                    for (const auto& r : recipients) {
                        switch (reply.kind) {
                            case DeliveryReply::kDelivered: c.Reply("250 2.0.0 <" + r + "> " + text); break;
                            case DeliveryReply::kTemporary: c.Reply("451 4.3.0 <" + r + "> " + text); break;
                            case DeliveryReply::kPermanent: c.Reply("554 5.6.0 <" + r + "> " + text); break;
                        }
                    }
                }
                reset();
            }
        } else if (verb == "RSET") {
            reset();
            c.Reply("250 2.0.0 OK");
        } else if (verb == "NOOP") {
            c.Reply("250 2.0.0 OK");
        } else if (verb == "VRFY") {
            c.Reply("252 2.5.2 Cannot verify; send it and see");
        } else if (verb == "QUIT") {
            c.Reply("221 2.0.0 Bye");
            c.Flush();
            return;
        } else {
            c.Reply("500 5.5.2 Unknown command");
        }
        if (!c.FlushUnlessPipelined()) return;
    }
}

}  // namespace amends::lmtp
