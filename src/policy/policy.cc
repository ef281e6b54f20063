#include "policy/policy.h"

#include <algorithm>
#include <charconv>

namespace amends::policy {

Facts FactsOf(const Case& c, const Customer& customer) {
    Facts f;
    f.subject = Subject::kCase;
    f.subject_id = c.id;
    f.customer_id = customer.id;
    f.category = c.category;
    f.severity = c.severity;
    f.customer_value_minor = customer.value_minor;
    return f;
}

namespace {

bool IsSlug(std::string_view s) {
    if (s.empty() || s.size() > 64) return false;
    for (char ch : s)
        if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-' || ch == '.'))
            return false;
    return true;
}

}  // namespace

Expected<void> Validate(const Facts& facts) {
    if (!IsSlug(facts.category))
        return InvalidField("category", "category must be a lower-case slug of at most 64 characters");
    if (facts.subject_id < 0) return InvalidField("subject_id", "subject_id must be >= 0");
    if (facts.customer_id < 0) return InvalidField("customer_id", "customer_id must be >= 0");
    const std::pair<const char*, std::int64_t> amounts[] = {
        {"late_minutes", facts.late_minutes},
        {"downtime_minutes", facts.downtime_minutes},
        {"order_value_minor", facts.order_value_minor},
        {"item_value_minor", facts.item_value_minor},
        {"invoice_value_minor", facts.invoice_value_minor},
        {"loss_minor", facts.loss_minor},
        {"customer_value_minor", facts.customer_value_minor},
        {"mistakes_this_year", facts.mistakes_this_year},
        {"remedied_this_year_minor", facts.remedied_this_year_minor}};
    for (const auto& [name, v] : amounts)
        if (v < 0 || v > kMaxMinor)
            return InvalidField(name, std::string(name) + " must be a whole number from 0 to 10^15");
    return {};
}

bool Conditions::Hold(const Facts& f, int category_id) const {
    if (!late_minutes.Holds(f.late_minutes) || !loss.Holds(f.loss_minor) || !order_value.Holds(f.order_value_minor) ||
        !item_value.Holds(f.item_value_minor) || !customer_value.Holds(f.customer_value_minor) ||
        !mistakes_this_year.Holds(f.mistakes_this_year) || !downtime_minutes.Holds(f.downtime_minutes))
        return false;
    if (subject && *subject != f.subject) return false;
    if (min_severity && f.severity < *min_severity) return false;
    if (min_impact && f.impact < *min_impact) return false;
    if (!category_ids.empty() &&
        std::find(category_ids.begin(), category_ids.end(), category_id) == category_ids.end())
        return false;
    if (!severities.empty() && std::find(severities.begin(), severities.end(), f.severity) == severities.end())
        return false;
    return true;
}

int Policy::CategoryId(std::string_view category) const {
    auto it = std::lower_bound(categories_sorted.begin(), categories_sorted.end(), category,
                               [&](int id, std::string_view c) { return categories[static_cast<std::size_t>(id)] < c; });
    if (it == categories_sorted.end() || categories[static_cast<std::size_t>(*it)] != category) return -1;
    return *it;
}

std::optional<std::int64_t> ParseMinutes(std::string_view text) {
    if (text.empty()) return std::nullopt;
    std::int64_t total = 0;
    int last_rank = -1;  // d = 0, h = 1, m = 2: in that order, once each
    std::size_t i = 0;
    while (i < text.size()) {
        std::size_t j = i;
        while (j < text.size() && text[j] >= '0' && text[j] <= '9') ++j;
        if (j == i || j == text.size() || j - i > 7) return std::nullopt;
        std::int64_t n = 0;
        std::from_chars(text.data() + i, text.data() + j, n);
        int rank;
        std::int64_t unit;
        switch (text[j]) {
            case 'd':
                rank = 0, unit = 24 * 60;
                break;
            case 'h':
                rank = 1, unit = 60;
                break;
            case 'm':
                rank = 2, unit = 1;
                break;
            default:
                return std::nullopt;
        }
        if (rank <= last_rank) return std::nullopt;
        last_rank = rank;
        total += n * unit;
        i = j + 1;
    }
    return total;
}

std::string FormatMinutes(std::int64_t minutes) {
    if (minutes <= 0) return "0m";
    std::string out;
    const std::int64_t d = minutes / (24 * 60), h = minutes / 60 % 24, m = minutes % 60;
    if (d) out += std::to_string(d) + "d";
    if (h) out += std::to_string(h) + "h";
    if (m) out += std::to_string(m) + "m";
    return out;
}

void AppendMoney(std::string& out, const Policy& policy, std::int64_t minor) {
    if (minor < 0) {
        out += '-';
        minor = minor == std::numeric_limits<std::int64_t>::min() ? std::numeric_limits<std::int64_t>::max() : -minor;
    }
    char digits[24];
    auto [end, ec] = std::to_chars(digits, digits + sizeof(digits), minor);
    (void)ec;
    std::size_t n = static_cast<std::size_t>(end - digits);
    const std::size_t frac = static_cast<std::size_t>(policy.minor_digits);
    if (n <= frac) {  // 5 -> "0.05": pad with zeros
        out += "0.";
        out.append(frac - n, '0');
        out.append(digits, n);
    } else {
        out.append(digits, n - frac);
        if (frac > 0) {
            out += '.';
            out.append(digits + n - frac, frac);
        }
    }
    if (!policy.currency.empty()) {
        out += ' ';
        out += policy.currency;
    }
}

std::string FormatMoney(const Policy& policy, std::int64_t minor) {
    std::string out;
    AppendMoney(out, policy, minor);
    return out;
}

void Policy::Reindex() {
    categories_sorted.resize(categories.size());
    for (std::size_t i = 0; i < categories.size(); ++i) categories_sorted[i] = static_cast<int>(i);
    std::sort(categories_sorted.begin(), categories_sorted.end(), [&](int a, int b) {
        return categories[static_cast<std::size_t>(a)] < categories[static_cast<std::size_t>(b)];
    });
    rules_by_category.assign(categories.size(), {});
    rules_without_category.clear();
    for (std::uint32_t i = 0; i < rules.size(); ++i) {
        const Conditions& c = rules[i].when;
        if (c.category_ids.empty()) {
            rules_without_category.push_back(i);
            for (auto& list : rules_by_category) list.push_back(i);
        } else {
            for (int id : c.category_ids)
                if (rules_by_category[static_cast<std::size_t>(id)].empty() ||
                    rules_by_category[static_cast<std::size_t>(id)].back() != i)
                    rules_by_category[static_cast<std::size_t>(id)].push_back(i);
        }
    }
}

}  // namespace amends::policy
