#pragma once
// Time in amends: UTC instants with millisecond precision, RFC 3339 text, and an injectable clock.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace amends {

using Millis = std::chrono::milliseconds;
using TimePoint = std::chrono::sys_time<Millis>;

inline std::int64_t ToUnixMillis(TimePoint t) { return t.time_since_epoch().count(); }
inline TimePoint FromUnixMillis(std::int64_t ms) { return TimePoint(Millis(ms)); }

// "2026-11-23T01:29:26.123Z"
std::string FormatRfc3339(TimePoint t);
// Accepts RFC 3339 date-times ("2026-11-23T01:29:26Z", fractional seconds, "+02:00" offsets) and plain dates
// ("2026-11-23", midnight UTC). Returns nullopt for anything else.
std::optional<TimePoint> ParseRfc3339(std::string_view text);

// The calendar fields of a UTC instant, for formats that spell them out (mail dates, notices).
struct CivilTime {
    int year = 1970;
    unsigned month = 1, day = 1;  // 1-based
    unsigned weekday = 4;         // 0 = Sunday
    int hour = 0, minute = 0, second = 0;
};
CivilTime ToCivil(TimePoint t);
inline constexpr const char* kWeekdayAbbreviations[7] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
inline constexpr const char* kMonthAbbreviations[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// Where "now" comes from. Implementations are thread-safe.
class Clock {
public:
    virtual ~Clock() = default;
    virtual TimePoint Now() const = 0;
};

class SystemClock final : public Clock {
public:
    TimePoint Now() const override;
};

// A clock that tests move by hand instead of sleeping.
class ManualClock final : public Clock {
public:
    explicit ManualClock(TimePoint start) : now_ms_(ToUnixMillis(start)) {}
    TimePoint Now() const override { return FromUnixMillis(now_ms_.load()); }
    void Set(TimePoint t) { now_ms_.store(ToUnixMillis(t)); }
    void Advance(Millis d) { now_ms_.fetch_add(d.count()); }

private:
    std::atomic<std::int64_t> now_ms_;
};

}  // namespace amends
