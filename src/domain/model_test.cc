#include "domain/model.h"

#include <gtest/gtest.h>

namespace amends {
namespace {

TEST(Model, CleanTextAcceptsUtf8AndRejectsBrokenBytesAndControls) {
    EXPECT_TRUE(IsCleanText("plain"));
    EXPECT_TRUE(IsCleanText("caf\xc3\xa9, \xe2\x82\xac 5, \xf0\x9f\x98\x80, tab\tand\nnewline"));
    EXPECT_FALSE(IsCleanText(std::string("a\0b", 3)));
    EXPECT_FALSE(IsCleanText("bell\x07"));
    EXPECT_FALSE(IsCleanText("\xc3\x28"));          // bad continuation
    EXPECT_FALSE(IsCleanText("\xc0\xaf"));          // overlong
    EXPECT_FALSE(IsCleanText("\xed\xa0\x80"));      // surrogate
    EXPECT_FALSE(IsCleanText("\xf4\x90\x80\x80"));  // beyond U+10FFFF
    EXPECT_FALSE(IsCleanText("\xe2\x82"));          // truncated
}

TEST(Model, ACaseNeedsACustomerASubjectAndASlugCategory) {
    Case c;
    c.customer_id = 1;
    c.subject = "Box never came";
    EXPECT_TRUE(Validate(c));
    c.category = "Late Delivery";
    EXPECT_EQ(Validate(c).error().field, "category");
    c.category = "delivery";
    c.subject = " ";
    EXPECT_EQ(Validate(c).error().field, "subject");
    c.subject = std::string(kMaxShortTextBytes + 1, 'x');
    EXPECT_EQ(Validate(c).error().field, "subject");
    c.subject = "ok";
    c.customer_id = 0;
    EXPECT_EQ(Validate(c).error().field, "customer_id");
}

TEST(Model, ACustomerNeedsANameAndAPlausibleEmail) {
    Customer c;
    c.name = "Grace";
    EXPECT_TRUE(Validate(c));
    for (const char* bad : {"grace", "grace@", "@example.com", "gr ace@example.com", "a@b@c.com", "grace@localhost"}) {
        c.email = bad;
        EXPECT_EQ(Validate(c).error().field, "email") << bad;
    }
    c.email = "grace.liu+till@example.co.uk";
    EXPECT_TRUE(Validate(c));
    c.value_minor = -1;
    EXPECT_EQ(Validate(c).error().field, "value");
}

TEST(Model, EnumNamesRoundTrip) {
    for (const auto& [state, name] : kCaseStateNames) EXPECT_EQ(ParseIn<CaseState>(kCaseStateNames, name), state);
    EXPECT_EQ(Name(Channel::kInPerson), "in_person");
    EXPECT_FALSE(ParseIn<Severity>(kSeverityNames, "urgent"));
    EXPECT_LT(Role::kAgent, Role::kManager);
    EXPECT_LT(Role::kManager, Role::kAdmin);
}

}  // namespace
}  // namespace amends
