// POST /api/v1/mail: one raw RFC 5322 message, as a mail server hands it over (`amends mail-in` posts it here).
// Answers {action, case_id, message_id, why}: 201 when it opened a case or added a reply, 200 otherwise (a
// duplicate, automatic mail, a bounce, our own mail). A message that is not one is 400; too large, 413.

#include "app/inbound_mail.h"
#include "http/api_support.h"
#include "mailin/parse.h"

namespace amends::http {

void RegisterMailRoutes(Router& router, ApiContext& api) {
    router.Add("POST", "/api/v1/mail",
               Authed(api, Role::kAgent, [&api](const Request& req, const PathParams&, const Principal& who, Respond respond) {
                   auto mail = mailin::Parse(req.body);
                   if (!mail) return respond(ErrorResponse(mail.error()));
                   Respond wake = [&api, respond = std::move(respond)](Response r) {
                       if (r.status < 300 && api.outbox_queued) api.outbox_queued();
                       respond(std::move(r));
                   };
                   Write(api, req, who,
                         [&api, m = std::move(*mail), raw = req.body](store::Tx& tx) -> Expected<app::Outcome> {
                             auto filed = app::FileMail(tx, api.recovery, api.status, m, raw, api.clock.Now());
                             if (!filed) return std::unexpected(filed.error());
                             nlohmann::json out{{"action", filed->action},
                                                {"case_id", filed->case_id ? nlohmann::json(*filed->case_id) : nlohmann::json()},
                                                {"message_id",
                                                 filed->message_id ? nlohmann::json(*filed->message_id) : nlohmann::json()},
                                                {"why", filed->why}};
                             if (filed->action == "case_opened" || filed->action == "reply") return Created(out);
                             return Ok(out);
                         },
                         std::move(wake));
               }));
}

}  // namespace amends::http
