#pragma once
// Golden files for unit tests: each tests/data/<module>/*.test holds a head (the input the test reads) and the
// output it must produce. A test lists the files, builds each output, and checks it here; AMENDS_UPDATE_GOLDEN=1
// rewrites the outputs instead (review the diff before committing it).

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace amends::testing {

// The first line that differs, with its number, instead of two whole files.
inline std::string FirstDifference(const std::string& actual, const std::string& expected) {
    std::istringstream a(actual), e(expected);
    std::string la, le;
    for (int line = 1;; ++line) {
        const bool more_a = static_cast<bool>(std::getline(a, la));
        const bool more_e = static_cast<bool>(std::getline(e, le));
        if (!more_a && !more_e) return "no difference";
        if (!more_a || !more_e || la != le)
            return "expected line " + std::to_string(line) + ":\n  " + (more_e ? le : "<end>") + "\nactual:\n  " +
                   (more_a ? la : "<end>");
    }
}

// The *.test files of `dir`, sorted; fails the test when there are fewer than `at_least`.
inline std::vector<std::filesystem::path> GoldenFiles(const std::filesystem::path& dir, std::size_t at_least) {
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir))
        if (entry.path().extension() == ".test") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    EXPECT_GE(files.size(), at_least) << "golden files missing under " << dir;
    return files;
}

// Checks `actual` against the file's recorded output (or rewrites the file as `head` + `actual`).
inline void CheckGolden(const std::filesystem::path& file, const std::string& name, const std::string& head,
                        const std::string& actual, const std::string& expected) {
    if (std::getenv("AMENDS_UPDATE_GOLDEN") != nullptr) {
        std::ofstream(file) << head << actual;
        return;
    }
    EXPECT_TRUE(actual == expected) << file.filename() << " (" << name << "): " << FirstDifference(actual, expected)
                                    << "\n(AMENDS_UPDATE_GOLDEN=1 rewrites the file; review the diff)";
}

}  // namespace amends::testing
