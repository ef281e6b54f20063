#pragma once
// Hyperscan databases compiled at build time by coach_precompile (one per pattern group of each language pack,
// GroupPatterns), so a process starts
// in microseconds instead of compiling for seconds. Coach::Create falls back to compiling when one is missing or
// stale.

#include <span>
#include <string_view>

namespace amends::coach {

struct PrecompiledDatabase {
    std::string_view language;
    std::string_view group;  // PatternGroup::label ("" for the group scanned on every draft)
    std::string_view bytes;  // MultiMatcher::Serialize()
};

std::span<const PrecompiledDatabase> PrecompiledDatabases();

}  // namespace amends::coach
