// The only file that includes toml++ (it is slow to compile).
#include "playbook/config.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include <toml++/toml.h>

namespace amends::playbook {
namespace {

using std::chrono::sys_days;

constexpr std::string_view kDayKeys[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

std::optional<int> Digits(std::string_view s) {
    int v = 0;
    if (s.empty()) return std::nullopt;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
    return v;
}

// "HH:MM" -> minutes after midnight; "24:00" allowed.
std::optional<int> ParseClockTime(std::string_view s) {
    if (s.size() != 5 || s[2] != ':') return std::nullopt;
    auto h = Digits(s.substr(0, 2));
    auto m = Digits(s.substr(3, 2));
    if (!h || !m || *m > 59 || *h > 24 || (*h == 24 && *m != 0)) return std::nullopt;
    return *h * 60 + *m;
}

// "+01:00", "-05:30", "Z".
std::optional<Millis> ParseOffset(std::string_view s) {
    if (s == "Z") return Millis(0);
    if (s.size() != 6 || (s[0] != '+' && s[0] != '-')) return std::nullopt;
    auto minutes = ParseClockTime(s.substr(1));
    if (!minutes || *minutes > 18 * 60) return std::nullopt;
    return std::chrono::minutes(s[0] == '-' ? -*minutes : *minutes);
}

std::optional<sys_days> ParseDate(const toml::node& node) {
    if (const auto* d = node.as_date()) {
        const toml::date& v = d->get();
        std::chrono::year_month_day ymd{std::chrono::year(v.year), std::chrono::month(v.month),
                                        std::chrono::day(v.day)};
        if (!ymd.ok()) return std::nullopt;
        return sys_days(ymd);
    }
    if (const auto* s = node.as_string()) {
        const std::string& text = s->get();
        if (text.size() != 10) return std::nullopt;
        auto t = ParseRfc3339(text);
        if (!t) return std::nullopt;
        return std::chrono::floor<std::chrono::days>(*t);
    }
    return std::nullopt;
}

// Walks a TOML document, remembering the path for error messages.
class Reader {
  public:
    Expected<Config> Read(const toml::table& root) {
        if (auto ok = OnlyKeys(root, "", {"defaults", "calendars", "policies"}); !ok) return Err(ok);
        calendars_["always"] = Calendar::Always();
        if (const toml::node* node = root.get("calendars")) {
            const toml::table* table = node->as_table();
            if (!table) return InvalidField("calendars", "calendars must be a table of named calendars");
            for (auto&& [key, value] : *table) {
                const std::string name(key.str());
                const std::string path = "calendars." + name;
                if (name == "always") return InvalidField(path, "the calendar \"always\" is built in");
                const toml::table* cal = value.as_table();
                if (!cal) return InvalidField(path, "a calendar must be a table");
                auto parsed = ReadCalendar(*cal, name, path);
                if (!parsed) return std::unexpected(parsed.error());
                calendars_[name] = std::move(*parsed);
            }
        }
        Config config;
        if (const toml::node* node = root.get("defaults")) {
            const toml::table* table = node->as_table();
            if (!table) return InvalidField("defaults", "defaults must be a table");
            if (auto ok = OnlyKeys(*table, "defaults", {"calendar", "targets"}); !ok) return Err(ok);
            if (auto ok = ReadCalendarRef(*table, "defaults", config.fallback.calendar); !ok) return Err(ok);
            if (auto ok = ReadTargets(*table, "defaults", config.fallback.targets); !ok) return Err(ok);
        }
        if (const toml::node* node = root.get("policies")) {
            const toml::array* array = node->as_array();
            if (!array) return InvalidField("policies", "policies must be an array of tables ([[policies]])");
            std::set<std::string> names;
            for (std::size_t i = 0; i < array->size(); ++i) {
                const std::string path = "policies[" + std::to_string(i) + "]";
                const toml::table* table = (*array)[i].as_table();
                if (!table) return InvalidField(path, "a policy must be a table");
                ClockPolicy policy;
                policy.targets = config.fallback.targets;
                policy.calendar = config.fallback.calendar;
                if (auto ok = ReadPolicy(*table, path, policy); !ok) return Err(ok);
                if (!names.insert(policy.name).second)
                    return InvalidField(path + ".name", "two policies are named \"" + policy.name + "\"");
                config.policies.push_back(std::move(policy));
            }
        }
        return config;
    }

  private:
    static std::unexpected<Error> Err(const Expected<void>& failed) { return std::unexpected(failed.error()); }

    static std::string Join(const std::string& path, std::string_view key) {
        return path.empty() ? std::string(key) : path + "." + std::string(key);
    }

    static Expected<void> OnlyKeys(const toml::table& table, const std::string& path,
                                   std::initializer_list<std::string_view> allowed) {
        for (auto&& [key, value] : table) {
            (void)value;
            if (std::find(allowed.begin(), allowed.end(), key.str()) == allowed.end())
                return InvalidField(Join(path, key.str()), "unknown key");
        }
        return {};
    }

    Expected<Calendar> ReadCalendar(const toml::table& table, const std::string& name, const std::string& path) {
        if (auto ok =
                OnlyKeys(table, path, {"utc_offset", "holidays", "mon", "tue", "wed", "thu", "fri", "sat", "sun"});
            !ok)
            return Err(ok);
        Calendar cal;
        cal.name = name;
        for (auto& day : cal.week) day.clear();
        if (const toml::node* node = table.get("utc_offset")) {
            const auto* s = node->as_string();
            auto offset = s ? ParseOffset(s->get()) : std::nullopt;
            if (!offset) return InvalidField(path + ".utc_offset", "utc_offset must look like \"+01:00\" or \"Z\"");
            cal.utc_offset = *offset;
        }
        for (int d = 0; d < 7; ++d) {
            const toml::node* node = table.get(kDayKeys[d]);
            if (!node) continue;
            const std::string field = Join(path, kDayKeys[d]);
            const toml::array* spans = node->as_array();
            if (!spans) return InvalidField(field, "opening hours must be a list like [\"09:00-17:00\"]");
            for (const toml::node& span_node : *spans) {
                const auto* s = span_node.as_string();
                const std::string_view text = s ? std::string_view(s->get()) : std::string_view();
                std::optional<int> open, close;
                if (text.size() == 11 && text[5] == '-') {
                    open = ParseClockTime(text.substr(0, 5));
                    close = ParseClockTime(text.substr(6, 5));
                }
                if (!open || !close || *open >= *close)
                    return InvalidField(field,
                                        "opening hours must look like \"09:00-17:00\", start before end "
                                        "(split a span that crosses midnight over two days)");
                cal.week[d].push_back(OpenSpan{*open, *close});
            }
            std::sort(cal.week[d].begin(), cal.week[d].end(),
                      [](const OpenSpan& a, const OpenSpan& b) { return a.open_minute < b.open_minute; });
            for (std::size_t i = 1; i < cal.week[d].size(); ++i)
                if (cal.week[d][i].open_minute < cal.week[d][i - 1].close_minute)
                    return InvalidField(field, "opening hours overlap");
        }
        if (const toml::node* node = table.get("holidays")) {
            const toml::array* days = node->as_array();
            if (!days) return InvalidField(path + ".holidays", "holidays must be a list of dates");
            for (std::size_t i = 0; i < days->size(); ++i) {
                auto day = ParseDate((*days)[i]);
                if (!day)
                    return InvalidField(path + ".holidays[" + std::to_string(i) + "]",
                                        "a holiday must be a date like 2026-12-25");
                cal.holidays.push_back(*day);
            }
            std::sort(cal.holidays.begin(), cal.holidays.end());
            cal.holidays.erase(std::unique(cal.holidays.begin(), cal.holidays.end()), cal.holidays.end());
        }
        if (auto ok = Validate(cal); !ok) {
            const std::string& inner = ok.error().field;
            return InvalidField(inner == "week" ? path : Join(path, inner), ok.error().message);
        }
        return cal;
    }

    Expected<void> ReadCalendarRef(const toml::table& table, const std::string& path, Calendar& out) {
        const toml::node* node = table.get("calendar");
        if (!node) return {};
        const auto* s = node->as_string();
        if (!s) return InvalidField(path + ".calendar", "calendar must be the name of a calendar");
        auto it = calendars_.find(s->get());
        if (it == calendars_.end())
            return InvalidField(path + ".calendar",
                                "no calendar named \"" + s->get() + "\" (define [calendars." + s->get() + "])");
        out = it->second;
        return {};
    }

    static Expected<void> ReadTargets(const toml::table& parent, const std::string& parent_path, Targets& out) {
        const toml::node* node = parent.get("targets");
        if (!node) return {};
        const std::string path = parent_path + ".targets";
        const toml::table* table = node->as_table();
        if (!table) return InvalidField(path, "targets must be a table");
        if (auto ok =
                OnlyKeys(*table, path,
                         {"acknowledge", "agree", "confirm", "keep_informed", "plan_change", "follow_up_after_days"});
            !ok)
            return ok;
        const std::pair<std::string_view, Millis*> durations[] = {{"acknowledge", &out.acknowledge},
                                                                  {"agree", &out.agree},
                                                                  {"confirm", &out.confirm},
                                                                  {"keep_informed", &out.keep_informed},
                                                                  {"plan_change", &out.plan_change}};
        for (const auto& [key, target] : durations) {
            const toml::node* value = table->get(key);
            if (!value) continue;
            const auto* s = value->as_string();
            auto d = s ? ParseDuration(s->get()) : std::nullopt;
            if (!d)
                return InvalidField(Join(path, key), "a target must be a duration like \"30m\", \"4h\" or \"1h30m\"");
            if (key == "keep_informed" && *d <= Millis(0))
                return InvalidField(Join(path, key), "the keep-informed cadence must be longer than zero");
            *target = *d;
        }
        if (const toml::node* value = table->get("follow_up_after_days")) {
            const auto* i = value->as_integer();
            if (!i || i->get() < 0 || i->get() > 366)
                return InvalidField(Join(path, "follow_up_after_days"),
                                    "follow_up_after_days must be a whole number of days from 0 to 366");
            out.follow_up_after_days = static_cast<int>(i->get());
        }
        return {};
    }

    template <typename E, std::size_t N>
    static Expected<void> ReadEnumList(const toml::table& table, const std::string& path, std::string_view key,
                                       const std::pair<E, std::string_view> (&names)[N], std::vector<E>& out) {
        const toml::node* node = table.get(key);
        if (!node) return {};
        const std::string field = Join(path, key);
        const toml::array* array = node->as_array();
        if (!array || array->empty()) return InvalidField(field, std::string(key) + " must be a non-empty list");
        for (const toml::node& item : *array) {
            const auto* s = item.as_string();
            auto v = s ? ParseIn<E>(names, s->get()) : std::nullopt;
            if (!v) {
                std::string known;
                for (const auto& [e, n] : names) known += (known.empty() ? "" : ", ") + std::string(n);
                return InvalidField(field, "unknown " + std::string(key) + "; expected one of " + known);
            }
            out.push_back(*v);
        }
        return {};
    }

    static Expected<void> ReadMatch(const toml::table& parent, const std::string& parent_path, PolicyMatch& out) {
        const toml::node* node = parent.get("match");
        if (!node) return {};
        const std::string path = parent_path + ".match";
        const toml::table* table = node->as_table();
        if (!table) return InvalidField(path, "match must be a table");
        if (auto ok =
                OnlyKeys(*table, path, {"severity", "category", "channel", "min_customer_value", "max_customer_value"});
            !ok)
            return ok;
        if (auto ok = ReadEnumList(*table, path, "severity", kSeverityNames, out.severities); !ok) return ok;
        if (auto ok = ReadEnumList(*table, path, "channel", kChannelNames, out.channels); !ok) return ok;
        if (const toml::node* cat = table->get("category")) {
            const toml::array* array = cat->as_array();
            if (!array || array->empty()) return InvalidField(path + ".category", "category must be a non-empty list");
            for (const toml::node& item : *array) {
                const auto* s = item.as_string();
                if (!s || s->get().empty()) return InvalidField(path + ".category", "a category must be a slug");
                out.categories.push_back(s->get());
            }
        }
        for (auto [key, target] : {std::pair{"min_customer_value", &out.min_customer_value},
                                   std::pair{"max_customer_value", &out.max_customer_value}}) {
            const toml::node* value = table->get(key);
            if (!value) continue;
            const auto* i = value->as_integer();
            if (!i) return InvalidField(Join(path, key), std::string(key) + " must be a whole number of minor units");
            *target = i->get();
        }
        if (out.min_customer_value && out.max_customer_value && *out.min_customer_value > *out.max_customer_value)
            return InvalidField(path + ".max_customer_value", "max_customer_value is below min_customer_value");
        return {};
    }

    Expected<void> ReadPolicy(const toml::table& table, const std::string& path, ClockPolicy& out) {
        if (auto ok = OnlyKeys(table, path, {"name", "calendar", "match", "targets"}); !ok) return ok;
        const toml::node* name = table.get("name");
        const auto* s = name ? name->as_string() : nullptr;
        if (!s || s->get().empty()) return InvalidField(path + ".name", "a policy needs a name");
        out.name = s->get();
        if (auto ok = ReadCalendarRef(table, path, out.calendar); !ok) return ok;
        if (auto ok = ReadMatch(table, path, out.match); !ok) return ok;
        return ReadTargets(table, path, out.targets);
    }

    std::map<std::string, Calendar> calendars_;
};

template <typename T>
bool AnyIs(const std::vector<T>& list, const T& value) {
    return list.empty() || std::find(list.begin(), list.end(), value) != list.end();
}

}  // namespace

bool PolicyMatch::Matches(const CaseFacts& facts) const {
    if (!AnyIs(severities, facts.severity)) return false;
    if (!AnyIs(categories, facts.category)) return false;
    if (!AnyIs(channels, facts.channel)) return false;
    if (min_customer_value && facts.customer_value_minor < *min_customer_value) return false;
    if (max_customer_value && facts.customer_value_minor > *max_customer_value) return false;
    return true;
}

const ClockPolicy& Config::Choose(const CaseFacts& facts) const {
    for (const ClockPolicy& policy : policies)
        if (policy.match.Matches(facts)) return policy;
    return fallback;
}

std::optional<Millis> ParseDuration(std::string_view text) {
    if (text.empty()) return std::nullopt;
    Millis total{0};
    int last_rank = -1;  // h = 0, m = 1, s = 2: units must come in that order, once each
    std::size_t i = 0;
    while (i < text.size()) {
        std::size_t j = i;
        while (j < text.size() && text[j] >= '0' && text[j] <= '9') ++j;
        if (j == i || j == text.size() || j - i > 6) return std::nullopt;
        auto n = Digits(text.substr(i, j - i));
        if (!n) return std::nullopt;
        int rank;
        Millis unit;
        switch (text[j]) {
            case 'h':
                rank = 0, unit = std::chrono::hours(1);
                break;
            case 'm':
                rank = 1, unit = std::chrono::minutes(1);
                break;
            case 's':
                rank = 2, unit = std::chrono::seconds(1);
                break;
            default:
                return std::nullopt;
        }
        if (rank <= last_rank) return std::nullopt;
        last_rank = rank;
        total += unit * *n;
        i = j + 1;
    }
    return total;
}

Expected<Config> ParseConfig(std::string_view toml_text) {
    toml::table root;
    try {
        root = toml::parse(toml_text);
    } catch (const toml::parse_error& e) {
        return InvalidField("toml",
                            "line " + std::to_string(e.source().begin.line) + ": " + std::string(e.description()));
    }
    return Reader().Read(root);
}

}  // namespace amends::playbook
