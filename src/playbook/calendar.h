#pragma once
// Business-hours calendars: weekly opening hours at a fixed UTC offset, minus holidays, and the arithmetic the
// clocks need (add business time to an instant, measure business time between two instants). Pure.

#include <array>
#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "domain/error.h"
#include "domain/time.h"

namespace amends::playbook {

// Opening hours within one local day, as minutes after local midnight: [open_minute, close_minute).
struct OpenSpan {
    int open_minute = 0;
    int close_minute = 24 * 60;
    friend bool operator==(const OpenSpan&, const OpenSpan&) = default;
};

// When the business counts time. A value type, safe to share between threads once built.
//
// Local time is UTC plus a fixed offset: there is no daylight-saving rule, so a team whose offset changes twice a
// year configures the offset it wants the clocks to use (or two calendars). Weekdays are indexed Monday = 0 ..
// Sunday = 6; each day's spans are sorted and do not overlap (Validate checks). A holiday closes the whole local day.
// The default calendar is open all the time ("always"), where business time equals wall time.
struct Calendar {
    std::string name = "always";
    Millis utc_offset{0};
    std::array<std::vector<OpenSpan>, 7> week = AllDay();
    std::vector<std::chrono::sys_days> holidays;  // local dates, sorted ascending, unique

    static std::array<std::vector<OpenSpan>, 7> AllDay();
    static Calendar Always() { return Calendar{}; }

    // True when every day is open 00:00-24:00 and there are no holidays.
    bool AlwaysOpen() const;
    bool IsHoliday(std::chrono::sys_days local_day) const;
    // True when `t` lies inside opening hours (an instant at a span's close is outside).
    bool IsOpenAt(TimePoint t) const;
};

// Checks the calendar's invariants; the error's field names the part ("week[2]", "holidays", "utc_offset").
Expected<void> Validate(const Calendar& calendar);

// The instant at which `duration` of business time has passed since `start`. With a zero duration: the first
// business instant at or after `start`. A deadline that lands exactly at a closing time is that closing time.
// Returns TimePoint::max() when the calendar has no opening hours in the next ten years.
TimePoint AddBusinessTime(TimePoint start, Millis duration, const Calendar& calendar);

// Business time inside [from, to); zero when to <= from.
Millis BusinessTimeBetween(TimePoint from, TimePoint to, const Calendar& calendar);

// A span during which clocks stand still (waiting on the customer, or resolved). `to` is empty while it lasts.
struct Pause {
    TimePoint from{};
    std::optional<TimePoint> to;
};

// Like AddBusinessTime, skipping the pauses (sorted by `from`, not overlapping). Returns nullopt when the
// deadline would fall in a pause that has not ended: the clock is stopped and has no due time until it resumes.
std::optional<TimePoint> DeadlineWithPauses(TimePoint start, Millis duration, const Calendar& calendar,
                                            std::span<const Pause> pauses);

// "2h30m", "45m", "1h0m5s" as "1h5s", "250ms" under a second, "0m" for zero or less: what the config and the
// explanations use (sub-second parts of longer durations are dropped).
std::string FormatDuration(Millis d);

}  // namespace amends::playbook
