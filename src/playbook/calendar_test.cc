#include "playbook/calendar.h"

#include <gtest/gtest.h>

#include "playbook/playbook_testing.h"

namespace amends::playbook {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using testing::At;

std::chrono::sys_days Day(std::string_view date) { return std::chrono::floor<std::chrono::days>(At(date)); }

// Monday to Friday 09:00-17:00 at UTC+01:00; Christmas Day 2026 (a Friday) is a holiday.
Calendar Office() {
    Calendar c;
    c.name = "office";
    c.utc_offset = hours(1);
    for (auto& day : c.week) day.clear();
    for (int d = 0; d < 5; ++d) c.week[d] = {OpenSpan{9 * 60, 17 * 60}};
    c.holidays = {Day("2026-12-25")};
    return c;
}

// Monday to Friday 09:00-12:00 and 13:00-17:00 at UTC-05:00.
Calendar LunchBreak() {
    Calendar c;
    c.name = "lunch";
    c.utc_offset = -hours(5);
    for (auto& day : c.week) day.clear();
    for (int d = 0; d < 5; ++d) c.week[d] = {OpenSpan{9 * 60, 12 * 60}, OpenSpan{13 * 60, 17 * 60}};
    return c;
}

struct AddCase {
    const char* name;
    Calendar calendar;
    const char* start;
    Millis duration;
    const char* expected;
};

std::vector<AddCase> AddCases() {
    return {
        {"within the same day", Office(), "2026-11-23T10:00:00+01:00", hours(1), "2026-11-23T11:00:00+01:00"},
        {"carries over to the next morning", Office(), "2026-11-23T16:30:00+01:00", hours(1),
         "2026-11-24T09:30:00+01:00"},
        {"skips the weekend", Office(), "2026-11-27T16:00:00+01:00", hours(2), "2026-11-30T10:00:00+01:00"},
        {"starts on a Saturday", Office(), "2026-11-28T12:00:00+01:00", hours(1), "2026-11-30T10:00:00+01:00"},
        {"starts before opening", Office(), "2026-11-23T07:00:00+01:00", minutes(30), "2026-11-23T09:30:00+01:00"},
        {"zero after closing is the next opening", Office(), "2026-11-23T18:00:00+01:00", Millis(0),
         "2026-11-24T09:00:00+01:00"},
        {"zero inside hours is the start", Office(), "2026-11-23T10:00:00+01:00", Millis(0),
         "2026-11-23T10:00:00+01:00"},
        {"lands exactly at closing", Office(), "2026-11-23T16:00:00+01:00", hours(1), "2026-11-23T17:00:00+01:00"},
        {"the closing instant is outside hours", Office(), "2026-11-23T17:00:00+01:00", Millis(0),
         "2026-11-24T09:00:00+01:00"},
        {"skips a holiday and the weekend", Office(), "2026-12-24T16:00:00+01:00", hours(2),
         "2026-12-28T10:00:00+01:00"},
        {"starts on a holiday", Office(), "2026-12-25T10:00:00+01:00", hours(1), "2026-12-28T10:00:00+01:00"},
        {"a working week", Office(), "2026-11-23T09:00:00+01:00", hours(40), "2026-11-27T17:00:00+01:00"},
        {"a working week and an hour", Office(), "2026-11-23T09:00:00+01:00", hours(41), "2026-11-30T10:00:00+01:00"},
        {"the local day is not the UTC day", Office(), "2026-11-22T23:30:00Z", hours(1), "2026-11-23T09:00:00Z"},
        {"skips the lunch break", LunchBreak(), "2026-11-23T11:30:00-05:00", hours(1), "2026-11-23T13:30:00-05:00"},
        {"a negative offset keeps the local day", LunchBreak(), "2026-11-23T21:30:00-05:00", minutes(30),
         "2026-11-24T09:30:00-05:00"},
        {"lunch break then closing", LunchBreak(), "2026-11-23T11:00:00-05:00", hours(6), "2026-11-24T10:00:00-05:00"},
        {"always open counts the weekend", Calendar::Always(), "2026-11-28T12:00:00Z", hours(3),
         "2026-11-28T15:00:00Z"},
    };
}

TEST(Calendar, AddBusinessTimeSkipsClosedTime) {
    for (const AddCase& c : AddCases()) {
        EXPECT_EQ(FormatRfc3339(AddBusinessTime(At(c.start), c.duration, c.calendar)), FormatRfc3339(At(c.expected)))
            << c.name;
    }
}

TEST(Calendar, BusinessTimeBetweenUndoesAddBusinessTime) {
    for (const AddCase& c : AddCases()) {
        const TimePoint end = AddBusinessTime(At(c.start), c.duration, c.calendar);
        EXPECT_EQ(BusinessTimeBetween(At(c.start), end, c.calendar), c.duration) << c.name;
    }
}

TEST(Calendar, RoundTripHoldsForManyStartsAndDurations) {
    const Calendar calendars[] = {Office(), LunchBreak()};
    for (const Calendar& calendar : calendars) {
        for (TimePoint start = At("2026-12-20T00:00:00Z"); start < At("2027-01-03T00:00:00Z"); start += minutes(97)) {
            for (Millis d : std::vector<Millis>{Millis(0), minutes(1), minutes(59), hours(3), hours(8), hours(30)}) {
                const TimePoint end = AddBusinessTime(start, d, calendar);
                ASSERT_GE(end, start);
                ASSERT_EQ(BusinessTimeBetween(start, end, calendar), d)
                    << calendar.name << " " << FormatRfc3339(start) << " + " << FormatDuration(d);
                if (d > Millis(0)) {
                    ASSERT_TRUE(calendar.IsOpenAt(end - Millis(1))) << FormatRfc3339(end);
                }
            }
        }
    }
}

TEST(Calendar, BusinessTimeBetweenCountsOnlyOpenHours) {
    struct Case {
        const char* name;
        const char* from;
        const char* to;
        Millis expected;
    } cases[] = {
        {"Friday afternoon to Monday morning", "2026-11-27T16:00:00+01:00", "2026-11-30T10:00:00+01:00", hours(2)},
        {"a weekend alone", "2026-11-28T00:00:00+01:00", "2026-11-30T00:00:00+01:00", Millis(0)},
        {"around Christmas", "2026-12-24T00:00:00+01:00", "2026-12-29T00:00:00+01:00", hours(16)},
        {"backwards is zero", "2026-11-23T10:00:00+01:00", "2026-11-23T09:00:00+01:00", Millis(0)},
        {"one night", "2026-11-23T17:00:00+01:00", "2026-11-24T09:00:00+01:00", Millis(0)},
    };
    for (const Case& c : cases) EXPECT_EQ(BusinessTimeBetween(At(c.from), At(c.to), Office()), c.expected) << c.name;
}

TEST(Calendar, IsOpenAtFollowsHoursHolidaysAndOffset) {
    struct Case {
        const char* at;
        bool open;
    } cases[] = {
        {"2026-11-23T09:00:00+01:00", true},  {"2026-11-23T08:59:59+01:00", false},
        {"2026-11-23T16:59:59+01:00", true},  {"2026-11-23T17:00:00+01:00", false},
        {"2026-11-28T12:00:00+01:00", false}, {"2026-12-25T12:00:00+01:00", false},
        {"2026-11-23T08:30:00Z", true},  // 09:30 local
    };
    for (const auto& c : cases) EXPECT_EQ(Office().IsOpenAt(At(c.at)), c.open) << c.at;
    EXPECT_TRUE(Calendar::Always().IsOpenAt(At("2026-12-25T03:00:00Z")));
}

TEST(Calendar, AlwaysOpenOnlyWhenNothingIsClosed) {
    EXPECT_TRUE(Calendar::Always().AlwaysOpen());
    EXPECT_FALSE(Office().AlwaysOpen());
    Calendar with_holiday = Calendar::Always();
    with_holiday.holidays = {Day("2026-12-25")};
    EXPECT_FALSE(with_holiday.AlwaysOpen());
    EXPECT_EQ(AddBusinessTime(At("2026-12-24T23:00:00Z"), hours(2), with_holiday), At("2026-12-26T01:00:00Z"));
}

TEST(Calendar, ValidateNamesTheBrokenPart) {
    struct Case {
        const char* name;
        Calendar calendar;
        const char* field;
    };
    std::vector<Case> cases;
    Calendar overlap = Office();
    overlap.week[0] = {OpenSpan{9 * 60, 12 * 60}, OpenSpan{11 * 60, 17 * 60}};
    cases.push_back({"overlapping spans", overlap, "week[0]"});
    Calendar backwards = Office();
    backwards.week[3] = {OpenSpan{17 * 60, 9 * 60}};
    cases.push_back({"span ends before it starts", backwards, "week[3]"});
    Calendar never = Office();
    for (auto& day : never.week) day.clear();
    cases.push_back({"never open", never, "week"});
    Calendar far = Office();
    far.utc_offset = hours(19);
    cases.push_back({"offset too large", far, "utc_offset"});
    Calendar unsorted = Office();
    unsorted.holidays = {Day("2026-12-26"), Day("2026-12-25")};
    cases.push_back({"unsorted holidays", unsorted, "holidays"});
    for (const Case& c : cases) {
        auto result = Validate(c.calendar);
        ASSERT_FALSE(result) << c.name;
        EXPECT_EQ(result.error().field, c.field) << c.name;
    }
    EXPECT_TRUE(Validate(Office()));
    EXPECT_TRUE(Validate(LunchBreak()));
    EXPECT_TRUE(Validate(Calendar::Always()));
}

TEST(Calendar, NeverOpenCalendarHasNoDeadline) {
    Calendar never = Office();
    for (auto& day : never.week) day.clear();
    EXPECT_EQ(AddBusinessTime(At("2026-11-23T10:00:00Z"), hours(1), never), TimePoint::max());
}

TEST(Calendar, PausesPushTheDeadlineByTheirBusinessTime) {
    const TimePoint start = At("2026-11-23T10:00:00+01:00");
    struct Case {
        const char* name;
        std::vector<Pause> pauses;
        std::optional<TimePoint> expected;
    } cases[] = {
        {"no pause", {}, At("2026-11-23T14:00:00+01:00")},
        {"a one-hour pause inside hours",
         {{At("2026-11-23T11:00:00+01:00"), At("2026-11-23T12:00:00+01:00")}},
         At("2026-11-23T15:00:00+01:00")},
        {"a pause over the night adds only the business hours it covered",
         {{At("2026-11-23T12:00:00+01:00"), At("2026-11-24T10:00:00+01:00")}},
         At("2026-11-24T12:00:00+01:00")},
        {"a pause that ends before the start is ignored",
         {{At("2026-11-23T08:00:00+01:00"), At("2026-11-23T09:30:00+01:00")}},
         At("2026-11-23T14:00:00+01:00")},
        {"a pause spanning the start delays the start",
         {{At("2026-11-23T09:30:00+01:00"), At("2026-11-23T11:00:00+01:00")}},
         At("2026-11-23T15:00:00+01:00")},
        {"an open pause before the deadline stops the clock",
         {{At("2026-11-23T12:00:00+01:00"), std::nullopt}},
         std::nullopt},
        {"an open pause after the deadline does not matter",
         {{At("2026-11-23T15:00:00+01:00"), std::nullopt}},
         At("2026-11-23T14:00:00+01:00")},
        {"a pause starting at the deadline does not move it",
         {{At("2026-11-23T14:00:00+01:00"), std::nullopt}},
         At("2026-11-23T14:00:00+01:00")},
        {"two pauses add up",
         {{At("2026-11-23T10:30:00+01:00"), At("2026-11-23T11:00:00+01:00")},
          {At("2026-11-23T12:00:00+01:00"), At("2026-11-23T13:00:00+01:00")}},
         At("2026-11-23T15:30:00+01:00")},
    };
    for (const auto& c : cases) {
        auto due = DeadlineWithPauses(start, hours(4), Office(), c.pauses);
        ASSERT_EQ(due.has_value(), c.expected.has_value()) << c.name;
        if (due) {
            EXPECT_EQ(FormatRfc3339(*due), FormatRfc3339(*c.expected)) << c.name;
        }
    }
}

TEST(Calendar, ZeroDurationWithAPauseAtNightWaitsForTheResume) {
    // Nothing left to run: the deadline is the first business instant outside the pause.
    const std::vector<Pause> pauses = {{At("2026-11-23T18:00:00+01:00"), At("2026-11-24T10:00:00+01:00")}};
    auto due = DeadlineWithPauses(At("2026-11-23T17:30:00+01:00"), Millis(0), Office(), pauses);
    ASSERT_TRUE(due);
    EXPECT_EQ(*due, At("2026-11-24T10:00:00+01:00"));
}

TEST(Calendar, FormatDurationIsHoursAndMinutes) {
    EXPECT_EQ(FormatDuration(hours(1)), "1h");
    EXPECT_EQ(FormatDuration(minutes(90)), "1h30m");
    EXPECT_EQ(FormatDuration(minutes(45)), "45m");
    EXPECT_EQ(FormatDuration(Millis(0)), "0m");
    EXPECT_EQ(FormatDuration(hours(72)), "72h");
    EXPECT_EQ(FormatDuration(-hours(1)), "0m");
    EXPECT_EQ(FormatDuration(Millis(1)), "1ms");
    EXPECT_EQ(FormatDuration(std::chrono::seconds(45)), "45s");
    EXPECT_EQ(FormatDuration(hours(1) + std::chrono::seconds(5) + Millis(7)), "1h5s");
}

}  // namespace
}  // namespace amends::playbook
