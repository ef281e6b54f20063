// The console's toolkit without a server: escaping, form reading, URL encoding.

#include <gtest/gtest.h>

#include "http/console.h"

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

}  // namespace
}  // namespace amends::http::console
