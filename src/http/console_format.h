#pragma once
// Small wordings the console's pages share: step names and durations for people.

#include <string>
#include <string_view>

#include "domain/time.h"

namespace amends::http::console {

// "keep_informed" → "Keep informed"; "" → "—".
inline std::string StepLabel(std::string_view step) {
    if (step.empty()) return "—";
    std::string out(step);
    for (auto& c : out)
        if (c == '_') c = ' ';
    out[0] = static_cast<char>(out[0] - ('a' <= out[0] && out[0] <= 'z' ? 'a' - 'A' : 0));
    return out;
}

// A length of time, rounded down to what matters: "3 d 4 h", "2 h 5 min", "4 min", "under a minute".
// Built by appending (no `" " + std::to_string(...) + " h"` temporaries, on which GCC 12 warns -Wrestrict falsely).
inline std::string Duration(Millis d) {
    long long minutes = std::chrono::duration_cast<std::chrono::minutes>(d).count();
    if (minutes < 1) return "under a minute";
    long long days = minutes / (60 * 24), hours = minutes / 60 % 24, mins = minutes % 60;
    std::string out;
    auto add = [&out](long long n, std::string_view unit) {
        if (!out.empty()) out += ' ';
        out += std::to_string(n);
        out += ' ';
        out += unit;
    };
    if (days) {
        add(days, "d");
        if (hours) add(hours, "h");
    } else if (hours) {
        add(hours, "h");
        if (mins) add(mins, "min");
    } else {
        add(mins, "min");
    }
    return out;
}

}  // namespace amends::http::console
