#include "playbook/calendar.h"

#include <algorithm>

namespace amends::playbook {
namespace {

using std::chrono::days;
using std::chrono::minutes;
using std::chrono::sys_days;

constexpr int kMaxScanDays = 10 * 366;
constexpr int kMinutesPerDay = 24 * 60;

// Monday = 0 .. Sunday = 6.
int WeekdayIndex(sys_days d) { return static_cast<int>(std::chrono::weekday(d).iso_encoding()) - 1; }

}  // namespace

std::array<std::vector<OpenSpan>, 7> Calendar::AllDay() {
    std::array<std::vector<OpenSpan>, 7> week;
    for (auto& day : week) day = {OpenSpan{0, kMinutesPerDay}};
    return week;
}

bool Calendar::AlwaysOpen() const {
    if (!holidays.empty()) return false;
    for (const auto& day : week)
        if (day.size() != 1 || day[0].open_minute != 0 || day[0].close_minute != kMinutesPerDay) return false;
    return true;
}

bool Calendar::IsHoliday(sys_days local_day) const {
    return std::binary_search(holidays.begin(), holidays.end(), local_day);
}

bool Calendar::IsOpenAt(TimePoint t) const {
    const TimePoint local = t + utc_offset;
    const sys_days day = std::chrono::floor<days>(local);
    if (IsHoliday(day)) return false;
    const auto minute = std::chrono::duration_cast<Millis>(local - day);
    for (const OpenSpan& s : week[WeekdayIndex(day)])
        if (minute >= minutes(s.open_minute) && minute < minutes(s.close_minute)) return true;
    return false;
}

Expected<void> Validate(const Calendar& calendar) {
    if (calendar.utc_offset < -std::chrono::hours(18) || calendar.utc_offset > std::chrono::hours(18))
        return InvalidField("utc_offset", "the UTC offset must lie within -18:00 and +18:00");
    bool any_open = false;
    for (int d = 0; d < 7; ++d) {
        int previous_close = -1;
        for (const OpenSpan& s : calendar.week[d]) {
            const std::string field = "week[" + std::to_string(d) + "]";
            if (s.open_minute < 0 || s.close_minute > kMinutesPerDay || s.open_minute >= s.close_minute)
                return InvalidField(field, "an opening span must start before it ends, within 00:00-24:00");
            if (s.open_minute < previous_close)
                return InvalidField(field, "opening spans must be sorted and must not overlap");
            previous_close = s.close_minute;
            any_open = true;
        }
    }
    if (!any_open) return InvalidField("week", "the calendar is never open");
    if (!std::is_sorted(calendar.holidays.begin(), calendar.holidays.end()) ||
        std::adjacent_find(calendar.holidays.begin(), calendar.holidays.end()) != calendar.holidays.end())
        return InvalidField("holidays", "holidays must be sorted and unique");
    return {};
}

TimePoint AddBusinessTime(TimePoint start, Millis duration, const Calendar& calendar) {
    if (duration < Millis(0)) duration = Millis(0);
    if (calendar.AlwaysOpen()) return start + duration;
    const TimePoint local = start + calendar.utc_offset;
    sys_days day = std::chrono::floor<days>(local);
    Millis remaining = duration;
    for (int i = 0; i < kMaxScanDays; ++i, day += days(1)) {
        if (calendar.IsHoliday(day)) continue;
        for (const OpenSpan& s : calendar.week[WeekdayIndex(day)]) {
            const TimePoint open = std::max<TimePoint>(day + minutes(s.open_minute), local);
            const TimePoint close = day + minutes(s.close_minute);
            if (open >= close) continue;
            const Millis available = close - open;
            if (remaining <= available) return open + remaining - calendar.utc_offset;
            remaining -= available;
        }
    }
    return TimePoint::max();
}

Millis BusinessTimeBetween(TimePoint from, TimePoint to, const Calendar& calendar) {
    if (to <= from) return Millis(0);
    if (calendar.AlwaysOpen()) return to - from;
    const TimePoint local_from = from + calendar.utc_offset;
    const TimePoint local_to = to + calendar.utc_offset;
    Millis total{0};
    for (sys_days day = std::chrono::floor<days>(local_from); day < local_to; day += days(1)) {
        if (calendar.IsHoliday(day)) continue;
        for (const OpenSpan& s : calendar.week[WeekdayIndex(day)]) {
            const TimePoint open = std::max<TimePoint>(day + minutes(s.open_minute), local_from);
            const TimePoint close = std::min<TimePoint>(day + minutes(s.close_minute), local_to);
            if (open < close) total += close - open;
        }
    }
    return total;
}

std::optional<TimePoint> DeadlineWithPauses(TimePoint start, Millis duration, const Calendar& calendar,
                                            std::span<const Pause> pauses) {
    TimePoint cursor = start;
    Millis remaining = std::max(duration, Millis(0));
    for (const Pause& pause : pauses) {
        if (pause.to && *pause.to <= cursor) continue;  // over before the clock got here
        if (pause.from > cursor) {
            const TimePoint candidate = AddBusinessTime(cursor, remaining, calendar);
            if (candidate <= pause.from) return candidate;
            remaining -= BusinessTimeBetween(cursor, pause.from, calendar);
        }
        if (!pause.to) return std::nullopt;
        cursor = *pause.to;
    }
    return AddBusinessTime(cursor, remaining, calendar);
}

std::string FormatDuration(Millis d) {
    if (d <= Millis(0)) return "0m";
    if (d < std::chrono::seconds(1)) return std::to_string(d.count()) + "ms";
    const auto total_seconds = std::chrono::duration_cast<std::chrono::seconds>(d).count();
    const auto h = total_seconds / 3600;
    const auto m = total_seconds / 60 % 60;
    const auto s = total_seconds % 60;
    std::string out;
    if (h > 0) out += std::to_string(h) + "h";
    if (m > 0) out += std::to_string(m) + "m";
    if (s > 0) out += std::to_string(s) + "s";
    return out;
}

}  // namespace amends::playbook
