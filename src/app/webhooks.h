#pragma once
// Signed-webhook subscriptions: how they are read from the API, shown, filtered and queued. Delivery (the POST and
// its HMAC-SHA256 signature) is notify/webhook.h; the payloads are built where the events happen (status_board.cc).
//
// Event types: "incident" (an incident or maintenance was created or updated; Statuspage's incident payload),
// "component" (a component changed status; Statuspage's component payload), "notice" (one customer's personal
// notice, for that customer's own subscriptions), "incident.reminder" and "incident.escalation" (a promised update
// is nearly due, or overdue), "remedy.issued".

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "domain/error.h"
#include "domain/time.h"
#include "store/store.h"

namespace amends::app {

inline constexpr std::string_view kWebhookEvents[] = {"incident",          "component",           "notice",
                                                      "incident.reminder", "incident.escalation", "remedy.issued"};

// A subscription from POST /api/v1/webhooks: {url, secret?, customer_id?, components?, events?, description?}.
// A missing secret is generated (shown once, in the answer to the POST).
Expected<store::Webhook> ParseWebhook(const nlohmann::json& body, TimePoint now);
// The API's view; the secret only when `with_secret` (the answer to its creation).
nlohmann::json WebhookJson(const store::Webhook& w, bool with_secret);

// Whether `w` wants `event`, and an item touching `component_ids` (an item touching none reaches everyone).
bool Wants(const store::Webhook& w, std::string_view event, const std::vector<std::string>& component_ids = {});

// Queues one signed delivery of `payload` to `w`; false when `dedupe_key` was queued before.
bool QueueWebhook(store::Tx& tx, const store::Webhook& w, std::string_view event, const std::string& payload,
                  const std::string& dedupe_key, TimePoint now);

}  // namespace amends::app
