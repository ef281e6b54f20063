// Remedies on the ledger, black-box: a real server over a real SQLite file. The policy's proposal goes into the
// case's offer, the customer's agreement on their case page issues it, managers approve what is over an agent's
// limit; never twice (50 concurrent issues, a retry after a client gave up, a kill -9 of a bulk credit and a rerun);
// the ledger's exports, balances, bulk credits and report.

#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "app/ledger.h"
#include "tests/integration/api_fixture.h"
#include "tests/support/process.h"
#include "tests/support/webhook_sink.h"
#include "notify/webhook.h"

namespace amends::testing {
namespace {

using nlohmann::json;

class LedgerTest : public ApiTest {
protected:
    void SetUp() override {
        ApiTest::SetUp();
        agent_ = AddUser("agent", Role::kAgent);
        manager_ = AddUser("manager", Role::kManager);
    }

    // A delivery case whose customer lost 45.99 (within an agent's limit with the default policy's extras).
    Id DeliveryCase(const std::string& email = "tom@example.com") {
        auto customer = NewCustomer("Tom Becker", email);
        return NewCase(customer["id"], "The box never came", "delivery")["id"];
    }
    HttpReply Propose(Id case_id, const json& facts, const std::string& token) {
        return Call("POST", "/api/v1/cases/" + std::to_string(case_id) + "/remedies", json{{"facts", facts}}.dump(), {},
                    token);
    }
    HttpReply Issue(Id proposal_id, const std::string& token, std::map<std::string, std::string> headers = {}) {
        return Call("POST", "/api/v1/remedies/proposals/" + std::to_string(proposal_id) + "/issue", "{}",
                    std::move(headers), token);
    }
    std::vector<json> Ledger(const std::string& query = "") {
        auto reply = Get("/api/v1/ledger?limit=100000" + query);
        EXPECT_EQ(reply.status, 200) << reply.body;
        auto body = Json(reply);
        return body["data"].get<std::vector<json>>();
    }
    static int Count(const std::vector<json>& entries, const std::string& type) {
        int n = 0;
        for (const auto& e : entries) n += e["type"] == type;
        return n;
    }
    static std::int64_t Sum(const std::vector<json>& entries, const std::string& type) {
        std::int64_t n = 0;
        for (const auto& e : entries)
            if (e["type"] == type) n += e["amount_minor"].get<std::int64_t>();
        return n;
    }
    HttpReply Public(const std::string& method, const std::string& path, const std::string& body = "") {
        return Call(method, path, body, {{"Authorization", "-"}});
    }

