// /history.atom (RFC 4287) and /history.rss (RSS 2.0), shaped like Statuspage's feeds: one entry per incident or
// maintenance, newest first, its content the item's updates as escaped HTML.
#include "status/order.h"
#include "status/render.h"
#include "status/text.h"

namespace amends::status {
namespace {

std::string FeedTitle(const Page& page) { return page.info.name + " Status - Incident History"; }
std::string IncidentUrl(const Page& page, const Incident& i) { return page.info.url + "/incidents/" + i.id; }

// The HTML (unescaped for XML) of an entry: a scheduled window first for maintenances, then each update.
std::string EntryHtml(const Incident& i) {
    std::string html;
    if (i.IsMaintenance() && i.scheduled_for && i.scheduled_until)
        html += "<p><strong>THIS IS A SCHEDULED EVENT " + Escape(ShortTime(*i.scheduled_for)) + " - " +
                Escape(ShortTime(*i.scheduled_until)) + "</strong></p>";
    for (const auto& u : i.updates)
        html += "<p><small>" + Escape(ShortTime(u.display_at)) + "</small><br><strong>" +
                Escape(std::string(Label(u.status))) + "</strong> - " + Escape(u.body) + "</p>";
    return html;
}

std::vector<const Incident*> FeedItems(const Page& page) {
    auto items = AllNewestFirst(page);
    if (items.size() > kFeedLimit) items.resize(kFeedLimit);
    return items;
}

}  // namespace

std::string HistoryAtom(const Page& page) {
    const std::string host = Escape(HostOf(page.info.url));
    std::string x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xml:lang=\"en-US\" xmlns=\"http://www.w3.org/2005/Atom\">\n";
    x += "  <id>tag:" + host + ",2005:/history</id>\n";
    x += "  <link rel=\"alternate\" type=\"text/html\" href=\"" + Escape(page.info.url) + "\"/>\n";
    x += "  <link rel=\"self\" type=\"application/atom+xml\" href=\"" + Escape(page.info.url + "/history.atom") +
         "\"/>\n";
    x += "  <title>" + Escape(FeedTitle(page)) + "</title>\n";
    x += "  <updated>" + FormatRfc3339(page.updated_at) + "</updated>\n";
    x += "  <author>\n    <name>" + Escape(page.info.name) + "</name>\n  </author>\n";
    for (const Incident* i : FeedItems(page)) {
        x += "  <entry>\n";
        x += "    <id>tag:" + host + ",2005:" + (i->IsMaintenance() ? "Maintenance/" : "Incident/") + Escape(i->id) +
             "</id>\n";
        x += "    <published>" + FormatRfc3339(i->created_at) + "</published>\n";
        x += "    <updated>" + FormatRfc3339(i->updated_at) + "</updated>\n";
        x += "    <link rel=\"alternate\" type=\"text/html\" href=\"" + Escape(IncidentUrl(page, *i)) + "\"/>\n";
        x += "    <title>" + Escape(i->name) + "</title>\n";
        x += "    <content type=\"html\">" + Escape(EntryHtml(*i)) + "</content>\n";
        x += "  </entry>\n";
    }
    x += "</feed>\n";
    return x;
}

std::string HistoryRss(const Page& page) {
    std::string x =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\">\n"
        "  <channel>\n";
    x += "    <title>" + Escape(FeedTitle(page)) + "</title>\n";
    x += "    <link>" + Escape(page.info.url) + "</link>\n";
    x += "    <description>" + Escape("Incident history of " + page.info.name) + "</description>\n";
    x += "    <atom:link href=\"" + Escape(page.info.url + "/history.rss") +
         "\" rel=\"self\" type=\"application/rss+xml\"/>\n";
    x += "    <pubDate>" + Rfc822(page.updated_at) + "</pubDate>\n";
    x += "    <lastBuildDate>" + Rfc822(page.updated_at) + "</lastBuildDate>\n";
    for (const Incident* i : FeedItems(page)) {
        const std::string url = Escape(IncidentUrl(page, *i));
        x += "    <item>\n";
        x += "      <title>" + Escape(i->name) + "</title>\n";
        x += "      <description>" + Escape(EntryHtml(*i)) + "</description>\n";
        x += "      <pubDate>" + Rfc822(i->created_at) + "</pubDate>\n";
        x += "      <link>" + url + "</link>\n";
        x += "      <guid isPermaLink=\"true\">" + url + "</guid>\n";
        x += "    </item>\n";
    }
    x += "  </channel>\n</rss>\n";
    return x;
}

}  // namespace amends::status
