// POST /api/v1/signals: a fact about one customer from the business's own systems (app/signals.h).

#include "app/signals.h"
#include "http/api_support.h"

namespace amends::http {

namespace {

using nlohmann::json;

Expected<app::Signal> DecodeSignal(const json& body) {
    ObjectReader r(body);
    app::Signal s;
    s.type = r.String("type", /*required=*/true).value_or("");
    s.customer_id = r.Integer("customer_id", 1, std::numeric_limits<std::int64_t>::max());
    if (const json* c = r.Nested("customer")) {
        auto customer = DecodeNewCustomer(*c, "customer.", CustomerName::kWhenCreated);
        if (!customer) return std::unexpected(customer.error());
        s.customer = std::move(*customer);
    }
    if (s.customer_id && s.customer)
        r.Fail("customer", "cannot be given together with customer_id");
    else if (!s.customer_id && !s.customer)
        r.Fail("customer", "give customer_id or a customer object (matched by external_ref, then email)");
    s.ref = r.String("ref", /*required=*/true).value_or("");
    if (s.ref.empty() && r.Has("ref")) r.Fail("ref", "must not be empty");
    if (s.ref.size() > kMaxShortTextBytes) r.Fail("ref", "is longer than " + std::to_string(kMaxShortTextBytes) + " bytes");
    s.details_json = r.Object("details").value_or("{}");
    if (auto ok = r.Finish(); !ok) return std::unexpected(ok.error());
    return s;
}

}  // namespace

void RegisterSignalRoutes(Router& router, ApiContext& api) {
    router.Add("POST", "/api/v1/signals",
               Authed(api, Role::kAgent, [&api](const Request& req, const PathParams&, const Principal& who, Respond respond) {
                   auto body = ParseObject(req.body);
                   if (!body) return respond(ErrorResponse(body.error()));
                   auto signal = DecodeSignal(*body);
                   if (!signal) return respond(ErrorResponse(signal.error()));
                   static const std::vector<app::SignalRule> kDefaults = app::DefaultSignalRules();
                   const auto& rules = api.signal_rules ? *api.signal_rules : kDefaults;
                   Respond wake = [&api, respond = std::move(respond)](Response r) {
                       if (r.status < 300 && api.outbox_queued) api.outbox_queued();
                       respond(std::move(r));
                   };
                   Write(api, req, who,
                         [&api, &rules, s = std::move(*signal)](store::Tx& tx) -> Expected<app::Outcome> {
                             auto done = app::RecordSignal(tx, api.recovery, api.outbound, rules, s, api.clock.Now());
                             if (!done) return std::unexpected(done.error());
                             json out{{"case", ToJson(done->c)},
                                      {"case_opened", done->case_opened},
                                      {"notice", done->notice ? ToJson(*done->notice) : json(nullptr)}};
                             if (done->case_opened) return Created(out);
                             return Ok(out);
                         },
                         std::move(wake));
               }));
}

}  // namespace amends::http
