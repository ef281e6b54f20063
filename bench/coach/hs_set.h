#pragma once
// Shared by the coach's scan-cost tools (coach_pattern_cost, coach_scan_split): a thread CPU clock, and one
// Hyperscan block-mode database compiled from a set of expressions with their flags.

#include <hs/hs.h>
#include <time.h>

#include <cstdio>
#include <string>
#include <vector>

namespace amends::bench {

// CPU time of the calling thread, in microseconds.
inline double ThreadMicros() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) * 1e6 + static_cast<double>(t.tv_nsec) * 1e-3;
}

// Expression i gets id i. Null (after printing the expression at fault) when the set does not compile.
inline hs_database_t* CompileSet(const std::vector<std::string>& expressions, const std::vector<unsigned>& flags) {
    std::vector<const char*> sources;
    std::vector<unsigned> ids;
    for (std::size_t i = 0; i < expressions.size(); ++i) {
        sources.push_back(expressions[i].c_str());
        ids.push_back(static_cast<unsigned>(i));
    }
    hs_database_t* db = nullptr;
    hs_compile_error_t* error = nullptr;
    if (hs_compile_multi(sources.data(), flags.data(), ids.data(), static_cast<unsigned>(sources.size()), HS_MODE_BLOCK,
                         nullptr, &db, &error) != HS_SUCCESS) {
        std::fprintf(stderr, "compile: %s: %s\n",
                     error && error->expression >= 0 ? expressions[error->expression].c_str() : "",
                     error ? error->message : "?");
        hs_free_compile_error(error);
        return nullptr;
    }
    return db;
}

}  // namespace amends::bench
