#pragma once
// The agents' console: server-rendered HTML pages under /console for signed-in staff, with small hand-written
// scripts from /assets as progressive enhancement (every page and form works without them). This header is the
// pages' toolkit: the signed-in wrapper (Page: session cookie, role, CSRF), the layout (HtmlPage), escaping (Esc:
// the one place where text becomes HTML), form reading, and the static assets compiled into the binary.
//
// Sessions: the cookie `amends_session` (HttpOnly, SameSite=Lax, Path=/, Secure when public_url is https) names a
// web session (app::Auth); every non-GET request of a page must carry the session's CSRF token as the form field
// `_csrf` or the header X-CSRF-Token, else 403 and nothing is written. All of this is safe for concurrent use.

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "domain/model.h"
#include "http/api.h"
#include "http/message.h"
#include "http/router.h"

namespace amends::http::console {

// What a page handler knows about the request beyond the request itself.
struct PageContext {
    Principal who;
    std::string user_name;
    std::string csrf;
};

using PageHandler = std::function<void(const Request&, const PathParams&, const PageContext&, Respond)>;

// Signed-out (no valid session cookie) → 303 to /console/sign-in?next=<path>. Role too low → 403 page.
// Every non-GET request must carry the session's CSRF token as form field _csrf (urlencoded form) or header
// X-CSRF-Token; otherwise 403 and nothing is written.
Handler Page(ApiContext& api, Role min_role, PageHandler handler);

// The whole page: layout (skip link, nav: Queue, Incidents, Debriefs, Reports, Users (admins), sign-out form with
// CSRF), <meta name="csrf-token">, <link> to /assets/console.css, console.js, CSP header (no inline script;
// script-src 'self'), Cache-Control: no-store. `body` is HTML the caller built with Esc(); `active` names the nav
// entry ("queue", "incidents", "debriefs", "reports", "users"). Scripts a page needs beyond console.js go in
// `body` as <script src="/assets/NAME.js" defer></script>.
Response HtmlPage(const PageContext& ctx, std::string_view title, std::string_view active, std::string body,
                  int status = 200);

// HTML-escapes text for element content and (double-quoted) attribute values: & < > " '.
std::string Esc(std::string_view text);

// <input type="hidden" name="_csrf" value="...">, for every form that posts.
std::string CsrfField(const PageContext& ctx);

// The first value of `name` in an application/x-www-form-urlencoded body, else in the query string.
std::optional<std::string> FormValue(const Request& req, std::string_view name);
// Every value of `name` in the body (checkbox groups), in order.
std::vector<std::string> FormValues(const Request& req, std::string_view name);

// 303 See Other to `location` (after a form post).
Response SeeOther(std::string location);

// Percent-encodes a query-string value.
std::string UrlEncode(std::string_view text);

// A date and time for people, in UTC ("2026-11-23 09:00 UTC").
std::string When(TimePoint t);

// Adds every console route: /console/sign-in, /console/sign-out, the pages, and GET /assets/{name}.
// Called from RegisterApi.
void RegisterConsoleRoutes(Router& router, ApiContext& api);

// ---- for the JSON API (Authed) ----

// The session cookie's value, or "" when the request carries none.
std::string SessionCookie(const Request& req);
// The signed-in session of the request's cookie (kUnauthenticated when none, or expired). Records the use (idle
// expiry counts from it) with a write of its own at most once a minute.
Expected<app::WebPrincipal> SignedIn(ApiContext& api, const Request& req);
// True when `presented` equals the session's CSRF token (constant time).
bool CsrfMatches(std::string_view presented, std::string_view expected);

// ---- the static assets (web/assets/ and AMENDS_WEB_ASSETS, compiled in) ----

struct Asset {
    std::string_view name;
    std::string_view content;
    std::string_view content_type;
    std::string etag;  // a quoted hash of the content
};
// The asset called `name`, or null.
const Asset* FindAsset(std::string_view name);

// ---- the console's own pages, one file each ----
void RegisterQueuePage(Router& router, ApiContext& api);
void RegisterCasePage(Router& router, ApiContext& api);
void RegisterUsersPage(Router& router, ApiContext& api);

}  // namespace amends::http::console
