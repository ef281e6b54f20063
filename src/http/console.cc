// The console's toolkit (console.h): sessions and CSRF for pages, the layout, escaping, forms, sign-in and
// sign-out, and the static assets.

#include "http/console.h"

#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>

#include "common/embedded.h"
#include "http/api_support.h"

namespace amends::http {
std::span<const EmbeddedFile> ConsoleAssets();  // generated from web/assets/ and AMENDS_WEB_ASSETS
}

namespace amends::http::console {

namespace {

constexpr std::string_view kCookie = "amends_session";

bool IsWrite(const Request& req) { return req.method != "GET" && req.method != "HEAD"; }

// The pages' security headers: scripts only from our own origin, no framing, no sniffing.
void SecurityHeaders(Response& r) {
    r.headers.emplace_back("Cache-Control", "no-store");
    r.headers.emplace_back("Content-Security-Policy",
                           "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                           "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
                           "object-src 'none'");
    r.headers.emplace_back("X-Content-Type-Options", "nosniff");
    r.headers.emplace_back("X-Frame-Options", "DENY");
    r.headers.emplace_back("Referrer-Policy", "same-origin");
}

std::string Document(std::string_view title, std::string_view csrf, std::string_view nav, std::string_view body) {
    std::string h;
    h.reserve(body.size() + 2048);
    h += "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>";
    h += Esc(title);
    h += " · amends</title>";
    if (!csrf.empty()) h += "<meta name=\"csrf-token\" content=\"" + Esc(csrf) + "\">";
    h += "<link rel=\"stylesheet\" href=\"/assets/console.css\"><script src=\"/assets/console.js\" defer></script>"
         "</head><body><a class=\"skip\" href=\"#main\">Skip to content</a>";
    h += nav;
    h += "<main id=\"main\" tabindex=\"-1\">";
    h += body;
    h += "</main></body></html>";
    return h;
}

Response HtmlResponse(int status, std::string body) {
    Response r;
    r.status = status;
    r.content_type = "text/html; charset=utf-8";
    r.body = std::move(body);
    SecurityHeaders(r);
    return r;
}

std::string CookieHeader(std::string_view value, long long max_age_seconds, bool secure) {
    std::string c = std::string(kCookie) + "=" + std::string(value) + "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" +
                    std::to_string(max_age_seconds);
    if (secure) c += "; Secure";
    return c;
}

// Where a sign-in may send the browser afterwards: only a console path of this site.
std::string SafeNext(std::optional<std::string> next) {
    if (!next || !next->starts_with("/console") || next->find("//") != std::string::npos ||
        next->find('\\') != std::string::npos)
        return "/console";
    for (char c : *next)
        if (static_cast<unsigned char>(c) < 0x20) return "/console";
    return *next;
}

// A form posted from another site carries its Origin; a browser's own form posts carry ours (or none).
bool CrossSite(const Request& req) {
    auto origin = req.Header("origin");
    if (origin.empty() || origin == "null") return !origin.empty();
    auto host = req.Header("host");
    auto scheme_end = origin.find("://");
    return scheme_end == std::string_view::npos || origin.substr(scheme_end + 3) != host;
}

// Slows guessing: after 5 failures in a row for one name, each further try waits for a doubling pause (30 s up to
// 15 min). Kept in memory (a restart forgets it); bounded.
class SignInThrottle {
public:
    // Seconds to wait before this name may try again; 0: go ahead.
    long long Wait(const std::string& name, TimePoint now) {
        std::lock_guard lock(mu_);
        auto it = failures_.find(name);
        if (it == failures_.end() || now >= it->second.until) return 0;
        return std::chrono::duration_cast<std::chrono::seconds>(it->second.until - now).count() + 1;
    }
    void Failed(const std::string& name, TimePoint now) {
        std::lock_guard lock(mu_);
        if (failures_.size() > 10000) failures_.clear();
        auto& f = failures_[name];
        ++f.count;
        if (f.count >= 5) {
            int doublings = std::min(f.count - 5, 5);
            f.until = now + std::chrono::seconds(30) * (1 << doublings);
        }
    }
    void Succeeded(const std::string& name) {
        std::lock_guard lock(mu_);
        failures_.erase(name);
    }

private:
    struct Failures {
        int count = 0;
        TimePoint until{};
    };
    std::mutex mu_;
    std::map<std::string, Failures> failures_;
};

std::string SignInPage(std::string_view next, std::string_view name, std::string_view error) {
    std::string b = "<div class=\"sign-in\"><h1>Sign in to amends</h1>";
    if (!error.empty()) b += "<p class=\"error\" role=\"alert\">" + Esc(error) + "</p>";
    b += "<form method=\"post\" action=\"/console/sign-in\"><input type=\"hidden\" name=\"next\" value=\"" + Esc(next) +
         "\"><label for=\"name\">User name</label><input id=\"name\" name=\"name\" autocomplete=\"username\" required "
         "value=\"" +
         Esc(name) + "\"" + (name.empty() ? " autofocus" : "") +
         "><label for=\"password\">Password</label><input id=\"password\" name=\"password\" type=\"password\" "
         "autocomplete=\"current-password\" required" +
         (name.empty() ? "" : " autofocus") +
         "><button type=\"submit\">Sign in</button></form><p class=\"hint\">Customers: use the link in our message to "
         "you. Service status: <a href=\"/status\">status page</a>.</p></div>";
    return b;
}

Response SignInResponse(int status, std::string_view next, std::string_view name, std::string_view error) {
    return HtmlResponse(status, Document("Sign in", "", "", SignInPage(next, name, error)));
}

std::uint64_t Fnv1a(std::string_view data) {
    std::uint64_t h = 1469598103934665603ULL;
    for (unsigned char c : data) {
        h ^= c;
        h *= 1099511628211ULL;
    }
    return h;
}

std::string_view ContentTypeOf(std::string_view name) {
    auto dot = name.rfind('.');
    std::string_view ext = dot == std::string_view::npos ? "" : name.substr(dot + 1);
    if (ext == "css") return "text/css; charset=utf-8";
    if (ext == "js" || ext == "mjs") return "text/javascript; charset=utf-8";
    if (ext == "json" || ext == "map") return "application/json";
    if (ext == "svg") return "image/svg+xml";
    if (ext == "html") return "text/html; charset=utf-8";
    return "text/plain; charset=utf-8";
}

const std::vector<Asset>& Assets() {
    static const std::vector<Asset> assets = [] {
        std::vector<Asset> out;
        for (const auto& f : ConsoleAssets()) {
            char tag[24];
            std::snprintf(tag, sizeof tag, "\"%016llx\"", static_cast<unsigned long long>(Fnv1a(f.content)));
            out.push_back(Asset{f.name, f.content, ContentTypeOf(f.name), tag});
        }
        return out;
    }();
    return assets;
}

void ServeAsset(const Request& req, const PathParams& params, Respond respond) {
    const Asset* asset = FindAsset(params.Get("name"));
    if (!asset) {
        Response r = ErrorResponse(404, "not_found", "no such asset", "");
        return respond(std::move(r));
    }
    Response r;
    r.content_type = std::string(asset->content_type);
    r.headers.emplace_back("ETag", asset->etag);
    r.headers.emplace_back("Cache-Control", "public, max-age=3600");
    r.headers.emplace_back("X-Content-Type-Options", "nosniff");
    auto inm = req.Header("if-none-match");
    if (!inm.empty() && (inm == "*" || inm.find(asset->etag) != std::string_view::npos)) {
        r.status = 304;
        return respond(std::move(r));
    }
    r.body = std::string(asset->content);
    respond(std::move(r));
}

std::string Nav(const PageContext& ctx, std::string_view active) {
    struct Entry {
        std::string_view key, label, href;
    };
    static constexpr Entry kEntries[] = {{"queue", "Queue", "/console"},
                                         {"incidents", "Incidents", "/console/incidents"},
                                         {"debriefs", "Debriefs", "/console/debriefs"},
                                         {"reports", "Reports", "/console/reports"},
                                         {"users", "Users", "/console/users"}};
    std::string h = "<header class=\"top\"><a class=\"brand\" href=\"/console\">amends</a><nav aria-label=\"Console\"><ul>";
    for (const auto& e : kEntries) {
        if (e.key == "users" && ctx.who.role < Role::kAdmin) continue;
        h += "<li><a href=\"" + std::string(e.href) + "\"" + (e.key == active ? " aria-current=\"page\"" : "") + ">" +
             std::string(e.label) + "</a></li>";
    }
    h += "</ul></nav><form class=\"sign-out\" method=\"post\" action=\"/console/sign-out\">" + CsrfField(ctx) +
         "<span class=\"who\">" + Esc(ctx.user_name) + " (" + std::string(Name(ctx.who.role)) +
         ")</span><button type=\"submit\">Sign out</button></form></header>";
    return h;
}

}  // namespace

std::string Esc(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out.push_back(c);
        }
    }
    return out;
}

