// The customer's own case page, /c/{token}: what went wrong, what we are doing and by when, the offer to accept or
// decline, the messages so far, and the follow-up question. Plain HTML forms; works without JavaScript. Every
// customer- or agent-written string is escaped. A forged, altered or expired link gets a page that says so and no
// data.

#include <algorithm>

#include <nlohmann/json.hpp>

#include "app/case_links.h"
#include "app/writes.h"
#include "http/api_support.h"
#include "status/text.h"
#include "http/json_codec.h"
#include "playbook/progress.h"

namespace amends::http {

namespace {

std::string Day(TimePoint t) { return FormatRfc3339(t).substr(0, 10); }

Response HtmlPage(int status, const std::string& title, const std::string& body) {
    Response r;
    r.status = status;
    r.content_type = "text/html; charset=utf-8";
    r.headers.emplace_back("Cache-Control", "no-store");
    r.headers.emplace_back("Referrer-Policy", "no-referrer");  // the link is the key: never leak it onwards
    r.headers.emplace_back("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'");
    r.body = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
             "content=\"width=device-width, initial-scale=1\"><title>" +
             status::Escape(title) +
             "</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;"
             "color:#1a1a1a}h1{font-size:1.5rem}section{margin:1.5rem 0}.msg{border-left:3px solid #bbb;"
             "padding:.25rem .75rem;margin:.5rem 0}.us{border-color:#2a6}label{display:block;margin:.5rem 0}"
             "button{font:inherit;padding:.4rem 1rem;margin-right:.5rem}</style></head><body><main>" +
             body + "</main></body></html>";
    return r;
}

Response InvalidLink(const Error& e) {
    bool expired = e.code == ErrorCode::kPermissionDenied;
    return HtmlPage(expired ? 410 : 404, "Link not valid",
                std::string("<h1>") + (expired ? "This link has expired" : "This link is not valid") +
                    "</h1><p>Please use the link in our latest message to you, or reply to that message and we will "
                    "send a new one.</p>");
}

Response SeeOther(const std::string& location) {
    Response r;
    r.status = 303;
    r.content_type = "text/plain; charset=utf-8";
    r.headers.emplace_back("Location", location);
    return r;
}

std::string RenderCase(const Case& c, const playbook::Progress& p, const std::vector<Message>& messages,
                       const std::string& token) {
    std::string h = "<h1>" + status::Escape(c.subject) + "</h1>";
    if (c.reference) h += "<p>About: " + status::Escape(*c.reference) + "</p>";
    if (!c.description.empty()) h += "<section><h2>What went wrong</h2><p>" + status::Escape(c.description) + "</p></section>";
    h += "<section><h2>What we are doing</h2>";
    if (c.state == CaseState::kResolved || c.state == CaseState::kClosed)
        h += "<p>We have put this right.</p>";
    else if (p.promised_by)
        h += "<p>We will have this done by " + Day(*p.promised_by) + ".</p>";
    else
        h += "<p>We are on it, and we will keep you informed until it is fixed.</p>";
    h += "</section>";
    if (!p.offers.empty()) {
        h += "<section><h2>What we offer</h2>";
        for (const auto& o : p.offers) {
            h += "<div><p>" + status::Escape(o.summary) + " (by " + Day(o.due) + ")</p>";
            if (o.answer == playbook::OfferStatus::Answer::kPending) {
                h += "<form method=\"post\" action=\"/c/" + token + "/offers/" + status::Escape(o.offer_id) +
                     "\"><label>Anything you would like to tell us? <textarea name=\"comment\" rows=\"2\" "
                     "cols=\"40\"></textarea></label><button name=\"answer\" value=\"accept\">Accept</button>"
                     "<button name=\"answer\" value=\"decline\">Decline</button></form>";
            } else {
                h += std::string("<p>You ") +
                     (o.answer == playbook::OfferStatus::Answer::kAccepted ? "accepted" : "declined") + " this.</p>";
            }
            h += "</div>";
        }
        h += "</section>";
    }
    h += "<section><h2>Messages</h2>";
    for (const auto& m : messages)
        h += std::string("<div class=\"msg") + (m.direction == Direction::kOut ? " us" : "") + "\"><p><small>" +
             (m.direction == Direction::kOut ? "Us" : "You") + ", " + Day(m.created_at) + "</small></p><p>" +
             status::Escape(m.body) + "</p></div>";
    if (messages.empty()) h += "<p>No messages yet.</p>";
    h += "</section>";
    if ((c.state == CaseState::kResolved || c.state == CaseState::kClosed) && !p.follow_up_score) {
        h += "<section><h2>How did we do?</h2><form method=\"post\" action=\"/c/" + token +
             "/followup\"><fieldset><legend>From 1 (poor) to 5 (excellent)</legend>";
        for (int s = 1; s <= 5; ++s)
            h += "<label><input type=\"radio\" name=\"score\" value=\"" + std::to_string(s) + "\" required> " +
                 std::to_string(s) + "</label>";
        h += "</fieldset><label>Comment <textarea name=\"comment\" rows=\"3\" cols=\"40\"></textarea></label>"
             "<button>Send</button></form></section>";
    } else if (p.follow_up_score) {
        h += "<section><p>Thank you for your answer (" + std::to_string(*p.follow_up_score) + " of 5).</p></section>";
    }
    return h;
}

// Reads an application/x-www-form-urlencoded body.
std::vector<std::pair<std::string, std::string>> Form(const std::string& body) {
    std::string path;
    std::vector<std::pair<std::string, std::string>> fields;
    if (!ParseTarget("/?" + body, path, fields)) fields.clear();
    return fields;
}

std::string Field(const std::vector<std::pair<std::string, std::string>>& fields, std::string_view name) {
    for (const auto& [k, v] : fields)
        if (k == name) return v;
    return {};
}

// Records the customer's answer as playbook evidence, then sends them back to their page. An answer to an offer
// (data.offer_id) must answer one made on the case: else a 404 page, and nothing recorded.
void RecordFromCustomer(ApiContext& api, Id case_id, const std::string& token, std::string type, nlohmann::json data,
                        Respond respond) {
    app::SubmitWrite(api.store, Principal{0, "customer", Role::kAgent}, std::nullopt, api.clock.Now(),
                     [&api, case_id, type = std::move(type), data = std::move(data)](store::Tx& tx)
                         -> Expected<app::Outcome> {
                         if (auto offer = data.find("offer_id"); offer != data.end()) {
                             auto progress = api.recovery.ProgressOf(tx, case_id, api.clock.Now());
                             if (!progress) return std::unexpected(progress.error());
                             bool made = std::ranges::any_of(progress->offers, [&](const playbook::OfferStatus& o) {
                                 return o.offer_id == offer->get<std::string>();
                             });
                             if (!made) return Fail(ErrorCode::kNotFound, "This offer is not on your case.");
                         }
                         auto recorded = api.recovery.RecordEvidence(tx, "customer", case_id, type, data.dump(),
                                                                     api.clock.Now());
                         if (!recorded) return std::unexpected(recorded.error());
                         return app::Outcome{303, "", false, {}};
                     },
                     [token, respond = std::move(respond)](Expected<app::Outcome> outcome) {
                         if (!outcome)
                             return respond(HtmlPage(StatusOf(outcome.error().code), "Not recorded",
                                                 "<h1>We could not record that</h1><p>" + status::Escape(outcome.error().message) +
                                                     "</p><p><a href=\"/c/" + token + "\">Back to your case</a></p>"));
                         respond(SeeOther("/c/" + token));
                     });
}

}  // namespace

void RegisterCasePageRoutes(Router& router, ApiContext& api) {
    router.Add("GET", "/c/{token}", [&api](const Request&, const PathParams& params, Respond respond) {
        std::string token(params.Get("token"));
        auto id = api.links.Verify(token, api.clock.Now());
        if (!id) return respond(InvalidLink(id.error()));
        std::optional<Case> c;
        Expected<playbook::Progress> progress = Fail(ErrorCode::kInternal, "not read");
        std::vector<Message> messages;
        api.store.Read([&](store::Tx& tx) {
            c = tx.FindCase(*id);
            if (!c) return;
            progress = api.recovery.ProgressOf(tx, *id, api.clock.Now());
            messages = tx.ListMessages(*id, 0, 200);
        });
        if (!c || !progress) return respond(InvalidLink(Error{ErrorCode::kNotFound, "no case", ""}));
        respond(HtmlPage(200, c->subject, RenderCase(*c, *progress, messages, token)));
    });

    router.Add("POST", "/c/{token}/offers/{offer}", [&api](const Request& req, const PathParams& params, Respond respond) {
        std::string token(params.Get("token"));
        auto id = api.links.Verify(token, api.clock.Now());
        if (!id) return respond(InvalidLink(id.error()));
        auto form = Form(req.body);
        std::string answer = Field(form, "answer");
        if (answer != "accept" && answer != "decline")
            return respond(HtmlPage(400, "Choose an answer", "<h1>Please choose Accept or Decline</h1><p><a href=\"/c/" +
                                                           token + "\">Back to your case</a></p>"));
        nlohmann::json data{{"offer_id", std::string(params.Get("offer"))}};
        if (auto comment = Field(form, "comment"); !comment.empty()) data["comment"] = comment;
        RecordFromCustomer(api, *id, token, answer == "accept" ? "offer.accepted" : "offer.declined", std::move(data),
                           std::move(respond));
    });

    router.Add("POST", "/c/{token}/followup", [&api](const Request& req, const PathParams& params, Respond respond) {
        std::string token(params.Get("token"));
        auto id = api.links.Verify(token, api.clock.Now());
        if (!id) return respond(InvalidLink(id.error()));
        auto form = Form(req.body);
        std::string score = Field(form, "score");
        if (score.size() != 1 || score[0] < '1' || score[0] > '5')
            return respond(HtmlPage(400, "Choose a score", "<h1>Please choose a score from 1 to 5</h1><p><a href=\"/c/" +
                                                           token + "\">Back to your case</a></p>"));
        nlohmann::json data{{"score", score[0] - '0'}};
        if (auto comment = Field(form, "comment"); !comment.empty()) data["comment"] = comment;
        RecordFromCustomer(api, *id, token, "followup.answered", std::move(data), std::move(respond));
    });

    router.Add("GET", "/api/v1/cases/{id}/link",
               Authed(api, Role::kAgent, [&api](const Request&, const PathParams& params, const Principal&, Respond respond) {
                   auto id = PathId(params);
                   if (!id) return respond(ErrorResponse(id.error()));
                   bool exists = false;
                   api.store.Read([&](store::Tx& tx) { exists = tx.FindCase(*id).has_value(); });
                   if (!exists)
                       return respond(ErrorResponse(Error{ErrorCode::kNotFound, "no case " + std::to_string(*id), ""}));
                   TimePoint expires = api.clock.Now() + app::CaseLinks::kDefaultLifetime;
                   respond(JsonResponse(200, nlohmann::json{{"url", "/c/" + api.links.Sign(*id, expires)},
                                                            {"expires_at", FormatRfc3339(expires)}}));
               }));
}

}  // namespace amends::http
