#include "http/router.h"

#include <cstdio>
#include <exception>

#include "http/errors.h"

namespace amends::http {

namespace {

std::vector<std::string_view> Split(std::string_view path) {
    std::vector<std::string_view> out;
    std::size_t start = 1;
    while (start <= path.size()) {
        auto slash = path.find('/', start);
        if (slash == std::string_view::npos) slash = path.size();
        out.push_back(path.substr(start, slash - start));
        start = slash + 1;
    }
    return out;
}

}  // namespace

std::string_view PathParams::Get(std::string_view name) const {
    for (const auto& [k, v] : values)
        if (k == name) return v;
    return {};
}

void Router::Add(std::string method, std::string pattern, Handler handler) {
    std::vector<std::string> segments;
    for (auto s : Split(pattern)) segments.emplace_back(s);
    routes_.push_back(Route{std::move(method), std::move(pattern), std::move(segments), std::move(handler)});
}

bool Router::Match(const Route& route, const std::vector<std::string_view>& segments, PathParams& params) {
    if (route.segments.size() != segments.size()) return false;
    params.values.clear();
    for (std::size_t i = 0; i < segments.size(); ++i) {
        const std::string& want = route.segments[i];
        if (want.size() > 2 && want.front() == '{' && want.back() == '}') {
            if (segments[i].empty()) return false;
            params.values.emplace_back(want.substr(1, want.size() - 2), std::string(segments[i]));
        } else if (want != segments[i]) {
            return false;
        }
    }
    return true;
}

void Router::Dispatch(const Request& request, Respond respond) const {
    auto segments = Split(request.path);
    PathParams params;
    std::string allowed;
    for (const auto& route : routes_) {
        if (!Match(route, segments, params)) continue;
        if (route.method != request.method && !(request.method == "HEAD" && route.method == "GET")) {
            if (!allowed.empty()) allowed += ", ";
            allowed += route.method;
            continue;
        }
        try {
            route.handler(request, params, respond);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "{\"level\":\"error\",\"msg\":\"handler threw\",\"path\":\"%s\",\"what\":\"%s\"}\n",
                         route.pattern.c_str(), e.what());
            respond(ErrorResponse(Error{ErrorCode::kInternal, "internal error", ""}));
        }
        return;
    }
    if (!allowed.empty()) {
        auto r = ErrorResponse(405, "method_not_allowed", request.method + " is not allowed here; use " + allowed, "");
        r.headers.emplace_back("Allow", allowed);
        respond(std::move(r));
        return;
    }
    respond(ErrorResponse(404, "not_found", "no route for " + request.path, ""));
}

std::vector<Router::RouteInfo> Router::Routes() const {
    std::vector<RouteInfo> out;
    for (const auto& r : routes_) out.push_back({r.method, r.pattern});
    return out;
}

}  // namespace amends::http
