// The console's debrief pages: the list with what is late and the form to start a debrief, and a debrief's page
// with its why-chain editor (five whys by default), its actions (add one, mark one done) and what stands before
// publishing. Every change is an app/debriefs.h call, as the API's are.

#include <charconv>

#include "app/debriefs.h"
#include "http/api_support.h"
#include "http/console.h"
#include "http/console_pages.h"

namespace amends::http::console {

namespace {

using nlohmann::json;

constexpr int kMinWhys = 5;
constexpr int kMaxWhys = 20;

const app::DebriefOptions& Options(const ApiContext& api) {
    return api.debriefs ? *api.debriefs : app::DefaultDebriefOptions();
}

std::optional<Id> IdOf(std::string_view text) {
    Id id = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc() || end != text.data() + text.size() || id < 1) return std::nullopt;
    return id;
}

std::string ActionRow(const json& a) {
    bool overdue = a.value("overdue", false);
    std::string status = a.value("status", "");
    return "<tr" + std::string(overdue ? " class=\"late\"" : "") + "><td>" + Esc(a.value("description", "")) +
           "</td><td>" + Esc(a.value("kind", "")) + "</td><td>" + std::to_string(a.value("why", 0) + 1) + "</td><td>" +
           Esc(a.value("owner", "")) + "</td><td>" + Esc(a.value("due", "").substr(0, 10)) + "</td><td>" + Esc(status) +
           (overdue ? " <strong class=\"badge late\">late</strong>" : std::string()) + "</td>";
}

std::string ListBody(ApiContext& api, const PageContext& ctx, const std::string& error_html) {
    std::vector<json> debriefs;
    app::ActionsDue due;
    const TimePoint now = api.clock.Now();
    api.store.Read([&](store::Tx& tx) {
        store::DebriefFilter f;
        f.limit = 200;
        for (const auto& r : tx.ListDebriefs(f))
            if (auto d = app::LoadDebrief(tx, r.id)) debriefs.push_back(app::DebriefJson(*d));
        due = app::ChaseActions(tx, now, Options(api));
    });
    std::string out = "<h1>Debriefs</h1>" + error_html;
    out += "<section aria-labelledby=\"late-h\"><h2 id=\"late-h\">Late actions</h2>";
    out += "<table class=\"list\" id=\"late-actions\"><caption>Outstanding actions past their due date, most overdue "
           "first</caption><thead><tr><th scope=\"col\">Action</th><th scope=\"col\">Kind</th><th scope=\"col\">Why"
           "</th><th scope=\"col\">Owner</th><th scope=\"col\">Due</th><th scope=\"col\">Status</th>"
           "<th scope=\"col\">Debrief</th></tr></thead><tbody>";
    for (const auto& a : due.overdue) {
        std::string debrief = std::to_string(a.value("debrief_id", Id{0}));
        out += ActionRow(a) + "<td><a href=\"/console/debriefs/" + debrief + "\">debrief " + debrief + "</a></td></tr>";
    }
    if (due.overdue.empty()) out += "<tr><td colspan=\"7\">Nothing is late.</td></tr>";
    out += "</tbody></table>";
    if (!due.workarounds.empty()) {
        out += "<h3>Workarounds standing too long</h3><ul>";
        for (const auto& w : due.workarounds)
            out += "<li>" + Esc(w["action"].value("description", "")) + " (" + std::to_string(w.value("age_days", 0)) +
                   " days)</li>";
        out += "</ul>";
    }
    out += "</section>";

    out += "<table class=\"list\" id=\"debriefs\"><caption>Debriefs, newest first</caption><thead><tr>"
           "<th scope=\"col\">Title</th><th scope=\"col\">About</th><th scope=\"col\">Whys answered</th>"
           "<th scope=\"col\">Actions</th><th scope=\"col\">Ready to publish</th></tr></thead><tbody>";
    for (const auto& d : debriefs) {
        int answered = 0;
        for (const auto& w : d["whys"])
            if (!w.value("answer", "").empty()) ++answered;
        std::string about = d["incident_id"].is_string()
                                ? "incident <a href=\"/console/incidents/" + Esc(d["incident_id"].get<std::string>()) +
                                      "\">" + Esc(d["incident_id"].get<std::string>()) + "</a>"
                                : std::to_string(d["case_ids"].size()) + " cases";
        out += "<tr><td><a href=\"/console/debriefs/" + std::to_string(d.value("id", Id{0})) + "\">" +
               Esc(d.value("title", "")) + "</a></td><td>" + about + "</td><td>" + std::to_string(answered) + " of " +
               std::to_string(d["whys"].size()) + "</td><td>" + std::to_string(d["actions"].size()) + "</td><td>" +
               (d["publish_gaps"].empty() ? "yes" : "no") + "</td></tr>";
    }
    if (debriefs.empty()) out += "<tr><td colspan=\"5\">No debriefs yet.</td></tr>";
    out += "</tbody></table>";

    out += "<section aria-labelledby=\"new-h\"><h2 id=\"new-h\">Start a debrief</h2>"
           "<form method=\"post\" action=\"/console/debriefs\" class=\"stack\">" + CsrfField(ctx) +
           "<label for=\"d-title\">Title</label><input id=\"d-title\" name=\"title\" required>"
           "<label for=\"d-incident\">Incident id (leave empty for a group of cases)</label>"
           "<input id=\"d-incident\" name=\"incident_id\">"
           "<label for=\"d-cases\">Case ids (comma separated)</label><input id=\"d-cases\" name=\"case_ids\" "
           "inputmode=\"numeric\">"
           "<label for=\"d-summary\">Summary</label><textarea id=\"d-summary\" name=\"summary\" rows=\"3\"></textarea>"
           "<button type=\"submit\">Start debrief</button></form></section>";
    return out;
}

std::string DetailBody(ApiContext& api, const PageContext& ctx, const json& d, const std::string& notice) {
    std::string id = std::to_string(d.value("id", Id{0}));
    std::vector<json> actions;
    const TimePoint now = api.clock.Now();
    api.store.Read([&](store::Tx& tx) {
        for (const auto& a : d["actions"])
            if (auto t = app::LoadAction(tx, a.value("id", Id{0}))) actions.push_back(app::ActionJson(*t, now, Options(api)));
    });
    bool published = d.contains("published_at") && !d["published_at"].is_null();
    std::string out = "<p><a href=\"/console/debriefs\">All debriefs</a></p><h1>" + Esc(d.value("title", "")) + "</h1>" +
                      notice;
    if (!d.value("summary", "").empty()) out += "<p>" + Esc(d.value("summary", "")) + "</p>";

    // The why-chain: every why so far, plus empty rows up to five (at most 20).
    const json& whys = d["whys"];
    int rows = std::clamp(static_cast<int>(whys.size()) + 1, kMinWhys, kMaxWhys);
    out += "<section aria-labelledby=\"whys-h\"><h2 id=\"whys-h\">Why-chain</h2>"
           "<form method=\"post\" action=\"/console/debriefs/" + id + "/whys\" id=\"whys-form\">" + CsrfField(ctx) +
           "<ol class=\"whys\">";
    for (int i = 0; i < rows; ++i) {
        std::string n = std::to_string(i + 1);
        std::string q = i < static_cast<int>(whys.size()) ? whys[i].value("question", "") : "";
        std::string a = i < static_cast<int>(whys.size()) ? whys[i].value("answer", "") : "";
        out += "<li><label for=\"why-q" + n + "\">Why " + n + ": question</label><input id=\"why-q" + n +
               "\" name=\"q" + n + "\" value=\"" + Esc(q) + "\"" + (published ? " disabled" : "") + ">" +
               "<label for=\"why-a" + n + "\">Why " + n + ": answer</label><textarea id=\"why-a" + n + "\" name=\"a" +
               n + "\" rows=\"2\"" + (published ? " disabled" : "") + ">" + Esc(a) + "</textarea></li>";
    }
    out += "</ol>";
    if (!published) out += "<button type=\"submit\">Save the why-chain</button>";
    out += "</form></section>";

    out += "<section aria-labelledby=\"actions-h\"><h2 id=\"actions-h\">Actions</h2>"
           "<table class=\"list\" id=\"actions\"><caption>Corrective actions</caption><thead><tr>"
           "<th scope=\"col\">Action</th><th scope=\"col\">Kind</th><th scope=\"col\">Why</th><th scope=\"col\">Owner"
           "</th><th scope=\"col\">Due</th><th scope=\"col\">Status</th><th scope=\"col\">Done?</th></tr></thead><tbody>";
    for (const auto& a : actions) {
        std::string aid = std::to_string(a.value("id", Id{0}));
        out += ActionRow(a) + "<td>";
        if (a.value("status", "") == "outstanding")
            out += "<form method=\"post\" action=\"/console/actions/" + aid + "/complete\">" + CsrfField(ctx) +
                   "<input type=\"hidden\" name=\"debrief_id\" value=\"" + id + "\"><button type=\"submit\" "
                   "aria-label=\"Mark action " + aid + " done\">Mark done</button></form>";
        out += "</td></tr>";
    }
    if (actions.empty()) out += "<tr><td colspan=\"7\">No actions yet.</td></tr>";
    out += "</tbody></table>";

    std::string why_options;
    for (std::size_t i = 0; i < whys.size(); ++i)
        if (!whys[i].value("answer", "").empty())
            why_options += "<option value=\"" + std::to_string(i) + "\">" + std::to_string(i + 1) + ": " +
                           Esc(whys[i].value("answer", "")) + "</option>";
    if (why_options.empty()) {
        out += "<p>Answer a why first: an action answers one.</p>";
    } else {
        out += "<form method=\"post\" action=\"/console/debriefs/" + id + "/actions\" class=\"stack\" id=\"action-form\">" +
               CsrfField(ctx) + "<h3>Add an action</h3>"
               "<label for=\"a-desc\">What will be done</label><input id=\"a-desc\" name=\"description\" required>"
               "<label for=\"a-kind\">Kind</label><select id=\"a-kind\" name=\"kind\">" +
               OptionsHtml({"permanent_fix", "workaround"}, "permanent_fix") + "</select>"
               "<label for=\"a-why\">The why it answers</label><select id=\"a-why\" name=\"why\">" + why_options +
               "</select><label for=\"a-owner\">Owner (a team's name, or user:ID)</label>"
               "<input id=\"a-owner\" name=\"owner\" required value=\"user:" + std::to_string(ctx.who.user_id) + "\">"
               "<label for=\"a-due\">Due</label><input id=\"a-due\" name=\"due\" type=\"date\" required>"
               "<button type=\"submit\">Add action</button></form>";
    }
    out += "</section>";

    if (!d["publish_gaps"].empty()) {
        out += "<section aria-labelledby=\"gaps-h\"><h2 id=\"gaps-h\">Before it can be published</h2><ul>";
        for (const auto& g : d["publish_gaps"])
            out += "<li><code>" + Esc(g.value("field", "")) + "</code>: " + Esc(g.value("message", "")) + "</li>";
        out += "</ul></section>";
    }
    return out;
}

json LoadDebriefJson(ApiContext& api, Id id) {
    json out;
    api.store.Read([&](store::Tx& tx) {
        if (auto d = app::LoadDebrief(tx, id)) out = app::DebriefJson(*d);
    });
    return out;
}

void NotFound(const PageContext& ctx, Respond& respond) {
    respond(PagesHtml(ctx, "No such debrief", "debriefs",
                     "<h1>No such debrief</h1><p><a href=\"/console/debriefs\">All debriefs</a></p>", 404));
}

// After a write on a debrief: back to its page, or its page again with the error.
std::function<void(Expected<std::string>)> BackTo(ApiContext& api, const PageContext& ctx, Id id, Respond respond) {
    return [&api, ctx, id, respond = std::move(respond)](Expected<std::string> done) {
        if (done) return respond(SeeOther("/console/debriefs/" + std::to_string(id)));
        json d = LoadDebriefJson(api, id);
        if (d.is_null()) return respond(SeeOther("/console/debriefs"));
        respond(PagesHtml(ctx, d.value("title", "Debrief"), "debriefs", DetailBody(api, ctx, d, ErrorHtml(done.error())),
                         done.error().code == ErrorCode::kConflict ? 409 : 422));
    };
}

}  // namespace

