#pragma once
// Enum <-> wire-name tables. Each enum in the domain lists its names once, in one constexpr table.

#include <optional>
#include <span>
#include <string_view>
#include <utility>

namespace amends {

template <typename E>
using NameTable = std::span<const std::pair<E, std::string_view>>;

template <typename E>
constexpr std::string_view NameIn(NameTable<E> table, E value) {
    for (const auto& [e, name] : table)
        if (e == value) return name;
    return "unknown";
}

template <typename E>
constexpr std::optional<E> ParseIn(NameTable<E> table, std::string_view name) {
    for (const auto& [e, n] : table)
        if (n == name) return e;
    return std::nullopt;
}

}  // namespace amends
