#pragma once
// Helpers shared by the API's handler files: authentication, idempotent writes, query and path parsing, replies.

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "app/writes.h"
#include "domain/error.h"
#include "domain/model.h"
#include "http/api.h"
#include "http/errors.h"
#include "http/json_codec.h"

namespace amends::http {

using AuthedHandler = std::function<void(const Request&, const PathParams&, const Principal&, Respond)>;

// Wraps `handler` so it runs only for a valid bearer token of a user with at least `min_role` (401, else 403).
// Without an Authorization header, the console's session cookie is accepted instead; a write signed in by cookie
// must carry the session's X-CSRF-Token header (403 `csrf` otherwise).
Handler Authed(ApiContext& api, Role min_role, AuthedHandler handler);

// The request's Idempotency-Key (none when absent), with its fingerprint; 400 when malformed.
Expected<std::optional<app::IdempotencyKey>> IdempotencyKeyOf(const Request& request);
// A write's outcome (or error) as the response, marked Idempotent-Replayed when it was.
Response OutcomeResponse(Expected<app::Outcome> outcome);
// Runs `work` as an idempotent, group-committed write and answers with its Outcome or error.
void Write(ApiContext& api, const Request& request, const Principal& who, app::WriteWork work, Respond respond);

// Serializes JSON for a body; invalid UTF-8 (which validation keeps out) would be replaced, never thrown.
std::string Dump(const nlohmann::json& value);
Response JsonResponse(int status, const nlohmann::json& value);
Expected<app::Outcome> Created(const nlohmann::json& value);
Expected<app::Outcome> Ok(const nlohmann::json& value);
// A 201 whose body is rendered from `value` after the commit (see app::Outcome::render).
template <typename T>
Expected<app::Outcome> CreatedLater(T value) {
    return app::Outcome{201, {}, false, [value = std::move(value)] { return Dump(ToJson(value)); }};
}

// Path ids: a positive integer, else not_found.
Expected<Id> PathId(const PathParams& params, std::string_view name = "id");

// Query parameters: only `allowed` names may appear, each once.
Expected<void> CheckQuery(const Request& request, std::initializer_list<std::string_view> allowed);
std::optional<std::string> QueryValue(const Request& request, std::string_view name);
Expected<int> PageLimit(const Request& request);               // ?limit=1..200, default 50
Expected<std::optional<Id>> PageCursor(const Request& request);  // ?cursor= from a previous page's next_cursor

// {"data": [...], "next_cursor": "..."|null}: a full page has a cursor for the next.
template <typename T>
nlohmann::json Page(const std::vector<T>& items, int limit) {
    nlohmann::json data = nlohmann::json::array();
    for (const auto& item : items) data.push_back(ToJson(item));
    nlohmann::json next = nullptr;
    if (static_cast<int>(items.size()) == limit && !items.empty()) next = std::to_string(items.back().id);
    return nlohmann::json{{"data", std::move(data)}, {"next_cursor", std::move(next)}};
}

// Whether a customer object must carry a name: always when it creates a customer (POST /api/v1/customers); only
// when none matches its external_ref or email when it is matched or created (a case's, a signal's or an incident's
// inline customer: app::MatchOrCreateCustomer then asks for the name).
enum class CustomerName { kRequired, kWhenCreated };

// Reads a new customer's fields (also used for a case's inline customer, with prefix "customer.").
Expected<Customer> DecodeNewCustomer(const nlohmann::json& object, const std::string& prefix,
                                     CustomerName name = CustomerName::kRequired);

// POST /api/v1/cases/{id}/messages after its body was read: an outbound message is coached in its case's context
// first (422 with the coach's report when the send policy refuses it), then written (201) and, when `send`, emailed.
// The console's reply form goes through here too.
void PostCaseMessage(ApiContext& api, const Request& req, const Principal& who, Id case_id, Message m,
                     std::vector<std::string> completes, bool send, Respond respond);

// Registers the routes of one resource family (each defined in its own file).
void RegisterCustomerRoutes(Router& router, ApiContext& api);
void RegisterCaseRoutes(Router& router, ApiContext& api);
void RegisterUserRoutes(Router& router, ApiContext& api);
void RegisterQueueRoutes(Router& router, ApiContext& api);
void RegisterCoachRoutes(Router& router, ApiContext& api);
void RegisterCasePageRoutes(Router& router, ApiContext& api);
void RegisterUnsubscribeRoutes(Router& router, ApiContext& api);
void RegisterStatusRoutes(Router& router, ApiContext& api);
void RegisterSignalRoutes(Router& router, ApiContext& api);
void RegisterWebhookRoutes(Router& router, ApiContext& api);
void RegisterMailRoutes(Router& router, ApiContext& api);
void RegisterRemedyRoutes(Router& router, ApiContext& api);
void RegisterDebriefRoutes(Router& router, ApiContext& api);
void RegisterReportRoutes(Router& router, ApiContext& api);

// The team report (app/reports.h) for the request's ?since= and ?until= (RFC 3339; until defaults to now, since to
// twelve weeks earlier), for the API and the console's reports page.
Expected<nlohmann::json> TeamReportFor(ApiContext& api, const Request& request);

}  // namespace amends::http
