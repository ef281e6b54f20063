// /u/{token}: the one-click unsubscribe of incident notices (List-Unsubscribe, RFC 8058). GET shows a page with a
// button (mail scanners follow links, so a GET never changes anything); POST, the button's and the mail program's
// one-click request (body "List-Unsubscribe=One-Click"), sets the customer's `attributes.notices` to false, which the
// notice fan-out honours. A forged or altered token gets a 404 page and changes nothing. Case email is unaffected:
// a customer cannot unsubscribe from answers to their own complaint.

#include <nlohmann/json.hpp>

#include "app/writes.h"
#include "http/api_support.h"
#include "status/text.h"

namespace amends::http {

namespace {

Response Page(int status, const std::string& title, const std::string& body) {
    Response r;
    r.status = status;
    r.content_type = "text/html; charset=utf-8";
    r.headers.emplace_back("Cache-Control", "no-store");
    r.headers.emplace_back("Referrer-Policy", "no-referrer");
    r.headers.emplace_back("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'");
    r.body = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
             "content=\"width=device-width, initial-scale=1\"><title>" + status::Escape(title) +
             "</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}"
             "button{font:inherit;padding:.4rem 1rem}</style></head><body><main>" + body + "</main></body></html>";
    return r;
}

Response NotValid() {
    return Page(404, "Link not valid",
                "<h1>This link is not valid</h1><p>Please use the unsubscribe link in our latest notice to you.</p>");
}

}  // namespace

void RegisterUnsubscribeRoutes(Router& router, ApiContext& api) {
    router.Add("GET", "/u/{token}", [&api](const Request&, const PathParams& params, Respond respond) {
        std::string token(params.Get("token"));
        auto id = api.links.VerifyUnsubscribe(token);
        if (!id) return respond(NotValid());
        bool exists = false;
        api.store.Read([&](store::Tx& tx) { exists = tx.FindCustomer(*id).has_value(); });
        if (!exists) return respond(NotValid());
        respond(Page(200, "Stop incident notices",
                     "<h1>Stop incident notices?</h1><p>We email you when a problem of ours affects you. Press the "
                     "button and we will stop. Answers to your own questions and complaints still reach you.</p>"
                     "<form method=\"post\" action=\"/u/" + token +
                         "\"><input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\">"
                         "<button>Stop the notices</button></form>"));
    });

    router.Add("POST", "/u/{token}", [&api](const Request&, const PathParams& params, Respond respond) {
        auto id = api.links.VerifyUnsubscribe(params.Get("token"));
        if (!id) return respond(NotValid());
        Id customer_id = *id;
        app::SubmitWrite(
            api.store, Principal{0, "customer", Role::kAgent}, std::nullopt, api.clock.Now(),
            [&api, customer_id](store::Tx& tx) -> Expected<app::Outcome> {
                auto customer = tx.FindCustomer(customer_id);
                if (!customer) return Fail(ErrorCode::kNotFound, "no such customer");
                auto attributes = nlohmann::json::parse(customer->attributes_json, nullptr, false);
                if (!attributes.is_object()) attributes = nlohmann::json::object();
                if (attributes.contains("notices") && attributes["notices"] == false) return app::Outcome{200, "", false, {}};
                attributes["notices"] = false;
                customer->attributes_json = attributes.dump();
                customer->updated_at = api.clock.Now();
                if (auto ok = tx.UpdateCustomer(*customer); !ok) return std::unexpected(ok.error());
                return app::Outcome{200, "", false, {}};
            },
            [respond = std::move(respond)](Expected<app::Outcome> outcome) {
                if (!outcome) {
                    if (outcome.error().code == ErrorCode::kNotFound) return respond(NotValid());
                    return respond(Page(503, "Please try again", "<h1>We could not record that just now</h1>"
                                                                 "<p>Please try again in a minute.</p>"));
                }
                respond(Page(200, "Unsubscribed", "<h1>Done</h1><p>We will not email you incident notices any more.</p>"));
            });
    });
}

}  // namespace amends::http