std::string CsrfField(const PageContext& ctx) {
    return "<input type=\"hidden\" name=\"_csrf\" value=\"" + Esc(ctx.csrf) + "\">";
}

std::vector<std::string> FormValues(const Request& req, std::string_view name) {
    std::vector<std::string> out;
    std::string path;
    std::vector<std::pair<std::string, std::string>> fields;
    if (!ParseTarget("/?" + req.body, path, fields)) return out;
    for (auto& [k, v] : fields)
        if (k == name) out.push_back(std::move(v));
    return out;
}

std::optional<std::string> FormValue(const Request& req, std::string_view name) {
    if (IsWrite(req)) {
        auto values = FormValues(req, name);
        if (!values.empty()) return std::move(values.front());
    }
    for (const auto& [k, v] : req.query)
        if (k == name) return v;
    return std::nullopt;
}

Response SeeOther(std::string location) {
    Response r;
    r.status = 303;
    r.content_type = "text/plain; charset=utf-8";
    r.headers.emplace_back("Location", std::move(location));
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
}

std::string UrlEncode(std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
            c == '.' || c == '~' || c == '/') {
            out.push_back(static_cast<char>(c));
        } else {
            out.push_back('%');
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 15]);
        }
    }
    return out;
}

std::string When(TimePoint t) {
    std::string s = FormatRfc3339(t);  // 2026-11-23T09:00:00Z or with fractions
    return s.substr(0, 10) + " " + s.substr(11, 5) + " UTC";
}

