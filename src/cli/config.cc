#include "cli/config.h"

#include <nlohmann/json.hpp>
#include <toml++/toml.h>

#include <charconv>
#include <set>
#include <tuple>

#include "notify/mime.h"

namespace amends::cli {

namespace {

Expected<void> CheckKeys(const toml::table& table, const std::string& prefix, const std::set<std::string>& known) {
    for (const auto& [key, value] : table) {
        std::string name(key.str());
        if (!known.contains(name)) return InvalidField(prefix + name, "unknown setting " + prefix + name);
    }
    return {};
}

template <typename T>
Expected<void> ReadInt(const toml::table& table, const char* key, const std::string& prefix, T min, T max, T& out) {
    const toml::node* node = table.get(key);
    if (!node) return {};
    auto v = node->value<std::int64_t>();
    if (!v || *v < static_cast<std::int64_t>(min) || *v > static_cast<std::int64_t>(max))
        return InvalidField(prefix + key, prefix + key + " must be a whole number from " + std::to_string(min) + " to " +
                                              std::to_string(max));
    out = static_cast<T>(*v);
    return {};
}

Expected<void> ReadString(const toml::table& table, const char* key, std::string& out, const std::string& prefix = "") {
    const toml::node* node = table.get(key);
    if (!node) return {};
    auto v = node->value<std::string>();
    if (!v) return InvalidField(prefix + key, prefix + key + " must be a string");
    out = *v;
    return {};
}

Expected<void> ReadBool(const toml::table& table, const char* key, const std::string& prefix, bool& out) {
    const toml::node* node = table.get(key);
    if (!node) return {};
    auto v = node->value<bool>();
    if (!v) return InvalidField(prefix + key, prefix + key + " must be true or false");
    out = *v;
    return {};
}

const toml::table* Section(const toml::table& root, const char* name, Expected<void>& error) {
    const toml::node* node = root.get(name);
    if (!node) return nullptr;
    const toml::table* table = node->as_table();
    if (!table) error = InvalidField(name, std::string(name) + " must be a table ([" + name + "])");
    return table;
}

Expected<void> ReadMail(const toml::table& root, Config& config) {
    if (auto ok = ReadString(root, "public_url", config.public_url); !ok) return ok;
    if (!config.public_url.empty() && !config.public_url.starts_with("http://") &&
        !config.public_url.starts_with("https://"))
        return InvalidField("public_url", "public_url must start with http:// or https://");
    Expected<void> error;
    if (const toml::table* smtp = Section(root, "smtp", error)) {
        if (auto ok = CheckKeys(*smtp, "smtp.", {"url", "from", "username", "password", "require_tls", "ca_file", "timeout_ms"}); !ok)
            return ok;
        auto& o = config.smtp;
        std::int64_t timeout_ms = o.timeout.count();
        for (auto ok : {ReadString(*smtp, "url", o.url, "smtp."), ReadString(*smtp, "from", o.from, "smtp."),
                        ReadString(*smtp, "username", o.username, "smtp."),
                        ReadString(*smtp, "password", o.password, "smtp."),
                        ReadBool(*smtp, "require_tls", "smtp.", o.require_tls),
                        ReadString(*smtp, "ca_file", o.ca_file, "smtp."),
                        ReadInt<std::int64_t>(*smtp, "timeout_ms", "smtp.", 100, 600000, timeout_ms)})
            if (!ok) return ok;
        o.timeout = std::chrono::milliseconds(timeout_ms);
        if (auto ok = notify::Validate(o); !ok) return ok;
    }
    if (!error) return error;
    if (const toml::table* mail = Section(root, "mail", error)) {
        if (auto ok = CheckKeys(*mail, "mail.", {"address", "lmtp", "lmtp_max_bytes", "max_attachment_bytes"}); !ok)
            return ok;
        for (auto ok : {ReadString(*mail, "address", config.mail_address, "mail."),
                        ReadString(*mail, "lmtp", config.lmtp, "mail."),
                        ReadInt<std::int64_t>(*mail, "lmtp_max_bytes", "mail.", 1024, 1ll << 30, config.lmtp_max_bytes),
                        ReadInt<std::int64_t>(*mail, "max_attachment_bytes", "mail.", 0, 1ll << 30,
                                              config.max_attachment_bytes)})
            if (!ok) return ok;
        if (!config.mail_address.empty() && notify::ParseMailbox(config.mail_address).address != config.mail_address)
            return InvalidField("mail.address", "mail.address must be an email address, e.g. \"support@example.com\"");
        if (config.mail_address.find('+') != std::string::npos)
            return InvalidField("mail.address", "mail.address must not hold a '+' (amends adds +c<case>.<tag>)");
    }
    if (!error) return error;
    if (const toml::table* outbox = Section(root, "outbox", error)) {
        if (auto ok = CheckKeys(*outbox, "outbox.",
                                {"enabled", "threads", "batch", "interval_ms", "max_attempts", "first_backoff_ms", "lease_ms"});
            !ok)
            return ok;
        auto& o = config.outbox_options;
        std::int64_t interval_ms = o.interval.count(), backoff_ms = o.first_backoff.count(), lease_ms = o.lease.count();
        for (auto ok : {ReadBool(*outbox, "enabled", "outbox.", config.outbox),
                        ReadInt(*outbox, "threads", "outbox.", 1, 64, o.threads),
                        ReadInt(*outbox, "batch", "outbox.", 1, 10000, o.batch),
                        ReadInt<std::int64_t>(*outbox, "interval_ms", "outbox.", 10, 3600000, interval_ms),
                        ReadInt(*outbox, "max_attempts", "outbox.", 1, 1000, o.max_attempts),
                        ReadInt<std::int64_t>(*outbox, "first_backoff_ms", "outbox.", 10, 86400000, backoff_ms),
                        ReadInt<std::int64_t>(*outbox, "lease_ms", "outbox.", 1000, 86400000, lease_ms)})
            if (!ok) return ok;
        o.lease = std::chrono::milliseconds(lease_ms);
        o.interval = std::chrono::milliseconds(interval_ms);
        o.first_backoff = std::chrono::milliseconds(backoff_ms);
    }
    return error;
}

}  // namespace

Expected<Config> LoadConfig(const std::string& path) {
    toml::table root;
    try {
        root = toml::parse_file(path);
    } catch (const toml::parse_error& e) {
        std::string where;
        if (e.source().begin) where = " at line " + std::to_string(e.source().begin.line);
        return Fail(ErrorCode::kInvalidArgument, path + where + ": " + std::string(e.description()), "config");
    }
    Config config;
    if (auto ok = CheckKeys(root, "", {"db", "listen", "durability", "playbook", "public_url", "scheduler", "coach", "http", "smtp", "outbox", "status", "signals", "policy", "debriefs", "mail", "console"}); !ok)
        return std::unexpected(ok.error());
    if (auto ok = ReadString(root, "playbook", config.playbook); !ok) return std::unexpected(ok.error());
    if (auto ok = ReadString(root, "policy", config.policy); !ok) return std::unexpected(ok.error());
    if (const toml::node* node = root.get("scheduler")) {
        const toml::table* scheduler = node->as_table();
        if (!scheduler) return InvalidField("scheduler", "scheduler must be a table ([scheduler])");
        if (auto ok = CheckKeys(*scheduler, "scheduler.", {"enabled", "interval_ms"}); !ok)
            return std::unexpected(ok.error());
        if (const toml::node* enabled = scheduler->get("enabled")) {
            auto v = enabled->value<bool>();
            if (!v) return InvalidField("scheduler.enabled", "scheduler.enabled must be true or false");
            config.scheduler = *v;
        }
        if (auto ok = ReadInt(*scheduler, "interval_ms", "scheduler.", 10, 3600000, config.scheduler_interval_ms); !ok)
            return std::unexpected(ok.error());
    }
    if (auto ok = ReadString(root, "db", config.db); !ok) return std::unexpected(ok.error());
    if (auto ok = ReadString(root, "listen", config.listen); !ok) return std::unexpected(ok.error());
    std::string durability = "process";
    if (auto ok = ReadString(root, "durability", durability); !ok) return std::unexpected(ok.error());
    if (durability == "fsync")
        config.durability = store::Durability::kFsync;
    else if (durability != "process")
        return InvalidField("durability", "durability must be \"process\" (the default) or \"fsync\"");
    if (const toml::node* node = root.get("coach")) {
        const toml::table* coach = node->as_table();
        if (!coach) return InvalidField("coach", "coach must be a table ([coach])");
        if (auto ok = CheckKeys(*coach, "coach.", {"refuse_blame", "require_apology_when_ours"}); !ok)
            return std::unexpected(ok.error());
        for (auto [key, target] : {std::pair{"refuse_blame", &config.send_policy.refuse_blame},
                                   std::pair{"require_apology_when_ours", &config.send_policy.require_apology_when_ours}}) {
            if (const toml::node* v = coach->get(key)) {
                auto b = v->value<bool>();
                if (!b) return InvalidField(std::string("coach.") + key, std::string("coach.") + key + " must be true or false");
                *target = *b;
            }
        }
    }
    if (auto ok = ReadMail(root, config); !ok) return std::unexpected(ok.error());
    Expected<void> section_error;
    if (const toml::table* status = Section(root, "status", section_error)) {
        if (auto ok = CheckKeys(*status, "status.", {"name", "remind_before", "escalate_after", "remind_to", "escalate_to"});
            !ok)
            return std::unexpected(ok.error());
        std::string remind_before, escalate_after;
        auto& p = config.promises;
        for (auto ok : {ReadString(*status, "name", config.status_name, "status."),
                        ReadString(*status, "remind_before", remind_before, "status."),
                        ReadString(*status, "escalate_after", escalate_after, "status."),
                        ReadString(*status, "remind_to", p.remind_to, "status."),
                        ReadString(*status, "escalate_to", p.escalate_to, "status.")})
            if (!ok) return std::unexpected(ok.error());
        for (auto [key, text, target] : {std::tuple{"remind_before", &remind_before, &p.remind_before},
                                         std::tuple{"escalate_after", &escalate_after, &p.escalate_after}}) {
            if (text->empty()) continue;
            if (*text == "0") {
                *target = Millis{0};
                continue;
            }
            auto d = app::ParseDuration(nlohmann::json(*text));
            if (!d) return InvalidField(std::string("status.") + key,
                                        std::string("status.") + key + " must be a duration such as \"10m\" or \"1h\", or \"0\"");
            *target = *d;
        }
        for (auto [key, address] : {std::pair{"remind_to", &p.remind_to}, std::pair{"escalate_to", &p.escalate_to}})
            if (!address->empty() && notify::ParseMailbox(*address).address != *address)
                return InvalidField(std::string("status.") + key, std::string("status.") + key + " must be an email address");
    }
    if (!section_error) return std::unexpected(section_error.error());
    if (const toml::table* debriefs = Section(root, "debriefs", section_error)) {
        if (auto ok = CheckKeys(*debriefs, "debriefs.", {"workaround_max_age_days", "escalate_after_days",
                                                         "recurrence_threshold", "recurrence_window_days"});
            !ok)
            return std::unexpected(ok.error());
        auto& o = config.debriefs;
        std::int64_t stale = 30, escalate = 0, window = 30, threshold = 5;
        for (auto ok : {ReadInt<std::int64_t>(*debriefs, "workaround_max_age_days", "debriefs.", 0, 3650, stale),
                        ReadInt<std::int64_t>(*debriefs, "escalate_after_days", "debriefs.", 0, 365, escalate),
                        ReadInt<std::int64_t>(*debriefs, "recurrence_window_days", "debriefs.", 1, 3650, window),
                        ReadInt<std::int64_t>(*debriefs, "recurrence_threshold", "debriefs.", 2, 100000, threshold)})
            if (!ok) return std::unexpected(ok.error());
        o.workaround_max_age = std::chrono::days(stale);
        o.escalate_after = std::chrono::days(escalate);
        o.recurrence.window = std::chrono::days(window);
        o.recurrence.threshold = static_cast<std::size_t>(threshold);
    }
    if (!section_error) return std::unexpected(section_error.error());
    if (const toml::table* console = Section(root, "console", section_error)) {
        if (auto ok = CheckKeys(*console, "console.", {"session_idle_minutes", "session_max_days"}); !ok)
            return std::unexpected(ok.error());
        std::int64_t idle = 12 * 60, max_days = 7;
        for (auto ok : {ReadInt<std::int64_t>(*console, "session_idle_minutes", "console.", 5, 60 * 24 * 30, idle),
                        ReadInt<std::int64_t>(*console, "session_max_days", "console.", 1, 90, max_days)})
            if (!ok) return std::unexpected(ok.error());
        config.sessions.idle_timeout = std::chrono::minutes(idle);
        config.sessions.absolute_timeout = std::chrono::days(max_days);
    }
    if (!section_error) return std::unexpected(section_error.error());
    if (const toml::node* node = root.get("signals")) {
        const toml::array* rules = node->as_array();
        if (!rules) return InvalidField("signals", "signals must be an array of tables ([[signals]])");
        for (std::size_t i = 0; i < rules->size(); ++i) {
            std::string prefix = "signals[" + std::to_string(i) + "].";
            const toml::table* t = (*rules)[i].as_table();
            if (!t) return InvalidField("signals", "signals must be an array of tables ([[signals]])");
            if (auto ok = CheckKeys(*t, prefix, {"type", "category", "severity", "subject", "first", "update"}); !ok)
                return std::unexpected(ok.error());
            app::SignalRule rule;
            std::string severity = "normal";
            for (auto ok : {ReadString(*t, "type", rule.type, prefix), ReadString(*t, "category", rule.category, prefix),
                            ReadString(*t, "severity", severity, prefix), ReadString(*t, "subject", rule.subject, prefix),
                            ReadString(*t, "first", rule.first, prefix), ReadString(*t, "update", rule.update, prefix)})
                if (!ok) return std::unexpected(ok.error());
            auto parsed = ParseIn<Severity>(kSeverityNames, severity);
            if (!parsed) return InvalidField(prefix + "severity", prefix + "severity must be low, normal, high or critical");
            rule.severity = *parsed;
            if (auto ok = app::ValidateRule(rule, prefix); !ok) return std::unexpected(ok.error());
            std::erase_if(config.signal_rules, [&](const app::SignalRule& r) { return r.type == rule.type; });
            config.signal_rules.push_back(std::move(rule));
        }
    }
    if (const toml::node* node = root.get("http")) {
        const toml::table* http = node->as_table();
        if (!http) return InvalidField("http", "http must be a table ([http])");
        auto& o = config.http;
        if (auto ok = CheckKeys(*http, "http.",
                                {"threads", "body_limit", "read_timeout_ms", "drain_timeout_ms", "access_log"});
            !ok)
            return std::unexpected(ok.error());
        std::int64_t read_ms = o.read_timeout.count(), drain_ms = o.drain_timeout.count();
        for (auto ok : {ReadInt(*http, "threads", "http.", 0, 256, o.threads),
                        ReadInt<std::size_t>(*http, "body_limit", "http.", 1024, 256u << 20, o.body_limit),
                        ReadInt<std::int64_t>(*http, "read_timeout_ms", "http.", 100, 3600000, read_ms),
                        ReadInt<std::int64_t>(*http, "drain_timeout_ms", "http.", 0, 3600000, drain_ms)})
            if (!ok) return std::unexpected(ok.error());
        o.read_timeout = std::chrono::milliseconds(read_ms);
        o.drain_timeout = std::chrono::milliseconds(drain_ms);
        if (const toml::node* log = http->get("access_log")) {
            auto v = log->value<bool>();
            if (!v) return InvalidField("http.access_log", "http.access_log must be true or false");
            o.access_log = *v ? stderr : nullptr;
        }
    }
    return config;
}

Expected<void> ApplyListen(const std::string& listen, http::ServerOptions& options) {
    auto colon = listen.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == listen.size())
        return InvalidField("listen", "listen must be HOST:PORT, e.g. 127.0.0.1:8080");
    std::string host = listen.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    unsigned port = 0;
    auto [end, ec] = std::from_chars(listen.data() + colon + 1, listen.data() + listen.size(), port);
    if (ec != std::errc() || end != listen.data() + listen.size() || port > 65535)
        return InvalidField("listen", "the port in listen must be a number from 0 to 65535");
    options.host = host;
    options.port = static_cast<std::uint16_t>(port);
    return {};
}

}  // namespace amends::cli
