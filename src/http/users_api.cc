// /api/v1/users (admins manage staff and their tokens) and /api/v1/me.

#include "http/api_support.h"
#include "http/json_codec.h"

namespace amends::http {

void RegisterUserRoutes(Router& router, ApiContext& api) {
    router.Add("GET", "/api/v1/me",
               Authed(api, Role::kAgent, [&api](const Request&, const PathParams&, const Principal& who, Respond respond) {
                   std::optional<User> user;
                   api.store.Read([&](store::Tx& tx) { user = tx.FindUser(who.user_id); });
                   if (!user) return respond(ErrorResponse(Error{ErrorCode::kNotFound, "no such user", ""}));
                   respond(JsonResponse(200, ToJson(*user)));
               }));

    router.Add("GET", "/api/v1/users",
               Authed(api, Role::kAdmin, [&api](const Request& req, const PathParams&, const Principal&, Respond respond) {
                   if (auto ok = CheckQuery(req, {}); !ok) return respond(ErrorResponse(ok.error()));
                   std::vector<User> users;
                   api.store.Read([&](store::Tx& tx) { users = tx.ListUsers(); });
                   nlohmann::json data = nlohmann::json::array();
                   for (const auto& u : users) data.push_back(ToJson(u));
                   respond(JsonResponse(200, nlohmann::json{{"data", data}, {"next_cursor", nullptr}}));
               }));

    router.Add("POST", "/api/v1/users",
               Authed(api, Role::kAdmin, [&api](const Request& req, const PathParams&, const Principal& who, Respond respond) {
                   auto body = ParseObject(req.body);
                   if (!body) return respond(ErrorResponse(body.error()));
                   ObjectReader r(*body);
                   auto name = r.String("name", /*required=*/true);
                   auto role = r.Enum<Role>("role", kRoleNames, /*required=*/true);
                   auto password = r.String("password");
                   if (auto ok = r.Finish(); !ok) return respond(ErrorResponse(ok.error()));
                   std::optional<std::string> hash;  // Argon2id is slow on purpose: hashed here, not in the unit
                   if (password) {
                       auto hashed = app::Auth::HashPassword(*password);
                       if (!hashed) return respond(ErrorResponse(hashed.error()));
                       hash = std::move(*hashed);
                   }
                   Write(api, req, who,
                         [&api, name = *name, role = *role, hash](store::Tx& tx) -> Expected<app::Outcome> {
                             auto added = api.auth.AddUser(tx, name, role, api.clock.Now());
                             if (!added) return std::unexpected(added.error());
                             if (hash) tx.PutPasswordHash(added->user.id, *hash, api.clock.Now());
                             auto out = ToJson(added->user);
                             out["token"] = added->token;
                             return Created(out);
                         },
                         std::move(respond));
               }));
}

}  // namespace amends::http
