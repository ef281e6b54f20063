// ParsePolicy: the TOML format, its defaults and its errors (each names the key path).
#include "policy/policy.h"

#include <gtest/gtest.h>

namespace amends::policy {
namespace {

Policy MustParse(std::string_view toml) {
    auto p = ParsePolicy(toml);
    EXPECT_TRUE(p.has_value()) << (p ? "" : p.error().field + ": " + p.error().message);
    return p ? *p : Policy{};
}

Error MustFail(std::string_view toml) {
    auto p = ParsePolicy(toml);
    EXPECT_FALSE(p.has_value()) << "parsed: " << toml;
    return p ? Error{} : p.error();
}

TEST(PolicyParse, ReadsRulesInOrderWithGroupsAndInternedCategories) {
    const Policy p = MustParse(R"(
name = "shop"
currency = "EUR"
[[rules]]
id = "a"
group = "make_whole"
when = { category = ["delivery", "pricing"], min_late = "1d12h", max_order_value = 5000 }
remedy = { kind = "refund", percent = 100, of = "loss" }
[[rules]]
id = "b"
group = "surprise"
when = { category = "delivery", severity = ["high", "critical"], min_impact = "major", subject = "incident" }
remedy = { kind = "discount_next_order", percent = 20 }
[[rules]]
id = "c"
remedy = { kind = "upgrade", amount = 1000, note = "first class", approval = "manager", min_amount = 5, max_amount = 2000 }
)");
    ASSERT_EQ(p.rules.size(), 3u);
    EXPECT_EQ(p.name, "shop");
    EXPECT_EQ(p.groups, (std::vector<std::string>{"make_whole", "surprise", "main"}));
    EXPECT_EQ(p.rules[2].group, "main");
    EXPECT_EQ(p.rules[2].group_index, 2);
    EXPECT_EQ(p.categories, (std::vector<std::string>{"delivery", "pricing"}));
    EXPECT_EQ(p.rules[0].when.category_ids, (std::vector<int>{0, 1}));
    EXPECT_EQ(p.rules[1].when.category_ids, (std::vector<int>{0}));
    EXPECT_EQ(p.rules[0].when.late_minutes.min, 36 * 60);
    EXPECT_EQ(p.rules[0].when.order_value.max, 5000);
    EXPECT_EQ(p.rules[0].remedy.base, Base::kLoss);
    EXPECT_EQ(p.rules[1].remedy.base, Base::kOrder);  // percent defaults to a share of the order
    EXPECT_EQ(p.rules[1].when.min_impact, Impact::kMajor);
    EXPECT_EQ(p.rules[1].when.subject, Subject::kIncident);
    EXPECT_EQ(p.rules[2].remedy.approval, Role::kManager);
    EXPECT_EQ(p.rules[2].remedy.amount_minor, 1000);
    EXPECT_EQ(p.CategoryId("pricing"), 1);
    EXPECT_EQ(p.CategoryId("billing"), -1);
}

TEST(PolicyParse, ReasonIsBuiltFromTheRuleAndItsConditions) {
    const Policy p = MustParse(R"(
currency = "EUR"
[[rules]]
id = "late"
why = "Late is late."
when = { category = ["delivery", "shipping", "post"], min_late = "2d", min_loss = 1, max_loss = 100000 }
remedy = { kind = "refund", amount = 100 }
[[rules]]
id = "all"
remedy = { kind = "refund", amount = 100 }
)");
    EXPECT_EQ(p.rules[0].reason,
              "Late is late. (rule late, first match in group main: category is delivery, shipping or post, late at "
              "least 2d, loss from 0.01 EUR to 1000.00 EUR)");
    EXPECT_EQ(p.rules[1].reason, "(rule all, first match in group main: every case)");
}

TEST(PolicyParse, CapsAndApprovalLimits) {
    const Policy p = MustParse(R"(
[caps]
customer_per_year = 100000
refund = 5000
free_item = 2000
[approval]
agent = 1000
manager = 10000
[[rules]]
id = "r"
remedy = { kind = "free_item" }
)");
    EXPECT_EQ(p.caps.customer_per_year, 100000);
    EXPECT_EQ(p.caps.per_kind[static_cast<std::size_t>(RemedyKind::kRefund)], 5000);
    EXPECT_EQ(p.caps.per_kind[static_cast<std::size_t>(RemedyKind::kFreeItem)], 2000);
    EXPECT_FALSE(p.caps.per_kind[static_cast<std::size_t>(RemedyKind::kCredit)].has_value());
    EXPECT_EQ(p.approval.agent, 1000);
    EXPECT_EQ(p.approval.manager, 10000);
    EXPECT_FALSE(p.approval.admin.has_value());
    EXPECT_EQ(p.rules[0].remedy.base, Base::kItem);
    EXPECT_EQ(p.rules[0].remedy.percent, 100);
}

TEST(PolicyParse, ErrorsNameTheKeyPath) {
    struct Bad {
        const char* toml;
        const char* field;
    } const cases[] = {
        {"[[rules]]\nid = \"a\"\nremedy = { kind = \"refund\", amount = 1 }\n[[rules]]\nid = \"b\"\n"
         "remedy = { kind = \"credit\", percent = 5, of = \"nope\" }",
         "rules[1].remedy.of"},
        {"[[rules]]\nid = \"a\"\nwhen = { colour = \"red\" }\nremedy = { kind = \"refund\", amount = 1 }",
         "rules[0].when.colour"},
        {"[[rules]]\nid = \"a\"\nwhen = { min_severity = \"urgent\" }\nremedy = { kind = \"refund\", amount = 1 }",
         "rules[0].when.min_severity"},
        {"[[rules]]\nid = \"Not A Slug\"\nremedy = { kind = \"refund\", amount = 1 }", "rules[0].id"},
        {"[[rules]]\nremedy = { kind = \"refund\", amount = 1 }", "rules[0].id"},
        {"[[rules]]\nid = \"a\"", "rules[0].remedy"},
        {"[[rules]]\nid = \"a\"\nremedy = { kind = \"free_item\", amount = 5 }", "rules[0].remedy.amount"},
        {"[[rules]]\nid = \"a\"\nremedy = { kind = \"refund\", amount = 5, percent = 5 }", "rules[0].remedy.percent"},
        {"[[rules]]\nid = \"a\"\nremedy = { kind = \"refund\", amount = 5, of = \"loss\" }", "rules[0].remedy.of"},
        {"[[rules]]\nid = \"a\"\nremedy = { kind = \"refund\", amount = 5, at_least = \"order\" }",
         "rules[0].remedy.at_least"},
        {"[[rules]]\nid = \"a\"\nremedy = { kind = \"refund\", amount = 5, approval = \"ceo\" }",
         "rules[0].remedy.approval"},
        {"[[rules]]\nid = \"a\"\nremedy = { kind = \"refund\", amount = 5, min_amount = 9, max_amount = 8 }",
         "rules[0].remedy.max_amount"},
        {"[caps]\nvouchers = 5\n[[rules]]\nid = \"a\"\nremedy = { kind = \"refund\", amount = 5 }", "caps.vouchers"},
        {"[approval]\nmanager = 5\n[[rules]]\nid = \"a\"\nremedy = { kind = \"refund\", amount = 5 }", "approval"},
        {"[approval]\nagent = 5\nmanager = 9\nadmin = 6\n[[rules]]\nid = \"a\"\nremedy = { kind = \"refund\", amount = 5 }",
         "approval.admin"},
        {"currency = \"euro\"\n[[rules]]\nid = \"a\"\nremedy = { kind = \"refund\", amount = 5 }", "currency"},
        {"minor_digits = 7\n[[rules]]\nid = \"a\"\nremedy = { kind = \"refund\", amount = 5 }", "minor_digits"},
        {"rules = 5", "rules"},
        {"rules = [5]", "rules[0]"},
        {"colour = 1\n[[rules]]\nid = \"a\"\nremedy = { kind = \"refund\", amount = 5 }", "colour"},
        {"[[rules]]\nid = \"a\"\nwhen = { category = [] }\nremedy = { kind = \"refund\", amount = 5 }",
         "rules[0].when.category"},
        {"[[rules]]\nid = \"a\"\nwhen = { category = [\"ok\", 5] }\nremedy = { kind = \"refund\", amount = 5 }",
         "rules[0].when.category[1]"},
        {"[[rules]]\nid = \"a\"\nwhen = { min_late = 5 }\nremedy = { kind = \"refund\", amount = 5 }",
         "rules[0].when.min_late"},
        {"[[rules]]\nid = \"a\"\nremedy = { kind = \"refund\", amount = 1000000000000000000 }",
         "rules[0].remedy.amount"},
        {"[[rules]]\nid = \"a\"\nremedy = { kind = \"credit\", percent = 1001, of = \"loss\" }",
         "rules[0].remedy.percent"},
        {"[[rules]]\nid = \"a\"\nremedy = { kind = \"refund\", amount = 5, note = \"\" }", "rules[0].remedy.note"},
        {"[[rules]]\nid = \"a\"\n[[rules]]\n", "rules[0].remedy"},
        {"x = [1, 2", "toml"},
        {"", "rules"},
    };
    for (const Bad& c : cases) {
        const Error e = MustFail(c.toml);
        EXPECT_EQ(e.code, ErrorCode::kInvalidArgument) << c.toml;
        EXPECT_EQ(e.field, c.field) << c.toml << "\n-> " << e.message;
        EXPECT_FALSE(e.message.empty());
    }
}

TEST(PolicyParse, SyntaxErrorsGiveTheLine) {
    const Error e = MustFail("name = \"x\"\n\n[[rules]\n");
    EXPECT_EQ(e.field, "toml");
    EXPECT_EQ(e.message.rfind("line 3:", 0), 0u) << e.message;
}

TEST(PolicyParse, ArbitraryBytesNeverCrash) {
    std::string junk;
    for (int i = 0; i < 2000; ++i) {
        junk.push_back(static_cast<char>((i * 7919) % 256));
        (void)ParsePolicy(junk);  // an error or a policy, never a crash
    }
    EXPECT_FALSE(ParsePolicy(std::string(2 << 20, '#')).has_value());
}

TEST(PolicyParse, TheDefaultPolicyParsesAndHasTwoGroupsEndingInACatchAll) {
    const Policy& p = DefaultPolicy();
    EXPECT_EQ(p.name, "default");
    EXPECT_EQ(p.groups, (std::vector<std::string>{"make_whole", "surprise"}));
    for (const std::string& group : p.groups) {
        const Rule* last = nullptr;
        for (const Rule& r : p.rules)
            if (r.group == group) last = &r;
        ASSERT_NE(last, nullptr);
        EXPECT_NE(last->reason.find(": every case)"), std::string::npos) << last->id << " is not a catch-all";
    }
}

TEST(PolicyMinutes, ParsesAndFormatsDurations) {
    EXPECT_EQ(ParseMinutes("2d"), 2880);
    EXPECT_EQ(ParseMinutes("1d12h"), 2160);
    EXPECT_EQ(ParseMinutes("90m"), 90);
    EXPECT_EQ(ParseMinutes("1h30m"), 90);
    EXPECT_EQ(ParseMinutes("0m"), 0);
    for (const char* bad : {"", "2", "d", "2w", "1h1d", "1h1h", "-1d", "1.5h", "99999999d"})
        EXPECT_EQ(ParseMinutes(bad), std::nullopt) << bad;
    EXPECT_EQ(FormatMinutes(2160), "1d12h");
    EXPECT_EQ(FormatMinutes(90), "1h30m");
    EXPECT_EQ(FormatMinutes(0), "0m");
}

TEST(PolicyMoney, FormatsMinorUnitsWithThePolicysDigitsAndCurrency) {
    Policy p;
    EXPECT_EQ(FormatMoney(p, 123456), "1234.56");
    EXPECT_EQ(FormatMoney(p, 5), "0.05");
    p.currency = "EUR";
    EXPECT_EQ(FormatMoney(p, 100), "1.00 EUR");
    p.minor_digits = 0;
    p.currency = "JPY";
    EXPECT_EQ(FormatMoney(p, 500), "500 JPY");
}

TEST(PolicyFacts, ValidateNamesTheFact) {
    Facts f;
    EXPECT_TRUE(Validate(f).has_value());
    f.loss_minor = -1;
    EXPECT_EQ(Validate(f).error().field, "loss_minor");
    f = Facts{};
    f.category = "Delivery!";
    EXPECT_EQ(Validate(f).error().field, "category");
    f = Facts{};
    f.order_value_minor = kMaxMinor + 1;
    EXPECT_EQ(Validate(f).error().field, "order_value_minor");
}

TEST(PolicyFacts, FactsOfACaseAndItsCustomer) {
    Case c;
    c.id = 5;
    c.category = "delivery";
    c.severity = Severity::kHigh;
    Customer customer;
    customer.id = 9;
    customer.value_minor = 12345;
    const Facts f = FactsOf(c, customer);
    EXPECT_EQ(f.subject, Subject::kCase);
    EXPECT_EQ(f.subject_id, 5);
    EXPECT_EQ(f.customer_id, 9);
    EXPECT_EQ(f.category, "delivery");
    EXPECT_EQ(f.severity, Severity::kHigh);
    EXPECT_EQ(f.customer_value_minor, 12345);
}

}  // namespace
}  // namespace amends::policy
