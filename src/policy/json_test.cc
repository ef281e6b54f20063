// JSON: proposals and evaluations as the API shows them; facts read back with clear errors.
#include "policy/json.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace amends::policy {
namespace {

TEST(PolicyJson, AProposalHasItsRuleAmountsApprovalAndKey) {
    Facts f;
    f.subject_id = 102;
    f.customer_id = 8;
    f.category = "delivery";
    f.order_value_minor = 4599;
    f.loss_minor = 4599;
    const nlohmann::json j = Evaluate(DefaultPolicy(), f);
    EXPECT_EQ(j["outcome"], "proposed");
    EXPECT_EQ(j["policy"], "default");
    EXPECT_EQ(j["total_minor"], 4599 + 920);
    EXPECT_EQ(j["approval"]["required"], false);
    ASSERT_EQ(j["proposals"].size(), 2u);
    const nlohmann::json& refund = j["proposals"][0];
    EXPECT_EQ(refund["rule"], "delivery-refund");
    EXPECT_EQ(refund["group"], "make_whole");
    EXPECT_EQ(refund["kind"], "refund");
    EXPECT_EQ(refund["amount_minor"], 4599);
    EXPECT_TRUE(refund["percent"].is_null());
    EXPECT_TRUE(refund["capped_by"].is_null());
    EXPECT_TRUE(refund["withheld_because"].is_null());
    EXPECT_EQ(refund["approval"]["role"], "agent");
    EXPECT_EQ(refund["idempotency_key"]["text"], "case:102/customer:8/rule:delivery-refund");
    EXPECT_EQ(refund["idempotency_key"]["subject"], "case");
    EXPECT_EQ(refund["idempotency_key"]["subject_id"], 102);
    EXPECT_EQ(refund["idempotency_key"]["customer_id"], 8);
    EXPECT_EQ(j["proposals"][1]["kind"], "discount_next_order");
    EXPECT_EQ(j["proposals"][1]["percent"], 20);
    EXPECT_TRUE(j["withheld"].is_array());
}

TEST(PolicyJson, FactsRoundTrip) {
    Facts f;
    f.subject = Subject::kIncident;
    f.subject_id = 9;
    f.customer_id = 31;
    f.category = "outage";
    f.severity = Severity::kCritical;
    f.impact = Impact::kMajor;
    f.late_minutes = 1;
    f.downtime_minutes = 300;
    f.order_value_minor = 2;
    f.item_value_minor = 3;
    f.invoice_value_minor = 4900;
    f.loss_minor = 5;
    f.customer_value_minor = 6;
    f.mistakes_this_year = 7;
    f.remedied_this_year_minor = 8;
    auto back = ParseFacts(nlohmann::json(f));
    ASSERT_TRUE(back.has_value()) << back.error().message;
    EXPECT_EQ(nlohmann::json(*back), nlohmann::json(f));
}

TEST(PolicyJson, BadFactsNameTheField) {
    const std::pair<const char*, const char*> cases[] = {
        {R"([1])", "facts"},
        {R"({"colour":"red"})", "colour"},
        {R"({"subject":"order"})", "subject"},
        {R"({"severity":5})", "severity"},
        {R"({"impact":"huge"})", "impact"},
        {R"({"category":7})", "category"},
        {R"({"category":"Not a slug"})", "category"},
        {R"({"loss_minor":12.5})", "loss_minor"},
        {R"({"loss_minor":"12"})", "loss_minor"},
        {R"({"loss_minor":-1})", "loss_minor"},
        {R"({"order_value_minor":18446744073709551615})", "order_value_minor"},
        {R"({"mistakes_this_year":-3})", "mistakes_this_year"},
    };
    for (const auto& [text, field] : cases) {
        auto f = ParseFacts(nlohmann::json::parse(text));
        ASSERT_FALSE(f.has_value()) << text;
        EXPECT_EQ(f.error().field, field) << text;
        EXPECT_EQ(f.error().code, ErrorCode::kInvalidArgument);
    }
    EXPECT_TRUE(ParseFacts(nlohmann::json::object()).has_value());  // every fact is optional
}

}  // namespace
}  // namespace amends::policy
