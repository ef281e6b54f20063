// /console/cases/{id}: one case for an agent.

#include "http/console.h"

namespace amends::http::console {

void RegisterCasePage(Router& router, ApiContext& api) {
    router.Add("GET", "/console/cases/{id}",
               Page(api, Role::kAgent, [](const Request&, const PathParams& params, const PageContext& ctx, Respond respond) {
                   respond(HtmlPage(ctx, "Case", "queue", "<h1>Case " + Esc(params.Get("id")) + "</h1>"));
               }));
}

}  // namespace amends::http::console