std::string SessionCookie(const Request& req) {
    for (const auto& [name, value] : req.headers) {
        if (name != "cookie") continue;
        std::string_view rest = value;
        while (!rest.empty()) {
            auto semi = rest.find(';');
            std::string_view pair = rest.substr(0, semi);
            rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
            while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
            auto eq = pair.find('=');
            if (eq != std::string_view::npos && pair.substr(0, eq) == kCookie) return std::string(pair.substr(eq + 1));
        }
    }
    return {};
}

bool CsrfMatches(std::string_view presented, std::string_view expected) {
    if (expected.empty() || presented.size() != expected.size()) return false;
    unsigned char diff = 0;
    for (std::size_t i = 0; i < expected.size(); ++i) diff |= static_cast<unsigned char>(presented[i] ^ expected[i]);
    return diff == 0;
}

const Asset* FindAsset(std::string_view name) {
    for (const auto& a : Assets())
        if (a.name == name) return &a;
    return nullptr;
}

Expected<app::WebPrincipal> SignedIn(ApiContext& api, const Request& req) {
    TimePoint now = api.clock.Now();
    auto session = api.auth.AuthenticateSession(api.store, SessionCookie(req), now);
    if (session && session->stale)
        api.store.Submit(
            [id = session->session_id, now](store::Tx& tx) {
                tx.TouchWebSession(id, now);
                return true;
            },
            [](std::optional<Error>) {});
    return session;
}

