#pragma once
// What the reply coach says about a draft: which elements of a good reply it has, what anti-patterns it shows
// (each with a span, a reason and a suggestion), a score from 0 to 100 and a verdict. ToJson() is the one wire
// form (documented in docs/coach.md); the HTTP layer and the CLI both print it.

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace amends::coach {

// The elements of a good reply. Wire names are snake_case (Name()).
enum class Element {
    kAcknowledgement,
    kEmpathy,
    kApology,
    kOwnership,
    kThanks,
    kExplanation,
    kListeningQuestion,
    kPlan,
    kTimescale,
    kRemedy,
    kInvitation,
};
inline constexpr std::size_t kElementCount = 11;

// The anti-patterns. Wire names are snake_case (Name()).
enum class FindingKind {
    kBlameCustomer,
    kExcuseWithoutApology,
    kConditionalApology,
    kDistancing,
    kMinimizing,
    kThirdPartyBlame,
    kVaguePromise,
    kBoilerplate,
};
inline constexpr std::size_t kFindingKindCount = 8;

enum class Verdict { kGood, kNeedsWork, kPoor };

std::string_view Name(Element element);
std::string_view Name(FindingKind kind);
std::string_view Name(Verdict verdict);
std::optional<Element> ParseElement(std::string_view name);
std::optional<FindingKind> ParseFindingKind(std::string_view name);
std::optional<Verdict> ParseVerdict(std::string_view name);

// One anti-pattern found in the draft. start/end are offsets in Unicode code points (characters) into the draft
// as given, end exclusive; excerpt is that slice of the draft.
struct Finding {
    FindingKind kind = FindingKind::kBlameCustomer;
    std::size_t start = 0;
    std::size_t end = 0;
    std::string excerpt;
    std::string reason;
    std::string suggestion;
};

// An element the context requires that the draft lacks.
struct MissingElement {
    Element element = Element::kApology;
    std::string suggestion;
};

// The analysis of one draft. A plain value: copy it, share it, read it from any thread.
struct Report {
    int score = 0;  // 0..100
    Verdict verdict = Verdict::kPoor;
    std::array<bool, kElementCount> elements{};  // indexed by Element
    std::vector<Finding> findings;               // sorted by start
    std::vector<MissingElement> missing;         // required by the context and absent, in Element order

    bool Has(Element element) const { return elements[static_cast<std::size_t>(element)]; }
    bool Has(FindingKind kind) const;
};

// {"score", "verdict", "elements": {name: bool}, "findings": [{"kind", "start", "end", "excerpt", "reason",
// "suggestion"}], "missing": [{"element", "suggestion"}]}. Keys and names are stable.
std::string ToJson(const Report& report);

}  // namespace amends::coach
