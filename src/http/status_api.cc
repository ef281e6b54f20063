// The status page: incidents, maintenances and components under /api/v1 (staff), and the public documents at the
// origin's root (Statuspage v2 JSON, feeds, HTML), served from bytes rendered once per change.

#include "app/status_board.h"
#include "http/api_support.h"

namespace amends::http {

namespace {

using nlohmann::json;

constexpr std::size_t kMaxAffectedPerRequest = 10000;

// Which records a route's {id} may name: a maintenance's updates run the incidents' command, which takes both.
enum class Target { kAny, kMaintenance };

// Runs a board command from a JSON body and answers `status` with the record.
Handler Command(ApiContext& api, const char* op, int status, bool targeted, Target only = Target::kAny) {
    return Authed(api, Role::kAgent, [&api, op, status, targeted, only](const Request& req, const PathParams& params,
                                                                       const Principal& who, Respond respond) {
        auto body = ParseObject(req.body);
        if (!body) return respond(ErrorResponse(body.error()));
        std::optional<std::string> target;
        if (targeted) target = std::string(params.Get("id"));
        // A maintenance's route takes only maintenances (the incidents' route takes both, as Statuspage's, whose
        // scheduled maintenances are incidents).
        if (target && only == Target::kMaintenance) {
            if (api.status->KindOf(*target) != status::IncidentKind::kMaintenance)
                return respond(ErrorResponse(Error{ErrorCode::kNotFound, "no maintenance " + *target, ""}));
        }
        auto key = IdempotencyKeyOf(req);
        if (!key) return respond(ErrorResponse(key.error()));
        auto done = api.status->Apply(op, target, *body, {who.user_id, std::move(*key), status});
        if (done && !done->replayed && api.outbox_queued) api.outbox_queued();
        respond(OutcomeResponse(std::move(done)));
    });
}

Expected<std::vector<app::AffectedInput>> DecodeAffected(const json& body) {
    ObjectReader r(body);
    const json* list = r.Raw("customers");
    if (auto ok = r.Finish(); !ok) return std::unexpected(ok.error());
    if (!list || !list->is_array() || list->empty())
        return InvalidField("customers", "customers must be a non-empty array of {customer_id | customer, details}");
    if (list->size() > kMaxAffectedPerRequest)
        return InvalidField("customers", "at most " + std::to_string(kMaxAffectedPerRequest) +
                                             " customers a request; send the rest in further requests");
    std::vector<app::AffectedInput> out;
    out.reserve(list->size());
    for (std::size_t i = 0; i < list->size(); ++i) {
        std::string prefix = "customers[" + std::to_string(i) + "].";
        if (!(*list)[i].is_object()) return InvalidField(prefix.substr(0, prefix.size() - 1), "must be an object");
        ObjectReader item((*list)[i], prefix);
        app::AffectedInput in;
        in.customer_id = item.Integer("customer_id", 1, std::numeric_limits<std::int64_t>::max());
        if (const json* c = item.Nested("customer")) {
            auto customer = DecodeNewCustomer(*c, prefix + "customer.", CustomerName::kWhenCreated);
            if (!customer) return std::unexpected(customer.error());
            in.customer = std::move(*customer);
        }
        if (in.customer_id.has_value() == in.customer.has_value())
            item.Fail("customer_id", "give customer_id or a customer object (matched by external_ref, then email)");
        in.details_json = item.Object("details").value_or("{}");
        if (auto ok = item.Finish(); !ok) return std::unexpected(ok.error());
        out.push_back(std::move(in));
    }
    return out;
}

// A public document: the same bytes for everyone, readable from any origin.
void ServeDocument(ApiContext& api, const std::string& path, Respond respond) {
    auto docs = api.status->Current();
    auto it = docs->find(path);
    if (it == docs->end()) {
        Response r;
        r.status = 404;
        r.content_type = "text/plain; charset=utf-8";
        r.body = "Not found\n";
        r.headers.emplace_back("Access-Control-Allow-Origin", "*");
        return respond(std::move(r));
    }
    Response r;
    r.content_type = it->second.content_type;
    r.body = it->second.body;
    r.headers.emplace_back("Access-Control-Allow-Origin", "*");
    r.headers.emplace_back("Cache-Control", "public, max-age=10");
    respond(std::move(r));
}

// A CORS preflight for a public document (as Statuspage answers one): any origin may GET it, with any headers a
// client adds (a widget's Accept or Cache-Control), and may remember the answer for a day.
void Preflight(const Request& req, const PathParams&, Respond respond) {
    Response r;
    r.status = 204;
    r.content_type = "text/plain; charset=utf-8";
    r.headers.emplace_back("Allow", "GET, OPTIONS");
    r.headers.emplace_back("Access-Control-Allow-Origin", "*");
    r.headers.emplace_back("Access-Control-Allow-Methods", "GET, OPTIONS");
    auto asked = req.Header("access-control-request-headers");
    if (!asked.empty()) r.headers.emplace_back("Access-Control-Allow-Headers", std::string(asked));
    r.headers.emplace_back("Access-Control-Max-Age", "86400");
    respond(std::move(r));
}

}  // namespace

void RegisterStatusRoutes(Router& router, ApiContext& api) {
    if (!api.status) return;
    router.Add("POST", "/api/v1/components", Command(api, "component.add", 201, false));
    router.Add("PATCH", "/api/v1/components/{id}", Command(api, "component.set", 200, true));
    router.Add("GET", "/api/v1/components",
               Authed(api, Role::kAgent, [&api](const Request& req, const PathParams&, const Principal&, Respond respond) {
                   if (auto ok = CheckQuery(req, {}); !ok) return respond(ErrorResponse(ok.error()));
                   auto page = api.status->Snapshot();
                   auto doc = json::parse(status::ComponentsJson(page));
                   respond(JsonResponse(200, json{{"data", doc["components"]}}));
               }));
    router.Add("POST", "/api/v1/incidents", Command(api, "incident.create", 201, false));
    router.Add("POST", "/api/v1/incidents/{id}/updates", Command(api, "incident.update", 201, true));
    router.Add("POST", "/api/v1/maintenances", Command(api, "maintenance.schedule", 201, false));
    router.Add("POST", "/api/v1/maintenances/{id}/updates", Command(api, "incident.update", 201, true, Target::kMaintenance));
    router.Add("GET", "/api/v1/incidents",
               Authed(api, Role::kAgent, [&api](const Request& req, const PathParams&, const Principal&, Respond respond) {
                   if (auto ok = CheckQuery(req, {}); !ok) return respond(ErrorResponse(ok.error()));
                   auto page = api.status->Snapshot();
                   std::vector<const status::Incident*> all;
                   for (const auto& i : page.incidents) all.push_back(&i);
                   for (const auto& i : page.maintenances) all.push_back(&i);
                   std::sort(all.begin(), all.end(), [](auto* a, auto* b) { return a->created_at > b->created_at; });
                   json data = json::array();
                   for (auto* i : all)
                       if (auto j = api.status->IncidentJson(i->id)) data.push_back(std::move(*j));
                   respond(JsonResponse(200, json{{"data", std::move(data)}}));
               }));
    router.Add("GET", "/api/v1/incidents/{id}",
               Authed(api, Role::kAgent, [&api](const Request&, const PathParams& params, const Principal&, Respond respond) {
                   std::string id(params.Get("id"));
                   auto found = api.status->IncidentJson(id);
                   if (!found) return respond(ErrorResponse(Error{ErrorCode::kNotFound, "no incident " + id, ""}));
                   respond(JsonResponse(200, *found));
               }));
    router.Add("POST", "/api/v1/incidents/{id}/affected",
               Authed(api, Role::kAgent, [&api](const Request& req, const PathParams& params, const Principal& who, Respond respond) {
                   auto body = ParseObject(req.body);
                   if (!body) return respond(ErrorResponse(body.error()));
                   auto key = IdempotencyKeyOf(req);
                   if (!key) return respond(ErrorResponse(key.error()));
                   auto customers = DecodeAffected(*body);
                   if (!customers) return respond(ErrorResponse(customers.error()));
                   std::string id(params.Get("id"));
                   auto attached = api.status->Attach(id, *customers, {who.user_id, std::move(*key), 200});
                   if (attached && !attached->replayed && api.outbox_queued) api.outbox_queued();
                   respond(OutcomeResponse(std::move(attached)));
               }));

    // The root of the host is where the page's own links lead: Statuspage's page.url, the feeds' alternate link, and
    // the status widget's link when its src is the bare origin (as Atlassian documents it). The page is /status.
    router.Add("GET", "/", [](const Request&, const PathParams&, Respond respond) {
        Response r;
        r.status = 302;
        r.content_type = "text/plain; charset=utf-8";
        r.body = "The status page is at /status\n";
        r.headers.emplace_back("Location", "/status");
        r.headers.emplace_back("Access-Control-Allow-Origin", "*");
        respond(std::move(r));
    });
    for (const char* path : {"/status", "/history.atom", "/history.rss", "/api/v2/summary.json", "/api/v2/status.json",
                             "/api/v2/components.json", "/api/v2/incidents.json", "/api/v2/incidents/unresolved.json",
                             "/api/v2/scheduled-maintenances.json", "/api/v2/scheduled-maintenances/upcoming.json",
                             "/api/v2/scheduled-maintenances/active.json"})
    {
        router.Add("GET", path, [&api, p = std::string(path)](const Request&, const PathParams&, Respond respond) {
            ServeDocument(api, p, std::move(respond));
        });
        router.Add("OPTIONS", path, Preflight);
    }
    router.Add("GET", "/incidents/{id}", [&api](const Request&, const PathParams& params, Respond respond) {
        ServeDocument(api, "/incidents/" + std::string(params.Get("id")), std::move(respond));
    });
}

}  // namespace amends::http
