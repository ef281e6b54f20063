// The console's toolkit without a server: escaping, form reading, URL encoding.

#include <gtest/gtest.h>

#include "http/console.h"
#include "http/console_format.h"

namespace amends::http::console {
namespace {

TEST(ConsoleEsc, EscapesEveryCharacterThatCouldOpenMarkupOrLeaveAnAttribute) {
    EXPECT_EQ(Esc("<script>alert(1)</script>"), "&lt;script&gt;alert(1)&lt;/script&gt;");
    EXPECT_EQ(Esc("a\"b'c&d"), "a&quot;b&#39;c&amp;d");
    EXPECT_EQ(Esc("Grüße, 東京"), "Grüße, 東京");
    EXPECT_EQ(Esc(""), "");
}

Request Post(std::string body, std::string target = "/x") {
    Request r;
    r.method = "POST";
    r.target = target;
    r.body = std::move(body);
    std::string path;
    ParseTarget(target, path, r.query);
    r.path = path;
    return r;
}

TEST(ConsoleForm, ReadsUrlencodedBodiesWithPlusAsSpaceAndRepeatedFields) {
    auto r = Post("body=I%27m+so+sorry&completes=acknowledge&completes=apologize&empty=");
    EXPECT_EQ(FormValue(r, "body"), "I'm so sorry");
    EXPECT_EQ(FormValues(r, "completes"), (std::vector<std::string>{"acknowledge", "apologize"}));
    EXPECT_EQ(FormValue(r, "empty"), "");
    EXPECT_EQ(FormValue(r, "missing"), std::nullopt);
}

TEST(ConsoleForm, FallsBackToTheQueryStringAndIgnoresAGetBody) {
    auto r = Post("a=body", "/x?a=query&b=2");
    EXPECT_EQ(FormValue(r, "a"), "body");
    EXPECT_EQ(FormValue(r, "b"), "2");
    r.method = "GET";
    EXPECT_EQ(FormValue(r, "a"), "query");
}

TEST(ConsoleForm, AMalformedBodyHasNoFields) {
    EXPECT_EQ(FormValue(Post("a=%zz"), "a"), std::nullopt);
    EXPECT_EQ(FormValue(Post("a=%00"), "a"), std::nullopt);
}

TEST(ConsoleUrl, EncodesEverythingButUnreservedCharactersAndSlashes) {
    EXPECT_EQ(UrlEncode("/console/cases/1?x=1&y=a b"), "/console/cases/1%3Fx%3D1%26y%3Da%20b");
}

TEST(ConsoleCookie, FindsTheSessionAmongOtherCookies) {
    Request r;
    r.headers = {{"cookie", "theme=dark; amends_session=abc_DEF-1; other=x"}};
    EXPECT_EQ(SessionCookie(r), "abc_DEF-1");
    r.headers = {{"cookie", "xamends_session=no"}};
    EXPECT_EQ(SessionCookie(r), "");
}

TEST(ConsoleCsrf, MatchesOnlyTheSameNonEmptyToken) {
    EXPECT_TRUE(CsrfMatches("tok", "tok"));
    EXPECT_FALSE(CsrfMatches("tok", "tol"));
    EXPECT_FALSE(CsrfMatches("to", "tok"));
    EXPECT_FALSE(CsrfMatches("", ""));
}

TEST(ConsoleDuration, RoundsDownToTheTwoUnitsThatMatter) {
    using std::chrono::days, std::chrono::hours, std::chrono::minutes, std::chrono::seconds;
    struct Case {
        Millis length;
        const char* text;
    } cases[] = {
        {seconds(59), "under a minute"},
        {minutes(4), "4 min"},
        {hours(2), "2 h"},
        {hours(2) + minutes(5) + seconds(59), "2 h 5 min"},
        {days(3), "3 d"},
        {days(3) + hours(4) + minutes(59), "3 d 4 h"},
        {days(400) + minutes(1), "400 d"},
    };
    for (const auto& c : cases) EXPECT_EQ(Duration(c.length), c.text) << c.text;
}

}  // namespace
}  // namespace amends::http::console
