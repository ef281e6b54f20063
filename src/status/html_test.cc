// The HTML pages and the render set: what a visitor sees, escaped, overdue promises shown as overdue.
#include <gtest/gtest.h>

#include "status/render.h"
#include "status/status_testing.h"
#include "status/xml_testing.h"

namespace amends::status {
namespace {

using namespace std::chrono_literals;
using testing::BusyPage;
using testing::Must;
using testing::T;

const TimePoint kStart = T("2026-01-10T08:00:00Z");

bool Has(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

TimePoint LastChange(const Page& p) { return p.updated_at; }

TEST(StatusHtml, ShowsStatusComponentsOpenIncidentsAndUpdates) {
    const Page page = BusyPage(kStart);
    const std::string html = StatusPageHtml(page, LastChange(page));
    EXPECT_TRUE(Has(html, "<p class=\"banner i-major\" id=\"status\">Minor Service Outage</p>"));
    EXPECT_TRUE(Has(html, "<h2>Open incidents</h2>"));
    EXPECT_TRUE(Has(html, "<a href=\"/incidents/open1\">EU delays</a>"));
    EXPECT_TRUE(Has(html, "A hub is closed."));
    EXPECT_TRUE(Has(html, "<h2>Maintenance in progress</h2>"));
    EXPECT_TRUE(Has(html, "<h2>Scheduled maintenance</h2>"));
    EXPECT_TRUE(Has(html, "<span>EU parcels</span><span class=\"status s-partial_outage\">Partial Outage</span>"));
    EXPECT_FALSE(Has(html, "<span>Legacy</span>"));  // only_show_if_degraded, and operational
    EXPECT_FALSE(Has(html, "<script"));
    EXPECT_TRUE(Has(html, "Checkout &lt;script&gt;alert(1)&lt;/script&gt; errors"));
    EXPECT_TRUE(Has(html, "Acme &lt;Shop&gt; &amp; &quot;Co&quot; Status"));
}

TEST(StatusHtml, PromisesShowAsDueThenOverdue) {
    const Page page = BusyPage(kStart);
    const Incident& open1 = *page.FindIncident("open1");
    const TimePoint due = *open1.next_update_due;
    const std::string before = StatusPageHtml(page, due);
    EXPECT_TRUE(Has(before, "<p class=\"next-update\">Next update by <time datetime=\"2026-01-10T08:49:00Z\">"
                            "Jan 10, 08:49 UTC</time></p>"))
        << before;
    const std::string after = StatusPageHtml(page, due + 1min);
    EXPECT_TRUE(Has(after, "<p class=\"next-update overdue\">Next update overdue: it was due <time "
                           "datetime=\"2026-01-10T08:49:00Z\">Jan 10, 08:49 UTC</time></p>"))
        << after;
    EXPECT_TRUE(Has(*IncidentPageHtml(page, "open1", due + 1min), "next-update overdue"));
    // Resolved incidents promise nothing.
    EXPECT_FALSE(Has(*IncidentPageHtml(page, "old1", due + 1min), "next-update"));
}

TEST(StatusHtml, HistoryCoversNinetyDaysAndPostmortemsArePublished) {
    const Page page = BusyPage(kStart);
    const std::string html = StatusPageHtml(page, LastChange(page));
    EXPECT_TRUE(Has(html, "<h2>Past 90 days</h2>\n<h3>Jan 10, 2026</h3>"));
    EXPECT_TRUE(Has(html, "<a href=\"/incidents/old2\">Slow tracking</a>"));
    EXPECT_TRUE(Has(html, "<section id=\"postmortems\"><h2>Postmortems</h2>"));
    // The write-up is Markdown rendered in cmark's safe mode: its raw HTML tag is left out, never passed through.
    EXPECT_TRUE(Has(html, "<div class=\"markdown\"><p>Root cause: a <!-- raw HTML omitted --> config.\nFix: checks.</p>"))
        << html;
    EXPECT_FALSE(Has(html, "<bad>"));
    // 89 days later the day is still shown; 90 days later it is gone.
    EXPECT_TRUE(Has(StatusPageHtml(page, kStart + 89 * 24h), "<h3>Jan 10, 2026</h3>"));
    const std::string later = StatusPageHtml(page, kStart + 90 * 24h);
    EXPECT_FALSE(Has(later, "<h3>Jan 10, 2026</h3>"));
    EXPECT_TRUE(Has(later, "No incidents reported in the last 90 days."));
}

TEST(StatusHtml, APostmortemIsRenderedFromMarkdownAndNeverCarriesAScript) {
    Page page = BusyPage(kStart);
    for (auto& i : page.incidents)
        for (auto& u : i.updates)
            if (u.status == IncidentStatus::kPostmortem)
                u.body = "## Five whys\n\n1. **Why** did it fail?\n\n<script>alert(1)</script>\n\n[x](javascript:alert(2))";
    const auto html = IncidentPageHtml(page, "old1", LastChange(page));
    ASSERT_TRUE(html);
    EXPECT_TRUE(Has(*html, "<h2>Five whys</h2>")) << *html;
    EXPECT_TRUE(Has(*html, "<strong>Why</strong>"));
    EXPECT_FALSE(Has(*html, "<script>alert(1)"));
    EXPECT_FALSE(Has(*html, "href=\"javascript:"));  // the link is dropped; the escaped timeline text is harmless
}

TEST(StatusHtml, IncidentPageShowsEveryUpdateAndThePostmortem) {
    const Page page = BusyPage(kStart);
    const auto html = IncidentPageHtml(page, "old1", LastChange(page));
    ASSERT_TRUE(html);
    EXPECT_TRUE(Has(*html, "<h1>Checkout &lt;script&gt;alert(1)&lt;/script&gt; errors</h1>"));
    EXPECT_TRUE(Has(*html, "<section id=\"postmortem\"><h2>Postmortem</h2>"));
    for (const char* id : {"old1u1", "old1u2", "old1u3", "old1u4"}) EXPECT_TRUE(Has(*html, id)) << id;
    EXPECT_TRUE(Has(*html, "This incident affected: API"));
    EXPECT_FALSE(IncidentPageHtml(page, "nope", kStart));
    EXPECT_TRUE(Has(*IncidentPageHtml(page, "mnt3", kStart), "Scheduled for"));
}

// libxml2's HTML parser knows HTML 4: it reports HTML5 elements as "Tag main invalid". Everything else it
// reports (a tag left open, a stray end tag, a bad entity) is a real error.
std::vector<std::string> HtmlErrors(const std::string& html) {
    const auto lint = testing::Xmllint("--html --noout", html);
    std::vector<std::string> errors;
    std::size_t pos = 0;
    const std::string marker = "HTML parser error : ";
    while ((pos = lint.output.find(marker, pos)) != std::string::npos) {
        pos += marker.size();
        const std::string message = lint.output.substr(pos, lint.output.find('\n', pos) - pos);
        bool html5 = false;
        for (const char* tag : {"main", "header", "footer", "section", "article", "time"})
            html5 = html5 || message == "Tag " + std::string(tag) + " invalid";
        if (!html5) errors.push_back(message);
    }
    return errors;
}

TEST(StatusHtml, PagesParseWithoutErrors) {
    const Page page = BusyPage(kStart);
    for (const auto& html : {StatusPageHtml(page, kStart), *IncidentPageHtml(page, "old1", kStart)})
        EXPECT_EQ(HtmlErrors(html), std::vector<std::string>{});
    EXPECT_FALSE(HtmlErrors("<!doctype html><html><body><p><b>x</p></i></body></html>").empty());  // it does catch
}

TEST(StatusRender, RenderAllServesEveryPublicPath) {
    const Page page = BusyPage(kStart);
    const auto docs = RenderAll(page, kStart);
    std::set<std::string> paths;
    for (const auto& d : docs) {
        paths.insert(d.path);
        EXPECT_FALSE(d.body.empty()) << d.path;
    }
    for (const char* p : {"/api/v2/summary.json", "/api/v2/status.json", "/api/v2/components.json",
                          "/api/v2/incidents.json", "/api/v2/incidents/unresolved.json",
                          "/api/v2/scheduled-maintenances.json", "/api/v2/scheduled-maintenances/upcoming.json",
                          "/api/v2/scheduled-maintenances/active.json", "/history.atom", "/history.rss", "/status",
                          "/incidents/old1", "/incidents/mnt3"})
        EXPECT_TRUE(paths.contains(p)) << p;
    EXPECT_EQ(docs.size(), 11u + 7u);
    EXPECT_EQ(docs[0].content_type, "application/json; charset=utf-8");
}

TEST(StatusRender, NextRenderAtIsTheNextPromiseOrMidnight) {
    const Page page = BusyPage(kStart);
    const TimePoint due = *page.FindIncident("open1")->next_update_due;
    EXPECT_EQ(NextRenderAt(page, kStart), due + 1ms);
    // Past every promise: the next UTC midnight (the history window moves).
    EXPECT_EQ(NextRenderAt(page, T("2026-01-10T23:00:00Z")), T("2026-01-11T00:00:00Z"));
    // What renders at NextRenderAt differs from what rendered just before it.
    EXPECT_NE(StatusPageHtml(page, due), StatusPageHtml(page, NextRenderAt(page, kStart)));
}

}  // namespace
}  // namespace amends::status
