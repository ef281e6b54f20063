// The public HTML: /status and /incidents/{id}. Plain HTML and inline CSS, no JavaScript, every text escaped.
// Times are shown in UTC (docs/status.md says why).
#include <cmark.h>

#include <algorithm>
#include <cstdlib>

#include "status/order.h"
#include "status/render.h"
#include "status/rollup.h"
#include "status/text.h"

namespace amends::status {
namespace {

constexpr std::string_view kStyle =
    "body{font:16px/1.5 system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;color:#222}"
    "h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem}h3{font-size:1.05rem;margin-bottom:.25rem}"
    ".banner{padding:1rem;border-radius:6px;color:#fff;font-weight:600;font-size:1.2rem}"
    ".i-none{background:#2e7d32}.i-minor{background:#b58900}.i-major{background:#e8590c}"
    ".i-critical{background:#c62828}.i-maintenance{background:#1565c0}"
    ".s-operational{color:#2e7d32}.s-degraded_performance{color:#b58900}.s-partial_outage{color:#e8590c}"
    ".s-major_outage{color:#c62828}.s-under_maintenance{color:#1565c0}"
    "ul.components{list-style:none;padding:0}ul.components li{display:flex;justify-content:space-between;"
    "flex-wrap:wrap;border-bottom:1px solid #ddd;padding:.4rem 0}ul.components ul{list-style:none;width:100%;"
    "padding-left:1.5rem}.desc{width:100%;color:#666;font-size:.9rem}"
    "article{border:1px solid #ddd;border-radius:6px;padding:.5rem 1rem;margin:.75rem 0}"
    ".body{white-space:pre-wrap}.updates{list-style:none;padding:0}.updates li{margin:.5rem 0}"
    ".overdue{color:#c62828;font-weight:600}small,.muted{color:#666}";

std::string Head(const Page& page, const std::string& title) {
    return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
           "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>" +
           Escape(title) + "</title><link rel=\"alternate\" type=\"application/atom+xml\" href=\"/history.atom\" title=\"" +
           Escape(page.info.name) + " incident history (Atom)\"><link rel=\"alternate\" type=\"application/rss+xml\" "
           "href=\"/history.rss\" title=\"" + Escape(page.info.name) + " incident history (RSS)\"><style>" +
           std::string(kStyle) + "</style></head><body><main>\n";
}

std::string Foot() {
    return "<footer><p class=\"muted\">Times are in UTC. Subscribe: <a href=\"/history.atom\">Atom</a> · "
           "<a href=\"/history.rss\">RSS</a> · <a href=\"/api/v2/summary.json\">API</a></p></footer>\n"
           "</main></body></html>\n";
}

std::string Time(TimePoint t) {
    return "<time datetime=\"" + MachineTime(t) + "\">" + Escape(ShortTime(t)) + "</time>";
}

std::string StatusBadge(ComponentStatus s) {
    return "<span class=\"status s-" + std::string(Name(s)) + "\">" + std::string(Label(s)) + "</span>";
}

// "Next update by …", or overdue once past.
std::string NextUpdate(const Incident& i, TimePoint now) {
    if (!IsOpen(i.status) || !i.next_update_due) return {};
    if (*i.next_update_due < now)
        return "<p class=\"next-update overdue\">Next update overdue: it was due " + Time(*i.next_update_due) +
               "</p>\n";
    return "<p class=\"next-update\">Next update by " + Time(*i.next_update_due) + "</p>\n";
}

std::string AffectedNames(const Page& page, const Incident& i) {
    std::string names;
    for (const auto& id : i.component_ids) {
        const Component* c = page.FindComponent(id);
        if (c == nullptr) continue;
        if (!names.empty()) names += ", ";
        names += Escape(c->name);
    }
    return names;
}

std::string Updates(const Incident& i) {
    std::string h = "<ol class=\"updates\" reversed>\n";
    for (const auto& u : i.updates) {
        h += "<li id=\"update-" + Escape(u.id) + "\"><strong>" + std::string(Label(u.status)) +
             "</strong> - <span class=\"body\">" + Escape(u.body) + "</span><br><small>" + Time(u.display_at) +
             "</small></li>\n";
    }
    return h + "</ol>\n";
}

std::string Window(const Incident& m) {
    if (!m.scheduled_for || !m.scheduled_until) return {};
    return "<p>Scheduled for " + Time(*m.scheduled_for) + " until " + Time(*m.scheduled_until) + "</p>\n";
}

std::string IncidentArticle(const Page& page, const Incident& i, TimePoint now) {
    std::string h = "<article class=\"incident impact-" + std::string(Name(i.impact)) + "\" id=\"incident-" +
                    Escape(i.id) + "\"><h3><a href=\"/incidents/" + Escape(i.id) + "\">" + Escape(i.name) +
                    "</a></h3>\n";
    h += "<p class=\"muted\">" + std::string(Label(i.status)) + " · impact " + std::string(Label(i.impact)) +
         "</p>\n";
    h += Window(i) + NextUpdate(i, now);
    if (auto names = AffectedNames(page, i); !names.empty()) h += "<p>Affected: " + names + "</p>\n";
    return h + Updates(i) + "</article>\n";
}

void ComponentItem(const Page& page, const Component& c, std::string& h) {
    if (c.only_show_if_degraded && c.status == ComponentStatus::kOperational) return;
    h += "<li class=\"component\"><span>" + Escape(c.name) + "</span>" + StatusBadge(c.status);
    if (c.description) h += "<span class=\"desc\">" + Escape(*c.description) + "</span>";
    if (c.group) {
        std::string children;
        for (const Component* child : ChildrenOf(page, c)) ComponentItem(page, *child, children);
        if (!children.empty()) h += "<ul>\n" + children + "</ul>";
    }
    h += "</li>\n";
}

// A postmortem's write-up is Markdown (a published debrief): rendered by cmark in its safe mode (raw HTML and
// dangerous URLs are not passed through), so the page shows headings, lists and emphasis, never a script.
std::string MarkdownHtml(const std::string& markdown) {
    char* html = cmark_markdown_to_html(markdown.data(), markdown.size(), CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8);
    std::string out = html ? html : "";
    std::free(html);
    return out;
}

const IncidentUpdate* Postmortem(const Incident& i) {
    for (const auto& u : i.updates)
        if (u.status == IncidentStatus::kPostmortem) return &u;
    return nullptr;
}

}  // namespace

std::string StatusPageHtml(const Page& page, TimePoint now) {
    const TopStatus top = ComputeStatus(page);
    std::string h = Head(page, page.info.name + " Status");
    h += "<header><h1>" + Escape(page.info.name) + " Status</h1></header>\n";
    h += "<p class=\"banner i-" + std::string(Name(top.indicator)) + "\" id=\"status\">" + Escape(top.description) +
         "</p>\n";

    std::string active, upcoming;
    for (const Incident* m : MaintenancesByStart(page, false)) {
        if (m->status == IncidentStatus::kInProgress || m->status == IncidentStatus::kVerifying)
            active += IncidentArticle(page, *m, now);
        else if (m->status == IncidentStatus::kScheduled)
            upcoming += IncidentArticle(page, *m, now);
    }
    std::string open;
    for (const Incident* i : NewestIncidents(page))
        if (IsOpen(i->status)) open += IncidentArticle(page, *i, now);
    if (!open.empty()) h += "<section id=\"incidents\"><h2>Open incidents</h2>\n" + open + "</section>\n";
    if (!active.empty()) h += "<section id=\"maintenance\"><h2>Maintenance in progress</h2>\n" + active + "</section>\n";

    h += "<section id=\"components\"><h2>Components</h2>\n<ul class=\"components\">\n";
    for (const Component* c : OrderedComponents(page))
        if (const Component* g = c->group_id ? page.FindComponent(*c->group_id) : nullptr; g == nullptr || !g->group)
            ComponentItem(page, *c, h);
    h += "</ul></section>\n";

    if (!upcoming.empty())
        h += "<section id=\"upcoming\"><h2>Scheduled maintenance</h2>\n" + upcoming + "</section>\n";

    // History: everything that started in the last kHistoryDays UTC days, newest first, grouped by day.
    const auto today = std::chrono::floor<std::chrono::days>(now);
    const TimePoint from = today - std::chrono::days(kHistoryDays - 1);
    std::vector<const Incident*> past;
    for (const Incident* i : AllNewestFirst(page))
        if (i->started_at >= from && i->started_at <= now && !(i->IsMaintenance() && IsOpen(i->status) &&
                                                               i->status == IncidentStatus::kScheduled))
            past.push_back(i);
    std::stable_sort(past.begin(), past.end(),
                     [](const Incident* a, const Incident* b) { return b->started_at < a->started_at; });
    h += "<section id=\"history\"><h2>Past " + std::to_string(kHistoryDays) + " days</h2>\n";
    if (past.empty()) h += "<p>No incidents reported in the last " + std::to_string(kHistoryDays) + " days.</p>\n";
    std::string day;
    for (const Incident* i : past) {
        const std::string label = DayLabel(i->started_at);
        if (label != day) {
            if (!day.empty()) h += "</ul>\n";
            h += "<h3>" + label + "</h3>\n<ul>\n";
            day = label;
        }
        h += "<li><a href=\"/incidents/" + Escape(i->id) + "\">" + Escape(i->name) + "</a> <span class=\"muted\">" +
             std::string(Label(i->status)) + "</span></li>\n";
    }
    if (!day.empty()) h += "</ul>\n";
    h += "</section>\n";

    std::string postmortems;
    for (const Incident* i : NewestIncidents(page))
        if (const IncidentUpdate* pm = Postmortem(*i))
            postmortems += "<article id=\"postmortem-" + Escape(i->id) + "\"><h3><a href=\"/incidents/" +
                           Escape(i->id) + "\">" + Escape(i->name) + "</a></h3><p class=\"muted\">Published " +
                           Time(pm->display_at) + "</p><div class=\"markdown\">" + MarkdownHtml(pm->body) + "</div></article>\n";
    if (!postmortems.empty()) h += "<section id=\"postmortems\"><h2>Postmortems</h2>\n" + postmortems + "</section>\n";
    return h + Foot();
}

std::optional<std::string> IncidentPageHtml(const Page& page, std::string_view incident_id, TimePoint now) {
    const Incident* i = page.FindIncident(incident_id);
    if (i == nullptr) return std::nullopt;
    std::string h = Head(page, i->name + " - " + page.info.name + " Status");
    h += "<header><p><a href=\"/status\">" + Escape(page.info.name) + " Status</a></p><h1>" + Escape(i->name) +
         "</h1></header>\n";
    h += "<p class=\"muted\">" + std::string(i->IsMaintenance() ? "Scheduled maintenance" : "Incident") + " · " +
         std::string(Label(i->status)) + " · impact " + std::string(Label(i->impact)) + " · started " +
         Time(i->started_at) + (i->resolved_at ? " · ended " + Time(*i->resolved_at) : std::string()) + "</p>\n";
    h += Window(*i) + NextUpdate(*i, now);
    if (const IncidentUpdate* pm = Postmortem(*i))
        h += "<section id=\"postmortem\"><h2>Postmortem</h2><div class=\"markdown\">" + MarkdownHtml(pm->body) +
             "</div></section>\n";
    h += "<section id=\"updates\"><h2>Updates</h2>\n" + Updates(*i) + "</section>\n";
    if (auto names = AffectedNames(page, *i); !names.empty())
        h += "<p>This " + std::string(i->IsMaintenance() ? "maintenance" : "incident") + " affected: " + names +
             "</p>\n";
    return h + Foot();
}

}  // namespace amends::status
