#include "policy/evaluate.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>

namespace amends::policy {
namespace {

std::int64_t Clamp(std::int64_t v) { return std::clamp<std::int64_t>(v, 0, kMaxMinor); }

std::int64_t BaseValue(Base base, const Facts& f) {
    switch (base) {
        case Base::kOrder:
            return Clamp(f.order_value_minor);
        case Base::kItem:
            return Clamp(f.item_value_minor);
        case Base::kLoss:
            return Clamp(f.loss_minor);
        case Base::kInvoice:
            return Clamp(f.invoice_value_minor);
        case Base::kFixed:
            break;
    }
    return 0;
}

constexpr std::string_view kKindCapNames[kRemedyKindCount] = {"caps.refund",          "caps.credit",
                                                              "caps.free_item",       "caps.upgrade",
                                                              "caps.faster_shipping", "caps.discount_next_order"};

std::string_view DefaultNote(RemedyKind kind) {
    switch (kind) {
        case RemedyKind::kRefund:
            return "a refund";
        case RemedyKind::kCredit:
            return "a credit on the account";
        case RemedyKind::kFreeItem:
            return "the item free";
        case RemedyKind::kUpgrade:
            return "an upgrade";
        case RemedyKind::kFasterShipping:
            return "faster shipping";
        case RemedyKind::kDiscountNextOrder:
            return "a discount on the next order";
    }
    return "a remedy";
}

std::string Describe(const Policy& policy, const RemedySpec& spec, const Proposal& p) {
    const std::string_view note = spec.note.empty() ? DefaultNote(spec.kind) : std::string_view(spec.note);
    std::string out;
    out.reserve(note.size() + 32);
    out += note;
    out += " (";
    if (p.percent > 0) {
        char digits[8];
        auto [end, ec] = std::to_chars(digits, digits + sizeof(digits), p.percent);
        (void)ec;
        out.append(digits, end);
        out += "%, up to ";
    } else if (spec.kind == RemedyKind::kUpgrade || spec.kind == RemedyKind::kFasterShipping) {
        out += "worth ";
    }
    AppendMoney(out, policy, p.amount_minor);
    out += ')';
    return out;
}

// The least role whose limit covers `total`, or nullopt when it is over every limit.
std::optional<Role> RoleFor(const ApprovalLimits& limits, std::int64_t total) {
    if (!limits.agent || total <= *limits.agent) return Role::kAgent;
    if (!limits.manager || total <= *limits.manager) return Role::kManager;
    if (!limits.admin || total <= *limits.admin) return Role::kAdmin;
    return std::nullopt;
}

std::string ApprovalText(const Policy& policy, std::int64_t total, std::optional<Role> role) {
    const ApprovalLimits& a = policy.approval;
    std::string out = "total ";
    out.reserve(80);
    AppendMoney(out, policy, total);
    if (!a.agent) {
        out += ": the policy sets no approval limits";
    } else if (role == Role::kAgent) {
        out += " is within the agent limit ";
        AppendMoney(out, policy, *a.agent);
    } else if (role == Role::kManager) {
        out += " is over the agent limit ";
        AppendMoney(out, policy, *a.agent);
    } else if (role == Role::kAdmin) {
        out += " is over the manager limit ";
        AppendMoney(out, policy, *a.manager);
    } else {
        out += " is over the admin limit ";
        AppendMoney(out, policy, *a.admin);
        out += ": no role may approve it";
    }
    return out;
}

}  // namespace

std::string IdempotencyKey::Text() const {
    return std::string(Name(subject)) + ":" + std::to_string(subject_id) + "/customer:" + std::to_string(customer_id) +
           "/rule:" + rule_id;
}

Evaluation Evaluate(const Policy& policy, const Facts& facts) {
    Evaluation ev;
    ev.policy = policy.name;
    const int category_id = policy.CategoryId(facts.category);
    const std::vector<std::uint32_t>& candidates =
        category_id >= 0 ? policy.rules_by_category[static_cast<std::size_t>(category_id)]
                         : policy.rules_without_category;
    const std::uint64_t all_groups =
        policy.groups.size() >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << policy.groups.size()) - 1;
    std::uint64_t taken = 0;  // groups that already have their rule (at most 64 groups)
    std::array<const Rule*, 64> applied;
    std::size_t applied_count = 0;
    for (std::uint32_t index : candidates) {
        const Rule& rule = policy.rules[index];
        const std::uint64_t bit = std::uint64_t{1} << rule.group_index;
        if ((taken & bit) || !rule.when.Hold(facts, category_id)) continue;
        taken |= bit;
        applied[applied_count++] = &rule;
        if (taken == all_groups) break;
    }
    if (applied_count == 0) return ev;

