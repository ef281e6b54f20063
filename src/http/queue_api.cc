// /api/v1/queue: the agents' work, ordered by when each case's next recovery step is due.

#include <charconv>

#include "http/api_support.h"
#include "http/json_codec.h"

namespace amends::http {

namespace {

nlohmann::json Opt(const std::optional<TimePoint>& t) { return t ? nlohmann::json(FormatRfc3339(*t)) : nlohmann::json(); }

nlohmann::json QueueJson(const store::QueueRow& row, TimePoint now) {
    const auto& k = row.clock;
    std::int64_t late_ms = k.next_due_at && *k.next_due_at < now ? (now - *k.next_due_at).count() : 0;
    return nlohmann::json{{"case", ToJson(row.c)},
                          {"next_step", k.next_step ? nlohmann::json(*k.next_step) : nlohmann::json()},
                          {"due_at", Opt(k.next_due_at)},
                          {"overdue", late_ms > 0},
                          {"late_by_seconds", late_ms / 1000},
                          {"why", k.why},
                          {"escalated", k.breached_at.has_value()},
                          {"breached_at", Opt(k.breached_at)},
                          {"policy", k.policy}};
}

}  // namespace

void RegisterQueueRoutes(Router& router, ApiContext& api) {
    router.Add("GET", "/api/v1/queue",
               Authed(api, Role::kAgent, [&api](const Request& req, const PathParams&, const Principal& who, Respond respond) {
                   if (auto ok = CheckQuery(req, {"assignee", "escalated", "limit", "cursor"}); !ok)
                       return respond(ErrorResponse(ok.error()));
                   store::QueueFilter f;
                   auto limit = PageLimit(req);
                   if (!limit) return respond(ErrorResponse(limit.error()));
                   f.limit = *limit;
                   if (auto cursor = QueryValue(req, "cursor")) {
                       auto [end, ec] = std::from_chars(cursor->data(), cursor->data() + cursor->size(), f.offset);
                       if (ec != std::errc() || end != cursor->data() + cursor->size() || f.offset < 0)
                           return respond(ErrorResponse(Error{ErrorCode::kInvalidArgument,
                               "cursor must be a next_cursor value from a previous page", "cursor"}));
                   }
                   if (auto assignee = QueryValue(req, "assignee")) {
                       if (*assignee == "me") {
                           f.assignee_id = who.user_id;
                       } else if (*assignee == "none") {
                           f.unassigned = true;
                       } else {
                           auto id = PathId(PathParams{{{"id", *assignee}}});
                           if (!id)
                               return respond(ErrorResponse(Error{ErrorCode::kInvalidArgument,
                                   "assignee must be me, none or a user id", "assignee"}));
                           f.assignee_id = *id;
                       }
                   }
                   if (auto escalated = QueryValue(req, "escalated")) {
                       if (*escalated != "true" && *escalated != "false")
                           return respond(ErrorResponse(Error{ErrorCode::kInvalidArgument,
                               "escalated must be true or false", "escalated"}));
                       f.breached_only = *escalated == "true";
                   }
                   std::vector<store::QueueRow> rows;
                   nlohmann::json actions;  // the managers' queue also holds corrective actions to chase
                   api.store.Read([&](store::Tx& tx) {
                       rows = tx.Queue(f);
                       if (f.breached_only && f.offset == 0)
                           actions = app::ManagerItems(tx, api.clock.Now(),
                                                       api.debriefs ? *api.debriefs : app::DefaultDebriefOptions());
                   });
                   TimePoint now = api.clock.Now();
                   nlohmann::json data = nlohmann::json::array();
                   for (const auto& row : rows) data.push_back(QueueJson(row, now));
                   nlohmann::json next = nullptr;
                   if (static_cast<int>(rows.size()) == f.limit) next = std::to_string(f.offset + f.limit);
                   nlohmann::json out{{"data", data}, {"next_cursor", next}};
                   if (!actions.is_null()) out["actions"] = std::move(actions);
                   respond(JsonResponse(200, out));
               }));
}

}  // namespace amends::http