Handler Page(ApiContext& api, Role min_role, PageHandler handler) {
    return [&api, min_role, handler = std::move(handler)](const Request& req, const PathParams& params,
                                                          Respond respond) {
        auto session = SignedIn(api, req);
        if (!session) {
            std::string next = IsWrite(req) ? "/console" : req.target;
            return respond(SeeOther("/console/sign-in?next=" + UrlEncode(SafeNext(next))));
        }
        PageContext ctx{session->who, session->who.name, session->csrf};
        if (IsWrite(req)) {
            std::string presented(req.Header("x-csrf-token"));
            if (presented.empty()) presented = FormValues(req, "_csrf").empty() ? "" : FormValues(req, "_csrf").front();
            if (!CsrfMatches(presented, ctx.csrf))
                return respond(HtmlPage(ctx, "Refused", "",
                                        "<h1>Refused</h1><p>This form was not sent from this console (its security "
                                        "token is missing or old). Nothing was changed. Go back, reload the page and "
                                        "try again.</p>",
                                        403));
        }
        if (ctx.who.role < min_role)
            return respond(HtmlPage(ctx, "Not allowed", "",
                                    "<h1>Not allowed</h1><p>This page needs the " + std::string(Name(min_role)) +
                                        " role or higher; you are " + std::string(Name(ctx.who.role)) + ".</p>",
                                    403));
        handler(req, params, ctx, std::move(respond));
    };
}

Response HtmlPage(const PageContext& ctx, std::string_view title, std::string_view active, std::string body,
                  int status) {
    return HtmlResponse(status, Document(title, ctx.csrf, Nav(ctx, active), body));
}

void RegisterConsoleRoutes(Router& router, ApiContext& api) {
    router.Add("GET", "/assets/{name}", ServeAsset);

    router.Add("GET", "/console/sign-in", [&api](const Request& req, const PathParams&, Respond respond) {
        std::string next = SafeNext(FormValue(req, "next"));
        auto session = api.auth.AuthenticateSession(api.store, SessionCookie(req), api.clock.Now());
        if (session) return respond(SeeOther(next));
        respond(SignInResponse(200, next, "", ""));
    });

    auto throttle = std::make_shared<SignInThrottle>();
    router.Add("POST", "/console/sign-in", [&api, throttle](const Request& req, const PathParams&, Respond respond) {
        std::string next = SafeNext(FormValue(req, "next"));
        std::string name = FormValue(req, "name").value_or("");
        std::string password = FormValue(req, "password").value_or("");
        if (CrossSite(req)) return respond(SignInResponse(403, next, "", "Sign in from this site's own page."));
        if (name.empty() || password.empty())
            return respond(SignInResponse(400, next, name, "Enter your user name and password."));
        TimePoint now = api.clock.Now();
        if (auto wait = throttle->Wait(name, now))
            return respond(SignInResponse(429, next, name,
                                          "Too many wrong passwords for this user. Try again in " +
                                              std::to_string(wait) + " seconds."));
        auto who = api.auth.CheckPassword(api.store, name, password);
        if (!who) {
            throttle->Failed(name, now);
            return respond(SignInResponse(401, next, name, "The user name or password is wrong."));
        }
        throttle->Succeeded(name);
        auto started = std::make_shared<app::NewSession>();
        api.store.Submit(
            [&api, who = *who, started, now](store::Tx& tx) {
                *started = api.auth.StartSession(tx, who, now);
                return true;
            },
            [&api, started, next, respond = std::move(respond)](std::optional<Error> e) {
                if (e) return respond(SignInResponse(503, next, "", "Could not sign in just now; try again."));
                Response r = SeeOther(next);
                const auto& o = api.auth.Sessions();
                r.headers.emplace_back(
                    "Set-Cookie",
                    CookieHeader(started->secret,
                                 std::chrono::duration_cast<std::chrono::seconds>(o.absolute_timeout).count(),
                                 o.secure_cookie));
                respond(std::move(r));
            });
    });

    router.Add("POST", "/console/sign-out",
               Page(api, Role::kAgent, [&api](const Request& req, const PathParams&, const PageContext&, Respond respond) {
                   api.store.Submit(
                       [&api, secret = SessionCookie(req)](store::Tx& tx) {
                           api.auth.EndSession(tx, secret);
                           return true;
                       },
                       [&api, respond = std::move(respond)](std::optional<Error>) {
                           Response r = SeeOther("/console/sign-in");
                           r.headers.emplace_back("Set-Cookie", CookieHeader("", 0, api.auth.Sessions().secure_cookie));
                           respond(std::move(r));
                       });
               }));

    RegisterQueuePage(router, api);
    RegisterCasePage(router, api);
    RegisterUsersPage(router, api);
}

}  // namespace amends::http::console
