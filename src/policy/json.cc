#include "policy/json.h"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace amends::policy {

void to_json(nlohmann::json& j, const IdempotencyKey& key) {
    j = {{"subject", Name(key.subject)},
         {"subject_id", key.subject_id},
         {"customer_id", key.customer_id},
         {"rule", key.rule_id},
         {"text", key.Text()}};
}

void to_json(nlohmann::json& j, const Proposal& p) {
    auto text_or_null = [](const std::string& s) { return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s); };
    j = {{"rule", p.rule_id},
         {"group", p.group},
         {"kind", Name(p.kind)},
         {"amount_minor", p.amount_minor},
         {"percent", p.percent > 0 ? nlohmann::json(p.percent) : nlohmann::json(nullptr)},
         {"uncapped_minor", p.uncapped_minor},
         {"capped_by", text_or_null(std::string(p.capped_by))},
         {"description", p.description},
         {"reason", p.reason},
         {"approval",
          {{"required", p.NeedsApproval()}, {"role", Name(p.approver)}, {"reason", p.approval_reason}}},
         {"withheld_because", text_or_null(p.withheld_because)},
         {"idempotency_key", p.key}};
}

void to_json(nlohmann::json& j, const Evaluation& e) {
    j = {{"outcome", Name(e.outcome)},
         {"policy", e.policy},
         {"total_minor", e.total_minor},
         {"approval", {{"required", e.approver != Role::kAgent}, {"role", Name(e.approver)}}},
         {"proposals", e.proposals},
         {"withheld", e.withheld}};
}

void to_json(nlohmann::json& j, const Facts& f) {
    j = {{"subject", Name(f.subject)},
         {"subject_id", f.subject_id},
         {"customer_id", f.customer_id},
         {"category", f.category},
         {"severity", Name(f.severity)},
         {"impact", Name(f.impact)},
         {"late_minutes", f.late_minutes},
         {"downtime_minutes", f.downtime_minutes},
         {"order_value_minor", f.order_value_minor},
         {"item_value_minor", f.item_value_minor},
         {"invoice_value_minor", f.invoice_value_minor},
         {"loss_minor", f.loss_minor},
         {"customer_value_minor", f.customer_value_minor},
         {"mistakes_this_year", f.mistakes_this_year},
         {"remedied_this_year_minor", f.remedied_this_year_minor}};
}

namespace {

template <typename E, std::size_t N>
Expected<void> ReadName(const nlohmann::json& v, const std::string& key, const std::pair<E, std::string_view> (&names)[N],
                        E& out) {
    auto parsed = v.is_string() ? ParseIn<E>(names, v.get_ref<const std::string&>()) : std::nullopt;
    if (!parsed) {
        std::string known;
        for (const auto& [e, n] : names) known += (known.empty() ? "" : ", ") + std::string(n);
        return InvalidField(key, key + " must be one of " + known);
    }
    out = *parsed;
    return {};
}

}  // namespace

Expected<Facts> ParseFacts(const nlohmann::json& j) {
    if (!j.is_object()) return InvalidField("facts", "facts must be a JSON object");
    Facts f;
    const std::pair<const char*, std::int64_t*> numbers[] = {
        {"subject_id", &f.subject_id},
        {"customer_id", &f.customer_id},
        {"late_minutes", &f.late_minutes},
        {"downtime_minutes", &f.downtime_minutes},
        {"order_value_minor", &f.order_value_minor},
        {"item_value_minor", &f.item_value_minor},
        {"invoice_value_minor", &f.invoice_value_minor},
        {"loss_minor", &f.loss_minor},
        {"customer_value_minor", &f.customer_value_minor},
        {"mistakes_this_year", &f.mistakes_this_year},
        {"remedied_this_year_minor", &f.remedied_this_year_minor}};
    for (const auto& [key, value] : j.items()) {
        if (key == "subject") {
            if (auto ok = ReadName(value, key, kSubjectNames, f.subject); !ok) return std::unexpected(ok.error());
        } else if (key == "severity") {
            if (auto ok = ReadName(value, key, kSeverityNames, f.severity); !ok) return std::unexpected(ok.error());
        } else if (key == "impact") {
            if (auto ok = ReadName(value, key, kImpactNames, f.impact); !ok) return std::unexpected(ok.error());
        } else if (key == "category") {
            if (!value.is_string()) return InvalidField(key, "category must be a string");
            f.category = value.get<std::string>();
        } else {
            auto it = std::find_if(std::begin(numbers), std::end(numbers),
                                   [&](const auto& n) { return key == n.first; });
            if (it == std::end(numbers)) return InvalidField(key, "unknown fact");
            if (!value.is_number_integer()) return InvalidField(key, key + " must be a whole number");
            if (value.is_number_unsigned() && value.get<std::uint64_t>() > static_cast<std::uint64_t>(kMaxMinor))
                return InvalidField(key, key + " must be a whole number from 0 to 10^15");
            *it->second = value.get<std::int64_t>();
        }
    }
    if (auto ok = Validate(f); !ok) return std::unexpected(ok.error());
    return f;
}

}  // namespace amends::policy
