#include "cli/coach_command.h"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "coach/coach.h"
#include "coach/eval.h"

namespace amends::cli {

namespace {

constexpr int kExitUsage = 64;    // EX_USAGE
constexpr int kExitData = 65;     // EX_DATAERR
constexpr int kExitNoInput = 66;  // EX_NOINPUT

bool ReadAll(const std::string& path, std::string& out) {
    std::stringstream text;
    if (path == "-") {
        text << std::cin.rdbuf();
    } else {
        std::ifstream in(path, std::ios::binary);
        if (!in) return false;
        text << in.rdbuf();
    }
    out = text.str();
    return true;
}

void PrintText(const coach::Report& report) {
    std::printf("verdict: %s (score %d)\n", std::string(coach::Name(report.verdict)).c_str(), report.score);
    std::printf("present:");
    for (std::size_t i = 0; i < coach::kElementCount; ++i) {
        auto e = static_cast<coach::Element>(i);
        if (report.Has(e)) std::printf(" %s", std::string(coach::Name(e)).c_str());
    }
    std::printf("\n");
    for (const auto& m : report.missing)
        std::printf("missing %s: %s\n", std::string(coach::Name(m.element)).c_str(), m.suggestion.c_str());
    for (const auto& f : report.findings)
        std::printf("%s at %zu-%zu \"%s\": %s Try: %s\n", std::string(coach::Name(f.kind)).c_str(), f.start, f.end,
                    f.excerpt.c_str(), f.reason.c_str(), f.suggestion.c_str());
}

}  // namespace

int RunCoach(const CoachFlags& flags) {
    if (!flags.eval.empty()) {
        std::string jsonl;
        if (!ReadAll(flags.eval, jsonl)) {
            std::fprintf(stderr, "amends coach: cannot read %s\n", flags.eval.c_str());
            return kExitNoInput;
        }
        auto result = coach::Evaluate(coach::DefaultCoach(), jsonl);
        if (!result) {
            std::fprintf(stderr, "amends coach: %s: %s\n", flags.eval.c_str(), result.error().message.c_str());
            return kExitData;
        }
        std::printf("%s", coach::FormatEvalTable(*result).c_str());
        return 0;
    }
    coach::Context context;
    if (!flags.step.empty()) {
        auto step = coach::ParseStep(flags.step);
        if (!step) {
            std::fprintf(stderr, "amends coach: --step must be a playbook step such as acknowledge or offer\n");
            return kExitUsage;
        }
        context.step = *step;
    }
    auto fault = coach::ParseFault(flags.fault);
    if (!fault) {
        std::fprintf(stderr, "amends coach: --fault must be ours, not_ours or unknown\n");
        return kExitUsage;
    }
    context.fault = *fault;
    context.remedy_offered = flags.remedy_offered;
    std::string text;
    if (!ReadAll(flags.file, text)) {
        std::fprintf(stderr, "amends coach: cannot read %s\n", flags.file.c_str());
        return kExitNoInput;
    }
    auto report = coach::Analyze(text, context);
    if (!report) {
        std::fprintf(stderr, "amends coach: %s\n", report.error().message.c_str());
        return kExitData;
    }
    if (flags.json)
        std::printf("%s\n", coach::ToJson(*report).c_str());
    else
        PrintText(*report);
    switch (report->verdict) {
        case coach::Verdict::kGood: return 0;
        case coach::Verdict::kNeedsWork: return 1;
        case coach::Verdict::kPoor: return 2;
    }
    return 2;
}

}  // namespace amends::cli
