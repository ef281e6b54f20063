#include "coach/eval.h"

#include <cstdio>
#include <utility>

#include <nlohmann/json.hpp>

#include "coach/boilerplate_index.h"

namespace amends::coach {
namespace {

constexpr std::size_t kLabels = kElementCount + kFindingKindCount;

std::string LabelName(std::size_t i) {
    return std::string(i < kElementCount ? Name(static_cast<Element>(i)) : Name(static_cast<FindingKind>(i - kElementCount)));
}

Expected<Context> ParseContext(const nlohmann::json& json, const std::string& where) {
    Context context;
    if (json.contains("step")) {
        auto step = json["step"].is_string() ? ParseStep(json["step"].get<std::string>()) : std::nullopt;
        if (!step) return InvalidField(where, "context.step is not a step name");
        context.step = *step;
    }
    if (json.contains("fault")) {
        auto fault = json["fault"].is_string() ? ParseFault(json["fault"].get<std::string>()) : std::nullopt;
        if (!fault) return InvalidField(where, "context.fault is not ours, not_ours or unknown");
        context.fault = *fault;
    }
    if (json.contains("remedy_offered")) {
        if (!json["remedy_offered"].is_boolean()) return InvalidField(where, "context.remedy_offered must be a boolean");
        context.remedy_offered = json["remedy_offered"].get<bool>();
    }
    return context;
}

}  // namespace

Expected<EvalResult> Evaluate(const Coach& coach, std::string_view jsonl) {
    EvalResult result;
    std::vector<LabelScore> scores(kLabels);
    for (std::size_t i = 0; i < kLabels; ++i) scores[i].label = LabelName(i);
    std::size_t line_number = 0;
    while (!jsonl.empty()) {
        std::size_t nl = jsonl.find('\n');
        std::string_view line = jsonl.substr(0, nl);
        jsonl = nl == std::string_view::npos ? std::string_view{} : jsonl.substr(nl + 1);
        ++line_number;
        std::string where = "line " + std::to_string(line_number);
        if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
        nlohmann::json item = nlohmann::json::parse(line, nullptr, false);
        if (item.is_discarded() || !item.is_object()) return InvalidField(where, "not a JSON object");
        if (!item.contains("text") || !item["text"].is_string()) return InvalidField(where, "\"text\" must be a string");
        if (!item.contains("labels") || !item["labels"].is_object())
            return InvalidField(where, "\"labels\" must be an object");
        std::array<bool, kLabels> expected{};
        for (const auto& [name, value] : item["labels"].items()) {
            std::size_t index = kLabels;
            if (auto e = ParseElement(name)) index = static_cast<std::size_t>(*e);
            else if (auto k = ParseFindingKind(name)) index = kElementCount + static_cast<std::size_t>(*k);
            if (index == kLabels) return InvalidField(where, "unknown label '" + name + "'");
            if (!value.is_boolean()) return InvalidField(where, "label '" + name + "' must be true or false");
            expected[index] = value.get<bool>();
        }
        Context context;
        BoilerplateIndex sent;
        if (item.contains("context")) {
            auto parsed = ParseContext(item["context"], where);
            if (!parsed) return std::unexpected(parsed.error());
            context = std::move(*parsed);
            const nlohmann::json& json = item["context"];
            if (json.contains("previous")) {
                if (!json["previous"].is_array()) return InvalidField(where, "context.previous must be a list of strings");
                std::int64_t t = 1'700'000'000;
                for (const auto& message : json["previous"]) {
                    if (!message.is_string()) return InvalidField(where, "context.previous must be a list of strings");
                    sent.Add("customer", message.get<std::string>(), t);
                    t += 3600 * 24;
                }
                context.sent = &sent;
                context.customer = "customer";
                context.now_unix = t;
            }
        }
        std::string text = item["text"].get<std::string>();
        auto report = coach.Analyze(text, context);
        if (!report) return InvalidField(where, report.error().message);
        std::array<bool, kLabels> got{};
        for (std::size_t i = 0; i < kElementCount; ++i) got[i] = report->elements[i];
        for (const Finding& f : report->findings) got[kElementCount + static_cast<std::size_t>(f.kind)] = true;
        for (std::size_t i = 0; i < kLabels; ++i) {
            LabelScore& s = scores[i];
            if (expected[i]) ++s.support;
            if (expected[i] && got[i]) ++s.true_positives;
            if (!expected[i] && got[i]) ++s.false_positives;
            if (expected[i] && !got[i]) ++s.false_negatives;
            if (expected[i] != got[i]) result.mismatches.push_back(Mismatch{line_number, s.label, expected[i], text});
        }
        ++result.items;
    }
    for (LabelScore& s : scores) {
        double tp = static_cast<double>(s.true_positives);
        if (s.true_positives + s.false_positives > 0) s.precision = tp / static_cast<double>(s.true_positives + s.false_positives);
        if (s.true_positives + s.false_negatives > 0) s.recall = tp / static_cast<double>(s.true_positives + s.false_negatives);
        s.f1 = s.precision + s.recall > 0 ? 2 * s.precision * s.recall / (s.precision + s.recall) : 0.0;
    }
    result.labels = std::move(scores);
    return result;
}

std::string FormatEvalTable(const EvalResult& result) {
    std::string out = "| label | support | TP | FP | FN | precision | recall | F1 |\n|---|---:|---:|---:|---:|---:|---:|---:|\n";
    char row[256];
    for (const LabelScore& s : result.labels) {
        std::snprintf(row, sizeof row, "| %s | %zu | %zu | %zu | %zu | %.3f | %.3f | %.3f |\n", s.label.c_str(), s.support,
                      s.true_positives, s.false_positives, s.false_negatives, s.precision, s.recall, s.f1);
        out += row;
    }
    return out;
}

}  // namespace amends::coach
