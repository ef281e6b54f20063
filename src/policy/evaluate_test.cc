// Evaluate: first match per group, amounts, caps, approvals, keys; Explain.
#include "policy/evaluate.h"

#include <gtest/gtest.h>

namespace amends::policy {
namespace {

Policy MustParse(std::string_view toml) {
    auto p = ParsePolicy(toml);
    EXPECT_TRUE(p.has_value()) << (p ? "" : p.error().field + ": " + p.error().message);
    return p ? *p : Policy{};
}

Facts CaseFacts(std::string category, std::int64_t loss, std::int64_t order = 0) {
    Facts f;
    f.subject_id = 42;
    f.customer_id = 7;
    f.category = std::move(category);
    f.loss_minor = loss;
    f.order_value_minor = order;
    f.mistakes_this_year = 1;
    return f;
}

TEST(PolicyEvaluate, FirstMatchWinsInEachGroupAndEveryGroupContributes) {
    const Policy p = MustParse(R"(
[[rules]]
id = "big"
when = { min_loss = 10000 }
remedy = { kind = "refund", percent = 100, of = "loss" }
[[rules]]
id = "extra"
group = "also"
remedy = { kind = "faster_shipping", amount = 500 }
[[rules]]
id = "small"
remedy = { kind = "credit", amount = 100 }
[[rules]]
id = "never-reached"
group = "also"
remedy = { kind = "upgrade", amount = 100 }
)");
    Evaluation big = Evaluate(p, CaseFacts("delivery", 20000));
    ASSERT_EQ(big.proposals.size(), 2u);
    EXPECT_EQ(big.proposals[0].rule_id, "big");
    EXPECT_EQ(big.proposals[0].amount_minor, 20000);
    EXPECT_EQ(big.proposals[1].rule_id, "extra");
    EXPECT_EQ(big.total_minor, 20500);
    EXPECT_EQ(big.outcome, Outcome::kProposed);

    Evaluation small = Evaluate(p, CaseFacts("delivery", 50));
    ASSERT_EQ(small.proposals.size(), 2u);
    EXPECT_EQ(small.proposals[0].rule_id, "extra");  // proposals keep the rules' order
    EXPECT_EQ(small.proposals[1].rule_id, "small");
}

TEST(PolicyEvaluate, NoMatchIsAnOutcomeNotAnError) {
    const Policy p = MustParse(R"(
[[rules]]
id = "pricing"
when = { category = "pricing" }
remedy = { kind = "free_item" }
)");
    const Evaluation e = Evaluate(p, CaseFacts("delivery", 100));
    EXPECT_EQ(e.outcome, Outcome::kNoMatch);
    EXPECT_TRUE(e.proposals.empty());
    EXPECT_TRUE(e.withheld.empty());
    EXPECT_EQ(e.total_minor, 0);
}

TEST(PolicyEvaluate, ConditionsOnEachFact) {
    const Policy p = MustParse(R"(
[[rules]]
id = "r"
when = { subject = "case", category = ["delivery"], severity = ["high", "critical"], min_late = "1d", max_late = "3d", min_order_value = 100, max_order_value = 900, min_customer_value = 5, min_mistakes_this_year = 2, max_item_value = 50 }
remedy = { kind = "credit", amount = 1 }
)");
    Facts ok = CaseFacts("delivery", 0, 500);
    ok.severity = Severity::kHigh;
    ok.late_minutes = 24 * 60;
    ok.customer_value_minor = 5;
    ok.mistakes_this_year = 2;
    ok.item_value_minor = 50;
    EXPECT_EQ(Evaluate(p, ok).outcome, Outcome::kProposed);
    std::vector<std::pair<const char*, Facts>> misses;
    auto miss = [&](const char* what, auto change) {
        Facts f = ok;
        change(f);
        misses.emplace_back(what, f);
    };
    miss("subject", [](Facts& f) { f.subject = Subject::kIncident; });
    miss("category", [](Facts& f) { f.category = "billing"; });
    miss("severity", [](Facts& f) { f.severity = Severity::kNormal; });
    miss("too early", [](Facts& f) { f.late_minutes = 24 * 60 - 1; });
    miss("too late", [](Facts& f) { f.late_minutes = 3 * 24 * 60 + 1; });
    miss("order small", [](Facts& f) { f.order_value_minor = 99; });
    miss("order big", [](Facts& f) { f.order_value_minor = 901; });
    miss("customer value", [](Facts& f) { f.customer_value_minor = 4; });
    miss("mistakes", [](Facts& f) { f.mistakes_this_year = 1; });
    miss("item value", [](Facts& f) { f.item_value_minor = 51; });
    for (const auto& [what, f] : misses) EXPECT_EQ(Evaluate(p, f).outcome, Outcome::kNoMatch) << what;
}

TEST(PolicyEvaluate, MinimumSeverityAndImpactAreOrdered) {
    const Policy p = MustParse(R"(
[[rules]]
id = "r"
when = { min_severity = "high", min_impact = "major" }
remedy = { kind = "credit", amount = 1 }
)");
    Facts f = CaseFacts("outage", 0);
    f.severity = Severity::kCritical;
    f.impact = Impact::kCritical;
    EXPECT_EQ(Evaluate(p, f).outcome, Outcome::kProposed);
    f.impact = Impact::kMinor;
    EXPECT_EQ(Evaluate(p, f).outcome, Outcome::kNoMatch);
    f.impact = Impact::kMajor;
    f.severity = Severity::kNormal;
    EXPECT_EQ(Evaluate(p, f).outcome, Outcome::kNoMatch);
}

TEST(PolicyEvaluate, AmountsFromBasesRoundedHalfUpAndRaisedToTheLoss) {
    const Policy p = MustParse(R"(
[[rules]]
id = "order"
remedy = { kind = "credit", percent = 15, of = "order" }
[[rules]]
id = "invoice"
group = "b"
remedy = { kind = "credit", percent = 10, of = "invoice", at_least = "loss" }
[[rules]]
id = "item"
group = "c"
remedy = { kind = "free_item" }
[[rules]]
id = "floor"
group = "d"
remedy = { kind = "upgrade", percent = 1, of = "order", min_amount = 700 }
)");
    Facts f = CaseFacts("x", 250, 1010);  // 15% of 10.10 = 1.515 -> 1.52
    f.invoice_value_minor = 2000;         // 10% = 2.00, below the loss of 2.50
    f.item_value_minor = 399;
    const Evaluation e = Evaluate(p, f);
    ASSERT_EQ(e.proposals.size(), 4u);
    EXPECT_EQ(e.proposals[0].amount_minor, 152);
    EXPECT_EQ(e.proposals[1].amount_minor, 250);
    EXPECT_EQ(e.proposals[2].amount_minor, 399);
    EXPECT_EQ(e.proposals[3].amount_minor, 700);
    EXPECT_EQ(e.proposals[2].description, "the item free (3.99)");
    EXPECT_EQ(e.proposals[3].description, "an upgrade (worth 7.00)");
}

TEST(PolicyEvaluate, ARefundOfNothingIsNotProposedButTakesItsGroup) {
    const Policy p = MustParse(R"(
[[rules]]
id = "refund-loss"
remedy = { kind = "refund", percent = 100, of = "loss" }
[[rules]]
id = "fallback"
remedy = { kind = "credit", amount = 100 }
)");
    const Evaluation e = Evaluate(p, CaseFacts("x", 0));
    EXPECT_EQ(e.outcome, Outcome::kNoMatch);
    EXPECT_TRUE(e.proposals.empty());
}

TEST(PolicyEvaluate, APercentDiscountSaysItsPercentAndTheMostItTakesOff) {
    const Policy p = MustParse(R"(
[[rules]]
id = "d"
remedy = { kind = "discount_next_order", percent = 20, note = "a discount on your next delivery" }
)");
    const Evaluation e = Evaluate(p, CaseFacts("delivery", 0, 4599));
    ASSERT_EQ(e.proposals.size(), 1u);
    EXPECT_EQ(e.proposals[0].percent, 20);
    EXPECT_EQ(e.proposals[0].amount_minor, 920);
    EXPECT_EQ(e.proposals[0].description, "a discount on your next delivery (20%, up to 9.20)");
}

TEST(PolicyEvaluate, CapsApplyInOrderRemedyKindThenYearAndWithholdWhatTheyCutToNothing) {
    const Policy p = MustParse(R"(
[caps]
customer_per_year = 10000
credit = 3000
[[rules]]
id = "refund"
remedy = { kind = "refund", percent = 100, of = "loss", max_amount = 6000 }
[[rules]]
id = "credit"
group = "b"
remedy = { kind = "credit", amount = 5000 }
[[rules]]
id = "upgrade"
group = "c"
remedy = { kind = "upgrade", amount = 2000 }
)");
    Facts f = CaseFacts("x", 8000);
    f.remedied_this_year_minor = 1500;  // 85.00 of the 100.00 left
    const Evaluation e = Evaluate(p, f);
    ASSERT_EQ(e.proposals.size(), 2u);
    EXPECT_EQ(e.proposals[0].amount_minor, 6000);
    EXPECT_EQ(e.proposals[0].uncapped_minor, 8000);
    EXPECT_EQ(e.proposals[0].capped_by, "remedy.max_amount");
    EXPECT_EQ(e.proposals[1].amount_minor, 2500);  // 30.00 by the credit cap, then 25.00 left of the year
    EXPECT_EQ(e.proposals[1].capped_by, "caps.customer_per_year");
    ASSERT_EQ(e.withheld.size(), 1u);
    EXPECT_EQ(e.withheld[0].rule_id, "upgrade");
    EXPECT_EQ(e.withheld[0].amount_minor, 0);
    EXPECT_EQ(e.withheld[0].withheld_because, "cut to nothing by caps.customer_per_year");
    EXPECT_EQ(e.total_minor, 8500);
    f.remedied_this_year_minor = 20000;  // already over the cap
    const Evaluation none = Evaluate(p, f);
    EXPECT_EQ(none.outcome, Outcome::kWithheld);
    EXPECT_TRUE(none.proposals.empty());
    EXPECT_EQ(none.withheld.size(), 3u);
}

TEST(PolicyEvaluate, ApprovalFollowsTheTotalAndTheRulesOwnFloor) {
    const Policy p = MustParse(R"(
[approval]
agent = 1000
manager = 5000
[[rules]]
id = "refund"
remedy = { kind = "refund", percent = 100, of = "loss" }
[[rules]]
id = "gift"
group = "b"
remedy = { kind = "upgrade", amount = 100, approval = "manager" }
)");
    struct Row {
        std::int64_t loss;
        Role refund_role, gift_role;
    } const rows[] = {{800, Role::kAgent, Role::kManager},     // 9.00 total: agent's, but the gift needs a manager
                      {950, Role::kManager, Role::kManager},   // 10.50: over the agent's 10.00
                      {4900, Role::kManager, Role::kManager},  // 50.00: the manager's limit exactly
                      {4901, Role::kAdmin, Role::kAdmin}};
    for (const Row& r : rows) {
        const Evaluation e = Evaluate(p, CaseFacts("x", r.loss));
        ASSERT_EQ(e.proposals.size(), 2u);
        EXPECT_EQ(e.proposals[0].approver, r.refund_role) << r.loss;
        EXPECT_EQ(e.proposals[1].approver, r.gift_role) << r.loss;
        EXPECT_EQ(e.approver, std::max(r.refund_role, r.gift_role));
    }
    const Evaluation agent = Evaluate(p, CaseFacts("x", 800));
    EXPECT_EQ(agent.proposals[0].approval_reason, "total 9.00 is within the agent limit 10.00");
    EXPECT_FALSE(agent.proposals[0].NeedsApproval());
    EXPECT_EQ(agent.proposals[1].approval_reason,
              "rule gift needs manager approval; total 9.00 is within the agent limit 10.00");
    EXPECT_TRUE(agent.proposals[1].NeedsApproval());
}

TEST(PolicyEvaluate, WithoutLimitsNothingNeedsApproval) {
    const Policy p = MustParse("[[rules]]\nid = \"r\"\nremedy = { kind = \"refund\", amount = 100000000 }\n");
    const Evaluation e = Evaluate(p, CaseFacts("x", 0));
    ASSERT_EQ(e.proposals.size(), 1u);
    EXPECT_FALSE(e.proposals[0].NeedsApproval());
    EXPECT_EQ(e.proposals[0].approval_reason, "total 1000000.00: the policy sets no approval limits");
}

TEST(PolicyEvaluate, EveryProposalCarriesItsRuleReasonAndKey) {
    const Evaluation e = Evaluate(DefaultPolicy(), CaseFacts("pricing", 100, 5230));
    ASSERT_FALSE(e.proposals.empty());
    for (const Proposal& p : e.proposals) {
        EXPECT_FALSE(p.rule_id.empty());
        EXPECT_NE(p.reason.find("rule " + p.rule_id), std::string::npos) << p.reason;
        EXPECT_EQ(p.key, (IdempotencyKey{Subject::kCase, 42, 7, p.rule_id}));
    }
    EXPECT_EQ(e.proposals[0].key.Text(), "case:42/customer:7/rule:till-price-wrong");
    Facts incident = CaseFacts("outage", 0);
    incident.subject = Subject::kIncident;
    incident.subject_id = 3;
    incident.invoice_value_minor = 4900;
    EXPECT_EQ(Evaluate(DefaultPolicy(), incident).proposals[0].key.Text(), "incident:3/customer:7/rule:outage-credit");
}

// The default policy's promise: at least the customer's loss, plus a surprise, whatever the facts.
TEST(PolicyEvaluate, TheDefaultPolicyAlwaysProposesAtLeastTheLossPlusASurprise) {
    const std::string categories[] = {"pricing", "delivery", "billing", "outage", "general"};
    const std::int64_t losses[] = {0, 1, 100, 4599, 30000};
    int checked = 0;
    for (const std::string& category : categories)
        for (std::int64_t loss : losses)
            for (std::int64_t order : {std::int64_t{0}, std::int64_t{4599}})
                for (Subject subject : {Subject::kCase, Subject::kIncident})
                    for (std::int64_t mistakes : {1, 3}) {
                        Facts f = CaseFacts(category, loss, order);
                        f.subject = subject;
                        f.mistakes_this_year = mistakes;
                        f.item_value_minor = loss / 2;
                        f.invoice_value_minor = order;
                        const Evaluation e = Evaluate(DefaultPolicy(), f);
                        std::int64_t make_whole = 0;
                        int surprises = 0;
                        for (const Proposal& p : e.proposals) {
                            if (p.group == "make_whole") make_whole += p.amount_minor;
                            if (p.group == "surprise") ++surprises;
                        }
                        EXPECT_GE(make_whole, loss) << category << " loss " << loss;
                        EXPECT_EQ(surprises, 1) << category << " loss " << loss;
                        ++checked;
                    }
    EXPECT_EQ(checked, 200);
}

TEST(PolicyEvaluate, OutOfRangeFactsAreClampedNotOverflowed) {
    const Policy p = MustParse(R"(
[[rules]]
id = "r"
remedy = { kind = "refund", percent = 1000, of = "order", at_least = "loss" }
)");
    Facts f = CaseFacts("x", -5, std::numeric_limits<std::int64_t>::max());
    const Evaluation e = Evaluate(p, f);
    ASSERT_EQ(e.proposals.size(), 1u);
    EXPECT_EQ(e.proposals[0].amount_minor, kMaxMinor);  // the default max_amount
}

TEST(PolicyExplain, SaysForEveryRuleWhetherItAppliedAndWhyNot) {
    const Policy p = MustParse(R"(
[[rules]]
id = "pricing"
when = { category = "pricing" }
remedy = { kind = "free_item" }
[[rules]]
id = "late"
when = { min_late = "2d" }
remedy = { kind = "refund", amount = 100 }
[[rules]]
id = "any"
remedy = { kind = "refund", amount = 100 }
[[rules]]
id = "too"
remedy = { kind = "refund", amount = 100 }
)");
    Facts f = CaseFacts("delivery", 0);
    f.late_minutes = 90;
    EXPECT_EQ(Explain(p, f), (std::vector<std::string>{
                                 "pricing (group main): does not match: category is delivery, not one the rule names",
                                 "late (group main): does not match: late is 1h30m, below 2d",
                                 "any (group main): applies",
                                 "too (group main): matches, but any already applies in its group",
                             }));
}

}  // namespace
}  // namespace amends::policy

