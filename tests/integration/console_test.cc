// The console's sign-in, sessions and CSRF rules over real HTTP: passwords wrong and right, the session cookie on
// pages and on the JSON API (with X-CSRF-Token for writes), sign-out, idle and absolute expiry, and the assets.

#include <gtest/gtest.h>

#include <regex>

#include "tests/integration/api_fixture.h"
#include "tests/support/process.h"

namespace amends::testing {
namespace {

class ConsoleTest : public ApiTest {
protected:
    void SetUp() override {
        ApiTest::SetUp();
        auto added = Post("/api/v1/users", {{"name", "alex"}, {"role", "agent"}, {"password", "correct horse battery"}});
        ASSERT_EQ(added.status, 201) << added.body;
        EXPECT_FALSE(Json(added).contains("password"));
    }

    // Form-posts a sign-in; the reply carries the cookie on success.
    HttpReply SignIn(const std::string& name, const std::string& password, std::map<std::string, std::string> headers = {}) {
        headers["Authorization"] = "-";
        headers["Content-Type"] = "application/x-www-form-urlencoded";
        return Call("POST", "/console/sign-in", "name=" + name + "&password=" + password + "&next=%2Fconsole%2Fusers",
                    headers);
    }
    // The cookie "amends_session=..." of a successful sign-in.
    std::string CookieOf(const HttpReply& reply) {
        auto it = reply.headers.find("set-cookie");
        if (it == reply.headers.end()) return "";
        return it->second.substr(0, it->second.find(';'));
    }
    HttpReply WithCookie(const std::string& method, const std::string& target, const std::string& cookie,
                         const std::string& body = "", std::map<std::string, std::string> headers = {}) {
        headers["Authorization"] = "-";
        headers["Cookie"] = cookie;
        return Call(method, target, body, headers);
    }
    std::string CsrfOf(const std::string& page) {
        std::smatch m;
        static const std::regex re("name=\"csrf-token\" content=\"([^\"]+)\"");
        return std::regex_search(page, m, re) ? m[1].str() : "";
    }
    int CountMessages(Id case_id) { return static_cast<int>(Json(Get("/api/v1/cases/" + std::to_string(case_id) + "/messages"))["data"].size()); }
};

TEST_F(ConsoleTest, AWrongPasswordOrUnknownNameIsRefusedAlikeAndTheRightOneSignsIn) {
    auto wrong = SignIn("alex", "not-the-password");
    EXPECT_EQ(wrong.status, 401);
    EXPECT_EQ(CookieOf(wrong), "");
    EXPECT_NE(wrong.body.find("The user name or password is wrong."), std::string::npos);
    auto unknown = SignIn("nobody", "not-the-password");
    EXPECT_EQ(unknown.status, 401);
    EXPECT_NE(unknown.body.find("The user name or password is wrong."), std::string::npos);

    auto right = SignIn("alex", "correct+horse+battery");
    ASSERT_EQ(right.status, 303) << right.body;
    EXPECT_EQ(right.headers["location"], "/console/users");
    const std::string& set = right.headers["set-cookie"];
    EXPECT_NE(set.find("HttpOnly"), std::string::npos);
    EXPECT_NE(set.find("SameSite=Lax"), std::string::npos);
    EXPECT_NE(set.find("Path=/"), std::string::npos);
    EXPECT_EQ(set.find("Secure"), std::string::npos) << "public_url is http here";
    auto page = WithCookie("GET", "/console", CookieOf(right));
    EXPECT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("alex (agent)"), std::string::npos);
}

TEST_F(ConsoleTest, AUserWithoutAPasswordCannotSignIn) {
    ASSERT_EQ(Post("/api/v1/users", {{"name", "robot"}, {"role", "agent"}}).status, 201);
    EXPECT_EQ(SignIn("robot", "").status, 400);
    EXPECT_EQ(SignIn("robot", "anything-at-all").status, 401);
}

TEST_F(ConsoleTest, APasswordShorterThanEightIsRefusedNamingTheField) {
    auto r = Post("/api/v1/users", {{"name", "sam"}, {"role", "agent"}, {"password", "short"}});
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(Json(r)["error"]["field"], "password");
    EXPECT_EQ(Json(Get("/api/v1/users"))["data"].size(), 2u) << "nothing was written";
}

TEST_F(ConsoleTest, RepeatedWrongPasswordsSlowTheNameDown) {
    for (int i = 0; i < 5; ++i) EXPECT_EQ(SignIn("alex", "wrong-" + std::to_string(i)).status, 401);
    EXPECT_EQ(SignIn("alex", "correct+horse+battery").status, 429) << "even the right password waits";
    clock_.Advance(std::chrono::seconds(31));
    EXPECT_EQ(SignIn("alex", "correct+horse+battery").status, 303);
}

TEST_F(ConsoleTest, SignedOutPagesRedirectToSignInAndTheApiAnswers401) {
    auto page = Call("GET", "/console/cases/1?x=1", "", {{"Authorization", "-"}});
    EXPECT_EQ(page.status, 303);
    EXPECT_EQ(page.headers["location"], "/console/sign-in?next=/console/cases/1%3Fx%3D1");
    EXPECT_EQ(Call("GET", "/api/v1/me", "", {{"Authorization", "-"}}).status, 401);
    EXPECT_EQ(Call("GET", "/api/v1/me", "", {{"Authorization", "-"}, {"Cookie", "amends_session=forged"}}).status, 401);
    EXPECT_EQ(Call("GET", "/console/sign-in", "", {{"Authorization", "-"}}).status, 200);
    EXPECT_EQ(Call("GET", "/assets/console.css", "", {{"Authorization", "-"}}).status, 200);
}

TEST_F(ConsoleTest, TheSignInRedirectStaysOnThisSite) {
    auto r = Call("POST", "/console/sign-in", "name=alex&password=correct+horse+battery&next=%2F%2Fevil.example%2F",
                  {{"Authorization", "-"}});
    ASSERT_EQ(r.status, 303);
    EXPECT_EQ(r.headers["location"], "/console");
}

TEST_F(ConsoleTest, ASignInPostedFromAnotherSiteIsRefused) {
    auto r = SignIn("alex", "correct+horse+battery", {{"Origin", "http://evil.example"}});
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(CookieOf(r), "");
}

TEST_F(ConsoleTest, TheJsonApiTakesTheCookieAndWantsTheCsrfHeaderForWrites) {
    auto cookie = CookieOf(SignIn("alex", "correct+horse+battery"));
    ASSERT_FALSE(cookie.empty());
    auto me = WithCookie("GET", "/api/v1/me", cookie);
    ASSERT_EQ(me.status, 200);
    EXPECT_EQ(Json(me)["name"], "alex");
    std::string csrf = CsrfOf(WithCookie("GET", "/console", cookie).body);
    ASSERT_FALSE(csrf.empty());

    auto customer = NewCustomer("Maya", "maya@example.com");
    Id case_id = Json(Post("/api/v1/cases", {{"customer_id", customer["id"]}, {"subject", "late"}}))["id"];
    std::string path = "/api/v1/cases/" + std::to_string(case_id) + "/messages";
    std::string body = nlohmann::json{{"body", "I am so sorry this is late."}, {"send", false}}.dump();
    auto bare = WithCookie("POST", path, cookie, body);
    EXPECT_EQ(bare.status, 403);
    EXPECT_EQ(Json(bare)["error"]["field"], "X-CSRF-Token");
    EXPECT_EQ(WithCookie("POST", path, cookie, body, {{"X-CSRF-Token", csrf + "x"}}).status, 403);
    EXPECT_EQ(CountMessages(case_id), 0);
    auto sent = WithCookie("POST", path, cookie, body, {{"X-CSRF-Token", csrf}});
    EXPECT_EQ(sent.status, 201) << sent.body;
    EXPECT_EQ(CountMessages(case_id), 1);
    // Agents by cookie keep their role: the admins' routes are refused.
    EXPECT_EQ(WithCookie("GET", "/api/v1/users", cookie).status, 403);
    // A bearer token needs no CSRF header, cookie or not.
    EXPECT_EQ(Call("POST", path, body, {{"Cookie", cookie}}).status, 201);
}

// Regression: a CSV chunk uploaded from the incident page with a row the board refuses (no such customer) was
// named by its API index, customers[0].customer_id; like a malformed row, it is named by its line in the chunk.
TEST_F(ConsoleTest, ARefusedRowOfAnUploadedCsvIsNamedByItsLine) {
    auto cookie = CookieOf(SignIn("alex", "correct+horse+battery"));
    ASSERT_FALSE(cookie.empty());
    std::string csrf = CsrfOf(WithCookie("GET", "/console", cookie).body);
    ASSERT_FALSE(csrf.empty());
    auto declared = Post("/api/v1/incidents", {{"name", "Checkout failing"}, {"body", "We're sorry: checkout is down."},
                                               {"next_update_in", "1h"}});
    ASSERT_EQ(declared.status, 201) << declared.body;
    std::string path = "/console/incidents/" + Json(declared)["id"].get<std::string>() + "/affected";
    auto customer = NewCustomer("Maya", "maya@example.com");
    std::string csv = "customer_id,order\n" + std::to_string(customer["id"].get<Id>()) + ",A-1\n999,A-2\n";
    auto refused = WithCookie("POST", path, cookie, csv, {{"X-CSRF-Token", csrf}, {"Content-Type", "text/csv"}});
    EXPECT_EQ(refused.status, 400) << refused.body;
    EXPECT_EQ(Json(refused)["error"]["message"], "line 3: no customer 999") << refused.body;
    EXPECT_EQ(Json(refused)["error"]["field"], "csv") << refused.body;
    auto fine = WithCookie("POST", path, cookie, "customer_id\n" + std::to_string(customer["id"].get<Id>()) + "\n",
                           {{"X-CSRF-Token", csrf}, {"Content-Type", "text/csv"}});
    EXPECT_EQ(fine.status, 200) << fine.body;
    EXPECT_EQ(Json(fine)["attached"], 1) << "nothing of the refused chunk was kept: " << fine.body;
}

TEST_F(ConsoleTest, APageFormWithoutItsCsrfTokenIsRefusedAndWritesNothing) {
    auto cookie = CookieOf(SignIn("alex", "correct+horse+battery"));
    auto customer = NewCustomer("Maya", "maya@example.com");
    Id case_id = Json(Post("/api/v1/cases", {{"customer_id", customer["id"]}, {"subject", "late"}}))["id"];
    std::string path = "/console/cases/" + std::to_string(case_id) + "/reply";
    auto refused = WithCookie("POST", path, cookie, "body=I+am+so+sorry.&send=1");
    EXPECT_EQ(refused.status, 403);
    EXPECT_EQ(CountMessages(case_id), 0);
    std::string csrf = CsrfOf(WithCookie("GET", "/console", cookie).body);
    auto posted = WithCookie("POST", path, cookie, "body=I+am+so+sorry+this+is+late.&completes=acknowledge&_csrf=" + csrf);
    EXPECT_EQ(posted.status, 303) << posted.body;
    EXPECT_EQ(CountMessages(case_id), 1);
    // Another session's token is not this one's.
    auto other = CookieOf(SignIn("alex", "correct+horse+battery"));
    EXPECT_EQ(WithCookie("POST", path, other, "body=Sorry+again.&_csrf=" + csrf).status, 403);
    EXPECT_EQ(CountMessages(case_id), 1);
}

TEST_F(ConsoleTest, SignOutEndsTheSession) {
    auto cookie = CookieOf(SignIn("alex", "correct+horse+battery"));
    std::string csrf = CsrfOf(WithCookie("GET", "/console", cookie).body);
    EXPECT_EQ(WithCookie("POST", "/console/sign-out", cookie, "").status, 403) << "sign-out needs the token too";
    auto out = WithCookie("POST", "/console/sign-out", cookie, "_csrf=" + csrf);
    EXPECT_EQ(out.status, 303);
    EXPECT_NE(out.headers["set-cookie"].find("Max-Age=0"), std::string::npos);
    EXPECT_EQ(WithCookie("GET", "/console", cookie).status, 303);
    EXPECT_EQ(WithCookie("GET", "/api/v1/me", cookie).status, 401);
}

TEST_F(ConsoleTest, ASessionExpiresAfter12IdleHoursAndAfter7DaysInAnyCase) {
    auto idle = CookieOf(SignIn("alex", "correct+horse+battery"));
    clock_.Advance(std::chrono::hours(11));
    EXPECT_EQ(WithCookie("GET", "/api/v1/me", idle).status, 200) << "used within 12 hours";
    store_->WriteAndWait([](store::Tx&) { return true; });  // the touch is a write of its own; let it commit
    clock_.Advance(std::chrono::hours(11));
    EXPECT_EQ(WithCookie("GET", "/api/v1/me", idle).status, 200) << "12 hours count from the last use";
    clock_.Advance(std::chrono::hours(12));
    EXPECT_EQ(WithCookie("GET", "/api/v1/me", idle).status, 401);
    EXPECT_EQ(WithCookie("GET", "/console", idle).status, 303);

    auto busy = CookieOf(SignIn("alex", "correct+horse+battery"));
    for (int i = 1; i <= 16; ++i) {  // used every 11 hours: never idle, but past 7 days (168 h) after the 15th
        clock_.Advance(std::chrono::hours(11));
        EXPECT_EQ(WithCookie("GET", "/api/v1/me", busy).status, i * 11 < 168 ? 200 : 401) << "after " << i * 11 << " h";
        store_->WriteAndWait([](store::Tx&) { return true; });
    }
}

TEST_F(ConsoleTest, APasswordResetSignsTheUserOut) {
    auto cookie = CookieOf(SignIn("alex", "correct+horse+battery"));
    ASSERT_EQ(WithCookie("GET", "/api/v1/me", cookie).status, 200);
    ASSERT_EQ(Post("/api/v1/users", {{"name", "lee"}, {"role", "admin"}, {"password", "admins own secret"}}).status, 201);
    auto admin = CookieOf(SignIn("lee", "admins+own+secret"));
    std::string csrf = CsrfOf(WithCookie("GET", "/console/users", admin).body);
    Id alex = 0;
    auto users = Json(Get("/api/v1/users"));
    for (const auto& u : users["data"])
        if (u["name"] == "alex") alex = u["id"];
    auto reset = WithCookie("POST", "/console/users/" + std::to_string(alex) + "/password", admin,
                            "password=a+new+password&_csrf=" + csrf);
    EXPECT_EQ(reset.status, 200) << reset.body;
    EXPECT_EQ(WithCookie("GET", "/api/v1/me", cookie).status, 401);
    EXPECT_EQ(SignIn("alex", "correct+horse+battery").status, 401);
    EXPECT_EQ(SignIn("alex", "a+new+password").status, 303);
}

TEST_F(ConsoleTest, TheCliSetsAPasswordFromStandardInput) {
    ASSERT_EQ(Post("/api/v1/users", {{"name", "first-admin"}, {"role", "admin"}}).status, 201);
    std::string cli = std::string(AMENDS_BINARY_PATH) + " user password ";
    EXPECT_EQ(RunShell("printf 'short\\n' | " + cli + "first-admin --db " + db_).exit_code, 64);
    EXPECT_EQ(RunShell("printf 'long enough now\\n' | " + cli + "nobody --db " + db_).exit_code, 65);
    EXPECT_EQ(SignIn("first-admin", "long+enough+now").status, 401);
    auto set = RunShell("printf 'long enough now\\n' | " + cli + "first-admin --db " + db_);
    EXPECT_EQ(set.exit_code, 0) << set.out;
    EXPECT_EQ(SignIn("first-admin", "long+enough+now").status, 303);
}

TEST_F(ConsoleTest, AssetsHaveTheirTypeAnEtagAndAnswer304WhenUnchanged) {
    auto css = Call("GET", "/assets/console.css", "", {{"Authorization", "-"}});
    ASSERT_EQ(css.status, 200);
    EXPECT_EQ(css.headers["content-type"], "text/css; charset=utf-8");
    EXPECT_EQ(css.headers["cache-control"], "public, max-age=3600");
    std::string etag = css.headers["etag"];
    ASSERT_FALSE(etag.empty());
    auto again = Call("GET", "/assets/console.css", "", {{"Authorization", "-"}, {"If-None-Match", etag}});
    EXPECT_EQ(again.status, 304);
    EXPECT_TRUE(again.body.empty());
    auto js = Call("GET", "/assets/coach.js", "", {{"Authorization", "-"}});
    EXPECT_EQ(js.headers["content-type"], "text/javascript; charset=utf-8");
    EXPECT_NE(js.headers["etag"], etag);
    EXPECT_EQ(Call("GET", "/assets/nothing.js", "", {{"Authorization", "-"}}).status, 404);
    EXPECT_EQ(Call("GET", "/assets/..%2Fconsole.cc", "", {{"Authorization", "-"}}).status, 404);
}

TEST_F(ConsoleTest, PagesForbidInlineScriptAndAreNotCached) {
    auto cookie = CookieOf(SignIn("alex", "correct+horse+battery"));
    auto page = WithCookie("GET", "/console", cookie);
    EXPECT_NE(page.headers["content-security-policy"].find("script-src 'self'"), std::string::npos);
    EXPECT_EQ(page.headers["cache-control"], "no-store");
    EXPECT_EQ(page.body.find("<script>"), std::string::npos);
}

}  // namespace
}  // namespace amends::testing
