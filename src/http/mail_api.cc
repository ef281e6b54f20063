// POST /api/v1/mail: one raw RFC 5322 message, as a mail server hands it over (`amends mail-in` posts it here).
// Answers {action, case_id, message_id, why}: 201 when it opened a case or added a reply, 200 otherwise (a
// duplicate, automatic mail, a bounce, our own mail). A message that is not one is 400; too large, 413.

#include "app/inbound_mail.h"

#include <cctype>

#include "http/api_support.h"
#include "mailin/parse.h"

namespace amends::http {

namespace {

nlohmann::json AttachmentJson(const store::MailAttachment& a) {
    return nlohmann::json{{"id", a.id},
                           {"case_id", a.case_id},
                           {"message_id", a.message_id ? nlohmann::json(*a.message_id) : nlohmann::json()},
                           {"filename", a.filename},
                           {"content_type", a.content_type},
                           {"size", a.size},
                           {"created_at", FormatRfc3339(a.created_at)},
                           {"url", "/api/v1/attachments/" + std::to_string(a.id)}};
}

// A type a browser may show inline without running anything; every other is served as bytes to save.
bool ShownInline(const std::string& type) {
    for (const char* safe : {"image/png", "image/jpeg", "image/gif", "application/pdf", "text/plain"})
        if (type == safe) return true;
    return false;
}

std::string PercentEncode(const std::string& s) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '.' || c == '-' || c == '_') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

}  // namespace

void RegisterMailRoutes(Router& router, ApiContext& api) {
    router.Add("GET", "/api/v1/cases/{id}/attachments",
               Authed(api, Role::kAgent, [&api](const Request& req, const PathParams& params, const Principal&, Respond respond) {
                   if (auto ok = CheckQuery(req, {}); !ok) return respond(ErrorResponse(ok.error()));
                   auto id = PathId(params);
                   if (!id) return respond(ErrorResponse(id.error()));
                   bool exists = false;
                   std::vector<store::MailAttachment> rows;
                   api.store.Read([&](store::Tx& tx) {
                       exists = tx.FindCase(*id).has_value();
                       if (exists) rows = tx.ListMailAttachments(*id);
                   });
                   if (!exists)
                       return respond(ErrorResponse(Error{ErrorCode::kNotFound, "no case " + std::to_string(*id), ""}));
                   nlohmann::json data = nlohmann::json::array();
                   for (const auto& a : rows) data.push_back(AttachmentJson(a));
                   respond(JsonResponse(200, nlohmann::json{{"data", std::move(data)}}));
               }));

    router.Add("GET", "/api/v1/attachments/{id}",
               Authed(api, Role::kAgent, [&api](const Request&, const PathParams& params, const Principal&, Respond respond) {
                   auto id = PathId(params);
                   if (!id) return respond(ErrorResponse(id.error()));
                   std::optional<store::MailAttachment> a;
                   api.store.Read([&](store::Tx& tx) { a = tx.FindMailAttachment(*id); });
                   if (!a)
                       return respond(
                           ErrorResponse(Error{ErrorCode::kNotFound, "no attachment " + std::to_string(*id), ""}));
                   Response r;
                   bool inline_ok = ShownInline(a->content_type);
                   r.content_type = inline_ok ? a->content_type : "application/octet-stream";
                   r.headers.emplace_back("Content-Disposition", std::string(inline_ok ? "inline" : "attachment") +
                                                                     "; filename*=UTF-8''" + PercentEncode(a->filename));
                   r.headers.emplace_back("X-Content-Type-Options", "nosniff");
                   r.headers.emplace_back("Content-Security-Policy", "default-src 'none'; sandbox");
                   r.headers.emplace_back("Cache-Control", "private, no-store");
                   r.body = std::move(a->content);
                   respond(std::move(r));
               }));


    router.Add("POST", "/api/v1/mail",
               Authed(api, Role::kAgent, [&api](const Request& req, const PathParams&, const Principal& who, Respond respond) {
                   if (auto ok = CheckQuery(req, {"recipient"}); !ok) return respond(ErrorResponse(ok.error()));
                   std::vector<std::string> recipients;
                   if (auto r = QueryValue(req, "recipient")) {
                       // Comma-separated envelope recipients, as `amends mail-in --recipient` passes them.
                       std::string all = *r;
                       for (std::size_t at = 0; at <= all.size();) {
                           auto comma = all.find(',', at);
                           std::string one = all.substr(at, comma == std::string::npos ? std::string::npos : comma - at);
                           // A '+' sent unencoded arrives as a space; no address holds one, so it was a '+'.
                           for (auto& c : one) c = c == ' ' ? '+' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                           if (one.find('@') == std::string::npos || one.size() > 320)
                               return respond(ErrorResponse(
                                   Error{ErrorCode::kInvalidArgument, "recipient must be email addresses", "recipient"}));
                           recipients.push_back(std::move(one));
                           if (comma == std::string::npos) break;
                           at = comma + 1;
                       }
                   }
                   auto mail = mailin::Parse(req.body, api.mail_limits ? *api.mail_limits : mailin::Limits{});
                   if (!mail) return respond(ErrorResponse(mail.error()));
                   Respond wake = [&api, respond = std::move(respond)](Response r) {
                       if (r.status < 300 && api.outbox_queued) api.outbox_queued();
                       respond(std::move(r));
                   };
                   Write(api, req, who,
                         [&api, m = std::move(*mail), raw = req.body,
                          recipients = std::move(recipients)](store::Tx& tx) -> Expected<app::Outcome> {
                             app::MailContext context{api.recovery, api.status, &api.links, recipients};
                             auto filed = app::FileMail(tx, context, m, raw, api.clock.Now());
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