    std::string agent_, manager_;
};

TEST_F(LedgerTest, TheProposalIsOfferedAndTheCustomersAgreementOnTheirPageIssuesIt) {
    Id case_id = DeliveryCase();
    auto proposed = Propose(case_id, {{"loss_minor", 4599}, {"order_value_minor", 4599}}, agent_);
    ASSERT_EQ(proposed.status, 201) << proposed.body;
    auto proposal = Json(proposed);
    EXPECT_EQ(proposal["state"], "offered");
    EXPECT_EQ(proposal["approval"]["required"], false);
    ASSERT_GE(proposal["remedies"].size(), 1u);
    EXPECT_EQ(proposal["remedies"][0]["rule"], "delivery-refund");
    EXPECT_EQ(proposal["remedies"][0]["amount_minor"], 4599);
    std::string offer_id = proposal["offer_id"];
    EXPECT_EQ(offer_id, "remedy-" + std::to_string(proposal["id"].get<Id>()));

    // The offer is the playbook's: the case's progress shows it, and the customer's page offers it.
    auto progress = Json(Get("/api/v1/cases/" + std::to_string(case_id) + "/progress"));
    ASSERT_EQ(progress["offers"].size(), 1u) << progress.dump();
    EXPECT_EQ(progress["offers"][0]["offer_id"], offer_id);
    std::string page = Json(Get("/api/v1/cases/" + std::to_string(case_id) + "/link"))["url"];
    auto html = Public("GET", page);
    EXPECT_NE(html.body.find("a refund of what did not come (45.99)"), std::string::npos) << html.body;
    EXPECT_EQ(Count(Ledger(), "issued"), 0) << "nothing is issued before the customer agrees";

    ASSERT_EQ(Public("POST", page + "/offers/" + offer_id, "answer=accept").status, 303);
    auto entries = Ledger();
    EXPECT_EQ(Count(entries, "issued"), static_cast<int>(proposal["remedies"].size()));
    EXPECT_EQ(Sum(entries, "issued"), proposal["total_minor"].get<std::int64_t>());
    for (const auto& e : entries) {
        if (e["type"] == "issued") {
            EXPECT_EQ(e["actor"], "customer");
        }
    }
    auto after = Json(Get("/api/v1/remedies/proposals/" + std::to_string(proposal["id"].get<Id>())));
    EXPECT_EQ(after["state"], "issued");
    for (const auto& r : after["remedies"]) EXPECT_EQ(r["state"], "issued");
    auto balance = Json(Get("/api/v1/customers/" + std::to_string(entries[0]["customer_id"].get<Id>()) + "/balance"));
    EXPECT_EQ(balance["balance_minor"], proposal["total_minor"]);
    EXPECT_EQ(balance["by_kind"]["refund"]["issued_minor"], 4599);
}

TEST_F(LedgerTest, ADeclinedOfferIssuesNothing) {
    Id case_id = DeliveryCase();
    auto proposal = Json(Propose(case_id, {{"loss_minor", 1000}}, agent_));
    std::string page = Json(Get("/api/v1/cases/" + std::to_string(case_id) + "/link"))["url"];
    ASSERT_EQ(Public("POST", page + "/offers/" + proposal["offer_id"].get<std::string>(), "answer=decline").status, 303);
    EXPECT_EQ(Json(Get("/api/v1/remedies/proposals/" + std::to_string(proposal["id"].get<Id>())))["state"], "declined");
    EXPECT_EQ(Issue(proposal["id"], agent_).status, 409);
    EXPECT_EQ(Count(Ledger(), "issued"), 0);
}

TEST_F(LedgerTest, OverTheAgentsLimitItWaitsInTheApprovalsQueueForAManager) {
    Id case_id = DeliveryCase();
    auto proposed = Propose(case_id, {{"loss_minor", 50000}, {"order_value_minor", 50000}}, agent_);
    ASSERT_EQ(proposed.status, 201) << proposed.body;
    auto proposal = Json(proposed);
    Id id = proposal["id"];
    EXPECT_EQ(proposal["state"], "awaiting_approval");
    EXPECT_EQ(proposal["approval"]["role"], "manager");
    EXPECT_TRUE(proposal["offer_id"].is_null()) << "no offer reaches the customer before the approval";
    EXPECT_EQ(Issue(id, agent_).status, 409);

    auto queue = Json(Call("GET", "/api/v1/queue/approvals", "", {}, agent_));
    ASSERT_EQ(queue["data"].size(), 1u);
    EXPECT_EQ(queue["data"][0]["id"], id);
    EXPECT_EQ(queue["data"][0]["you_may_approve"], false);
    EXPECT_EQ(Json(Call("GET", "/api/v1/queue/approvals", "", {}, manager_))["data"][0]["you_may_approve"], true);

    auto path = "/api/v1/remedies/proposals/" + std::to_string(id) + "/approve";
    EXPECT_EQ(Call("POST", path, "{}", {}, agent_).status, 403);
    auto approved = Call("POST", path, R"({"note": "long-standing customer"})", {}, manager_);
    ASSERT_EQ(approved.status, 200) << approved.body;
    EXPECT_EQ(Json(approved)["state"], "offered");
    EXPECT_EQ(Call("POST", path, "{}", {}, manager_).status, 409) << "approved once";
    EXPECT_TRUE(Json(Call("GET", "/api/v1/queue/approvals", "", {}, manager_))["data"].empty());

    auto issued = Issue(id, agent_);
    ASSERT_EQ(issued.status, 200) << issued.body;
    auto entries = Ledger("&case=" + std::to_string(case_id));
    EXPECT_EQ(Count(entries, "approved"), Count(entries, "proposed"));
    EXPECT_EQ(Count(entries, "issued"), Count(entries, "proposed"));
}

TEST_F(LedgerTest, FiftyConcurrentRequestsToIssueTheSameRemedyIssueItOnce) {
    Id case_id = DeliveryCase();
    auto proposal = Json(Propose(case_id, {{"loss_minor", 4599}, {"order_value_minor", 4599}}, agent_));
    Id id = proposal["id"];
    std::vector<int> statuses(50);
    std::vector<std::thread> threads;
    for (int i = 0; i < 50; ++i)
        threads.emplace_back([&, i] {
            HttpClient client(port_);
            statuses[i] = client
                              .Send("POST", "/api/v1/remedies/proposals/" + std::to_string(id) + "/issue", "{}",
                                    {{"Authorization", "Bearer " + agent_}})
                              .status;
        });
    for (auto& t : threads) t.join();
    for (int s : statuses) EXPECT_EQ(s, 200);
    auto entries = Ledger();
    EXPECT_EQ(Count(entries, "issued"), static_cast<int>(proposal["remedies"].size()));
    EXPECT_EQ(Sum(entries, "issued"), proposal["total_minor"].get<std::int64_t>());
    auto balance = Json(Get("/api/v1/customers/" + std::to_string(proposal["customer_id"].get<Id>()) + "/balance"));
    EXPECT_EQ(balance["balance_minor"], proposal["total_minor"]);

    // A second proposal for the same case proposes the same rules: the database still refuses a second issue.
    auto again = Json(Propose(case_id, {{"loss_minor", 4599}, {"order_value_minor", 4599}}, agent_));
    auto reissued = Issue(again["id"], agent_);
    ASSERT_EQ(reissued.status, 200) << reissued.body;
    EXPECT_EQ(Json(reissued)["already_issued"].size(), proposal["remedies"].size());
    EXPECT_EQ(Count(Ledger(), "issued"), static_cast<int>(proposal["remedies"].size()));
}

TEST_F(LedgerTest, ARetryAfterTheClientGaveUpIssuesOnce) {
    Id case_id = DeliveryCase();
    auto proposal = Json(Propose(case_id, {{"loss_minor", 4599}}, agent_));
    Id id = proposal["id"];
    std::string body = "{}";
    std::string request = "POST /api/v1/remedies/proposals/" + std::to_string(id) +
                          "/issue HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + agent_ +
                          "\r\nIdempotency-Key: issue-once\r\nContent-Length: " + std::to_string(body.size()) +
                          "\r\n\r\n" + body;
    {
        HttpClient gave_up(port_);  // sends, then closes without reading the answer (a client timeout)
        ASSERT_TRUE(gave_up.Connect());
        ASSERT_TRUE(gave_up.Write(request));
        gave_up.Close();
    }
    auto retry = Issue(id, agent_, {{"Idempotency-Key", "issue-once"}});
    ASSERT_EQ(retry.status, 200) << retry.body;
    auto another = Issue(id, agent_);  // a retry without the key (another client): already issued
    ASSERT_EQ(another.status, 200) << another.body;
    EXPECT_EQ(Count(Ledger(), "issued"), static_cast<int>(proposal["remedies"].size()));
}

TEST_F(LedgerTest, AnIssuedRemedyIsReversedOnceByAManagerAndTheBalanceFollows) {
    Id case_id = DeliveryCase();
    auto proposal = Json(Propose(case_id, {{"loss_minor", 4599}}, agent_));
    ASSERT_EQ(Issue(proposal["id"], agent_).status, 200);
    auto issued = Ledger("&type=issued");
    ASSERT_FALSE(issued.empty());
    std::string path = "/api/v1/ledger/" + std::to_string(issued[0]["id"].get<Id>()) + "/reverse";
    EXPECT_EQ(Call("POST", path, R"({"reason": "charged back by the bank"})", {}, agent_).status, 403);
    auto missing_reason = Call("POST", path, "{}", {}, manager_);
    EXPECT_EQ(missing_reason.status, 400);
    EXPECT_EQ(Json(missing_reason)["error"]["field"], "reason");
    auto reversed = Call("POST", path, R"({"reason": "charged back by the bank"})", {}, manager_);
    ASSERT_EQ(reversed.status, 201) << reversed.body;
    EXPECT_EQ(Json(reversed)["signed_amount_minor"], -issued[0]["amount_minor"].get<std::int64_t>());
    EXPECT_EQ(Call("POST", path, R"({"reason": "again"})", {}, manager_).status, 409);
    auto balance = Json(Get("/api/v1/customers/" + std::to_string(proposal["customer_id"].get<Id>()) + "/balance"));
    EXPECT_EQ(balance["balance_minor"], proposal["total_minor"].get<std::int64_t>() - issued[0]["amount_minor"].get<std::int64_t>());
    EXPECT_EQ(balance["reversed_minor"], issued[0]["amount_minor"]);
}

TEST_F(LedgerTest, AnIssuedRemedyIsSignalledOnceToABillingWebhook) {
    char pattern[] = "/tmp/amends-remedy-hooks-XXXXXX";
    std::filesystem::path dir = ::mkdtemp(pattern);
    WebhookSink hooks(dir);
    auto sub = Post("/api/v1/webhooks", {{"url", hooks.Url("/billing")}, {"events", {"remedy.issued"}}});
    ASSERT_EQ(sub.status, 201) << sub.body;
    auto statuspage = Post("/api/v1/webhooks", {{"url", hooks.Url("/statuspage")}});  // default events: not remedies
    ASSERT_EQ(statuspage.status, 201);
    Id case_id = DeliveryCase();
    auto proposal = Json(Propose(case_id, {{"loss_minor", 4599}}, agent_));
    ASSERT_EQ(Issue(proposal["id"], agent_).status, 200);
    ASSERT_EQ(Issue(proposal["id"], agent_).status, 200);  // a second issue issues nothing, signals nothing
    std::size_t remedies = proposal["remedies"].size();
    auto got = hooks.WaitFor(remedies);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // anything extra would have arrived by now
    got = hooks.Requests();
    ASSERT_EQ(got.size(), remedies);
    std::int64_t total = 0;
    for (const auto& r : got) {
        EXPECT_EQ(r["path"], "/billing");
        EXPECT_EQ(r["headers"]["x-amends-event"], "remedy.issued");
        std::string header = r["headers"]["x-amends-signature"];
        auto comma = header.find(',');
        ASSERT_NE(comma, std::string::npos);
        EXPECT_EQ(header, notify::WebhookSignature(Json(sub)["secret"].get<std::string>(), std::stoll(header.substr(2, comma - 2)),
                                                   r["body"].get<std::string>()));
        json body = json::parse(r["body"].get<std::string>());
        EXPECT_EQ(body["remedy"]["customer_id"], proposal["customer_id"]);
        total += body["remedy"]["amount_minor"].get<std::int64_t>();
    }
    EXPECT_EQ(total, proposal["total_minor"].get<std::int64_t>());
    std::filesystem::remove_all(dir);
}

TEST_F(LedgerTest, TheLedgerExportsAsCsvForBillingSystems) {
    Id case_id = DeliveryCase();
    auto proposal = Json(Propose(case_id, {{"loss_minor", 4599}}, agent_));
    ASSERT_EQ(Issue(proposal["id"], agent_).status, 200);
    auto csv = Get("/api/v1/ledger?format=csv&type=issued");
    ASSERT_EQ(csv.status, 200);
    EXPECT_EQ(csv.headers["content-type"], "text/csv; charset=utf-8");
    std::vector<std::string> lines;
    std::string line;
    std::istringstream in(csv.body);
    while (std::getline(in, line)) lines.push_back(line);
    ASSERT_EQ(lines.size(), 1 + proposal["remedies"].size());
    EXPECT_EQ(lines[0].rfind("id,type,at,key,subject,subject_id,customer_id,rule,kind,", 0), 0u);
    EXPECT_NE(lines[1].find(",issued,"), std::string::npos);
    EXPECT_NE(lines[1].find("case:" + std::to_string(case_id) + "/customer:"), std::string::npos);
    // A text cell a spreadsheet would run as a formula is defused, and quotes and commas survive.
    auto reversed = Call("POST", "/api/v1/ledger/" + lines[1].substr(0, lines[1].find(',')) + "/reverse",
                         json{{"reason", "=HYPERLINK(\"x\"), said the bank"}}.dump(), {}, manager_);
    ASSERT_EQ(reversed.status, 201) << reversed.body;
    auto reversals = Get("/api/v1/ledger?format=csv&type=reversed").body;
    EXPECT_NE(reversals.find(R"("'=HYPERLINK(""x""), said the bank")"), std::string::npos) << reversals;
    EXPECT_NE(reversals.find(",-"), std::string::npos) << "a reversal's signed amount is negative";
    auto bad = Get("/api/v1/ledger?format=xml");
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(Json(bad)["error"]["field"], "format");
}

TEST_F(LedgerTest, BadInputNamesTheField) {
    Id case_id = DeliveryCase();
    auto unknown = Propose(case_id, {{"loss", 10}}, agent_);
    EXPECT_EQ(unknown.status, 400);
    EXPECT_EQ(Json(unknown)["error"]["field"], "facts.loss");
    auto own = Propose(case_id, {{"customer_id", 3}}, agent_);
    EXPECT_EQ(own.status, 400);
    EXPECT_EQ(Json(own)["error"]["field"], "facts.customer_id");
    auto negative = Propose(case_id, {{"loss_minor", -1}}, agent_);
    EXPECT_EQ(negative.status, 400);
    EXPECT_EQ(Json(negative)["error"]["field"], "facts.loss_minor");
    EXPECT_EQ(Propose(999, {{"loss_minor", 1}}, agent_).status, 404);
    auto dry = Call("POST", "/api/v1/cases/" + std::to_string(case_id) + "/remedies",
                    R"({"facts": {"loss_minor": 100}, "dry_run": true})", {}, agent_);
    ASSERT_EQ(dry.status, 200) << dry.body;
    EXPECT_EQ(Json(dry)["evaluation"]["outcome"], "proposed");
    EXPECT_EQ(Ledger().size(), 0u) << "a dry run records nothing";
    EXPECT_EQ(Call("POST", "/api/v1/incidents/nope/credit", "{}", {}, manager_).status, 404);
    EXPECT_EQ(Call("POST", "/api/v1/incidents/nope/credit", "{}", {}, agent_).status, 403);
    EXPECT_EQ(Json(Get("/api/v1/reports/remedies?by=week"))["error"]["field"], "by");
}

TEST_F(LedgerTest, AnIncidentCreditGivesEveryAffectedCustomerTheirRemediesOnce) {
    ASSERT_EQ(Post("/api/v1/components", {{"id", "api"}, {"name", "API"}}).status, 201);
    auto declared = Post("/api/v1/incidents", {{"name", "API down"},
                                               {"status", "identified"},
                                               {"impact", "major"},
                                               {"body", "The API is down. We are sorry."},
                                               {"components", {{"api", "major_outage"}}},
                                               {"next_update_in", "1h"}});
    ASSERT_EQ(declared.status, 201) << declared.body;
    std::string incident = Json(declared)["id"];
    json customers = json::array();
    for (int i = 0; i < 30; ++i)
        customers.push_back({{"customer", {{"name", "C" + std::to_string(i)}, {"email", "c" + std::to_string(i) + "@example.com"}}},
                             {"details", {{"invoice_value_minor", std::to_string(2000 + i)}}}});
    ASSERT_EQ(Post("/api/v1/incidents/" + incident + "/affected", {{"customers", customers}}).status, 200);

    auto credited = Call("POST", "/api/v1/incidents/" + incident + "/credit", "{}", {}, manager_);
    ASSERT_EQ(credited.status, 200) << credited.body;
    auto result = Json(credited);
    EXPECT_EQ(result["customers"], 30);
    EXPECT_EQ(result["issued"], 60) << "a credit and an upgrade each (the default policy)";
    auto entries = Ledger("&incident=" + incident);
    EXPECT_EQ(Count(entries, "issued"), 60);
    EXPECT_EQ(Sum(entries, "issued"), result["issued_minor"].get<std::int64_t>());
    std::set<std::string> keys;
    for (const auto& e : entries) keys.insert(e["key"].get<std::string>());
    EXPECT_EQ(keys.size(), 60u);

    auto again = Json(Call("POST", "/api/v1/incidents/" + incident + "/credit", "{}", {}, manager_));
    EXPECT_EQ(again["issued"], 0);
    EXPECT_EQ(again["already_issued"], 60);
    EXPECT_EQ(Count(Ledger("&incident=" + incident), "issued"), 60);

    auto report = Json(Call("GET", "/api/v1/reports/remedies?by=incident", "", {}, manager_));
    ASSERT_EQ(report["data"].size(), 1u);
    EXPECT_EQ(report["data"][0]["group"], incident);
    EXPECT_EQ(report["data"][0]["spend_minor"], result["issued_minor"]);
    EXPECT_EQ(report["data"][0]["customers"], 30);
    EXPECT_EQ(report["data"][0]["complained_again"], 0);
}

// A bulk credit reads each customer's details for facts (regression for the streaming reader that replaced the
// parsed document): a number or a string of digits counts, members of nested objects do not, and a fact that is no
// whole number fails the credit with 422 naming it, issuing nothing.
TEST_F(LedgerTest, AnIncidentCreditReadsFactsFromEachCustomersDetails) {
    auto incident_with = [&](const std::string& name, const json& details) {
        auto declared = Post("/api/v1/incidents", {{"name", name},
                                                   {"status", "identified"},
                                                   {"impact", "major"},
                                                   {"body", "Down. We are sorry."},
                                                   {"next_update_in", "1h"}});
        EXPECT_EQ(declared.status, 201) << declared.body;
        std::string id = Json(declared)["id"];
        json customers = json::array();
        for (std::size_t i = 0; i < details.size(); ++i)
            customers.push_back({{"customer", {{"name", name + std::to_string(i)}}}, {"details", details[i]}});
        EXPECT_EQ(Post("/api/v1/incidents/" + id + "/affected", {{"customers", customers}}).status, 200);
        return id;
    };
    std::string good = incident_with(
        "Good", json::array({json{{"invoice_value_minor", 4000}},
                             json{{"invoice_value_minor", "8000"}, {"order", "A-1"}},
                             json{{"invoice_value_minor", 2000}, {"lines", {{{"invoice_value_minor", "no"}}}},
                                  {"more", {{"invoice_value_minor", 1.5}}}}}));
    auto credited = Call("POST", "/api/v1/incidents/" + good + "/credit", "{}", {}, manager_);
    ASSERT_EQ(credited.status, 200) << credited.body;
    std::vector<std::int64_t> credits;
    for (const auto& e : Ledger("&incident=" + good))
        if (e["kind"] == "credit") credits.push_back(e["amount_minor"].get<std::int64_t>());
    EXPECT_EQ(credits, (std::vector<std::int64_t>{1000, 2000, 500})) << "a quarter of each invoice";

    for (const json& bad : {json{{"invoice_value_minor", 12.5}}, json{{"invoice_value_minor", "12a"}},
                            json{{"invoice_value_minor", {{"value", 1}}}}, json{{"invoice_value_minor", nullptr}},
                            json{{"invoice_value_minor", -5}}}) {
        std::string id = incident_with("Bad", json::array({bad}));
        auto refused = Call("POST", "/api/v1/incidents/" + id + "/credit", "{}", {}, manager_);
        EXPECT_EQ(refused.status, 422) << bad.dump() << " " << refused.body;
        EXPECT_EQ(Json(refused)["error"]["field"], "details.invoice_value_minor") << bad.dump();
        EXPECT_EQ(Ledger("&incident=" + id).size(), 0u) << bad.dump();
    }
}

TEST_F(LedgerTest, TheReportShowsSpendBesideWhatRecipientsDidAfterwards) {
    Id case_id = DeliveryCase();
    auto proposal = Json(Propose(case_id, {{"loss_minor", 4599}}, agent_));
    ASSERT_EQ(Issue(proposal["id"], agent_).status, 200);
    Id customer = proposal["customer_id"];
    clock_.Advance(std::chrono::hours(24 * 7));
    ASSERT_EQ(Patch("/api/v1/customers/" + std::to_string(customer),
                    {{"attributes", {{"last_order_at", "2026-12-01T10:00:00Z"}}}}).status,
              200);
    NewCase(customer, "Late again", "delivery");
    ASSERT_EQ(Patch("/api/v1/cases/" + std::to_string(case_id), {{"state", "resolved"}}).status, 200);
    ASSERT_EQ(Post("/api/v1/cases/" + std::to_string(case_id) + "/events",
                   {{"type", "followup.answered"}, {"data", {{"score", 4}}}}).status,
              201);
    auto report = Json(Call("GET", "/api/v1/reports/remedies?by=category", "", {}, manager_));
    ASSERT_EQ(report["data"].size(), 1u) << report.dump();
    const auto& row = report["data"][0];
    EXPECT_EQ(row["group"], "delivery");
    EXPECT_EQ(row["spend_minor"], proposal["total_minor"]);
    EXPECT_EQ(row["customers"], 1);
    EXPECT_EQ(row["came_back"], 1);
    EXPECT_EQ(row["complained_again"], 1);
    EXPECT_EQ(row["followup_score"], 4.0);
    auto by_month = Json(Call("GET", "/api/v1/reports/remedies?by=month", "", {}, manager_));
    EXPECT_EQ(by_month["data"][0]["group"], "2026-11");
    EXPECT_EQ(Call("GET", "/api/v1/reports/remedies", "", {}, agent_).status, 403);
}

// kill -9 of `amends incident credit` in the middle of a bulk credit, then a rerun: each customer is credited exactly
// once and the ledger balances.
class BulkCreditCrashTest : public ::testing::Test {
protected:
    void SetUp() override {
        char pattern[] = "/tmp/amends-credit-XXXXXX";
        dir_ = ::mkdtemp(pattern);
        db_ = (dir_ / "amends.db").string();
        const char* binary = std::getenv("AMENDS_BINARY");
        binary_ = binary ? binary : AMENDS_BINARY_PATH;
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    // An incident with `n` affected customers, each with an invoice of 49.00.
    std::string Seed(int n) {
        auto store = store::OpenSqlite({db_});
        EXPECT_TRUE(store);
        SystemClock clock;
        auto links = app::CaseLinks::Open(**store);
        app::Outbound outbound(*links, app::MailSettings{});
        std::string id;
        {
            app::StatusBoard board(**store, clock, status::PageInfo{"amends", "amends", ""}, outbound, nullptr);
            EXPECT_TRUE(board.Load());
            auto created = board.Apply("incident.create", std::nullopt,
                                       json{{"name", "Checkout down"}, {"status", "identified"}, {"impact", "major"},
                                            {"body", "Checkout is down."}, {"next_update_in", "1h"}});
            EXPECT_TRUE(created) << created.error().message;
            id = json::parse(created->body)["id"];
        }
        auto written = (*store)->WriteAndWait([&](store::Tx& tx) {
            for (int i = 0; i < n; ++i) {
                Customer c;
                c.name = "Customer " + std::to_string(i);
                c.created_at = c.updated_at = clock.Now();
                auto cid = tx.InsertCustomer(c);
                if (!cid) return false;
                tx.PutAffected(id, *cid, R"({"invoice_value_minor": 4900})", clock.Now());
            }
            return true;
        });
        EXPECT_TRUE(written);
        (*store)->Close();
        return id;
    }
    std::int64_t Query(const std::string& sql) {
        sqlite3* db = nullptr;
        sqlite3_open_v2(db_.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
        sqlite3_busy_timeout(db, 5000);
        sqlite3_stmt* s = nullptr;
        std::int64_t v = -1;
        if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
            v = sqlite3_column_int64(s, 0);
        sqlite3_finalize(s);
        sqlite3_close(db);
        return v;
    }
    int Run(const std::vector<std::string>& extra) {
        std::vector<std::string> args{binary_, "incident", "credit"};
        args.insert(args.end(), extra.begin(), extra.end());
        pid_t pid = Spawn(args, (dir_ / "credit.log").string());
        int status = 0;
        ::waitpid(pid, &status, 0);
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }

    std::filesystem::path dir_;
    std::string db_, binary_;
};

TEST_F(BulkCreditCrashTest, AKilledCreditRerunCreditsEachCustomerExactlyOnce) {
    constexpr int kCustomers = 20000;
    std::string incident = Seed(kCustomers);
    const std::string issued = "SELECT count(*) FROM ledger_entries WHERE type = 'issued'";
    pid_t pid = Spawn({binary_, "incident", "credit", incident, "--db", db_, "--batch", "200", "--pause", "20",
                       "--no-progress"},
                      (dir_ / "credit.log").string());
    while (Query(issued) < 2 * 200 * 3) {  // three batches committed
        int status = 0;
        ASSERT_EQ(::waitpid(pid, &status, WNOHANG), 0) << "the credit ended before it could be killed";
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    ASSERT_EQ(::kill(pid, SIGKILL), 0);
    int status = 0;
    ::waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status));
    std::int64_t at_kill = Query(issued);
    ASSERT_LT(at_kill, 2 * kCustomers) << "killed in the middle";
    EXPECT_EQ(Query("SELECT after_customer > 0 AND done = 0 FROM credit_runs"), 1);

    ASSERT_EQ(Run({incident, "--db", db_, "--no-progress"}), 0);
    std::ifstream log(dir_ / "credit.log");
    std::string text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
    EXPECT_NE(text.find("(resumed)"), std::string::npos) << text;

    EXPECT_EQ(Query(issued), 2 * kCustomers);
    EXPECT_EQ(Query("SELECT count(*) FROM (SELECT customer_id, rule FROM ledger_entries WHERE type = 'issued' "
                    "GROUP BY customer_id, rule HAVING count(*) > 1)"),
              0);
    EXPECT_EQ(Query("SELECT count(DISTINCT customer_id) FROM ledger_entries WHERE type = 'issued'"), kCustomers);
    // The ledger balances: every customer got the same (a 25% credit of 49.00 and a 5.00 upgrade), and the sum of
    // the entries is the sum of the balances.
    EXPECT_EQ(Query("SELECT count(*) FROM (SELECT customer_id, sum(amount_minor) AS s FROM ledger_entries "
                    "WHERE type = 'issued' GROUP BY customer_id HAVING s != 1225 + 500)"),
              0);
    EXPECT_EQ(Query("SELECT sum(amount_minor) FROM ledger_entries WHERE type = 'issued'"),
              static_cast<std::int64_t>(kCustomers) * (1225 + 500));

    // A third run finds everything issued and issues nothing.
    ASSERT_EQ(Run({incident, "--db", db_, "--no-progress"}), 0);
    EXPECT_EQ(Query(issued), 2 * kCustomers);
}

// The server's config names its database and its compensation policy; a credit run with --config gives what the
// server would give, not the built-in policy into ./amends.db. Regression: --config was not accepted.
TEST_F(BulkCreditCrashTest, TheServersConfigGivesTheDatabaseAndThePolicy) {
    std::string incident = Seed(4);
    auto policy = dir_ / "policy.toml";
    std::ofstream(policy) << "name = \"flat\"\n[[rules]]\nid = \"flat-credit\"\nwhy = \"Sorry.\"\n"
                          << "when = { subject = \"incident\" }\nremedy = { kind = \"credit\", amount = 777 }\n";
    auto config = dir_ / "amends.toml";
    std::ofstream(config) << "db = \"" << db_ << "\"\npolicy = \"" << policy.string() << "\"\n";
    ASSERT_EQ(Run({incident, "--config", config.string(), "--no-progress"}), 0);
    EXPECT_EQ(Query("SELECT count(*) FROM ledger_entries WHERE type = 'issued' AND rule = 'flat-credit' "
                    "AND amount_minor = 777"),
              4);
    EXPECT_EQ(Query("SELECT count(*) FROM ledger_entries WHERE rule != 'flat-credit'"), 0);

    // --policy given still wins over the config's; a config that is not one is refused before anything is written.
    std::string second = Seed(2);
    ASSERT_EQ(Run({second, "--config", config.string(), "--policy", (dir_ / "missing.toml").string()}), 66);
    std::ofstream(dir_ / "broken.toml") << "db = 7\n";
    EXPECT_EQ(Run({second, "--config", (dir_ / "broken.toml").string()}), 64);
    EXPECT_EQ(Query("SELECT count(*) FROM ledger_entries"), 4);
}

// Regression: in a log (stderr no terminal) the credit's progress was every batch's state joined by carriage
// returns; it is one line, the last state, ended by a newline.
TEST_F(BulkCreditCrashTest, TheProgressInALogIsOneLine) {
    std::string incident = Seed(5);
    auto run = RunShell("(" + binary_ + " incident credit " + incident + " --db " + db_ +
                        " --batch 2 > /dev/null < /dev/null)");
    ASSERT_EQ(run.exit_code, 0) << run.out;
    EXPECT_EQ(run.out.find('\r'), std::string::npos) << run.out;
    EXPECT_EQ(run.out.rfind("5 of 5 customers (100%), 10 remedies issued", 0), 0u) << run.out;
    EXPECT_EQ(std::count(run.out.begin(), run.out.end(), '\n'), 1) << run.out;
}

TEST_F(BulkCreditCrashTest, TheCommandLineRefusesBadInput) {
    std::string incident = Seed(3);
    EXPECT_EQ(Run({"nope", "--db", db_}), 64);
    EXPECT_EQ(Run({incident, "--db", db_, "--facts", "[1]"}), 64);
    EXPECT_EQ(Run({incident, "--db", db_, "--policy", (dir_ / "missing.toml").string()}), 66);
    std::ofstream(dir_ / "bad.toml") << "[[rules]]\nid = \"x\"\nremedy = { kind = \"cash\", amount = 1 }\n";
    EXPECT_EQ(Run({incident, "--db", db_, "--policy", (dir_ / "bad.toml").string()}), 65);
    EXPECT_EQ(Run({incident, "--db", db_, "--facts", R"({"loss": 1})"}), 65);
    EXPECT_EQ(Query("SELECT count(*) FROM ledger_entries"), 0);
}

}  // namespace
}  // namespace amends::testing
