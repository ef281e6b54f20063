// Golden cases: every file in tests/data/coach is one draft with its context and the expected judgement.
//   name: ...            description: ... (continuation lines start with a space)
//   context: step=<step> fault=<ours|not_ours|unknown> remedy_offered=<true|false>   (optional)
//   previous: <a message already sent to the same customer>                            (optional, repeatable)
//   input:
//   <the draft, one or more lines>
//   ----
//   elements: <the elements present, all others absent; or "none">
//   findings: <the finding kinds present, all others absent; or "none">
//   verdict: <good|needs_work|poor>                                                     (optional)

#include "coach/coach.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace amends::coach {
namespace {

struct GoldenCase {
    std::string file;
    std::string name;
    std::string description;
    Context context;
    std::vector<std::string> previous;
    std::string input;
    std::set<std::string> elements;
    std::set<std::string> findings;
    std::string verdict;
};

std::set<std::string> Words(const std::string& s) {
    std::set<std::string> out;
    std::istringstream in(s);
    for (std::string w; in >> w;)
        if (w != "none") out.insert(w);
    return out;
}

std::string Join(const std::set<std::string>& s) {
    std::string out;
    for (const auto& w : s) out += (out.empty() ? "" : " ") + w;
    return out.empty() ? "none" : out;
}

std::filesystem::path CaseDirectory() {
    const char* root = std::getenv("AMENDS_SOURCE_DIR");
    return std::filesystem::path(root ? root : ".") / "tests" / "data" / "coach";
}

GoldenCase Load(const std::filesystem::path& path) {
    GoldenCase c;
    c.file = path.filename().string();
    std::ifstream in(path);
    std::string line;
    enum { kHeader, kInput, kExpected } part = kHeader;
    std::string* last = nullptr;
    while (std::getline(in, line)) {
        if (part == kInput) {
            if (line == "----") {
                part = kExpected;
                continue;
            }
            c.input += (c.input.empty() ? "" : "\n") + line;
            continue;
        }
        auto value = [&line](std::string_view key) { return line.substr(key.size() + 1 + (line.size() > key.size() + 1 && line[key.size() + 1] == ' ')); };
        if (part == kHeader) {
            if (line.starts_with(" ") && last) *last += line;
            else if (line.starts_with("name:")) last = &(c.name = value("name"));
            else if (line.starts_with("description:")) last = &(c.description = value("description"));
            else if (line.starts_with("previous:")) c.previous.push_back(value("previous"));
            else if (line == "input:") part = kInput;
            else if (line.starts_with("context:")) {
                std::istringstream words(value("context"));
                for (std::string w; words >> w;) {
                    std::string key = w.substr(0, w.find('=')), val = w.substr(w.find('=') + 1);
                    if (key == "step") c.context.step = ParseStep(val).value();
                    else if (key == "fault") c.context.fault = ParseFault(val).value();
                    else if (key == "remedy_offered") c.context.remedy_offered = val == "true";
                    else ADD_FAILURE() << c.file << ": unknown context key " << key;
                }
            } else if (!line.empty()) ADD_FAILURE() << c.file << ": unexpected header line: " << line;
        } else {
            if (line.starts_with("elements:")) c.elements = Words(value("elements"));
            else if (line.starts_with("findings:")) c.findings = Words(value("findings"));
            else if (line.starts_with("verdict:")) c.verdict = value("verdict");
            else if (!line.empty()) ADD_FAILURE() << c.file << ": unexpected expectation line: " << line;
        }
    }
    EXPECT_EQ(part, kExpected) << c.file << ": needs 'input:' and '----'";
    EXPECT_FALSE(c.name.empty()) << c.file << ": needs a name";
    EXPECT_FALSE(c.description.empty()) << c.file << ": needs a description";
    return c;
}

std::vector<std::filesystem::path> CaseFiles() {
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(CaseDirectory()))
        if (entry.is_regular_file() && entry.path().extension() == ".txt") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    return files;
}

TEST(CoachGolden, EveryCaseIsJudgedAsExpected) {
    std::vector<std::filesystem::path> files = CaseFiles();
    ASSERT_GE(files.size(), 10u) << "no golden cases under " << CaseDirectory();
    for (const auto& path : files) {
        GoldenCase c = Load(path);
        BoilerplateIndex sent;
        std::int64_t t = 1'700'000'000;
        for (const std::string& message : c.previous) {
            sent.Add("golden-customer", message, t);
            t += 86'400;
        }
        if (!c.previous.empty()) {
            c.context.sent = &sent;
            c.context.customer = "golden-customer";
            c.context.now_unix = t;
        }
        auto report = DefaultCoach().Analyze(c.input, c.context);
        ASSERT_TRUE(report.has_value()) << c.file;
        std::set<std::string> elements, findings;
        for (std::size_t i = 0; i < kElementCount; ++i)
            if (report->elements[i]) elements.insert(std::string(Name(static_cast<Element>(i))));
        for (const Finding& f : report->findings) findings.insert(std::string(Name(f.kind)));
        EXPECT_EQ(Join(elements), Join(c.elements)) << c.file << " (" << c.name << "): elements\n" << ToJson(*report);
        EXPECT_EQ(Join(findings), Join(c.findings)) << c.file << " (" << c.name << "): findings\n" << ToJson(*report);
        if (!c.verdict.empty()) {
            EXPECT_EQ(Name(report->verdict), c.verdict) << c.file << " (" << c.name << "): verdict\n" << ToJson(*report);
        }
    }
}

}  // namespace
}  // namespace amends::coach
