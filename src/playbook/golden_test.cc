// Data-driven tests: each file under tests/data/playbook/ is one case's story and what Derive makes of it.
//
// File format:
//   name: <one line>
//   description: <one line>
//   config:                       (optional) TOML lines follow, up to the line "events:"
//   facts: severity=high category=delivery channel=email value=0   (optional; chooses the policy)
//   events:
//   <RFC 3339 time> <event type> [<JSON data>]     one event per line; ids count from 1
//   now <RFC 3339 time>                            a checkpoint: derive at this instant
//   ----
//   == now <time>                                  then Describe() of the progress, per checkpoint
//
// Set AMENDS_UPDATE_GOLDEN=1 to rewrite the expected part from the current output (then review the diff).
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "tests/support/golden.h"

#include "playbook/config.h"
#include "playbook/progress.h"

namespace amends::playbook {
namespace {

namespace fs = std::filesystem;

struct GoldenCase {
    std::string name;
    std::string config_toml;
    CaseFacts facts;
    std::vector<Event> events;
    std::vector<TimePoint> checkpoints;
    std::string head;      // everything before the "----" line, kept when rewriting
    std::string expected;  // everything after it
};

std::string Trim(std::string s) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) s.pop_back();
    return s;
}

TimePoint MustTime(const std::string& text, const fs::path& file) {
    auto t = ParseRfc3339(text);
    if (!t) throw std::runtime_error(file.string() + ": bad time " + text);
    return *t;
}

GoldenCase Load(const fs::path& file) {
    std::ifstream in(file);
    GoldenCase c;
    std::string line;
    enum { kHeader, kConfig, kEvents, kExpected } part = kHeader;
    while (std::getline(in, line)) {
        if (part == kExpected) {
            c.expected += line + "\n";
            continue;
        }
        c.head += line + "\n";
        line = Trim(line);
        if (line == "----") {
            part = kExpected;
        } else if (part == kConfig && line != "events:") {
            c.config_toml += line + "\n";
        } else if (line.rfind("name:", 0) == 0) {
            c.name = Trim(line.substr(line.find_first_not_of(' ', 5)));
        } else if (line.rfind("description:", 0) == 0 || line.empty() || line[0] == '#') {
        } else if (line == "config:") {
            part = kConfig;
        } else if (line == "events:") {
            part = kEvents;
        } else if (line.rfind("facts:", 0) == 0) {
            std::istringstream words(line.substr(6));
            std::string word;
            while (words >> word) {
                const auto eq = word.find('=');
                const std::string key = word.substr(0, eq), value = word.substr(eq + 1);
                if (key == "severity")
                    c.facts.severity = *ParseIn<Severity>(kSeverityNames, value);
                else if (key == "category")
                    c.facts.category = value;
                else if (key == "channel")
                    c.facts.channel = *ParseIn<Channel>(kChannelNames, value);
                else if (key == "value")
                    c.facts.customer_value_minor = std::stoll(value);
                else
                    throw std::runtime_error(file.string() + ": unknown fact " + key);
            }
        } else if (part == kEvents && line.rfind("now ", 0) == 0) {
            c.checkpoints.push_back(MustTime(line.substr(4), file));
        } else if (part == kEvents) {
            const auto space = line.find(' ');
            const auto second = line.find(' ', space + 1);
            Event e;
            e.id = static_cast<Id>(c.events.size() + 1);
            e.case_id = 1;
            e.at = MustTime(line.substr(0, space), file);
            e.type = line.substr(space + 1, second == std::string::npos ? std::string::npos : second - space - 1);
            e.data_json = second == std::string::npos ? "{}" : line.substr(second + 1);
            c.events.push_back(std::move(e));
        } else {
            throw std::runtime_error(file.string() + ": unexpected line: " + line);
        }
    }
    return c;
}

std::string DeriveCheckpoints(const GoldenCase& c) {
    auto config = ParseConfig(c.config_toml);
    if (!config) return "config error: " + config.error().field + ": " + config.error().message + "\n";
    std::string out;
    for (TimePoint now : c.checkpoints)
        out += "== now " + FormatRfc3339(now) + "\n" + Describe(Derive(c.facts, c.events, *config, now));
    return out;
}

TEST(PlaybookGolden, EveryStoryDerivesAsRecorded) {
    for (const fs::path& file : testing::GoldenFiles(fs::path(AMENDS_SOURCE_DIR) / "tests/data/playbook", 3)) {
        const GoldenCase c = Load(file);
        ASSERT_FALSE(c.name.empty()) << file;
        ASSERT_FALSE(c.checkpoints.empty()) << file;
        testing::CheckGolden(file, c.name, c.head, DeriveCheckpoints(c), c.expected);
    }
}

}  // namespace
}  // namespace amends::playbook
