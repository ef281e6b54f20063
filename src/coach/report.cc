#include "coach/report.h"

#include <algorithm>
#include <utility>

#include <nlohmann/json.hpp>

#include "domain/names.h"

namespace amends::coach {
namespace {

constexpr std::pair<Element, std::string_view> kElementNames[] = {
    {Element::kAcknowledgement, "acknowledgement"},
    {Element::kEmpathy, "empathy"},
    {Element::kApology, "apology"},
    {Element::kOwnership, "ownership"},
    {Element::kThanks, "thanks"},
    {Element::kExplanation, "explanation"},
    {Element::kListeningQuestion, "listening_question"},
    {Element::kPlan, "plan"},
    {Element::kTimescale, "timescale"},
    {Element::kRemedy, "remedy"},
    {Element::kInvitation, "invitation"},
};
static_assert(std::size(kElementNames) == kElementCount);

constexpr std::pair<FindingKind, std::string_view> kFindingNames[] = {
    {FindingKind::kBlameCustomer, "blame_customer"},
    {FindingKind::kExcuseWithoutApology, "excuse_without_apology"},
    {FindingKind::kConditionalApology, "conditional_apology"},
    {FindingKind::kDistancing, "distancing"},
    {FindingKind::kMinimizing, "minimizing"},
    {FindingKind::kThirdPartyBlame, "third_party_blame"},
    {FindingKind::kVaguePromise, "vague_promise"},
    {FindingKind::kBoilerplate, "boilerplate"},
};
static_assert(std::size(kFindingNames) == kFindingKindCount);

constexpr std::pair<Verdict, std::string_view> kVerdictNames[] = {
    {Verdict::kGood, "good"},
    {Verdict::kNeedsWork, "needs_work"},
    {Verdict::kPoor, "poor"},
};

}  // namespace

std::string_view Name(Element element) { return NameIn<Element>(kElementNames, element); }
std::string_view Name(FindingKind kind) { return NameIn<FindingKind>(kFindingNames, kind); }
std::string_view Name(Verdict verdict) { return NameIn<Verdict>(kVerdictNames, verdict); }
std::optional<Element> ParseElement(std::string_view name) { return ParseIn<Element>(kElementNames, name); }
std::optional<FindingKind> ParseFindingKind(std::string_view name) {
    return ParseIn<FindingKind>(kFindingNames, name);
}
std::optional<Verdict> ParseVerdict(std::string_view name) { return ParseIn<Verdict>(kVerdictNames, name); }

bool Report::Has(FindingKind kind) const {
    return std::any_of(findings.begin(), findings.end(), [kind](const Finding& f) { return f.kind == kind; });
}

std::string ToJson(const Report& report) {
    nlohmann::ordered_json json;
    json["score"] = report.score;
    json["verdict"] = Name(report.verdict);
    nlohmann::ordered_json elements = nlohmann::ordered_json::object();
    for (const auto& [element, name] : kElementNames) elements[std::string(name)] = report.Has(element);
    json["elements"] = std::move(elements);
    nlohmann::ordered_json findings = nlohmann::ordered_json::array();
    for (const Finding& f : report.findings) {
        findings.push_back({{"kind", Name(f.kind)},
                            {"start", f.start},
                            {"end", f.end},
                            {"excerpt", f.excerpt},
                            {"reason", f.reason},
                            {"suggestion", f.suggestion}});
    }
    json["findings"] = std::move(findings);
    nlohmann::ordered_json missing = nlohmann::ordered_json::array();
    for (const MissingElement& m : report.missing)
        missing.push_back({{"element", Name(m.element)}, {"suggestion", m.suggestion}});
    json["missing"] = std::move(missing);
    // Replace, not throw, on invalid UTF-8 in a draft: a report must always be printable.
    return json.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace amends::coach
