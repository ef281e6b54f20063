#pragma once
// The reply coach: reads an agent's draft reply to a customer and reports the elements of a good recovery reply it
// has (apology, ownership, plan, timescale, remedy, ...), the anti-patterns it shows (blame, excuses, conditional
// or distancing apologies, minimizing, vague promises, boilerplate), and a score and verdict that depend on where
// the case stands. No I/O: the phrases come from the language packs compiled in (lexicon/), matched by one
// Hyperscan database built once per language.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "coach/boilerplate_index.h"
#include "coach/lexicon.h"
#include "coach/report.h"
#include "domain/error.h"

namespace amends::coach {

// The recovery step the reply is written for (the playbook's nine steps). Wire names: Name(Step).
enum class Step { kUnknown, kAcknowledge, kApologize, kListen, kOffer, kAgree, kConfirm, kKeepInformed, kFollowUp, kFixCause };
// Whose fault the problem is, as far as the case knows. Wire names: "unknown", "ours", "not_ours".
enum class Fault { kUnknown, kOurs, kNotOurs };

std::string_view Name(Step step);
std::string_view Name(Fault fault);
std::optional<Step> ParseStep(std::string_view name);
std::optional<Fault> ParseFault(std::string_view name);

// Where the case stands; decides what the reply must contain. All fields are optional.
struct Context {
    Step step = Step::kUnknown;
    Fault fault = Fault::kUnknown;
    bool remedy_offered = false;  // a remedy was already offered on this case: the reply need not offer one
    // Boilerplate check (skipped when `sent` is null): the index of messages already sent, the recipient's key
    // and the time of sending. The index is only read.
    const BoilerplateIndex* sent = nullptr;
    std::string_view customer;
    std::int64_t now_unix = 0;
    // Words that make a draft personal (the customer's name, an order number): a draft containing one is not
    // flagged as a mass send, however many customers got something like it.
    std::vector<std::string> personal_terms;
};

inline constexpr std::size_t kMaxDraftBytes = 1 << 20;

// One language's compiled detectors. Build once (Create compiles the Hyperscan database, a few tens of
// milliseconds) and share: Analyze() is const and safe to call from many threads at once.
class Coach {
public:
    // With `lazy` false, the pack's `lazy` sections are scanned on every draft like the others, in one database
    // compiled at start-up (seconds): the reference the lazy coach must agree with, for tests.
    static Expected<std::unique_ptr<Coach>> Create(std::string_view language = "en", bool lazy = true);
    ~Coach();

    // kTooLarge over kMaxDraftBytes. Invalid UTF-8 is read as '?' bytes (offsets are kept).
    Expected<Report> Analyze(std::string_view text, const Context& context = {}) const;

    // The elements required by a context (exposed for tests and for the console's checklist).
    static std::vector<Element> Required(const Context& context);

    const LanguagePack& pack() const { return pack_; }

private:
    struct Compiled;
    explicit Coach(LanguagePack pack);

    LanguagePack pack_;
    std::unique_ptr<Compiled> compiled_;
};

// The English coach, built on first use (thread-safe) and kept for the life of the process.
const Coach& DefaultCoach();

// DefaultCoach().Analyze(text, context).
Expected<Report> Analyze(std::string_view text, const Context& context = {});

}  // namespace amends::coach
