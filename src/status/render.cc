#include "status/render.h"

#include <algorithm>

namespace amends::status {

std::vector<Document> RenderAll(const Page& page, TimePoint now) {
    constexpr std::string_view kJson = "application/json; charset=utf-8";
    constexpr std::string_view kHtml = "text/html; charset=utf-8";
    std::vector<Document> docs;
    auto add = [&](std::string path, std::string_view type, std::string body) {
        docs.push_back(Document{std::move(path), std::string(type), std::move(body)});
    };
    add("/api/v2/summary.json", kJson, SummaryJson(page));
    add("/api/v2/status.json", kJson, StatusJson(page));
    add("/api/v2/components.json", kJson, ComponentsJson(page));
    add("/api/v2/incidents.json", kJson, IncidentsJson(page));
    add("/api/v2/incidents/unresolved.json", kJson, UnresolvedIncidentsJson(page));
    add("/api/v2/scheduled-maintenances.json", kJson, ScheduledMaintenancesJson(page));
    add("/api/v2/scheduled-maintenances/upcoming.json", kJson, UpcomingMaintenancesJson(page));
    add("/api/v2/scheduled-maintenances/active.json", kJson, ActiveMaintenancesJson(page));
    add("/history.atom", "application/atom+xml; charset=utf-8", HistoryAtom(page));
    add("/history.rss", "application/rss+xml; charset=utf-8", HistoryRss(page));
    add("/status", kHtml, StatusPageHtml(page, now));
    for (const auto* list : {&page.incidents, &page.maintenances})
        for (const auto& i : *list) add("/incidents/" + i.id, kHtml, *IncidentPageHtml(page, i.id, now));
    return docs;
}

TimePoint NextRenderAt(const Page& page, TimePoint now) {
    TimePoint next = std::chrono::floor<std::chrono::days>(now) + std::chrono::days(1);
    for (const auto* list : {&page.incidents, &page.maintenances})
        for (const auto& i : *list)
            if (IsOpen(i.status) && i.next_update_due && *i.next_update_due >= now)
                next = std::min(next, *i.next_update_due + Millis(1));
    return next;
}

}  // namespace amends::status
