// /api/v1/debriefs and /api/v1/actions: debriefs (five whys, cause, scope), their corrective actions, the report of
// actions to chase, recurrence, and publishing a debrief as its incident's postmortem.

#include "app/debriefs.h"
#include "http/api_support.h"
#include "rca/render.h"

namespace amends::http {

namespace {

using nlohmann::json;

const app::DebriefOptions& Options(const ApiContext& api) {
    return api.debriefs ? *api.debriefs : app::DefaultDebriefOptions();
}

// A debrief of an incident must name one on the status page.
Expected<void> CheckIncident(const ApiContext& api, const json& body) {
    auto it = body.find("incident_id");
    if (it == body.end() || !it->is_string()) return {};
    if (!api.status)
        return Fail(ErrorCode::kUnprocessable, "the status page is not served, so there are no incidents",
                    "incident_id");
    if (!api.status->IncidentJson(it->get<std::string>()))
        return Fail(ErrorCode::kUnprocessable, "no incident " + it->get<std::string>(), "incident_id");
    return {};
}

Expected<std::optional<Id>> IdQuery(const Request& req, std::string_view name) {
    auto value = QueryValue(req, name);
    if (!value) return std::optional<Id>();
    auto id = PathId(PathParams{{{"id", *value}}});
    if (!id) return InvalidField(std::string(name), std::string(name) + " must be an id");
    return std::optional<Id>(*id);
}

Expected<app::Outcome> DebriefOutcome(int status, Expected<app::StoredDebrief> d) {
    if (!d) return std::unexpected(d.error());
    return app::Outcome{status, Dump(app::DebriefJson(*d)), false, {}};
}

// A write of a debrief: parse the body, run `work` in the unit, answer the debrief.
template <typename F>
AuthedHandler DebriefWrite(ApiContext& api, int status, bool with_id, F work) {
    return [&api, status, with_id, work](const Request& req, const PathParams& params, const Principal& who,
                                         Respond respond) {
        Id id = 0;
        if (with_id) {
            auto parsed = PathId(params);
            if (!parsed) return respond(ErrorResponse(parsed.error()));
            id = *parsed;
        }
        auto body = ParseObject(req.body);
        if (!body) return respond(ErrorResponse(body.error()));
        if (auto ok = CheckIncident(api, *body); !ok) return respond(ErrorResponse(ok.error()));
        Write(api, req, who,
              [&api, status, work, id, actor = who.Actor(), body = std::move(*body)](store::Tx& tx) {
                  return DebriefOutcome(status, work(tx, actor, id, body, api.clock.Now()));
              },
              std::move(respond));
    };
}

Expected<app::Outcome> ActionOutcome(const ApiContext& api, int status, Expected<app::TrackedAction> a) {
    if (!a) return std::unexpected(a.error());
    return app::Outcome{status, Dump(app::ActionJson(*a, api.clock.Now(), Options(api))), false, {}};
}

}  // namespace

void RegisterDebriefRoutes(Router& router, ApiContext& api) {
    router.Add("POST", "/api/v1/debriefs",
               Authed(api, Role::kAgent,
                      DebriefWrite(api, 201, false,
                                   [&api](store::Tx& tx, const std::string& actor, Id, const json& body, TimePoint now) {
                                       return app::CreateDebrief(tx, api.recovery, actor, body, now);
                                   })));

    router.Add("GET", "/api/v1/debriefs",
               Authed(api, Role::kAgent, [&api](const Request& req, const PathParams&, const Principal&, Respond respond) {
                   if (auto ok = CheckQuery(req, {"incident", "case", "limit", "cursor"}); !ok)
                       return respond(ErrorResponse(ok.error()));
                   store::DebriefFilter f;
                   auto limit = PageLimit(req);
                   if (!limit) return respond(ErrorResponse(limit.error()));
                   f.limit = *limit;
                   auto cursor = PageCursor(req);
                   if (!cursor) return respond(ErrorResponse(cursor.error()));
                   f.before_id = *cursor;
                   auto case_id = IdQuery(req, "case");
                   if (!case_id) return respond(ErrorResponse(case_id.error()));
                   f.case_id = *case_id;
                   f.incident_id = QueryValue(req, "incident");
                   json data = json::array();
                   std::optional<Id> last;
                   api.store.Read([&](store::Tx& tx) {
                       for (const auto& r : tx.ListDebriefs(f)) {
                           if (auto d = app::LoadDebrief(tx, r.id)) data.push_back(app::DebriefJson(*d));
                           last = r.id;
                       }
                   });
                   json next = static_cast<int>(data.size()) == f.limit && last ? json(std::to_string(*last)) : json();
                   respond(JsonResponse(200, json{{"data", std::move(data)}, {"next_cursor", std::move(next)}}));
               }));

    // Before /api/v1/debriefs/{id}: the first route that matches answers.
    router.Add("GET", "/api/v1/debriefs/recurrence",
               Authed(api, Role::kAgent, [&api](const Request& req, const PathParams&, const Principal&, Respond respond) {
                   if (auto ok = CheckQuery(req, {}); !ok) return respond(ErrorResponse(ok.error()));
                   json report;
                   api.store.Read([&](store::Tx& tx) {
                       report = app::RecurrenceReportJson(tx, api.clock.Now(), Options(api));
                   });
                   respond(JsonResponse(200, report));
               }));

    router.Add("GET", "/api/v1/debriefs/{id}",
               Authed(api, Role::kAgent, [&api](const Request& req, const PathParams& params, const Principal&, Respond respond) {
                   auto id = PathId(params);
                   if (!id) return respond(ErrorResponse(id.error()));
                   if (auto ok = CheckQuery(req, {}); !ok) return respond(ErrorResponse(ok.error()));
                   Expected<app::StoredDebrief> d = Fail(ErrorCode::kInternal, "not read");
                   api.store.Read([&](store::Tx& tx) { d = app::LoadDebrief(tx, *id); });
                   if (!d) return respond(ErrorResponse(d.error()));
                   respond(JsonResponse(200, app::DebriefJson(*d)));
               }));

    router.Add("PATCH", "/api/v1/debriefs/{id}",
               Authed(api, Role::kAgent,
                      DebriefWrite(api, 200, true,
                                   [&api](store::Tx& tx, const std::string& actor, Id id, const json& body, TimePoint now) {
                                       return app::UpdateDebrief(tx, api.recovery, actor, id, body, now);
                                   })));

    router.Add("GET", "/api/v1/debriefs/{id}/markdown",
               Authed(api, Role::kAgent, [&api](const Request& req, const PathParams& params, const Principal&, Respond respond) {
                   auto id = PathId(params);
                   if (!id) return respond(ErrorResponse(id.error()));
                   if (auto ok = CheckQuery(req, {"public"}); !ok) return respond(ErrorResponse(ok.error()));
                   auto visibility = QueryValue(req, "public").value_or("false");
                   if (visibility != "true" && visibility != "false")
                       return respond(ErrorResponse(InvalidField("public", "public must be true or false").error()));
                   Expected<app::StoredDebrief> d = Fail(ErrorCode::kInternal, "not read");
                   api.store.Read([&](store::Tx& tx) { d = app::LoadDebrief(tx, *id); });
                   if (!d) return respond(ErrorResponse(d.error()));
                   Response r;
                   r.content_type = "text/markdown; charset=utf-8";
                   r.body = visibility == "true" ? rca::RenderMarkdown(rca::ToPublic(d->debrief))
                                                 : rca::RenderMarkdown(d->debrief);
                   respond(std::move(r));
               }));

    router.Add("POST", "/api/v1/debriefs/{id}/cases",
               Authed(api, Role::kAgent, [&api](const Request& req, const PathParams& params, const Principal& who, Respond respond) {
                   auto id = PathId(params);
                   if (!id) return respond(ErrorResponse(id.error()));
                   auto body = ParseObject(req.body);
                   if (!body) return respond(ErrorResponse(body.error()));
                   ObjectReader r(*body);
                   auto case_id = r.Integer("case_id", 1, std::numeric_limits<std::int64_t>::max(), true);
                   if (auto ok = r.Finish(); !ok) return respond(ErrorResponse(ok.error()));
                   Write(api, req, who,
                         [&api, id = *id, case_id = *case_id, actor = who.Actor()](store::Tx& tx) {
                             return DebriefOutcome(200, app::LinkCase(tx, api.recovery, actor, id, case_id,
                                                                      api.clock.Now()));
                         },
                         std::move(respond));
               }));

    router.Add("POST", "/api/v1/debriefs/{id}/publish",
               Authed(api, Role::kManager, [&api](const Request& req, const PathParams& params, const Principal& who, Respond respond) {
                   auto id = PathId(params);
                   if (!id) return respond(ErrorResponse(id.error()));
                   if (!req.body.empty()) {
                       auto body = ParseObject(req.body);
                       if (!body) return respond(ErrorResponse(body.error()));
                       if (!body->empty())
                           return respond(ErrorResponse(InvalidField(body->begin().key(),
                                                                     "publish takes no fields").error()));
                   }
                   if (!api.status)
                       return respond(ErrorResponse(Error{ErrorCode::kUnprocessable,
                                                          "the status page is not served here", ""}));
                   auto published = app::PublishDebrief(api.store, *api.status, *id, app::Caller{who.user_id},
                                                        api.clock.Now());
                   if (!published) return respond(ErrorResponse(published.error()));
                   respond(JsonResponse(200, app::DebriefJson(*published)));
               }));

    router.Add("POST", "/api/v1/actions",
               Authed(api, Role::kAgent, [&api](const Request& req, const PathParams&, const Principal& who, Respond respond) {
                   auto body = ParseObject(req.body);
                   if (!body) return respond(ErrorResponse(body.error()));
                   Write(api, req, who,
                         [&api, body = std::move(*body)](store::Tx& tx) {
                             return ActionOutcome(api, 201, app::CreateAction(tx, body, api.clock.Now()));
                         },
                         std::move(respond));
               }));

    router.Add("GET", "/api/v1/actions",
               Authed(api, Role::kAgent, [&api](const Request& req, const PathParams&, const Principal&, Respond respond) {
                   if (auto ok = CheckQuery(req, {"debrief", "status", "overdue", "limit", "cursor"}); !ok)
                       return respond(ErrorResponse(ok.error()));
                   store::ActionFilter f;
                   auto limit = PageLimit(req);
                   if (!limit) return respond(ErrorResponse(limit.error()));
                   f.limit = *limit;
                   auto cursor = PageCursor(req);
                   if (!cursor) return respond(ErrorResponse(cursor.error()));
                   f.before_id = *cursor;
                   auto debrief = IdQuery(req, "debrief");
                   if (!debrief) return respond(ErrorResponse(debrief.error()));
                   f.debrief_id = *debrief;
                   if (auto status = QueryValue(req, "status")) {
                       if (!ParseIn<rca::ActionStatus>(rca::kActionStatusNames, *status))
                           return respond(ErrorResponse(
                               InvalidField("status", "status must be outstanding, completed or not_doing").error()));
                       f.status = *status;
                   }
                   const TimePoint now = api.clock.Now();
                   if (auto overdue = QueryValue(req, "overdue")) {
                       if (*overdue != "true")
                           return respond(ErrorResponse(InvalidField("overdue", "overdue can only be true").error()));
                       f.status = "outstanding";
                       f.due_before = now;
                   }
                   json data = json::array();
                   std::optional<Id> last;
                   api.store.Read([&](store::Tx& tx) {
                       for (const auto& r : tx.ListActions(f)) {
                           if (auto a = app::LoadAction(tx, r.id)) data.push_back(app::ActionJson(*a, now, Options(api)));
                           last = r.id;
                       }
                   });
                   json next = static_cast<int>(data.size()) == f.limit && last ? json(std::to_string(*last)) : json();
                   respond(JsonResponse(200, json{{"data", std::move(data)}, {"next_cursor", std::move(next)}}));
               }));

    // Before /api/v1/actions/{id}.
    router.Add("GET", "/api/v1/actions/report",
               Authed(api, Role::kAgent, [&api](const Request& req, const PathParams&, const Principal&, Respond respond) {
                   if (auto ok = CheckQuery(req, {}); !ok) return respond(ErrorResponse(ok.error()));
                   app::ActionsDue due;
                   const TimePoint now = api.clock.Now();
                   api.store.Read([&](store::Tx& tx) { due = app::ChaseActions(tx, now, Options(api)); });
                   respond(JsonResponse(200, json{{"overdue", due.overdue},
                                                  {"stale_workarounds", due.workarounds},
                                                  {"workaround_max_age_days",
                                                   Options(api).workaround_max_age.count() / 86400000}}));
               }));

    router.Add("GET", "/api/v1/actions/{id}",
               Authed(api, Role::kAgent, [&api](const Request& req, const PathParams& params, const Principal&, Respond respond) {
                   auto id = PathId(params);
                   if (!id) return respond(ErrorResponse(id.error()));
                   if (auto ok = CheckQuery(req, {}); !ok) return respond(ErrorResponse(ok.error()));
                   Expected<app::TrackedAction> a = Fail(ErrorCode::kInternal, "not read");
                   api.store.Read([&](store::Tx& tx) { a = app::LoadAction(tx, *id); });
                   if (!a) return respond(ErrorResponse(a.error()));
                   respond(JsonResponse(200, app::ActionJson(*a, api.clock.Now(), Options(api))));
               }));

    router.Add("PATCH", "/api/v1/actions/{id}",
               Authed(api, Role::kAgent, [&api](const Request& req, const PathParams& params, const Principal& who, Respond respond) {
                   auto id = PathId(params);
                   if (!id) return respond(ErrorResponse(id.error()));
                   auto body = ParseObject(req.body);
                   if (!body) return respond(ErrorResponse(body.error()));
                   Write(api, req, who,
                         [&api, id = *id, body = std::move(*body)](store::Tx& tx) {
                             return ActionOutcome(api, 200, app::UpdateAction(tx, id, body, api.clock.Now()));
                         },
                         std::move(respond));
               }));
}

}  // namespace amends::http
