#pragma once
// Trimming bytes off both ends of a string, shared by the parsers (lexicon lines, mail headers, template tags).

#include <string_view>

namespace amends {

// White space as isspace() reads it in the C locale.
inline constexpr std::string_view kWhiteSpace = " \t\n\v\f\r";

// `s` without the bytes of `chars` at either end.
inline std::string_view TrimBytes(std::string_view s, std::string_view chars = kWhiteSpace) {
    const std::size_t first = s.find_first_not_of(chars);
    if (first == std::string_view::npos) return {};
    return s.substr(first, s.find_last_not_of(chars) - first + 1);
}

}  // namespace amends
