#include "domain/time.h"

#include <gtest/gtest.h>

namespace amends {
namespace {

struct ParseCase {
    const char* text;
    std::optional<std::int64_t> unix_ms;
};

TEST(Time, ParsesRfc3339AndRejectsEverythingElse) {
    const ParseCase cases[] = {
        {"1970-01-01T00:00:00Z", 0},
        {"2026-11-23T01:29:26Z", 1795397366000},
        {"2026-11-23T01:29:26.123Z", 1795397366123},
        {"2026-11-23T01:29:26.1Z", 1795397366100},
        {"2026-11-23T01:29:26.123456Z", 1795397366123},
        {"2026-11-23T03:29:26+02:00", 1795397366000},
        {"2026-11-22T20:29:26-05:00", 1795397366000},
        {"2026-11-23", 1795392000000},
        {"2024-02-29T00:00:00Z", 1709164800000},
        {"2026-02-29T00:00:00Z", std::nullopt},
        {"2026-13-01T00:00:00Z", std::nullopt},
        {"2026-11-23T24:00:00Z", std::nullopt},
        {"2026-11-23T01:29:26", std::nullopt},
        {"2026-11-23T01:29:26.Z", std::nullopt},
        {"2026-11-23T01:29:26+0200", std::nullopt},
        {"yesterday", std::nullopt},
        {"", std::nullopt},
        {"2026-11-23T01:29:26Zjunk", std::nullopt},
    };
    for (const auto& c : cases) {
        auto parsed = ParseRfc3339(c.text);
        ASSERT_EQ(parsed.has_value(), c.unix_ms.has_value()) << c.text;
        if (parsed) {
            EXPECT_EQ(ToUnixMillis(*parsed), *c.unix_ms) << c.text;
        }
    }
}

TEST(Time, FormatsUtcWithMillisecondsAndRoundTrips) {
    auto t = FromUnixMillis(1795397366123);
    EXPECT_EQ(FormatRfc3339(t), "2026-11-23T01:29:26.123Z");
    EXPECT_EQ(ParseRfc3339(FormatRfc3339(t)), t);
    EXPECT_EQ(FormatRfc3339(FromUnixMillis(0)), "1970-01-01T00:00:00.000Z");
}

TEST(Time, ManualClockMovesOnlyWhenTold) {
    ManualClock clock(FromUnixMillis(1000));
    EXPECT_EQ(ToUnixMillis(clock.Now()), 1000);
    clock.Advance(std::chrono::hours(1));
    EXPECT_EQ(ToUnixMillis(clock.Now()), 1000 + 3600000);
}

}  // namespace
}  // namespace amends
