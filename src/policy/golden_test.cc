// Data-driven tests: each file under tests/data/policy/ is one policy and one customer's facts, and what Evaluate
// proposes for them (as the API's JSON), then Explain's line per rule.
//
// File format:
//   name: <one line>
//   description: <one line>
//   policy: default                 the built-in policy (config/policy/default.toml), or
//   policy:                         TOML lines follow, up to the line starting "facts:"
//   facts: <one JSON object>        (optional when the policy is expected not to parse)
//   ----
//   the Evaluation as indented JSON, "== explain" and one line per rule; or "policy error: <field>: <message>"
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

#include "policy/evaluate.h"
#include "policy/json.h"
#include "policy/policy.h"

namespace amends::policy {
namespace {

namespace fs = std::filesystem;

struct GoldenCase {
    std::string name;
    bool default_policy = false;
    std::string policy_toml;
    std::string facts_json;
    std::string head;      // everything up to the "----" line, kept when rewriting
    std::string expected;  // everything after it
};

std::string Trim(std::string s) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) s.pop_back();
    return s;
}

GoldenCase Load(const fs::path& file) {
    std::ifstream in(file);
    GoldenCase c;
    std::string line;
    enum { kHeader, kPolicy, kExpected } part = kHeader;
    while (std::getline(in, line)) {
        if (part == kExpected) {
            c.expected += line + "\n";
            continue;
        }
        c.head += line + "\n";
        line = Trim(line);
        if (line == "----") {
            part = kExpected;
        } else if (line.rfind("facts:", 0) == 0) {
            c.facts_json = line.substr(6);
            part = kHeader;
        } else if (part == kPolicy) {
            c.policy_toml += line + "\n";
        } else if (line.rfind("name:", 0) == 0) {
            c.name = Trim(line.substr(line.find_first_not_of(' ', 5)));
        } else if (line.rfind("description:", 0) == 0 || line.empty()) {
        } else if (line == "policy: default") {
            c.default_policy = true;
        } else if (line == "policy:") {
            part = kPolicy;
        } else {
            throw std::runtime_error(file.string() + ": unexpected line: " + line);
        }
    }
    return c;
}

std::string EvaluateCase(const GoldenCase& c) {
    Expected<Policy> policy = c.default_policy ? Expected<Policy>(DefaultPolicy()) : ParsePolicy(c.policy_toml);
    if (!policy) return "policy error: " + policy.error().field + ": " + policy.error().message + "\n";
    if (c.facts_json.empty()) return "policy parsed; no facts given\n";
    const auto json = nlohmann::json::parse(c.facts_json, nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded()) return "facts are not JSON\n";
    auto facts = ParseFacts(json);
    if (!facts) return "facts error: " + facts.error().field + ": " + facts.error().message + "\n";
    std::string out = nlohmann::json(Evaluate(*policy, *facts)).dump(2) + "\n== explain\n";
    for (const std::string& line : Explain(*policy, *facts)) out += line + "\n";
    return out;
}

TEST(PolicyGolden, EveryCaseProposesAsRecorded) {
    for (const fs::path& file : testing::GoldenFiles(fs::path(AMENDS_SOURCE_DIR) / "tests/data/policy", 8)) {
        const GoldenCase c = Load(file);
        ASSERT_FALSE(c.name.empty()) << file;
        testing::CheckGolden(file, c.name, c.head, EvaluateCase(c), c.expected);
    }
}

}  // namespace
}  // namespace amends::policy