namespace amends::policy {
namespace {

// The per-category index must keep the rules' order, including rules that name no category between others.
TEST(PolicyEvaluate, TheCategoryIndexKeepsRuleOrder) {
    const Policy p = MustParse(R"(
[[rules]]
id = "b-only"
when = { category = ["b", "b"] }
remedy = { kind = "credit", amount = 1 }
[[rules]]
id = "any-big"
when = { min_loss = 100 }
remedy = { kind = "credit", amount = 2 }
[[rules]]
id = "a-or-b"
when = { category = ["a", "b"] }
remedy = { kind = "credit", amount = 3 }
[[rules]]
id = "rest"
remedy = { kind = "credit", amount = 4 }
)");
    auto first = [&](const std::string& category, std::int64_t loss) {
        const Evaluation e = Evaluate(p, CaseFacts(category, loss));
        return e.proposals.empty() ? std::string("none") : e.proposals[0].rule_id;
    };
    EXPECT_EQ(first("b", 0), "b-only");
    EXPECT_EQ(first("a", 500), "any-big");
    EXPECT_EQ(first("a", 0), "a-or-b");
    EXPECT_EQ(first("c", 500), "any-big");
    EXPECT_EQ(first("c", 0), "rest");
    EXPECT_EQ(p.rules_by_category[static_cast<std::size_t>(p.CategoryId("b"))],
              (std::vector<std::uint32_t>{0, 1, 2, 3}));
    EXPECT_EQ(p.rules_without_category, (std::vector<std::uint32_t>{1, 3}));
}

}  // namespace
}  // namespace amends::policy
