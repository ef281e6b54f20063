#pragma once
// policy: compensation policies. A Policy is an ordered list of rules read from TOML (ParsePolicy, format in
// docs/policy.md); each rule matches facts of a case or an incident and proposes one remedy. Evaluate (in
// policy/evaluate.h) turns a Policy and the Facts of one customer's mistake into proposals with their amounts, caps,
// approvals, reasons and idempotency keys. Pure: no I/O besides parsing the TOML text it is given, no threads.

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "domain/error.h"
#include "domain/model.h"
#include "domain/names.h"

namespace amends::policy {

// Money is in integer minor units (cents). Amounts in facts and policies are at most this (10^15), so that a
// percentage of one never overflows.
inline constexpr std::int64_t kMaxMinor = 1'000'000'000'000'000;

// What a remedy is for: one customer's case, or one affected customer of an incident.
enum class Subject { kCase, kIncident };

// How badly an incident hurt, in Atlassian Statuspage's words (ordered).
enum class Impact { kNone, kMinor, kMajor, kCritical };

enum class RemedyKind { kRefund, kCredit, kFreeItem, kUpgrade, kFasterShipping, kDiscountNextOrder };
inline constexpr std::size_t kRemedyKindCount = 6;

// What a percentage is a share of.
enum class Base { kFixed, kOrder, kItem, kLoss, kInvoice };

inline constexpr std::pair<Subject, std::string_view> kSubjectNames[] = {{Subject::kCase, "case"},
                                                                         {Subject::kIncident, "incident"}};
inline constexpr std::pair<Impact, std::string_view> kImpactNames[] = {
    {Impact::kNone, "none"}, {Impact::kMinor, "minor"}, {Impact::kMajor, "major"}, {Impact::kCritical, "critical"}};
inline constexpr std::pair<RemedyKind, std::string_view> kRemedyKindNames[] = {
    {RemedyKind::kRefund, "refund"},
    {RemedyKind::kCredit, "credit"},
    {RemedyKind::kFreeItem, "free_item"},
    {RemedyKind::kUpgrade, "upgrade"},
    {RemedyKind::kFasterShipping, "faster_shipping"},
    {RemedyKind::kDiscountNextOrder, "discount_next_order"}};
inline constexpr std::pair<Base, std::string_view> kBaseNames[] = {{Base::kFixed, "fixed"},
                                                                   {Base::kOrder, "order"},
                                                                   {Base::kItem, "item"},
                                                                   {Base::kLoss, "loss"},
                                                                   {Base::kInvoice, "invoice"}};

constexpr std::string_view Name(Subject v) { return NameIn<Subject>(kSubjectNames, v); }
constexpr std::string_view Name(Impact v) { return NameIn<Impact>(kImpactNames, v); }
constexpr std::string_view Name(RemedyKind v) { return NameIn<RemedyKind>(kRemedyKindNames, v); }
constexpr std::string_view Name(Base v) { return NameIn<Base>(kBaseNames, v); }

// The facts of one customer's mistake that rules match on. The app fills them from the case (or the incident and
// the affected customer), the customer and the ledger. Money in minor units, all >= 0; Validate checks.
struct Facts {
    Subject subject = Subject::kCase;
    Id subject_id = 0;   // the case id or the incident id
    Id customer_id = 0;  // whom the remedy is for
    std::string category = "general";  // the case's category slug (delivery, pricing, outage, ...)
    Severity severity = Severity::kNormal;
    Impact impact = Impact::kNone;           // incidents: how badly; cases: none
    std::int64_t late_minutes = 0;           // how late the thing promised is (0: not late)
    std::int64_t downtime_minutes = 0;       // how long the incident touched this customer
    std::int64_t order_value_minor = 0;      // the order (or subscription period) the mistake touched
    std::int64_t item_value_minor = 0;       // the item the mistake touched (the price that rang up wrong)
    std::int64_t invoice_value_minor = 0;    // the customer's recurring invoice (for invoice credits)
    std::int64_t loss_minor = 0;             // what the mistake cost the customer: overcharge, a box not delivered
    std::int64_t customer_value_minor = 0;   // what the customer is worth to the business
    std::int64_t mistakes_this_year = 0;     // mistakes this customer met in the last 365 days, this one included
    std::int64_t remedied_this_year_minor = 0;  // remedies already issued to this customer in the last 365 days
};

// Facts known from a case and its customer; the app adds the rest (order, loss, the ledger's counts).
Facts FactsOf(const Case& c, const Customer& customer);

// Input checks for facts that come from outside (the API): amounts in [0, kMaxMinor], counts >= 0, a category slug.
// `field` names the offending fact.
Expected<void> Validate(const Facts& facts);

// An inclusive range of a whole-number fact; the default holds for every value.
struct Range {
    std::int64_t min = std::numeric_limits<std::int64_t>::min();
    std::int64_t max = std::numeric_limits<std::int64_t>::max();
    bool Holds(std::int64_t v) const { return v >= min && v <= max; }
    bool Bounded() const {
        return min != std::numeric_limits<std::int64_t>::min() || max != std::numeric_limits<std::int64_t>::max();
    }
};

// When a rule applies: every condition set must hold; a list holds when any element equals the fact. Empty
// conditions hold for every case.
struct Conditions {
    std::optional<Subject> subject;
    std::vector<std::string> categories;
    std::vector<int> category_ids;  // categories interned by ParsePolicy (Policy::CategoryId), same order
    std::vector<Severity> severities;
    std::optional<Severity> min_severity;
    std::optional<Impact> min_impact;
    Range late_minutes, downtime_minutes, order_value, item_value, loss, customer_value, mistakes_this_year;