void RegisterDebriefPages(Router& router, ApiContext& api) {
    router.Add("GET", "/console/debriefs",
               Page(api, Role::kAgent, [&api](const Request&, const PathParams&, const PageContext& ctx, Respond respond) {
                   respond(PagesHtml(ctx, "Debriefs", "debriefs", ListBody(api, ctx, "")));
               }));

    router.Add("POST", "/console/debriefs",
               Page(api, Role::kAgent, [&api](const Request& req, const PathParams&, const PageContext& ctx, Respond respond) {
                   json body = {{"title", FormValue(req, "title").value_or("")},
                                {"summary", FormValue(req, "summary").value_or("")}};
                   std::string incident = FormValue(req, "incident_id").value_or("");
                   std::string cases = FormValue(req, "case_ids").value_or("");
                   std::optional<Error> bad;
                   if (!incident.empty()) {
                       body["subject"] = "incident";
                       body["incident_id"] = incident;
                       if (!api.status || !api.status->IncidentJson(incident))
                           bad = Error{ErrorCode::kUnprocessable, "no incident " + incident, "incident_id"};
                   } else {
                       body["subject"] = "cases";
                   }
                   json ids = json::array();
                   std::size_t start = 0;
                   while (start <= cases.size() && !bad) {
                       auto comma = cases.find(',', start);
                       std::string part = cases.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
                       while (!part.empty() && part.front() == ' ') part.erase(0, 1);
                       while (!part.empty() && part.back() == ' ') part.pop_back();
                       if (!part.empty()) {
                           if (auto id = IdOf(part)) ids.push_back(*id);
                           else bad = Error{ErrorCode::kInvalidArgument, "case ids must be numbers: " + part, "case_ids"};
                       }
                       if (comma == std::string::npos) break;
                       start = comma + 1;
                   }
                   if (!ids.empty()) body["case_ids"] = ids;
                   if (bad) return respond(PagesHtml(ctx, "Debriefs", "debriefs", ListBody(api, ctx, ErrorHtml(*bad)), 422));
                   RunUnit(api,
                           [&api, body, actor = ctx.who.Actor()](store::Tx& tx) -> Expected<std::string> {
                               auto d = app::CreateDebrief(tx, api.recovery, actor, body, api.clock.Now());
                               if (!d) return std::unexpected(d.error());
                               return std::to_string(d->debrief.id);
                           },
                           [&api, ctx, respond](Expected<std::string> done) {
                               if (done) return respond(SeeOther("/console/debriefs/" + *done));
                               respond(PagesHtml(ctx, "Debriefs", "debriefs", ListBody(api, ctx, ErrorHtml(done.error())),
                                                422));
                           });
               }));

    router.Add("GET", "/console/debriefs/{id}",
               Page(api, Role::kAgent, [&api](const Request&, const PathParams& params, const PageContext& ctx,
                                              Respond respond) {
                   auto id = IdOf(params.Get("id"));
                   json d = id ? LoadDebriefJson(api, *id) : json();
                   if (d.is_null()) return NotFound(ctx, respond);
                   respond(PagesHtml(ctx, d.value("title", "Debrief"), "debriefs", DetailBody(api, ctx, d, "")));
               }));

    // The why-chain editor: rows q1/a1 ... q20/a20; trailing empty rows are dropped.
    router.Add("POST", "/console/debriefs/{id}/whys",
               Page(api, Role::kAgent, [&api](const Request& req, const PathParams& params, const PageContext& ctx,
                                              Respond respond) {
                   auto id = IdOf(params.Get("id"));
                   if (!id) return NotFound(ctx, respond);
                   json whys = json::array();
                   for (int i = 1; i <= kMaxWhys; ++i) {
                       std::string n = std::to_string(i);
                       whys.push_back({{"question", FormValue(req, "q" + n).value_or("")},
                                       {"answer", FormValue(req, "a" + n).value_or("")}});
                   }
                   while (whys.size() > static_cast<std::size_t>(kMinWhys) && whys.back()["question"] == "" &&
                          whys.back()["answer"] == "")
                       whys.erase(whys.size() - 1);
                   RunUnit(api,
                           [&api, id = *id, whys, actor = ctx.who.Actor()](store::Tx& tx) -> Expected<std::string> {
                               auto d = app::UpdateDebrief(tx, api.recovery, actor, id, json{{"whys", whys}},
                                                           api.clock.Now());
                               if (!d) return std::unexpected(d.error());
                               return std::string();
                           },
                           BackTo(api, ctx, *id, respond));
               }));

    router.Add("POST", "/console/debriefs/{id}/actions",
               Page(api, Role::kAgent, [&api](const Request& req, const PathParams& params, const PageContext& ctx,
                                              Respond respond) {
                   auto id = IdOf(params.Get("id"));
                   if (!id) return NotFound(ctx, respond);
                   json body = {{"debrief_id", *id},
                                {"kind", FormValue(req, "kind").value_or("permanent_fix")},
                                {"description", FormValue(req, "description").value_or("")},
                                {"owner", FormValue(req, "owner").value_or("")}};
                   std::string why_text = FormValue(req, "why").value_or("");
                   int why = -1;
                   auto [end, ec] = std::from_chars(why_text.data(), why_text.data() + why_text.size(), why);
                   bool whole = ec == std::errc() && end == why_text.data() + why_text.size() && why >= 0;
                   body["why"] = whole ? json(why) : json(why_text);  // app::CreateAction names the field
                   // A date from the form is due at the end of that day (UTC).
                   std::string due = FormValue(req, "due").value_or("");
                   body["due"] = due.size() == 10 ? due + "T23:59:59Z" : due;
                   RunUnit(api,
                           [&api, body](store::Tx& tx) -> Expected<std::string> {
                               auto a = app::CreateAction(tx, body, api.clock.Now());
                               if (!a) return std::unexpected(a.error());
                               return std::string();
                           },
                           BackTo(api, ctx, *id, respond));
               }));

    router.Add("POST", "/console/actions/{id}/complete",
               Page(api, Role::kAgent, [&api](const Request& req, const PathParams& params, const PageContext& ctx,
                                              Respond respond) {
                   auto id = IdOf(params.Get("id"));
                   auto debrief = IdOf(FormValue(req, "debrief_id").value_or(""));
                   if (!id || !debrief) return NotFound(ctx, respond);
                   RunUnit(api,
                           [&api, id = *id](store::Tx& tx) -> Expected<std::string> {
                               auto a = app::UpdateAction(tx, id, json{{"status", "completed"}}, api.clock.Now());
                               if (!a) return std::unexpected(a.error());
                               return std::string();
                           },
                           BackTo(api, ctx, *debrief, respond));
               }));
}

}  // namespace amends::http::console
