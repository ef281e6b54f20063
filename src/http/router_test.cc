#include "http/router.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace amends::http {
namespace {

Response Serve(const Router& router, std::string method, std::string target) {
    Request req;
    req.method = std::move(method);
    req.target = target;
    EXPECT_TRUE(ParseTarget(target, req.path, req.query));
    Response out;
    router.Dispatch(req, [&](Response r) { out = std::move(r); });
    return out;
}

Router Sample() {
    Router router;
    router.Add("GET", "/api/v1/cases/{id}", [](const Request&, const PathParams& p, Respond respond) {
        Response r;
        r.body = std::string(p.Get("id"));
        respond(std::move(r));
    });
    router.Add("POST", "/api/v1/cases/{id}", [](const Request&, const PathParams&, Respond respond) { respond({}); });
    router.Add("GET", "/boom", [](const Request&, const PathParams&, Respond) { throw std::runtime_error("bug"); });
    return router;
}

TEST(Router, CapturesPathParameters) {
    auto r = Serve(Sample(), "GET", "/api/v1/cases/42");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "42");
}

TEST(Router, UnknownPathsAre404AndOtherMethodsAre405WithAllow) {
    auto router = Sample();
    EXPECT_EQ(Serve(router, "GET", "/api/v1/cases").status, 404);
    EXPECT_EQ(Serve(router, "GET", "/api/v1/cases/42/extra").status, 404);
    EXPECT_EQ(Serve(router, "GET", "/api/v1/cases/").status, 404);
    auto r = Serve(router, "DELETE", "/api/v1/cases/42");
    EXPECT_EQ(r.status, 405);
    ASSERT_EQ(r.headers.size(), 1u);
    EXPECT_EQ(r.headers[0].second, "GET, POST");
}

TEST(Router, AnExceptionInAHandlerIsA500WithoutDetails) {
    auto r = Serve(Sample(), "GET", "/boom");
    EXPECT_EQ(r.status, 500);
    auto body = nlohmann::json::parse(r.body);
    EXPECT_EQ(body["error"]["code"], "internal");
    EXPECT_EQ(r.body.find("bug"), std::string::npos);
}

TEST(Router, HeadIsServedByGet) { EXPECT_EQ(Serve(Sample(), "HEAD", "/api/v1/cases/7").status, 200); }

TEST(ParseTarget, DecodesPathAndQuery) {
    std::string path;
    std::vector<std::pair<std::string, std::string>> query;
    ASSERT_TRUE(ParseTarget("/a%20b/c?x=1&y=hello+world&email=a%40b.c&flag", path, query));
    EXPECT_EQ(path, "/a b/c");
    ASSERT_EQ(query.size(), 4u);
    EXPECT_EQ(query[1], (std::pair<std::string, std::string>{"y", "hello world"}));
    EXPECT_EQ(query[2].second, "a@b.c");
    EXPECT_EQ(query[3], (std::pair<std::string, std::string>{"flag", ""}));
}

TEST(ParseTarget, RejectsBadEscapesNulAndRelativeTargets) {
    std::string path;
    std::vector<std::pair<std::string, std::string>> query;
    for (const char* bad : {"/a%2", "/a%zz", "/a%00b", "relative", "", "/x?k=%"})
        EXPECT_FALSE(ParseTarget(bad, path, query)) << bad;
}

}  // namespace
}  // namespace amends::http
