// /api/v1/customers: create, read, update, list (filters: email, external_ref).

#include "app/cases.h"
#include "http/api_support.h"
#include "http/json_codec.h"

namespace amends::http {

Expected<Customer> DecodeNewCustomer(const nlohmann::json& object, const std::string& prefix, CustomerName name) {
    ObjectReader r(object, prefix);
    Customer c;
    c.name = r.String("name", /*required=*/name == CustomerName::kRequired).value_or("");
    c.external_ref = r.String("external_ref");
    c.email = r.String("email");
    c.phone = r.String("phone");
    c.attributes_json = r.Object("attributes").value_or("{}");
    c.value_minor = r.Amount("value").value_or(0);
    if (auto ok = r.Finish(); !ok) return std::unexpected(ok.error());
    return c;
}

namespace {

Expected<app::CustomerPatch> DecodeCustomerPatch(const nlohmann::json& object) {
    ObjectReader r(object);
    app::CustomerPatch p;
    p.name = r.String("name");
    p.external_ref = r.NullableString("external_ref");
    p.email = r.NullableString("email");
    p.phone = r.NullableString("phone");
    p.attributes_json = r.Object("attributes");
    p.value_minor = r.Amount("value");
    if (auto ok = r.Finish(); !ok) return std::unexpected(ok.error());
    return p;
}

}  // namespace

void RegisterCustomerRoutes(Router& router, ApiContext& api) {
    router.Add("POST", "/api/v1/customers",
               Authed(api, Role::kAgent, [&api](const Request& req, const PathParams&, const Principal& who, Respond respond) {
                   auto body = ParseObject(req.body);
                   if (!body) return respond(ErrorResponse(body.error()));
                   auto draft = DecodeNewCustomer(*body, "");
                   if (!draft) return respond(ErrorResponse(draft.error()));
                   Write(api, req, who,
                         [&api, draft = std::move(*draft)](store::Tx& tx) -> Expected<app::Outcome> {
                             auto created = app::CreateCustomer(tx, draft, api.clock.Now());
                             if (!created) return std::unexpected(created.error());
                             return CreatedLater(std::move(*created));
                         },
                         std::move(respond));
               }));

    router.Add("GET", "/api/v1/customers",
               Authed(api, Role::kAgent, [&api](const Request& req, const PathParams&, const Principal&, Respond respond) {
                   if (auto ok = CheckQuery(req, {"limit", "cursor", "email", "external_ref"}); !ok)
                       return respond(ErrorResponse(ok.error()));
                   auto limit = PageLimit(req);
                   if (!limit) return respond(ErrorResponse(limit.error()));
                   auto cursor = PageCursor(req);
                   if (!cursor) return respond(ErrorResponse(cursor.error()));
                   store::CustomerFilter f{QueryValue(req, "email"), QueryValue(req, "external_ref"), *cursor, *limit};
                   std::vector<Customer> rows;
                   api.store.Read([&](store::Tx& tx) { rows = tx.ListCustomers(f); });
                   respond(JsonResponse(200, Page(rows, *limit)));
               }));

    router.Add("GET", "/api/v1/customers/{id}",
               Authed(api, Role::kAgent, [&api](const Request&, const PathParams& params, const Principal&, Respond respond) {
                   auto id = PathId(params);
                   if (!id) return respond(ErrorResponse(id.error()));
                   std::optional<Customer> found;
                   api.store.Read([&](store::Tx& tx) { found = tx.FindCustomer(*id); });
                   if (!found) return respond(ErrorResponse(Error{ErrorCode::kNotFound, "no customer " + std::to_string(*id), ""}));
                   respond(JsonResponse(200, ToJson(*found)));
               }));

    router.Add("PATCH", "/api/v1/customers/{id}",
               Authed(api, Role::kAgent, [&api](const Request& req, const PathParams& params, const Principal& who, Respond respond) {
                   auto id = PathId(params);
                   if (!id) return respond(ErrorResponse(id.error()));
                   auto body = ParseObject(req.body);
                   if (!body) return respond(ErrorResponse(body.error()));
                   auto patch = DecodeCustomerPatch(*body);
                   if (!patch) return respond(ErrorResponse(patch.error()));
                   Write(api, req, who,
                         [&api, id = *id, patch = std::move(*patch)](store::Tx& tx) -> Expected<app::Outcome> {
                             auto updated = app::UpdateCustomer(tx, id, patch, api.clock.Now());
                             if (!updated) return std::unexpected(updated.error());
                             return Ok(ToJson(*updated));
                         },
                         std::move(respond));
               }));
}

}  // namespace amends::http
