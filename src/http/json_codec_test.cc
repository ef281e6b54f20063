#include "http/json_codec.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace amends::http {
namespace {

using nlohmann::json;

TEST(ObjectReader, ReadsFieldsAndReportsTheFirstErrorByName) {
    json body = {{"name", "x"}, {"count", "3"}};
    ObjectReader r(body);
    EXPECT_EQ(r.String("name"), "x");
    EXPECT_FALSE(r.Integer("count", 0, 10));
    EXPECT_FALSE(r.String("missing", /*required=*/true));
    auto done = r.Finish();
    ASSERT_FALSE(done);
    EXPECT_EQ(done.error().field, "count");
}

TEST(ObjectReader, UnknownFieldsAreErrorsWithThePrefix) {
    json body = {{"name", "x"}, {"colour", "red"}};
    ObjectReader r(body, "customer.");
    r.String("name");
    auto done = r.Finish();
    ASSERT_FALSE(done);
    EXPECT_EQ(done.error().field, "customer.colour");
}

TEST(ObjectReader, NullableFieldsTellAbsentFromNull) {
    json body = {{"email", nullptr}};
    ObjectReader r(body);
    auto email = r.NullableString("email");
    ASSERT_TRUE(email.has_value());
    EXPECT_FALSE(email->has_value());
    EXPECT_FALSE(r.NullableString("phone").has_value());
    EXPECT_TRUE(r.Finish());
}

TEST(ObjectReader, AmountsBecomeMinorUnits) {
    struct Case {
        json value;
        std::optional<std::int64_t> minor;
    };
    for (const auto& c : std::vector<Case>{{12.5, 1250}, {"12.50", 1250}, {0, 0}, {19.99, 1999}, {1.005, std::nullopt},
                                           {-1, std::nullopt}, {"ten", std::nullopt}, {true, std::nullopt}}) {
        json body = {{"value", c.value}};
        ObjectReader r(body);
        auto got = r.Amount("value");
        EXPECT_EQ(got, c.minor) << c.value.dump();
        EXPECT_EQ(r.Finish().has_value(), c.minor.has_value()) << c.value.dump();
    }
}

TEST(ParseObject, AcceptsOnlyAValidUtf8Object) {
    EXPECT_TRUE(ParseObject("{\"a\": 1}"));
    EXPECT_FALSE(ParseObject("[1]"));
    EXPECT_FALSE(ParseObject(""));
    EXPECT_FALSE(ParseObject("{\"a\": "));
    EXPECT_FALSE(ParseObject("{\"a\": \"\xff\"}"));
}

}  // namespace
}  // namespace amends::http
