#include "app/webhooks.h"

#include <sodium.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "app/object_reader.h"

namespace amends::app {

using nlohmann::json;

namespace {

std::string NewSecret() {
    if (sodium_init() < 0) std::abort();
    unsigned char raw[24];
    randombytes_buf(raw, sizeof raw);
    char hex[sizeof raw * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
    return std::string("whsec_") + hex;
}

std::vector<std::string> Strings(const std::string& json_array) {
    auto parsed = json::parse(json_array, nullptr, false);
    std::vector<std::string> out;
    if (parsed.is_array())
        for (const auto& v : parsed)
            if (v.is_string()) out.push_back(v.get<std::string>());
    return out;
}

}  // namespace

Expected<store::Webhook> ParseWebhook(const json& body, TimePoint now) {
    ObjectReader r(body);
    store::Webhook w;
    w.url = r.String("url", true).value_or("");
    if (!w.url.empty()) {
        bool scheme = w.url.starts_with("http://") || w.url.starts_with("https://");
        bool clean = w.url.size() <= 2000 &&
                     std::ranges::none_of(w.url, [](char c) { return static_cast<unsigned char>(c) <= ' '; });
        if (!scheme || !clean) r.Fail("url", "must be an http:// or https:// URL without spaces, at most 2000 bytes");
    }
    if (auto secret = r.String("secret")) {
        if (secret->size() < 16 || secret->size() > 200)
            r.Fail("secret", "must be 16 to 200 characters (or left out to have one generated)");
        w.secret = *secret;
    }
    if (auto customer = r.Integer("customer_id", 1, INT64_MAX)) w.customer_id = *customer;
    if (auto components = r.StringArray("components", 200)) w.components_json = json(*components).dump();
    if (auto events = r.StringArray("events", 16)) {
        for (const auto& e : *events)
            if (std::ranges::find(kWebhookEvents, e) == std::end(kWebhookEvents)) {
                r.Fail("events", "unknown event " + e +
                                     "; events are incident, component, notice, incident.reminder, "
                                     "incident.escalation, remedy.issued");
                break;
            }
        w.events_json = json(*events).dump();
    }
    if (auto description = r.String("description")) {
        if (description->size() > 500) r.Fail("description", "must be at most 500 bytes");
        w.description = *description;
    }
    if (auto ok = r.Finish(); !ok) return std::unexpected(ok.error());
    if (w.secret.empty()) w.secret = NewSecret();
    w.created_at = now;
    return w;
}

json WebhookJson(const store::Webhook& w, bool with_secret) {
    json out{{"id", w.id},
             {"url", w.url},
             {"customer_id", w.customer_id ? json(*w.customer_id) : json(nullptr)},
             {"components", Strings(w.components_json)},
             {"events", Strings(w.events_json)},
             {"description", w.description},
             {"created_at", FormatRfc3339(w.created_at)}};
    if (with_secret) out["secret"] = w.secret;
    return out;
}

bool Wants(const store::Webhook& w, std::string_view event, const std::vector<std::string>& component_ids) {
    // With no list, a page-wide subscription hears Statuspage's events and a customer's their notices; the team's
    // own events (reminders, escalations, remedies) are heard only when named.
    auto events = Strings(w.events_json);
    if (events.empty() ? !(event == "incident" || event == "component" || event == "notice")
                       : std::ranges::find(events, event) == events.end())
        return false;
    auto components = Strings(w.components_json);
    if (components.empty() || component_ids.empty()) return true;
    return std::ranges::any_of(component_ids, [&](const std::string& id) {
        return std::ranges::find(components, id) != components.end();
    });
}

bool QueueWebhook(store::Tx& tx, const store::Webhook& w, std::string_view event, const std::string& payload,
                  const std::string& dedupe_key, TimePoint now) {
    store::OutboxItem item;
    item.channel = "webhook";
    item.dedupe_key = dedupe_key;
    item.recipient = w.url;
    item.subject = std::string(event);
    item.body = payload;
    item.headers_json = json{{"X-Amends-Webhook", std::to_string(w.id)}, {"X-Amends-Event", std::string(event)}}.dump();
    item.next_attempt_at = now;
    item.created_at = now;
    return tx.EnqueueOutbox(item).has_value();
}

}  // namespace amends::app
