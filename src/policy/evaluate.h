#pragma once
// Evaluating a policy: the remedies one customer should be offered for one mistake, with amounts after caps, the
// role that must approve them, the rule that produced each and why, and the idempotency key the ledger files it
// under.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "policy/policy.h"

namespace amends::policy {

// What the ledger files a remedy under, so that it is issued once: (case or incident, customer, rule).
struct IdempotencyKey {
    Subject subject = Subject::kCase;
    Id subject_id = 0;
    Id customer_id = 0;
    std::string rule_id;

    // "case:42/customer:7/rule:till-price-wrong". Rule ids are slugs, so the text is unambiguous.
    std::string Text() const;
    friend bool operator==(const IdempotencyKey&, const IdempotencyKey&) = default;
};

// One remedy proposed by one rule.
struct Proposal {
    std::string rule_id;
    std::string group;
    RemedyKind kind = RemedyKind::kRefund;
    std::int64_t amount_minor = 0;    // after caps: the money, or what the remedy is worth (the most a discount takes)
    int percent = 0;                  // discount_next_order by percent: the percent off; otherwise 0
    std::int64_t uncapped_minor = 0;  // before caps
    std::string_view capped_by;       // "", "remedy.max_amount", "caps.<kind>" or "caps.customer_per_year" (static)
    std::string description;          // what is offered, in words: "the item free (3.99)"
    std::string reason;               // why: the rule's sentence, its id and its conditions
    Role approver = Role::kAgent;     // the least role that may issue it; above agent, it needs approval
    std::string approval_reason;
    std::string withheld_because;  // set only for withheld proposals
    IdempotencyKey key;

    bool NeedsApproval() const { return approver != Role::kAgent; }
};

enum class Outcome {
    kProposed,  // at least one proposal
    kNoMatch,   // nothing to propose: no rule matched, or those that did came to nothing (a refund of no loss)
    kWithheld,  // rules matched, but caps or approval limits withheld every proposal
};
inline constexpr std::pair<Outcome, std::string_view> kOutcomeNames[] = {
    {Outcome::kProposed, "proposed"}, {Outcome::kNoMatch, "no_match"}, {Outcome::kWithheld, "withheld"}};
constexpr std::string_view Name(Outcome v) { return NameIn<Outcome>(kOutcomeNames, v); }

// Everything one evaluation proposes. Proposals are in rule order; the app offers them together.
struct Evaluation {
    Outcome outcome = Outcome::kNoMatch;
    std::string policy;               // the policy's name
    std::vector<Proposal> proposals;  // to offer
    std::vector<Proposal> withheld;   // matched but not to offer: cut to nothing by a cap, or over every limit
    std::int64_t total_minor = 0;     // of `proposals`
    Role approver = Role::kAgent;     // the highest approver of the proposals
};

// Applies `policy` to `facts`:
//  1. rules in order; in each group, the first rule whose conditions hold proposes its remedy;
//  2. each value: fixed or percent of its base, at least the loss if asked, within the remedy's min/max;
//  3. caps: the per-kind cap, then the customer's yearly cap (less what was issued this year), in rule order;
//     a proposal a cap cuts to 0 is withheld;
//  4. approval: the total against the role limits (and each remedy's own `approval`); a total over every limit
//     withholds all.
// Facts out of range are clamped to [0, kMaxMinor] (check them with Validate first). Thread-safe; no allocation
// beyond the result.
Evaluation Evaluate(const Policy& policy, const Facts& facts);

// One line per rule: whether it matched and applied, matched but its group was taken, or which condition failed.
// For people (the golden tests, a policy preview); slower than Evaluate.
std::vector<std::string> Explain(const Policy& policy, const Facts& facts);

}  // namespace amends::policy
