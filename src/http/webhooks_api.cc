// Signed-webhook subscriptions: /api/v1/webhooks (managers and admins). A subscription's secret is shown once, in the
// answer to its creation; deliveries are signed with it (notify/webhook.h).

#include <charconv>

#include "app/webhooks.h"
#include "http/api_support.h"

namespace amends::http {

namespace {

using nlohmann::json;

}  // namespace

void RegisterWebhookRoutes(Router& router, ApiContext& api) {
    router.Add("POST", "/api/v1/webhooks",
               Authed(api, Role::kManager, [&api](const Request& req, const PathParams&, const Principal& who, Respond respond) {
                   auto body = ParseObject(req.body);
                   if (!body) return respond(ErrorResponse(body.error()));
                   auto hook = app::ParseWebhook(*body, api.clock.Now());
                   if (!hook) return respond(ErrorResponse(hook.error()));
                   Write(api, req, who,
                         [h = std::move(*hook)](store::Tx& tx) mutable -> Expected<app::Outcome> {
                             if (h.customer_id && !tx.FindCustomer(*h.customer_id))
                                 return InvalidField("customer_id", "no customer " + std::to_string(*h.customer_id));
                             h.id = tx.InsertWebhook(h);
                             return Created(app::WebhookJson(h, /*with_secret=*/true));
                         },
                         std::move(respond));
               }));
    router.Add("GET", "/api/v1/webhooks",
               Authed(api, Role::kManager, [&api](const Request& req, const PathParams&, const Principal&, Respond respond) {
                   if (auto ok = CheckQuery(req, {"customer_id"}); !ok) return respond(ErrorResponse(ok.error()));
                   std::optional<Id> customer;
                   if (auto text = QueryValue(req, "customer_id")) {
                       Id id = 0;
                       auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), id);
                       if (ec != std::errc() || end != text->data() + text->size() || id <= 0)
                           return respond(ErrorResponse(
                               Error{ErrorCode::kInvalidArgument, "customer_id must be a positive integer", "customer_id"}));
                       customer = id;
                   }
                   json data = json::array();
                   api.store.Read([&](store::Tx& tx) {
                       for (const auto& w : tx.ListWebhooks(customer)) data.push_back(app::WebhookJson(w, false));
                   });
                   respond(JsonResponse(200, json{{"data", std::move(data)}}));
               }));
    router.Add("GET", "/api/v1/webhooks/{id}",
               Authed(api, Role::kManager, [&api](const Request&, const PathParams& params, const Principal&, Respond respond) {
                   auto id = PathId(params);
                   if (!id) return respond(ErrorResponse(id.error()));
                   std::optional<store::Webhook> w;
                   api.store.Read([&](store::Tx& tx) { w = tx.FindWebhook(*id); });
                   if (!w || w->deleted_at)
                       return respond(ErrorResponse(Error{ErrorCode::kNotFound, "no webhook " + std::to_string(*id)}));
                   respond(JsonResponse(200, app::WebhookJson(*w, false)));
               }));
    router.Add("DELETE", "/api/v1/webhooks/{id}",
               Authed(api, Role::kManager, [&api](const Request& req, const PathParams& params, const Principal& who, Respond respond) {
                   auto id = PathId(params);
                   if (!id) return respond(ErrorResponse(id.error()));
                   Write(api, req, who,
                         [&api, id = *id](store::Tx& tx) -> Expected<app::Outcome> {
                             if (!tx.DeleteWebhook(id, api.clock.Now()))
                                 return Fail(ErrorCode::kNotFound, "no webhook " + std::to_string(id));
                             return Ok(json{{"id", id}, {"deleted", true}});
                         },
                         std::move(respond));
               }));
}

}  // namespace amends::http
