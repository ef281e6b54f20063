// /console/users: admins manage staff, their passwords and API tokens.

#include "http/console.h"

namespace amends::http::console {

void RegisterUsersPage(Router& router, ApiContext& api) {
    router.Add("GET", "/console/users",
               Page(api, Role::kAdmin, [](const Request&, const PathParams&, const PageContext& ctx, Respond respond) {
                   respond(HtmlPage(ctx, "Users", "users", "<h1>Users</h1>"));
               }));
}

}  // namespace amends::http::console
