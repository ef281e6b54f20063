#pragma once
// Routes requests to handlers by method and path pattern ("/api/v1/cases/{id}"). Answers 404 for unknown paths and
// 405 (with Allow) for known paths with another method, and turns an exception escaping a handler into a logged 500.
// Routes are added before serving; Dispatch is then safe to call from many threads.

#include <string>
#include <string_view>
#include <vector>

#include "http/message.h"

namespace amends::http {

// Values captured from a pattern's {name} segments.
struct PathParams {
    std::vector<std::pair<std::string, std::string>> values;
    std::string_view Get(std::string_view name) const;
};

using Handler = std::function<void(const Request&, const PathParams&, Respond)>;

class Router {
public:
    void Add(std::string method, std::string pattern, Handler handler);
    void Dispatch(const Request& request, Respond respond) const;

    struct RouteInfo {
        std::string method;
        std::string pattern;
    };
    std::vector<RouteInfo> Routes() const;

private:
    struct Route {
        std::string method;
        std::string pattern;
        std::vector<std::string> segments;
        Handler handler;
    };
    static bool Match(const Route& route, const std::vector<std::string_view>& segments, PathParams& params);
    std::vector<Route> routes_;
};

}  // namespace amends::http
