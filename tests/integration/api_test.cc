// Black-box tests of the JSON API: a real server on an ephemeral port, a real SQLite file, real HTTP.

#include <set>

#include "tests/integration/api_fixture.h"

namespace amends::testing {
namespace {

using nlohmann::json;

TEST_F(ApiTest, HealthzNeedsNoToken) {
    auto reply = Call("GET", "/healthz", "", {{"Authorization", "-"}});
    EXPECT_EQ(reply.status, 200);
    EXPECT_EQ(Json(reply)["status"], "ok");
}

TEST_F(ApiTest, CreatesAndReadsACustomer) {
    auto created = Post("/api/v1/customers", {{"name", "Maya Lindqvist"},
                                              {"email", "maya@example.com"},
                                              {"external_ref", "cust-1"},
                                              {"attributes", {{"plan", "family"}}},
                                              {"value", 480.5}});
    ASSERT_EQ(created.status, 201) << created.body;
    auto id = Json(created)["id"].get<Id>();
    auto read = Get("/api/v1/customers/" + std::to_string(id));
    ASSERT_EQ(read.status, 200);
    auto c = Json(read);
    EXPECT_EQ(c["name"], "Maya Lindqvist");
    EXPECT_EQ(c["external_ref"], "cust-1");
    EXPECT_EQ(c["attributes"]["plan"], "family");
    EXPECT_DOUBLE_EQ(c["value"].get<double>(), 480.5);
    auto by_email = Json(Get("/api/v1/customers?email=maya%40example.com"));
    ASSERT_EQ(by_email["data"].size(), 1u);
    EXPECT_EQ(by_email["data"][0]["id"], id);
}

TEST_F(ApiTest, DuplicateExternalRefIsAConflictAndWritesNothing) {
    ASSERT_EQ(Post("/api/v1/customers", {{"name", "A"}, {"external_ref", "x-1"}}).status, 201);
    auto again = Post("/api/v1/customers", {{"name", "B"}, {"external_ref", "x-1"}});
    EXPECT_EQ(again.status, 409);
    EXPECT_EQ(Json(again)["error"]["field"], "external_ref");
    EXPECT_EQ(Json(Get("/api/v1/customers"))["data"].size(), 1u);
}

TEST_F(ApiTest, OpensACaseAndRecordsItInTheTimeline) {
    auto customer = NewCustomer("Tom Becker", "tom@example.com");
    auto created = Post("/api/v1/cases", {{"customer_id", customer["id"]},
                                          {"subject", "Order still not shipped"},
                                          {"category", "delivery"},
                                          {"severity", "high"},
                                          {"channel", "email"},
                                          {"reference", "order 1207"}});
    ASSERT_EQ(created.status, 201) << created.body;
    auto c = Json(created);
    EXPECT_EQ(c["state"], "open");
    EXPECT_EQ(c["severity"], "high");
    EXPECT_EQ(c["reference"], "order 1207");
    auto events = Json(Get("/api/v1/cases/" + std::to_string(c["id"].get<Id>()) + "/events"));
    ASSERT_EQ(events["data"].size(), 1u);
    EXPECT_EQ(events["data"][0]["type"], "case.opened");
    EXPECT_EQ(events["data"][0]["data"]["reference"], "order 1207");
}

TEST_F(ApiTest, ACaseWithAnInlineCustomerMatchesAnExistingCustomerByEmail) {
    auto customer = NewCustomer("Ann", "ann@example.com");
    auto created = Post("/api/v1/cases", {{"customer", {{"name", "Ann B."}, {"email", "ann@example.com"}}},
                                          {"subject", "Wrong price at the till"}});
    ASSERT_EQ(created.status, 201) << created.body;
    EXPECT_EQ(Json(created)["customer_id"], customer["id"]);
    auto fresh = Post("/api/v1/cases", {{"customer", {{"name", "New Person"}, {"email", "new@example.com"}}},
                                        {"subject", "Box never came"}});
    ASSERT_EQ(fresh.status, 201);
    EXPECT_NE(Json(fresh)["customer_id"], customer["id"]);
}

TEST_F(ApiTest, ListsCasesNewestFirstInPagesWithoutGapsOrRepeats) {
    auto customer = NewCustomer("Pager", "pager@example.com");
    std::vector<Id> ids;
    for (int i = 0; i < 5; ++i) ids.push_back(NewCase(customer["id"], "case " + std::to_string(i))["id"].get<Id>());
    std::vector<Id> seen;
    std::string target = "/api/v1/cases?limit=2";
    int pages = 0;
    while (true) {
        auto page = Json(Get(target));
        ++pages;
        for (auto& c : page["data"]) seen.push_back(c["id"].get<Id>());
        if (page["next_cursor"].is_null()) break;
        target = "/api/v1/cases?limit=2&cursor=" + page["next_cursor"].get<std::string>();
        ASSERT_LT(pages, 10);
    }
    std::vector<Id> expected(ids.rbegin(), ids.rend());
    EXPECT_EQ(seen, expected);
    EXPECT_EQ(pages, 3);
}

TEST_F(ApiTest, FiltersCasesByStateCustomerCategoryAndSince) {
    auto a = NewCustomer("A", "a@example.com");
    auto b = NewCustomer("B", "b@example.com");
    auto c1 = NewCase(a["id"], "late box", "delivery");
    auto c2 = NewCase(b["id"], "double charge", "billing");
    NewCase(b["id"], "late parcel", "delivery");
    ASSERT_EQ(Patch("/api/v1/cases/" + std::to_string(c2["id"].get<Id>()), {{"state", "resolved"}}).status, 200);

    auto ids = [&](const std::string& query) {
        std::set<Id> out;
        auto page = Json(Get("/api/v1/cases?" + query));
        for (auto& c : page["data"]) out.insert(c["id"].get<Id>());
        return out;
    };
    EXPECT_EQ(ids("state=resolved"), std::set<Id>{c2["id"].get<Id>()});
    EXPECT_EQ(ids("customer=" + std::to_string(a["id"].get<Id>())), std::set<Id>{c1["id"].get<Id>()});
    EXPECT_EQ(ids("category=delivery").size(), 2u);
    EXPECT_EQ(ids("category=delivery&state=open&customer=" + std::to_string(b["id"].get<Id>())).size(), 1u);
    EXPECT_EQ(ids("since=2000-01-01T00:00:00Z").size(), 3u);
    EXPECT_TRUE(ids("since=2999-01-01").empty());
}

TEST_F(ApiTest, PatchChangesACaseAndRecordsEachChange) {
    auto customer = NewCustomer("C", "c@example.com");
    auto id = std::to_string(NewCase(customer["id"], "Laptop skin billed as wall skin", "billing")["id"].get<Id>());
    auto patched = Patch("/api/v1/cases/" + id, {{"severity", "high"}, {"state", "waiting_on_customer"}, {"reference", "order FH-1"}});
    ASSERT_EQ(patched.status, 200) << patched.body;
    EXPECT_EQ(Json(patched)["state"], "waiting_on_customer");
    auto events = Json(Get("/api/v1/cases/" + id + "/events"))["data"];
    std::vector<std::string> types;
    for (auto& e : events) types.push_back(e["type"]);
    EXPECT_EQ(types, (std::vector<std::string>{"case.opened", "case.updated", "case.state_changed"}));
    EXPECT_EQ(events[1]["data"]["changes"]["severity"]["to"], "high");
    EXPECT_EQ(events[2]["data"]["to"], "waiting_on_customer");

    // The customer's reply reopens a case that was waiting on them.
    auto msg = Post("/api/v1/cases/" + id + "/messages", {{"direction", "in"}, {"body", "Here is my order number."}});
    ASSERT_EQ(msg.status, 201) << msg.body;
    EXPECT_EQ(Json(Get("/api/v1/cases/" + id))["state"], "open");
}

TEST_F(ApiTest, AClosedCaseCannotBeReopened) {
    auto customer = NewCustomer("D", "d@example.com");
    auto id = std::to_string(NewCase(customer["id"], "x")["id"].get<Id>());
    ASSERT_EQ(Patch("/api/v1/cases/" + id, {{"state", "closed"}}).status, 200);
    auto reopen = Patch("/api/v1/cases/" + id, {{"state", "open"}});
    EXPECT_EQ(reopen.status, 409);
    EXPECT_EQ(Json(reopen)["error"]["field"], "state");
    EXPECT_EQ(Json(Get("/api/v1/cases/" + id))["state"], "closed");
}

TEST_F(ApiTest, MessagesAndNotesAppearInOrder) {
    auto customer = NewCustomer("E", "e@example.com");
    auto id = std::to_string(NewCase(customer["id"], "Grocery box never came")["id"].get<Id>());
    ASSERT_EQ(Post("/api/v1/cases/" + id + "/messages", {{"direction", "in"}, {"body", "Where is my box?"}}).status, 201);
    ASSERT_EQ(Post("/api/v1/cases/" + id + "/messages", {{"body", "I'm sorry we let you down."}}).status, 201);
    ASSERT_EQ(Post("/api/v1/cases/" + id + "/events", {{"type", "note"}, {"body", "Courier confirmed"}}).status, 201);
    auto messages = Json(Get("/api/v1/cases/" + id + "/messages"))["data"];
    ASSERT_EQ(messages.size(), 2u);
    EXPECT_EQ(messages[0]["direction"], "in");
    EXPECT_EQ(messages[0]["author"], "customer");
    EXPECT_EQ(messages[1]["direction"], "out");
    EXPECT_EQ(messages[1]["author"].get<std::string>().rfind("user:", 0), 0u);
    auto events = Json(Get("/api/v1/cases/" + id + "/events"))["data"];
    ASSERT_EQ(events.size(), 4u);
    EXPECT_EQ(events[1]["type"], "message.received");
    EXPECT_EQ(events[2]["type"], "message.sent");
    EXPECT_EQ(events[3]["type"], "note.added");
    EXPECT_EQ(Get("/api/v1/cases/999999/messages").status, 404);
}

TEST_F(ApiTest, AnIdempotentRetryReturnsTheFirstResultAndCreatesNothingNew) {
    auto customer = NewCustomer("F", "f@example.com");
    json body = {{"customer_id", customer["id"]}, {"subject", "Charged twice"}};
    auto first = Post("/api/v1/cases", body, {{"Idempotency-Key", "retry-1"}});
    ASSERT_EQ(first.status, 201);
    auto second = Post("/api/v1/cases", body, {{"Idempotency-Key", "retry-1"}});
    EXPECT_EQ(second.status, 201);
    EXPECT_EQ(second.body, first.body);
    EXPECT_EQ(second.headers["idempotent-replayed"], "true");
    EXPECT_EQ(CountCases(), 1);
}

TEST_F(ApiTest, TheSameKeyWithAnotherBodyIsAConflict) {
    auto customer = NewCustomer("G", "g@example.com");
    ASSERT_EQ(Post("/api/v1/cases", {{"customer_id", customer["id"]}, {"subject", "one"}}, {{"Idempotency-Key", "k"}}).status, 201);
    auto reuse = Post("/api/v1/cases", {{"customer_id", customer["id"]}, {"subject", "two"}}, {{"Idempotency-Key", "k"}});
    EXPECT_EQ(reuse.status, 409);
    EXPECT_EQ(Json(reuse)["error"]["field"], "Idempotency-Key");
    EXPECT_EQ(CountCases(), 1);
}

TEST_F(ApiTest, ConcurrentRetriesWithOneKeyCreateOneCase) {
    auto customer = NewCustomer("H", "h@example.com");
    std::string body = json{{"customer_id", customer["id"]}, {"subject", "burst"}}.dump();
    std::vector<std::thread> threads;
    std::vector<std::string> bodies(8);
    for (int i = 0; i < 8; ++i)
        threads.emplace_back([&, i] {
            HttpClient client(port_);
            auto r = client.Send("POST", "/api/v1/cases", body,
                                 {{"Authorization", "Bearer " + token_}, {"Idempotency-Key", "burst-key"}});
            bodies[i] = r.status == 201 ? r.body : "status " + std::to_string(r.status);
        });
    for (auto& t : threads) t.join();
    for (auto& b : bodies) EXPECT_EQ(b, bodies[0]);
    EXPECT_EQ(CountCases(), 1);
}

TEST_F(ApiTest, IdempotencyHoldsAcrossARestart) {
    auto customer = NewCustomer("I", "i@example.com");
    json body = {{"customer_id", customer["id"]}, {"subject", "before restart"}};
    auto first = Post("/api/v1/cases", body, {{"Idempotency-Key", "restart-1"}});
    ASSERT_EQ(first.status, 201);
    StopServer();
    StartServer();
    auto again = Post("/api/v1/cases", body, {{"Idempotency-Key", "restart-1"}});
    EXPECT_EQ(again.status, 201);
    EXPECT_EQ(again.body, first.body);
    EXPECT_EQ(CountCases(), 1);
}

TEST_F(ApiTest, MissingOrWrongTokensAre401AndTooLowARoleIs403) {
    EXPECT_EQ(Call("GET", "/api/v1/cases", "", {{"Authorization", "-"}}).status, 401);
    EXPECT_EQ(Call("GET", "/api/v1/cases", "", {{"Authorization", "Bearer nope"}}).status, 401);
    EXPECT_EQ(Call("GET", "/api/v1/cases", "", {{"Authorization", "Basic YTpi"}}).status, 401);
    std::string forged = token_.substr(0, token_.size() - 2) + (token_.back() == 'A' ? "BB" : "AA");
    EXPECT_EQ(Call("GET", "/api/v1/cases", "", {{"Authorization", "Bearer " + forged}}).status, 401);
    auto unauthorized = Call("GET", "/api/v1/cases", "", {{"Authorization", "-"}});
    EXPECT_EQ(Json(unauthorized)["error"]["code"], "unauthorized");
    EXPECT_EQ(unauthorized.headers["www-authenticate"], "Bearer");

    std::string agent = AddUser("agent1", Role::kAgent);
    EXPECT_EQ(Call("GET", "/api/v1/cases", "", {}, agent).status, 200);
    auto forbidden = Call("GET", "/api/v1/users", "", {}, agent);
    EXPECT_EQ(forbidden.status, 403);
    EXPECT_EQ(Json(forbidden)["error"]["code"], "forbidden");
    EXPECT_EQ(Call("GET", "/api/v1/users").status, 200);
}

TEST_F(ApiTest, AnAdminAddsAUserWhoseTokenWorks) {
    auto added = Post("/api/v1/users", {{"name", "mgr"}, {"role", "manager"}});
    ASSERT_EQ(added.status, 201) << added.body;
    std::string token = Json(added)["token"];
    auto me = Call("GET", "/api/v1/me", "", {}, token);
    ASSERT_EQ(me.status, 200);
    EXPECT_EQ(Json(me)["role"], "manager");
    EXPECT_EQ(Post("/api/v1/users", {{"name", "mgr"}, {"role", "agent"}}).status, 409);
}

struct BadInput {
    const char* name;
    const char* method;
    const char* target;
    std::string body;
    int status;
    const char* field;  // "" when the error names no field
};

TEST_F(ApiTest, BadInputGetsAClearErrorAndWritesNothing) {
    auto customer = NewCustomer("J", "j@example.com");
    std::string cid = std::to_string(customer["id"].get<Id>());
    std::string case_id = std::to_string(NewCase(customer["id"], "existing")["id"].get<Id>());
    const std::vector<BadInput> cases = {
        {"malformed JSON", "POST", "/api/v1/cases", "{\"subject\": ", 400, ""},
        {"not an object", "POST", "/api/v1/cases", "[1,2]", 400, ""},
        {"empty body", "POST", "/api/v1/cases", "", 400, ""},
        {"wrong type", "POST", "/api/v1/cases", "{\"customer_id\": " + cid + ", \"subject\": 7}", 400, "subject"},
        {"id as string", "POST", "/api/v1/cases", "{\"customer_id\": \"" + cid + "\", \"subject\": \"x\"}", 400, "customer_id"},
        {"missing subject", "POST", "/api/v1/cases", "{\"customer_id\": " + cid + "}", 400, "subject"},
        {"blank subject", "POST", "/api/v1/cases", "{\"customer_id\": " + cid + ", \"subject\": \"  \"}", 400, "subject"},
        {"unknown field", "POST", "/api/v1/cases", "{\"customer_id\": " + cid + ", \"subject\": \"x\", \"priority\": 1}", 400, "priority"},
        {"unknown nested field", "POST", "/api/v1/cases", "{\"customer\": {\"name\": \"x\", \"mail\": \"a@b.c\"}, \"subject\": \"x\"}", 400, "customer.mail"},
        {"bad enum", "POST", "/api/v1/cases", "{\"customer_id\": " + cid + ", \"subject\": \"x\", \"severity\": \"urgent\"}", 400, "severity"},
        {"bad category", "POST", "/api/v1/cases", "{\"customer_id\": " + cid + ", \"subject\": \"x\", \"category\": \"Late Delivery!\"}", 400, "category"},
        {"over-long subject", "POST", "/api/v1/cases", "{\"customer_id\": " + cid + ", \"subject\": \"" + std::string(501, 'a') + "\"}", 400, "subject"},
        {"invalid UTF-8", "POST", "/api/v1/cases", "{\"customer_id\": " + cid + ", \"subject\": \"caf\xc3\x28\"}", 400, ""},
        {"escaped NUL", "POST", "/api/v1/cases", "{\"customer_id\": " + cid + ", \"subject\": \"a\\u0000b\"}", 400, "subject"},
        {"unknown customer", "POST", "/api/v1/cases", "{\"customer_id\": 999999, \"subject\": \"x\"}", 422, "customer_id"},
        {"huge id", "POST", "/api/v1/cases", "{\"customer_id\": 99999999999999999999, \"subject\": \"x\"}", 400, "customer_id"},
        {"bad email", "POST", "/api/v1/customers", "{\"name\": \"x\", \"email\": \"not-an-email\"}", 400, "email"},
        {"negative value", "POST", "/api/v1/customers", "{\"name\": \"x\", \"value\": -5}", 400, "value"},
        {"three decimals", "POST", "/api/v1/customers", "{\"name\": \"x\", \"value\": 1.005}", 400, "value"},
        {"attributes not object", "POST", "/api/v1/customers", "{\"name\": \"x\", \"attributes\": [1]}", 400, "attributes"},
        {"patch unknown field", "PATCH", "/api/v1/cases/CASE", "{\"colour\": \"red\"}", 400, "colour"},
        {"patch bad state", "PATCH", "/api/v1/cases/CASE", "{\"state\": \"done\"}", 400, "state"},
        {"message without body", "POST", "/api/v1/cases/CASE/messages", "{\"direction\": \"out\"}", 400, "body"},
        {"note of another type", "POST", "/api/v1/cases/CASE/events", "{\"type\": \"case.opened\", \"body\": \"x\"}", 400, "type"},
        {"unknown query parameter", "GET", "/api/v1/cases?status=open", "", 400, "status"},
        {"limit too big", "GET", "/api/v1/cases?limit=1000", "", 400, "limit"},
        {"bad cursor", "GET", "/api/v1/cases?cursor=abc", "", 400, "cursor"},
        {"bad since", "GET", "/api/v1/cases?since=yesterday", "", 400, "since"},
        {"id not a number", "GET", "/api/v1/cases/abc", "", 404, ""},
        {"no such case", "GET", "/api/v1/cases/424242", "", 404, ""},
        {"unknown route", "GET", "/api/v1/nothing", "", 404, ""},
        {"bad idempotency key", "POST", "/api/v1/customers", "{\"name\": \"x\"}", 400, "Idempotency-Key"},
    };
    int cases_before = CountCases();
    for (const auto& c : cases) {
        std::string target = c.target;
        if (auto p = target.find("CASE"); p != std::string::npos) target.replace(p, 4, case_id);
        std::map<std::string, std::string> headers;
        if (std::string(c.name) == "bad idempotency key") headers["Idempotency-Key"] = std::string(300, 'k');
        auto reply = Call(c.method, target, c.body, headers);
        EXPECT_EQ(reply.status, c.status) << c.name << ": " << reply.body;
        auto error = Json(reply);
        ASSERT_TRUE(error.is_object()) << c.name << ": " << reply.body;
        EXPECT_TRUE(error["error"]["message"].is_string()) << c.name;
        EXPECT_EQ(error["error"].value("field", ""), c.field) << c.name << ": " << reply.body;
    }
    EXPECT_EQ(CountCases(), cases_before);
    EXPECT_EQ(Json(Get("/api/v1/cases/" + case_id))["subject"], "existing");
    EXPECT_EQ(Json(Get("/api/v1/customers"))["data"].size(), 1u);
}

TEST_F(ApiTest, AnUnknownMethodIs405WithAllow) {
    auto reply = Call("DELETE", "/api/v1/cases");
    EXPECT_EQ(reply.status, 405);
    EXPECT_EQ(Json(reply)["error"]["code"], "method_not_allowed");
    EXPECT_NE(reply.headers["allow"].find("POST"), std::string::npos);
}

TEST_F(ApiTest, ABodyOverTheLimitIs413) {
    std::string big = "{\"name\": \"" + std::string(options_.body_limit + 10, 'x') + "\"}";
    std::string request = "POST /api/v1/customers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token_ +
                          "\r\nContent-Length: " + std::to_string(big.size()) + "\r\n\r\n" + big;
    HttpClient raw(port_);
    auto reply = raw.SendRaw(request);
    EXPECT_EQ(reply.status, 413);
    EXPECT_EQ(Json(reply)["error"]["code"], "payload_too_large");
    EXPECT_EQ(Json(Get("/api/v1/customers"))["data"].size(), 0u);
}

TEST_F(ApiTest, MalformedHttpIs400) {
    HttpClient raw(port_);
    auto reply = raw.SendRaw("NONSENSE\r\n\r\n");
    EXPECT_EQ(reply.status, 400);
    EXPECT_EQ(Json(reply)["error"]["code"], "malformed_request");
}

TEST_F(ApiTest, ASlowClientIsTimedOutWith408) {
    HttpClient slow(port_);
    ASSERT_TRUE(slow.Connect());
    ASSERT_TRUE(slow.Write("POST /api/v1/customers HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"na"));
    auto reply = slow.Read();  // the server gives up after its read timeout (1 s here)
    EXPECT_EQ(reply.status, 408);
    EXPECT_EQ(Json(reply)["error"]["code"], "request_timeout");
    EXPECT_EQ(Get("/healthz").status, 200);  // and keeps serving others
}

TEST_F(ApiTest, KeepAliveServesManyRequestsOnOneConnection) {
    for (int i = 0; i < 20; ++i) ASSERT_EQ(Get("/healthz").status, 200);
    HttpClient pipelined(port_);
    ASSERT_TRUE(pipelined.Connect());
    ASSERT_TRUE(pipelined.Write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
    EXPECT_EQ(pipelined.Read().status, 200);
    EXPECT_EQ(pipelined.Read().status, 200);
}

TEST_F(ApiTest, TheOpenApiDocumentListsExactlyTheRoutesServed) {
    auto doc = Json(Call("GET", "/api/openapi.json", "", {{"Authorization", "-"}}));
    ASSERT_TRUE(doc.is_object());
    EXPECT_EQ(doc["openapi"], "3.1.0");
    std::set<std::string> documented, served;
    for (auto& [path, ops] : doc["paths"].items())
        for (auto& [method, op] : ops.items()) {
            std::string upper = method;
            for (auto& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
            documented.insert(upper + " " + path);
        }
    // The console's HTML pages and their static assets are for browsers, not API clients (docs/decisions.md).
    for (const auto& r : router_->Routes())
        if (!r.pattern.starts_with("/console") && !r.pattern.starts_with("/assets/"))
            served.insert(r.method + " " + r.pattern);
    EXPECT_EQ(documented, served);
}

}  // namespace
}  // namespace amends::testing

namespace amends::testing {
namespace {

TEST_F(ApiTest, AnIdempotencyKeyIsFreeAgainAfter24HoursAndOldRecordsArePurged) {
    auto customer = NewCustomer("P", "p@example.com");
    nlohmann::json first_body = {{"customer_id", customer["id"]}, {"subject", "first"}};
    ASSERT_EQ(Post("/api/v1/cases", first_body, {{"Idempotency-Key", "daily"}}).status, 201);
    clock_.Advance(std::chrono::hours(23));
    EXPECT_EQ(Post("/api/v1/cases", {{"customer_id", customer["id"]}, {"subject", "second"}},
                   {{"Idempotency-Key", "daily"}}).status,
              409);
    clock_.Advance(std::chrono::hours(2));
    auto reused = Post("/api/v1/cases", {{"customer_id", customer["id"]}, {"subject", "second"}},
                       {{"Idempotency-Key", "daily"}});
    EXPECT_EQ(reused.status, 201) << reused.body;
    EXPECT_FALSE(reused.headers.count("idempotent-replayed"));
    EXPECT_EQ(CountCases(), 2);
    clock_.Advance(std::chrono::hours(25));
    auto purged = scheduler_->PurgeIdempotency();
    ASSERT_TRUE(purged);
    EXPECT_EQ(*purged, 1);
}

}  // namespace
}  // namespace amends::testing
