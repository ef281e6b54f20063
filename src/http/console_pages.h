#pragma once
// The console's incident, debrief and report pages (server-rendered HTML on top of http/console.h). Handlers parse
// the form, call app/ (the status board, app/debriefs.h, app/reports.h) and render; no business logic here.

#include <functional>
#include <vector>
#include <string>
#include <string_view>

#include "domain/error.h"
#include "domain/time.h"
#include "http/console.h"
#include "http/api.h"
#include "http/router.h"
#include "store/store.h"

namespace amends::http::console {

// /console/incidents: list, declare, an incident's updates, affected customers from CSV, notices, preview.
void RegisterIncidentPages(Router& router, ApiContext& api);
// /console/debriefs: list, create, the why-chain editor, actions (add, complete), what is late.
void RegisterDebriefPages(Router& router, ApiContext& api);
// /console/reports: the team report as charts (Chart.js, web/assets/reports.js) with tables beside them.
void RegisterReportPages(Router& router, ApiContext& api);

// Shared by the page files.
// HtmlPage with these pages' stylesheet (/assets/pages.css) linked.
Response PagesHtml(const PageContext& ctx, std::string_view title, std::string_view active, std::string body,
                   int status = 200);
// "2026-11-23 09:00 UTC" in a <time> element.
std::string TimeHtml(TimePoint t);
// An error as an alert box naming its field (escaped).
std::string ErrorHtml(const Error& error);
// <option>s for `values`, the one equal to `selected` selected; underscores shown as spaces.
std::string OptionsHtml(const std::vector<std::string_view>& values, std::string_view selected);
// Runs `work` as one unit of work (kept when it returns a value, rolled back on an error) and hands its result to
// `then` on a store thread after the commit (or the failure).
void RunUnit(ApiContext& api, std::function<Expected<std::string>(store::Tx&)> work,
             std::function<void(Expected<std::string>)> then);

}  // namespace amends::http::console
