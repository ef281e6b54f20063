// /history.atom and /history.rss: well-formed (xmllint), with the elements RFC 4287 and RSS 2.0 require.
#include <gtest/gtest.h>

#include "status/render.h"
#include "status/status_testing.h"
#include "status/xml_testing.h"

namespace amends::status {
namespace {

using testing::BusyPage;
using testing::T;
using testing::Xmllint;
using testing::XPath;

const TimePoint kStart = T("2026-01-10T08:00:00Z");

// Namespace-free paths: a[local-name()='x'] for each step.
std::string A(const std::string& name) { return "*[local-name()='" + name + "']"; }

TEST(StatusFeeds, XmllintIsInstalled) {
    // libxml2-utils (Debian 12); the feed tests below need it.
    ASSERT_EQ(Xmllint("--version", "<x/>").status, 0) << "install libxml2-utils";
}

TEST(StatusFeeds, AtomIsWellFormedWithTheRequiredElements) {
    const Page page = BusyPage(kStart);
    const std::string atom = HistoryAtom(page);
    const auto lint = Xmllint("--noout", atom);
    ASSERT_EQ(lint.status, 0) << lint.output;
    EXPECT_EQ(XPath(atom, "namespace-uri(/*)"), "http://www.w3.org/2005/Atom");
    const std::string feed = "/" + A("feed");
    // RFC 4287 4.1.1: a feed has exactly one id, title and updated, and an author (here on the feed).
    for (const char* e : {"id", "title", "updated", "author"})
        EXPECT_EQ(XPath(atom, "count(" + feed + "/" + A(e) + ")"), "1") << e;
    EXPECT_EQ(XPath(atom, "count(" + feed + "/" + A("link") + "[@rel='self'])"), "1");
    EXPECT_EQ(XPath(atom, "count(" + feed + "/" + A("entry") + ")"), "7");
    // 4.1.2: each entry has exactly one id, title and updated, and a link or content.
    for (const char* e : {"id", "title", "updated", "published", "content"})
        EXPECT_EQ(XPath(atom, "count(" + feed + "/" + A("entry") + "[count(" + A(e) + ") != 1])"), "0") << e;
    EXPECT_EQ(XPath(atom, "count(" + feed + "/" + A("entry") + "[not(" + A("link") + "[@rel='alternate'])])"), "0");
    // Newest first; the content is the updates as HTML, escaped once for XML.
    EXPECT_EQ(XPath(atom, "string(" + feed + "/" + A("entry") + "[1]/" + A("title") + ")"), "Login slow");
    EXPECT_EQ(XPath(atom, "string(" + feed + "/" + A("entry") + "[1]/" + A("link") + "/@href)"),
              "https://status.acme.example/incidents/open2");
    EXPECT_EQ(XPath(atom, "string(" + feed + "/" + A("title") + ")"),
              "Acme <Shop> & \"Co\" Status - Incident History");
    const std::string content =
        XPath(atom, "string(" + feed + "/" + A("entry") + "[" + A("id") + "='tag:status.acme.example,2005:Incident/old1']/" +
                        A("content") + ")");
    EXPECT_NE(content.find("<strong>Postmortem</strong> - Root cause: a &lt;bad&gt; config."), std::string::npos)
        << content;
    EXPECT_EQ(atom.find("<script>"), std::string::npos);
}

TEST(StatusFeeds, RssIsWellFormedWithTheRequiredElements) {
    const Page page = BusyPage(kStart);
    const std::string rss = HistoryRss(page);
    const auto lint = Xmllint("--noout", rss);
    ASSERT_EQ(lint.status, 0) << lint.output;
    EXPECT_EQ(XPath(rss, "string(/rss/@version)"), "2.0");
    for (const char* e : {"title", "link", "description"})
        EXPECT_EQ(XPath(rss, "count(/rss/channel/" + std::string(e) + ")"), "1") << e;
    EXPECT_EQ(XPath(rss, "count(/rss/channel/item)"), "7");
    for (const char* e : {"title", "description", "pubDate", "link", "guid"})
        EXPECT_EQ(XPath(rss, "count(/rss/channel/item[count(" + std::string(e) + ") != 1])"), "0") << e;
    EXPECT_EQ(XPath(rss, "string(/rss/channel/item[1]/guid)"), "https://status.acme.example/incidents/open2");
    // RFC 822 dates.
    EXPECT_EQ(XPath(rss, "string(/rss/channel/item[last()]/pubDate)"), "Sat, 10 Jan 2026 08:07:00 +0000");
}

TEST(StatusFeeds, MaintenancesCarryTheirWindow) {
    const std::string rss = HistoryRss(BusyPage(kStart));
    const std::string description = XPath(rss, "string(/rss/channel/item[title='Network work']/description)");
    EXPECT_NE(description.find("THIS IS A SCHEDULED EVENT"), std::string::npos) << description;
}

TEST(StatusFeeds, AnEmptyPageStillMakesValidFeeds) {
    Page page;
    page.info = PageInfo{"p", "Empty", "http://localhost:8080", "Etc/UTC"};
    EXPECT_EQ(Xmllint("--noout", HistoryAtom(page)).status, 0);
    EXPECT_EQ(Xmllint("--noout", HistoryRss(page)).status, 0);
    EXPECT_EQ(XPath(HistoryAtom(page), "string(/*/*[local-name()='id'])"), "tag:localhost,2005:/history");
}

TEST(StatusFeeds, CharactersXmlCannotCarryAreDropped) {
    Page page;
    page.info = PageInfo{"p", std::string("Bad\x01name\xef\xbf\xbe"), "http://x", "Etc/UTC"};
    EXPECT_EQ(Xmllint("--noout", HistoryAtom(page)).status, 0);
}

}  // namespace
}  // namespace amends::status
