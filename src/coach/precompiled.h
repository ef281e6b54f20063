#pragma once
// Hyperscan databases compiled at build time by coach_precompile (one per language pack), so a process starts
// in microseconds instead of compiling for seconds. Coach::Create falls back to compiling when one is missing or
// stale.

#include <span>
#include <string_view>

namespace amends::coach {

struct PrecompiledDatabase {
    std::string_view language;
    std::string_view bytes;  // MultiMatcher::Serialize()
};

std::span<const PrecompiledDatabase> PrecompiledDatabases();

}  // namespace amends::coach
