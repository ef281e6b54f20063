#pragma once
// The HTTP request and response as handlers see them: plain values, no Beast types, so handlers and the router
// compile fast and are tested without sockets.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace amends::http {

struct Request {
    std::string method;  // "GET", "POST", ...
    std::string target;  // as sent: path and query
    std::string path;    // percent-decoded path, without the query
    std::vector<std::pair<std::string, std::string>> query;    // decoded, in order
    std::vector<std::pair<std::string, std::string>> headers;  // names in lower case
    std::string body;
    std::string remote;  // peer address

    // The first header with this lower-case name, or "".
    std::string_view Header(std::string_view lower_name) const;
};

struct Response {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
    // When set, the server calls it on its I/O thread to produce `body` (work kept off the thread that answered).
    std::function<std::string()> render;
};

// Completes a request. Called exactly once, from any thread.
using Respond = std::function<void(Response)>;

// Splits "/a%20b?x=1&y=2" into a decoded path and query. False when the target is malformed (bad escapes, NUL).
bool ParseTarget(std::string_view target, std::string& path, std::vector<std::pair<std::string, std::string>>& query);

}  // namespace amends::http
