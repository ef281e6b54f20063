#include "http/api_support.h"

#include <charconv>
#include <cstdio>

#include "http/console.h"

namespace amends::http {

namespace {

void LogFailure(const Error& e) {
    if (e.code == ErrorCode::kUnavailable || e.code == ErrorCode::kInternal)
        std::fprintf(stderr, "{\"level\":\"error\",\"msg\":\"%s\"}\n", Dump(e.message).c_str());
}

Expected<Id> ParsePositive(std::string_view text) {
    Id id = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc() || end != text.data() + text.size() || id <= 0)
        return Fail(ErrorCode::kNotFound, "no such record");
    return id;
}

}  // namespace

std::string Dump(const nlohmann::json& value) {
    return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Response JsonResponse(int status, const nlohmann::json& value) {
    Response r;
    r.status = status;
    r.body = Dump(value);
    return r;
}

Expected<app::Outcome> Created(const nlohmann::json& value) { return app::Outcome{201, Dump(value), false, {}}; }
Expected<app::Outcome> Ok(const nlohmann::json& value) { return app::Outcome{200, Dump(value), false, {}}; }

Handler Authed(ApiContext& api, Role min_role, AuthedHandler handler) {
    return [&api, min_role, handler = std::move(handler)](const Request& req, const PathParams& params,
                                                          Respond respond) {
        Expected<Principal> who = Fail(ErrorCode::kUnauthenticated, "send Authorization: Bearer <token>");
        std::string cookie = console::SessionCookie(req);
        if (req.Header("authorization").empty() && !cookie.empty()) {
            // The console's own scripts: the session cookie, with its CSRF token on every write.
            auto session = console::SignedIn(api, req);
            if (!session) return respond(ErrorResponse(session.error()));
            if (req.method != "GET" && req.method != "HEAD" &&
                !console::CsrfMatches(req.Header("x-csrf-token"), session->csrf))
                return respond(ErrorResponse(403, "csrf", "a request signed in by cookie must carry the session's "
                                                          "X-CSRF-Token header", "X-CSRF-Token"));
            who = session->who;
        } else {
            who = api.auth.AuthenticateCached(api.store, req.Header("authorization"), api.clock.Now());
        }
        if (!who) return respond(ErrorResponse(who.error()));
        if (who->role < min_role)
            return respond(ErrorResponse(403, "forbidden",
                                         "this needs the " + std::string(Name(min_role)) + " role or higher; " +
                                             who->name + " is " + std::string(Name(who->role)),
                                         ""));
        handler(req, params, *who, std::move(respond));
    };
}

Expected<std::optional<app::IdempotencyKey>> IdempotencyKeyOf(const Request& req) {
    auto header = req.Header("idempotency-key");
    if (header.empty()) return std::optional<app::IdempotencyKey>();
    bool printable = header.size() <= 255;
    for (char c : header) printable = printable && c >= 0x21 && c <= 0x7e;
    if (!printable)
        return Fail(ErrorCode::kInvalidArgument, "Idempotency-Key must be 1 to 255 printable ASCII characters",
                    "Idempotency-Key");
    return app::IdempotencyKey{std::string(header), app::Fingerprint(req.method, req.path, req.body)};
}

Response OutcomeResponse(Expected<app::Outcome> outcome) {
    if (!outcome) {
        LogFailure(outcome.error());
        return ErrorResponse(outcome.error());
    }
    Response r;
    r.status = outcome->status;
    r.body = std::move(outcome->body);
    r.render = std::move(outcome->render);
    if (outcome->replayed) r.headers.emplace_back("Idempotent-Replayed", "true");
    return r;
}

void Write(ApiContext& api, const Request& req, const Principal& who, app::WriteWork work, Respond respond) {
    auto key = IdempotencyKeyOf(req);
    if (!key) return respond(ErrorResponse(key.error()));
    app::SubmitWrite(api.store, who, std::move(*key), api.clock.Now(), std::move(work),
                     [respond = std::move(respond)](Expected<app::Outcome> outcome) {
                         respond(OutcomeResponse(std::move(outcome)));
                     });
}

Expected<Id> PathId(const PathParams& params, std::string_view name) { return ParsePositive(params.Get(name)); }

Expected<void> CheckQuery(const Request& req, std::initializer_list<std::string_view> allowed) {
    for (std::size_t i = 0; i < req.query.size(); ++i) {
        const auto& name = req.query[i].first;
        bool known = false;
        for (auto a : allowed) known = known || a == name;
        if (!known) {
            std::string list;
            for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
            return InvalidField(name, "unknown query parameter " + name + (list.empty() ? "" : "; known: " + list));
        }
        for (std::size_t j = 0; j < i; ++j)
            if (req.query[j].first == name) return InvalidField(name, "query parameter " + name + " appears twice");
    }
    return {};
}

std::optional<std::string> QueryValue(const Request& req, std::string_view name) {
    for (const auto& [k, v] : req.query)
        if (k == name) return v;
    return std::nullopt;
}

Expected<int> PageLimit(const Request& req) {
    auto text = QueryValue(req, "limit");
    if (!text) return 50;
    int n = 0;
    auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), n);
    if (ec != std::errc() || end != text->data() + text->size() || n < 1 || n > 200)
        return InvalidField("limit", "limit must be a whole number from 1 to 200");
    return n;
}

Expected<std::optional<Id>> PageCursor(const Request& req) {
    auto text = QueryValue(req, "cursor");
    if (!text) return std::optional<Id>();
    auto id = ParsePositive(*text);
    if (!id) return InvalidField("cursor", "cursor must be a next_cursor value from a previous page");
    return std::optional<Id>(*id);
}

}  // namespace amends::http