    // `category_id` is Policy::CategoryId(facts.category), looked up once per evaluation.
    bool Hold(const Facts& facts, int category_id) const;
};

// The remedy a rule proposes. Its value is `amount_minor` (base kFixed) or `percent` of the base fact, then raised
// to the loss when `at_least_loss`, then kept within [min_amount, max_amount]. For discount_next_order by percent,
// the value is the most the discount takes off (percent of this order: the next order is assumed alike).
struct RemedySpec {
    RemedyKind kind = RemedyKind::kRefund;
    Base base = Base::kFixed;
    std::int64_t amount_minor = 0;  // base kFixed
    int percent = 0;                // other bases: 1..1000 (a discount: 1..100)
    bool at_least_loss = false;
    std::int64_t min_amount = 0;
    std::int64_t max_amount = kMaxMinor;  // the per-remedy cap
    std::string note;                     // the remedy in the customer's words; a default per kind
    Role approval = Role::kAgent;         // the least role that must approve it, whatever its amount
};

// One rule. Rules are tried in order; within a group, the first rule whose conditions hold applies and the rest
// of that group is skipped. Every group contributes at most one proposal.
struct Rule {
    std::string id;  // unique slug; the ledger's idempotency key uses it, so keep it stable
    std::string group = "main";
    int group_index = 0;  // index into Policy::groups
    std::string why;      // a sentence for people, optional
    Conditions when;
    RemedySpec remedy;
    std::string reason;  // made by ParsePolicy from why, id and conditions: what a proposal says about itself
};

// Hard limits: amounts are cut to them (a proposal cut to nothing is withheld).
struct Caps {
    std::optional<std::int64_t> customer_per_year;  // all remedies to one customer in 365 days, issued ones included
    std::array<std::optional<std::int64_t>, kRemedyKindCount> per_kind;  // one remedy of a kind
};

// The most each role may issue without someone above approving, for the total of one evaluation (all its
// proposals together, so that splitting does not get around it). Unset: no limit. agent <= manager <= admin.
struct ApprovalLimits {
    std::optional<std::int64_t> agent, manager, admin;
};

// A parsed policy. A value type: immutable after ParsePolicy; const use (Evaluate) is thread-safe.
struct Policy {
    std::string name = "default";
    std::string currency;  // shown after amounts in descriptions ("EUR"); optional
    int minor_digits = 2;  // how amounts are shown: 1234 -> "12.34"
    std::vector<Rule> rules;
    std::vector<std::string> groups;      // in order of first appearance
    std::vector<std::string> categories;  // every category a rule names; the index is its id
    Caps caps;
    ApprovalLimits approval;

    // The rules Evaluate tries for a fact's category, in order: per category id, the rules that name it or name no
    // category; for a category no rule names, the rules that name none. Built by Reindex.
    std::vector<std::vector<std::uint32_t>> rules_by_category;
    std::vector<std::uint32_t> rules_without_category;
    std::vector<int> categories_sorted;  // category ids ordered by name, for CategoryId

    // The interned id of a category, or -1 when no rule names it (a binary search of categories_sorted).
    int CategoryId(std::string_view category) const;
    // Rebuilds the index above from `rules` and `categories`; ParsePolicy calls it. Call it after editing rules.
    void Reindex();
};

// Reads a policy from TOML (format in docs/policy.md). Unknown keys are errors, so that a typo does not silently
// change what is paid out. Errors are kInvalidArgument with `field` the TOML key path ("rules[2].remedy.percent",
// "caps.refund", "toml" for a syntax error with its line). Never throws.
Expected<Policy> ParsePolicy(std::string_view toml_text);

// The built-in default policy (config/policy/default.toml, compiled in): it over-corrects, proposing at least the
// customer's loss plus a surprise for every case.
const Policy& DefaultPolicy();
std::string_view DefaultPolicyToml();

// "1d", "36h", "90m", "1d12h": whole numbers with units d, h, m in that order -> minutes. nullopt otherwise.
std::optional<std::int64_t> ParseMinutes(std::string_view text);
// Minutes as ParseMinutes reads them: 2160 -> "1d12h", 0 -> "0m".
std::string FormatMinutes(std::int64_t minutes);
// 123456 -> "1234.56 EUR" (with the policy's minor_digits and currency).
std::string FormatMoney(const Policy& policy, std::int64_t minor);
void AppendMoney(std::string& out, const Policy& policy, std::int64_t minor);

}  // namespace amends::policy