    std::optional<std::int64_t> budget;  // what the yearly cap leaves for this customer
    if (policy.caps.customer_per_year)
        budget = std::max<std::int64_t>(0, *policy.caps.customer_per_year - Clamp(facts.remedied_this_year_minor));
    ev.proposals.reserve(applied_count);
    for (std::size_t a = 0; a < applied_count; ++a) {
        const Rule* rule = applied[a];
        const RemedySpec& spec = rule->remedy;
        std::int64_t v = spec.base == Base::kFixed ? spec.amount_minor
                                                   : (BaseValue(spec.base, facts) * spec.percent + 50) / 100;
        if (spec.at_least_loss) v = std::max(v, Clamp(facts.loss_minor));
        v = std::max(v, spec.min_amount);
        if (v == 0 && (spec.kind == RemedyKind::kRefund || spec.kind == RemedyKind::kCredit))
            continue;  // nothing to pay back; the rule still took its group
        Proposal& p = ev.proposals.emplace_back();  // built in place: a Proposal is large to move
        p.uncapped_minor = v;
        if (v > spec.max_amount) {
            v = spec.max_amount;
            p.capped_by = "remedy.max_amount";
        }
        const auto& kind_cap = policy.caps.per_kind[static_cast<std::size_t>(spec.kind)];
        if (kind_cap && v > *kind_cap) {
            v = *kind_cap;
            p.capped_by = kKindCapNames[static_cast<std::size_t>(spec.kind)];
        }
        if (budget) {
            if (v > *budget) {
                v = *budget;
                p.capped_by = "caps.customer_per_year";
            }
            *budget -= v;
        }
        p.rule_id = rule->id;
        p.group = rule->group;
        p.kind = spec.kind;
        p.amount_minor = v;
        if (spec.kind == RemedyKind::kDiscountNextOrder && spec.base != Base::kFixed) p.percent = spec.percent;
        p.description = Describe(policy, spec, p);
        p.reason = rule->reason;
        p.key = IdempotencyKey{facts.subject, facts.subject_id, facts.customer_id, rule->id};
        p.approver = spec.approval;  // the floor; the approval pass raises it to what the total needs
        if (v == 0 && p.uncapped_minor > 0) {
            p.withheld_because = "cut to nothing by " + std::string(p.capped_by);
            ev.withheld.push_back(std::move(p));
            ev.proposals.pop_back();
        } else {
            ev.total_minor += v;
        }
    }

    const std::optional<Role> role = RoleFor(policy.approval, ev.total_minor);
    const std::string approval = ApprovalText(policy, ev.total_minor, role);
    if (!role) {
        for (Proposal& p : ev.proposals) {
            p.approver = Role::kAdmin;
            p.approval_reason = approval;
            p.withheld_because = approval;
            ev.withheld.push_back(std::move(p));
        }
        ev.proposals.clear();
        ev.total_minor = 0;
    }
    for (Proposal& p : ev.proposals) {
        const Role floor = p.approver;  // the remedy's own `approval`, set above
        p.approver = std::max(*role, floor);
        p.approval_reason = floor > *role ? "rule " + p.rule_id + " needs " + std::string(Name(floor)) +
                                                " approval; " + approval
                                          : approval;
        ev.approver = std::max(ev.approver, p.approver);
    }
    ev.outcome = !ev.proposals.empty() ? Outcome::kProposed
                 : !ev.withheld.empty()  ? Outcome::kWithheld
                                         : Outcome::kNoMatch;
    return ev;
}

namespace {

// The first condition of `c` that fails for `f`, in words; empty when they all hold.
std::string FailedCondition(const Policy& policy, const Conditions& c, const Facts& f) {
    auto range = [](std::string_view what, const Range& r, std::int64_t v, auto format) -> std::string {
        if (v < r.min) return std::string(what) + " is " + format(v) + ", below " + format(r.min);
        if (v > r.max) return std::string(what) + " is " + format(v) + ", above " + format(r.max);
        return {};
    };
    auto money = [&](std::int64_t v) { return FormatMoney(policy, v); };
    auto count = [](std::int64_t v) { return std::to_string(v); };
    if (c.subject && *c.subject != f.subject)
        return "it is for " + std::string(Name(*c.subject)) + "s, this is a " + std::string(Name(f.subject));
    if (!c.categories.empty() && std::find(c.categories.begin(), c.categories.end(), f.category) == c.categories.end())
        return "category is " + f.category + ", not one the rule names";
    if (!c.severities.empty() && std::find(c.severities.begin(), c.severities.end(), f.severity) == c.severities.end())
        return "severity is " + std::string(Name(f.severity)) + ", not one the rule names";
    if (c.min_severity && f.severity < *c.min_severity)
        return "severity is " + std::string(Name(f.severity)) + ", below " + std::string(Name(*c.min_severity));
    if (c.min_impact && f.impact < *c.min_impact)
        return "impact is " + std::string(Name(f.impact)) + ", below " + std::string(Name(*c.min_impact));
    for (std::string s : {range("late", c.late_minutes, f.late_minutes, FormatMinutes),
                          range("down", c.downtime_minutes, f.downtime_minutes, FormatMinutes),
                          range("order value", c.order_value, f.order_value_minor, money),
                          range("item value", c.item_value, f.item_value_minor, money),
                          range("loss", c.loss, f.loss_minor, money),
                          range("customer value", c.customer_value, f.customer_value_minor, money),
                          range("mistakes this year", c.mistakes_this_year, f.mistakes_this_year, count)})
        if (!s.empty()) return s;
    return {};
}

}  // namespace

std::vector<std::string> Explain(const Policy& policy, const Facts& facts) {
    std::vector<std::string> lines;
    std::vector<std::string> taken_by(policy.groups.size());
    for (const Rule& rule : policy.rules) {
        std::string line = rule.id + " (group " + rule.group + "): ";
        const std::string failed = FailedCondition(policy, rule.when, facts);
        std::string& owner = taken_by[static_cast<std::size_t>(rule.group_index)];
        if (!failed.empty()) {
            line += "does not match: " + failed;
        } else if (!owner.empty()) {
            line += "matches, but " + owner + " already applies in its group";
        } else {
            owner = rule.id;
            line += "applies";
        }
        lines.push_back(std::move(line));
    }
    return lines;
}

}  // namespace amends::policy
