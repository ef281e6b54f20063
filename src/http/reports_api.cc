// Reports for team leads: the team report behind the console's charts (time to acknowledge, clock breaches,
// follow-up scores, remedies against customers kept, contacts per incident, recurring problems), and an incident's
// notice delivery. Handlers parse, call app/reports.h, and serialize.

#include "app/reports.h"
#include "http/api_support.h"

namespace amends::http {

namespace {

using nlohmann::json;

constexpr auto kDefaultWeeks = std::chrono::days(7 * 12);
constexpr auto kMaxSpan = std::chrono::days(7 * 106);  // two years of weeks

Expected<std::optional<TimePoint>> QueryTime(const Request& req, const char* name) {
    auto text = QueryValue(req, name);
    if (!text) return std::optional<TimePoint>();
    auto t = ParseRfc3339(*text);
    if (!t) return InvalidField(name, std::string(name) + " must be an RFC 3339 time like 2026-11-01T00:00:00Z");
    return std::optional<TimePoint>(*t);
}

}  // namespace

// The team report over [since, until): until defaults to now, since to twelve weeks before until.
Expected<json> TeamReportFor(ApiContext& api, const Request& req) {
    if (auto ok = CheckQuery(req, {"since", "until"}); !ok) return std::unexpected(ok.error());
    auto since = QueryTime(req, "since");
    if (!since) return std::unexpected(since.error());
    auto until = QueryTime(req, "until");
    if (!until) return std::unexpected(until.error());
    TimePoint to = until->value_or(api.clock.Now());
    TimePoint from = since->value_or(to - std::chrono::duration_cast<Millis>(kDefaultWeeks));
    if (from >= to) return InvalidField("since", "since must be before until");
    if (to - from > std::chrono::duration_cast<Millis>(kMaxSpan))
        return InvalidField("since", "a report spans at most 106 weeks");
    std::vector<status::Incident> incidents;
    if (api.status) incidents = api.status->Snapshot().incidents;
    const auto& options = api.debriefs ? *api.debriefs : app::DefaultDebriefOptions();
    json out;
    api.store.Read([&](store::Tx& tx) {
        out = app::TeamReportJson(app::BuildTeamReport(tx, api.recovery, incidents, from, to, options));
    });
    return out;
}

void RegisterReportRoutes(Router& router, ApiContext& api) {
    router.Add("GET", "/api/v1/reports/team",
               Authed(api, Role::kManager, [&api](const Request& req, const PathParams&, const Principal&,
                                                  Respond respond) {
                   auto report = TeamReportFor(api, req);
                   if (!report) return respond(ErrorResponse(report.error()));
                   respond(JsonResponse(200, *report));
               }));

    // How an incident's notices are getting out: emails queued (not yet sent), sent, failed.
    router.Add("GET", "/api/v1/incidents/{id}/notices",
               Authed(api, Role::kAgent, [&api](const Request& req, const PathParams& params, const Principal&,
                                                Respond respond) {
                   if (auto ok = CheckQuery(req, {}); !ok) return respond(ErrorResponse(ok.error()));
                   std::string id(params.Get("id"));
                   if (!api.status || !api.status->Snapshot().FindIncident(id))
                       return respond(ErrorResponse(Error{ErrorCode::kNotFound, "no incident " + id, ""}));
                   json out;
                   api.store.Read([&](store::Tx& tx) {
                       out = app::IncidentNoticesJson(tx, id);
                       out["affected_customers"] = tx.CountAffected(id);
                   });
                   out["incident_id"] = id;
                   respond(JsonResponse(200, out));
               }));
}

}  // namespace amends::http
