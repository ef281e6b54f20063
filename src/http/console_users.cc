// /console/users: admins add staff with a role and a password, reset passwords, and issue and revoke API tokens.
// A new token is shown once, on the page that answers the form; only its hash is kept.

#include "http/api_support.h"
#include "http/console.h"

namespace amends::http::console {

namespace {

struct UserRow {
    User user;
    bool has_password = false;
    std::vector<store::ApiToken> tokens;
};

Response UsersPage(ApiContext& api, const PageContext& ctx, int status, std::string notice, std::string error,
                   std::string secret = "") {
    std::vector<UserRow> rows;
    api.store.Read([&](store::Tx& tx) {
        for (auto& u : tx.ListUsers()) {
            UserRow row{u, tx.FindPasswordHash(u.id).has_value(), tx.ListTokens(u.id)};
            rows.push_back(std::move(row));
        }
    });
    std::string h = "<h1>Users</h1>";
    if (!error.empty()) h += "<div class=\"error\" role=\"alert\">" + Esc(error) + "</div>";
    if (!notice.empty()) h += "<div class=\"notice\" role=\"status\">" + Esc(notice);
    if (!secret.empty())
        h += "<p>Copy this API token now; it is not shown again:</p><code class=\"secret\" id=\"new-token\">" +
             Esc(secret) + "</code>";
    if (!notice.empty()) h += "</div>";
    h += "<div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">User</th><th scope=\"col\">Role</th>"
         "<th scope=\"col\">Password</th><th scope=\"col\">API tokens</th></tr></thead><tbody>";
    for (const auto& r : rows) {
        std::string id = std::to_string(r.user.id);
        h += "<tr><td>" + Esc(r.user.name) + "</td><td>" + std::string(Name(r.user.role)) + "</td><td>";
        h += r.has_password ? "set" : "none";
        h += "<form method=\"post\" action=\"/console/users/" + id + "/password\">" + CsrfField(ctx) +
             "<label for=\"password-" + id + "\">New password for " + Esc(r.user.name) +
             "</label><input type=\"password\" id=\"password-" + id +
             "\" name=\"password\" autocomplete=\"new-password\" minlength=\"8\" required><button type=\"submit\" "
             "class=\"secondary\">Set password</button></form></td><td><ul>";
        for (const auto& t : r.tokens) {
            h += "<li>token " + std::to_string(t.id) + ", issued " + When(t.created_at);
            if (t.revoked_at) {
                h += ", revoked " + When(*t.revoked_at);
            } else {
                h += " <form class=\"inline\" method=\"post\" action=\"/console/tokens/" + std::to_string(t.id) +
                     "/revoke\">" + CsrfField(ctx) + "<button type=\"submit\" class=\"danger\" aria-label=\"Revoke token " +
                     std::to_string(t.id) + " of " + Esc(r.user.name) + "\">Revoke</button></form>";
            }
            h += "</li>";
        }
        h += "</ul><form method=\"post\" action=\"/console/users/" + id + "/tokens\">" + CsrfField(ctx) +
             "<button type=\"submit\" class=\"secondary\" aria-label=\"Issue an API token for " + Esc(r.user.name) +
             "\">Issue token</button></form></td></tr>";
    }
    h += "</tbody></table></div><h2>Add a user</h2><form method=\"post\" action=\"/console/users\">" + CsrfField(ctx) +
         "<label for=\"new-name\">User name</label><input id=\"new-name\" name=\"name\" required autocomplete=\"off\">"
         "<label for=\"new-role\">Role</label><select id=\"new-role\" name=\"role\"><option value=\"agent\">agent"
         "</option><option value=\"manager\">manager</option><option value=\"admin\">admin</option></select>"
         "<label for=\"new-password\">Password (for the console; leave empty for an API-only user)</label><input "
         "id=\"new-password\" name=\"password\" type=\"password\" autocomplete=\"new-password\" minlength=\"8\">"
         "<p><button type=\"submit\">Add user</button></p></form>";
    return HtmlPage(ctx, "Users", "users", std::move(h), status);
}

// Runs `work` as a write and answers with the users page: `notice` and the secret it returns, or the error.
void WriteAndShow(ApiContext& api, const Request& req, const PageContext& ctx, std::string notice,
                  std::function<Expected<std::string>(store::Tx&)> work, Respond respond) {
    auto secret = std::make_shared<std::string>();
    Write(api, req, ctx.who,
          [work = std::move(work), secret](store::Tx& tx) -> Expected<app::Outcome> {
              auto done = work(tx);
              if (!done) return std::unexpected(done.error());
              *secret = *done;
              return app::Outcome{200, "{}", false, {}};
          },
          [&api, ctx, notice = std::move(notice), secret, respond = std::move(respond)](Response r) {
              if (r.status == 200) return respond(UsersPage(api, ctx, 200, notice, "", *secret));
              auto body = nlohmann::json::parse(r.body, nullptr, false);
              std::string message = body.is_object() && body.contains("error") ? body["error"].value("message", "")
                                                                               : "the change failed";
              respond(UsersPage(api, ctx, r.status, "", message));
          });
}

}  // namespace

void RegisterUsersPage(Router& router, ApiContext& api) {
    router.Add("GET", "/console/users",
               Page(api, Role::kAdmin, [&api](const Request&, const PathParams&, const PageContext& ctx, Respond respond) {
                   respond(UsersPage(api, ctx, 200, "", ""));
               }));

    router.Add("POST", "/console/users",
               Page(api, Role::kAdmin, [&api](const Request& req, const PathParams&, const PageContext& ctx, Respond respond) {
                   std::string name = FormValue(req, "name").value_or("");
                   auto role = ParseIn<Role>(kRoleNames, FormValue(req, "role").value_or(""));
                   if (!role) return respond(UsersPage(api, ctx, 400, "", "Choose a role: agent, manager or admin."));
                   std::optional<std::string> hash;
                   if (auto password = FormValue(req, "password"); password && !password->empty()) {
                       auto hashed = app::Auth::HashPassword(*password);
                       if (!hashed) return respond(UsersPage(api, ctx, 400, "", hashed.error().message));
                       hash = std::move(*hashed);
                   }
                   WriteAndShow(api, req, ctx, "Added " + name + " (" + std::string(Name(*role)) + ").",
                                [&api, name, role = *role, hash](store::Tx& tx) -> Expected<std::string> {
                                    auto added = api.auth.AddUser(tx, name, role, api.clock.Now());
                                    if (!added) return std::unexpected(added.error());
                                    if (hash) tx.PutPasswordHash(added->user.id, *hash, api.clock.Now());
                                    return added->token;
                                },
                                std::move(respond));
               }));

    router.Add("POST", "/console/users/{id}/password",
               Page(api, Role::kAdmin, [&api](const Request& req, const PathParams& params, const PageContext& ctx,
                                              Respond respond) {
                   auto id = PathId(params);
                   if (!id) return respond(UsersPage(api, ctx, 404, "", "No such user."));
                   auto hashed = app::Auth::HashPassword(FormValue(req, "password").value_or(""));
                   if (!hashed) return respond(UsersPage(api, ctx, 400, "", hashed.error().message));
                   // Every session of the user ends: a reset is how an admin locks out a stolen password.
                   WriteAndShow(api, req, ctx, "Password set; the user's sessions were signed out.",
                                [&api, id = *id, hash = *hashed](store::Tx& tx) -> Expected<std::string> {
                                    if (!tx.FindUser(id)) return Fail(ErrorCode::kNotFound, "no such user");
                                    tx.PutPasswordHash(id, hash, api.clock.Now());
                                    tx.DeleteUserWebSessions(id);
                                    return std::string();
                                },
                                std::move(respond));
               }));

    router.Add("POST", "/console/users/{id}/tokens",
               Page(api, Role::kAdmin, [&api](const Request& req, const PathParams& params, const PageContext& ctx,
                                              Respond respond) {
                   auto id = PathId(params);
                   if (!id) return respond(UsersPage(api, ctx, 404, "", "No such user."));
                   WriteAndShow(api, req, ctx, "Token issued.",
                                [&api, id = *id](store::Tx& tx) { return api.auth.IssueToken(tx, id, api.clock.Now()); },
                                std::move(respond));
               }));

    router.Add("POST", "/console/tokens/{id}/revoke",
               Page(api, Role::kAdmin, [&api](const Request& req, const PathParams& params, const PageContext& ctx,
                                              Respond respond) {
                   auto id = PathId(params);
                   if (!id) return respond(UsersPage(api, ctx, 404, "", "No such token."));
                   WriteAndShow(api, req, ctx, "Token revoked (within 5 seconds everywhere).",
                                [&api, id = *id](store::Tx& tx) -> Expected<std::string> {
                                    if (!tx.RevokeToken(id, api.clock.Now()))
                                        return Fail(ErrorCode::kNotFound, "no such token, or already revoked");
                                    return std::string();
                                },
                                std::move(respond));
               }));
}

}  // namespace amends::http::console
