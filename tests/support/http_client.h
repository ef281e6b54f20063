#pragma once
// A small blocking HTTP/1.1 client over a POSIX socket, for black-box tests: it can send well-formed requests and
// raw, malformed or slow bytes. Not thread-safe; use one per thread.

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace amends::testing {

struct HttpReply {
    int status = 0;  // 0: the connection closed without a response
    std::map<std::string, std::string> headers;  // lower-case names
    std::string body;
};

class HttpClient {
public:
    explicit HttpClient(std::uint16_t port, std::string host = "127.0.0.1");
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    // Sends a request on the kept-alive connection (reconnecting when needed) and reads the reply.
    HttpReply Send(const std::string& method, const std::string& target, const std::string& body = "",
                   const std::map<std::string, std::string>& headers = {});
    // Sends raw bytes on a fresh connection and reads one reply (or the close).
    HttpReply SendRaw(const std::string& bytes);
    // Opens a fresh connection; true when connected.
    bool Connect();
    // Writes raw bytes on the current connection.
    bool Write(const std::string& bytes);
    // Reads one reply from the current connection.
    HttpReply Read();
    void Close();

private:
    std::uint16_t port_;
    std::string host_;
    int fd_ = -1;
    std::string buffer_;
};

// Retries connecting until the server answers /healthz or `tries` run out.
bool WaitForServer(std::uint16_t port, int tries = 200);

}  // namespace amends::testing
