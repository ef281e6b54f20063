#pragma once
// Clock configuration: targets per clock, business-hours calendars, and ordered policies that choose them by a
// case's facts (first match wins, like Zendesk's SLA policies). ParseConfig reads it from TOML; the format and an
// example are in docs/playbook.md.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/error.h"
#include "domain/model.h"
#include "playbook/calendar.h"

namespace amends::playbook {

// What a policy can match on.
struct CaseFacts {
    Severity severity = Severity::kNormal;
    std::string category = "general";
    Channel channel = Channel::kEmail;
    std::int64_t customer_value_minor = 0;
};

inline CaseFacts FactsOf(const Case& c, const Customer& customer) {
    return CaseFacts{c.severity, c.category, c.channel, customer.value_minor};
}

// Deadlines, in business time of the policy's calendar except follow_up_after_days (calendar days).
struct Targets {
    Millis acknowledge = std::chrono::hours(1);     // opening -> first contact
    Millis agree = std::chrono::hours(72);          // opening -> the customer's agreement to an offer
    Millis confirm = std::chrono::hours(1);         // agreement -> message confirming what happens next
    Millis keep_informed = std::chrono::hours(24);  // last contact -> next contact while open
    Millis plan_change = Millis(0);                 // plan.changed -> telling the customer ("immediately")
    int follow_up_after_days = 3;                   // resolution -> follow-up, moved into business hours
    friend bool operator==(const Targets&, const Targets&) = default;
};

// The conditions of a policy: every field that is set must hold; a list holds when any element equals the
// case's value. An empty match matches every case.
struct PolicyMatch {
    std::vector<Severity> severities;
    std::vector<std::string> categories;
    std::vector<Channel> channels;
    std::optional<std::int64_t> min_customer_value;  // inclusive, minor units
    std::optional<std::int64_t> max_customer_value;  // inclusive, minor units

    bool Matches(const CaseFacts& facts) const;
};

// One named policy: when it applies, its targets and its calendar. A value type.
struct ClockPolicy {
    std::string name = "default";
    PolicyMatch match;
    Targets targets;
    Calendar calendar;
};

// All clock policies in order, plus the fallback used when none matches. A value type; const use is thread-safe.
// Default-constructed, it is the built-in default: acknowledge within 1 hour, agree within 72 hours, confirm within
// 1 hour of agreement, keep informed every 24 hours (immediately on a plan change), follow up 3 days after
// resolution, on a calendar that is always open.
struct Config {
    std::vector<ClockPolicy> policies;
    ClockPolicy fallback;

    // The first policy whose match holds, else the fallback. The reference lives as long as the Config.
    const ClockPolicy& Choose(const CaseFacts& facts) const;
};

// Reads a config from TOML text (format in docs/playbook.md). Unknown keys are errors, so that a typo does not
// silently leave a default in place. Errors are kInvalidArgument with `field` naming the key
// ("policies[1].targets.acknowledge", "calendars.office.mon").
Expected<Config> ParseConfig(std::string_view toml_text);

// "1h30m", "45m", "90s", "0m": a whole number and a unit (h, m, s) repeated, in that order. Days are not accepted:
// a business "day" is ambiguous. Returns nullopt for anything else.
std::optional<Millis> ParseDuration(std::string_view text);

}  // namespace amends::playbook
