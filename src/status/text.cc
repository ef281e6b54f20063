#include "status/text.h"

#include <array>
#include <cstdio>

namespace amends::status {
namespace {

constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::array<const char*, 7> kWeekdays = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};

struct Parts {
    int year;
    unsigned month, day, weekday;
    int hour, minute, second;
};

Parts Split(TimePoint t) {
    auto day = std::chrono::floor<std::chrono::days>(t);
    std::chrono::year_month_day ymd(day);
    std::chrono::hh_mm_ss hms(std::chrono::floor<std::chrono::seconds>(t - day));
    return Parts{static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                 std::chrono::weekday(day).c_encoding(), static_cast<int>(hms.hours().count()),
                 static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count())};
}

}  // namespace

std::string Escape(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: {
                const auto u = static_cast<unsigned char>(c);
                if (u < 0x20 && c != '\t' && c != '\n' && c != '\r') break;
                if (u == 0xef && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0xbf &&
                    (static_cast<unsigned char>(text[i + 2]) & 0xfe) == 0xbe) {
                    i += 2;  // U+FFFE or U+FFFF
                    break;
                }
                out += c;
            }
        }
    }
    return out;
}

std::string Rfc822(TimePoint t) {
    const Parts p = Split(t);
    char buf[40];
    std::snprintf(buf, sizeof buf, "%s, %02u %s %04d %02d:%02d:%02d +0000", kWeekdays[p.weekday], p.day,
                  kMonths[p.month - 1], p.year, p.hour, p.minute, p.second);
    return buf;
}

std::string ShortTime(TimePoint t) {
    const Parts p = Split(t);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%s %u, %02d:%02d UTC", kMonths[p.month - 1], p.day, p.hour, p.minute);
    return buf;
}

std::string DayLabel(TimePoint t) {
    const Parts p = Split(t);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%s %u, %04d", kMonths[p.month - 1], p.day, p.year);
    return buf;
}

std::string MachineTime(TimePoint t) {
    const Parts p = Split(t);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", p.year, p.month, p.day, p.hour, p.minute,
                  p.second);
    return buf;
}

std::string HostOf(std::string_view url) {
    if (auto scheme = url.find("://"); scheme != std::string_view::npos) url.remove_prefix(scheme + 3);
    if (auto at = url.find('@'); at != std::string_view::npos && at < url.find('/')) url.remove_prefix(at + 1);
    return std::string(url.substr(0, url.find_first_of(":/?#")));
}

}  // namespace amends::status
