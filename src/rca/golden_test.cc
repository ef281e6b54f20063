// Data-driven tests: each file under tests/data/rca/ is one debrief, as the API's JSON, and what rca makes of it:
// the scope suggestion, the gaps before publishing, the internal Markdown and the public postmortem's Markdown.
//
// File format:
//   name: <one line>
//   description: <one line>
//   <the debrief as JSON, any number of lines>
//   ----
//   "== suggestion", "== publish gaps", "== markdown", "== public markdown" sections; or "error: <field>: <message>"
//
// Set AMENDS_UPDATE_GOLDEN=1 to rewrite the expected part from the current output (then review the diff).
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "tests/support/golden.h"
#include <nlohmann/json.hpp>

#include "rca/json.h"
#include "rca/render.h"

namespace amends::rca {
namespace {

namespace fs = std::filesystem;

struct GoldenCase {
    std::string name;
    std::string json;
    std::string head;
    std::string expected;
};

GoldenCase Load(const fs::path& file) {
    std::ifstream in(file);
    GoldenCase c;
    std::string line;
    bool expected = false;
    while (std::getline(in, line)) {
        if (expected) {
            c.expected += line + "\n";
            continue;
        }
        c.head += line + "\n";
        if (line == "----") {
            expected = true;
        } else if (line.rfind("name:", 0) == 0) {
            c.name = line.substr(line.find_first_not_of(' ', 5));
        } else if (line.rfind("description:", 0) != 0) {
            c.json += line + "\n";
        }
    }
    return c;
}

std::string Describe(const GoldenCase& c) {
    const auto json = nlohmann::json::parse(c.json, nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded()) return "the debrief is not JSON\n";
    auto d = ParseDebrief(json);
    if (!d) return "error: " + d.error().field + ": " + d.error().message + "\n";
    const ScopeSuggestion s = SuggestScope(d->scope_test, d->cause_type);
    std::string out = "== suggestion\n" + std::string(s.scope ? Name(*s.scope) : "none") + ": " + s.explanation + "\n";
    out += "== publish gaps\n";
    const auto gaps = PublishGaps(*d);
    if (gaps.empty()) out += "none: ready to publish\n";
    for (const Error& e : gaps) out += e.field + ": " + e.message + "\n";
    out += "== markdown\n" + RenderMarkdown(*d);
    out += "== public markdown\n" + RenderMarkdown(ToPublic(*d));
    return out;
}

TEST(RcaGolden, EveryDebriefRendersAsRecorded) {
    for (const fs::path& file : testing::GoldenFiles(fs::path(AMENDS_SOURCE_DIR) / "tests/data/rca", 3)) {
        const GoldenCase c = Load(file);
        ASSERT_FALSE(c.name.empty()) << file;
        testing::CheckGolden(file, c.name, c.head, Describe(c), c.expected);
    }
}

}  // namespace
}  // namespace amends::rca
