#pragma once
// Renderers of the public status page: each returns the exact bytes to serve for one path. They are pure
// functions of a Page (and, for what changes with time alone, `now`), safe to call from any thread on a Page
// nobody is changing. The server renders once per change (RenderAll) and again at NextRenderAt, and serves the
// bytes; no renderer reads anything but its arguments.
//
// JSON has the shapes of the Statuspage v2 reference exactly (key order, nulls, enums); compact, UTF-8.
// Times are RFC 3339 UTC with milliseconds. Lists are cut at kListLimit where the reference says "50 most recent".

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/time.h"
#include "status/model.h"

namespace amends::status {

inline constexpr std::size_t kListLimit = 50;       // incidents.json, scheduled-maintenances.json
inline constexpr std::size_t kFeedLimit = 25;       // entries in /history.atom and /history.rss
inline constexpr int kHistoryDays = 90;             // days of history on /status

// /api/v2/... : {page, status, components, incidents (unresolved), scheduled_maintenances (upcoming + active)}
std::string SummaryJson(const Page& page);
std::string StatusJson(const Page& page);                   // {page, status}
std::string ComponentsJson(const Page& page);               // {page, components}: all, groups included
std::string IncidentsJson(const Page& page);                // {page, incidents}: 50 most recent by created_at
std::string UnresolvedIncidentsJson(const Page& page);      // {page, incidents}: investigating/identified/monitoring
std::string ScheduledMaintenancesJson(const Page& page);    // {page, scheduled_maintenances}: 50 most recent
std::string UpcomingMaintenancesJson(const Page& page);     // only scheduled, soonest first
std::string ActiveMaintenancesJson(const Page& page);       // only in_progress/verifying, soonest first

// One incident (or maintenance) or component object exactly as inside the lists above, e.g. for the `incident`
// and `component` parts of Statuspage-shaped subscriber webhooks. Empty when the id is unknown.
std::optional<std::string> IncidentObjectJson(const Page& page, std::string_view incident_id);
std::optional<std::string> ComponentObjectJson(const Page& page, std::string_view component_id);

// Feeds of incidents and maintenances, newest first, kFeedLimit entries, each entry the item's updates.
std::string HistoryAtom(const Page& page);  // Atom 1.0 (RFC 4287)
std::string HistoryRss(const Page& page);   // RSS 2.0

// HTML: the status page (no JavaScript; every text escaped) and one incident's or maintenance's page.
std::string StatusPageHtml(const Page& page, TimePoint now);
std::optional<std::string> IncidentPageHtml(const Page& page, std::string_view incident_id, TimePoint now);

// One servable document.
struct Document {
    std::string path;          // "/api/v2/summary.json", "/history.atom", "/status", "/incidents/ab12cd34ef56"
    std::string content_type;  // with charset
    std::string body;
};

// Every public document of the page: the eight API paths, both feeds, /status and one /incidents/{id} page per
// incident and maintenance in the snapshot.
std::vector<Document> RenderAll(const Page& page, TimePoint now);

// The first instant after `now` at which a render would differ with no change to the page (an open incident's
// next update falling due, or the UTC day turning over the 90-day history). Render again then.
TimePoint NextRenderAt(const Page& page, TimePoint now);

}  // namespace amends::status
