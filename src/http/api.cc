#include "http/api.h"

#include "common/embedded.h"
#include "http/api_support.h"
#include "http/console_pages.h"
#include "http/console.h"

namespace amends::http {

std::span<const EmbeddedFile> ApiDocuments();  // generated from src/http/openapi.json

std::string_view OpenApiDocument() {
    for (const auto& f : ApiDocuments())
        if (f.name == "openapi.json") return f.content;
    return "{}";
}

void RegisterApi(Router& router, ApiContext& api) {
    router.Add("GET", "/healthz", [](const Request&, const PathParams&, Respond respond) {
        respond(JsonResponse(200, nlohmann::json{{"status", "ok"}}));
    });
    router.Add("GET", "/api/openapi.json", [](const Request&, const PathParams&, Respond respond) {
        Response r;
        r.body = std::string(OpenApiDocument());
        respond(std::move(r));
    });
    RegisterUserRoutes(router, api);
    RegisterCustomerRoutes(router, api);
    RegisterCaseRoutes(router, api);
    RegisterQueueRoutes(router, api);
    RegisterCoachRoutes(router, api);
    RegisterCasePageRoutes(router, api);
    RegisterUnsubscribeRoutes(router, api);
    RegisterStatusRoutes(router, api);
    RegisterSignalRoutes(router, api);
    RegisterWebhookRoutes(router, api);
    RegisterMailRoutes(router, api);
    RegisterRemedyRoutes(router, api);
    RegisterDebriefRoutes(router, api);
    RegisterReportRoutes(router, api);
    console::RegisterConsoleRoutes(router, api);
    console::RegisterIncidentPages(router, api);
    console::RegisterDebriefPages(router, api);
    console::RegisterReportPages(router, api);
}

}  // namespace amends::http
