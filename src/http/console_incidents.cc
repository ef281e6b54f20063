// The console's incident pages: the list with the declare form, and an incident's page (its updates, the form to
// post one with its next-update promise, affected customers from a CSV file, notice delivery, the status page's
// preview). Commands go through the status board (app/status_board.h) exactly as the API's do, so the reply coach
// reads a notice before it is saved and each update is emailed to the affected customers.

#include <algorithm>
#include <sstream>

#include "app/affected_csv.h"
#include "app/reports.h"
#include "app/status_board.h"
#include "http/api_support.h"
#include "http/console.h"
#include "http/console_pages.h"

namespace amends::http::console {

namespace {

using nlohmann::json;

constexpr std::size_t kMaxCsvRows = 10000;  // a request's rows; the page sends a big file in chunks

const std::vector<std::string_view> kIncidentStatuses = {"investigating", "identified", "monitoring",
                                                                       "resolved"};
const std::vector<std::string_view> kImpacts = {"none", "minor", "major", "critical"};
const std::vector<std::string_view> kNextUpdate = {"15m", "30m", "1h", "2h", "4h", "8h", "24h"};

// The form's fields as the board's JSON command: name/body/status/impact/next_update_in/notice.
json CommandOf(const Request& req, bool create) {
    json body = json::object();
    auto put = [&](const char* field, const char* key) {
        if (auto v = FormValue(req, field); v && !v->empty()) body[key] = *v;
    };
    if (create) put("name", "name");
    put("status", "status");
    put("impact", "impact");
    put("body", "body");
    put("next_update_in", "next_update_in");
    if (create) {
        auto subject = FormValue(req, "notice_subject");
        auto text = FormValue(req, "notice_body");
        if ((subject && !subject->empty()) || (text && !text->empty())) {
            body["notice"] = json::object();
            if (subject && !subject->empty()) body["notice"]["subject"] = *subject;
            if (text && !text->empty()) body["notice"]["body"] = *text;
        }
    }
    if (FormValue(req, "quiet").value_or("") == "on") body["deliver_notifications"] = false;
    return body;
}

std::string Value(const Request& req, const char* name) { return Esc(FormValue(req, name).value_or("")); }

std::string DeclareForm(const PageContext& ctx, const Request* filled) {
    auto v = [&](const char* name) { return filled ? Value(*filled, name) : std::string(); };
    auto sel = [&](const char* name, std::string_view fallback) {
        auto got = filled ? FormValue(*filled, name) : std::nullopt;
        return got ? *got : std::string(fallback);
    };
    std::string out;
    out += "<section aria-labelledby=\"declare-h\"><h2 id=\"declare-h\">Declare an incident</h2>";
    out += "<form method=\"post\" action=\"/console/incidents\" class=\"stack\">" + CsrfField(ctx);
    out += "<label for=\"i-name\">Name (shown on the status page)</label>"
           "<input id=\"i-name\" name=\"name\" required maxlength=\"255\" value=\"" + v("name") + "\">";
    out += "<label for=\"i-status\">Status</label><select id=\"i-status\" name=\"status\">" +
           OptionsHtml(kIncidentStatuses, sel("status", "investigating")) + "</select>";
    out += "<label for=\"i-impact\">Impact</label><select id=\"i-impact\" name=\"impact\">" +
           OptionsHtml(kImpacts, sel("impact", "minor")) + "</select>";
    out += "<label for=\"i-body\">First update (public)</label>"
           "<textarea id=\"i-body\" name=\"body\" required rows=\"4\">" + v("body") + "</textarea>";
    out += "<label for=\"i-next\">Next update promised in</label><select id=\"i-next\" name=\"next_update_in\">" +
           OptionsHtml(kNextUpdate, sel("next_update_in", "30m")) + "</select>";
    out += "<label for=\"i-nsubject\">Notice subject (email to affected customers; optional)</label>"
           "<input id=\"i-nsubject\" name=\"notice_subject\" value=\"" + v("notice_subject") + "\">";
    out += "<label for=\"i-nbody\">Notice body (optional; the reply coach checks it: it must apologize and own "
           "the problem)</label><textarea id=\"i-nbody\" name=\"notice_body\" rows=\"5\">" + v("notice_body") +
           "</textarea>";
    out += "<button type=\"submit\">Declare</button></form></section>";
    return out;
}

std::string ListBody(ApiContext& api, const PageContext& ctx, const std::string& error_html, const Request* filled) {
    auto page = api.status->Snapshot();
    std::vector<const status::Incident*> all;
    for (const auto& i : page.incidents) all.push_back(&i);
    std::sort(all.begin(), all.end(), [](auto* a, auto* b) { return a->created_at > b->created_at; });
    std::string out = "<h1>Incidents</h1>" + error_html;
    out += "<p><a href=\"/status\">The public status page</a></p>";
    out += "<table class=\"list\" id=\"incidents\"><caption>Incidents, newest first</caption><thead><tr>"
           "<th scope=\"col\">Name</th><th scope=\"col\">Status</th><th scope=\"col\">Impact</th>"
           "<th scope=\"col\">Declared</th><th scope=\"col\">Affected customers</th>"
           "<th scope=\"col\">Next update due</th></tr></thead><tbody>";
    for (auto* i : all) {
        out += "<tr><td><a href=\"/console/incidents/" + Esc(i->id) + "\">" + Esc(i->name) + "</a></td><td>" +
               Esc(status::Name(i->status)) + "</td><td>" + Esc(status::Name(i->impact)) + "</td><td>" +
               TimeHtml(i->created_at) + "</td><td>" + std::to_string(api.status->AffectedCount(i->id)) +
               "</td><td>" + (i->next_update_due ? TimeHtml(*i->next_update_due) : std::string("—")) + "</td></tr>";
    }
    if (all.empty()) out += "<tr><td colspan=\"6\">No incidents yet.</td></tr>";
    out += "</tbody></table>";
    out += DeclareForm(ctx, filled);
    return out;
}

std::string DetailBody(ApiContext& api, const PageContext& ctx, const status::Incident& i, const std::string& notice,
                       const Request* filled) {
    json notices;
    api.store.Read([&](store::Tx& tx) { notices = app::IncidentNoticesJson(tx, i.id); });
    std::int64_t affected = api.status->AffectedCount(i.id);
    std::string id = Esc(i.id);
    std::string out = "<p><a href=\"/console/incidents\">All incidents</a></p>";
    out += "<h1>" + Esc(i.name) + "</h1>" + notice;
    out += "<dl class=\"facts\"><dt>Status</dt><dd id=\"incident-status\">" + Esc(status::Name(i.status)) +
           "</dd><dt>Impact</dt><dd>" + Esc(status::Name(i.impact)) + "</dd><dt>Declared</dt><dd>" +
           TimeHtml(i.created_at) + "</dd><dt>Next update due</dt><dd>" +
           (i.next_update_due ? TimeHtml(*i.next_update_due) : std::string("— (none promised)")) + "</dd></dl>";

    out += "<section aria-labelledby=\"updates-h\"><h2 id=\"updates-h\">Updates</h2><ol class=\"timeline\">";
    for (const auto& u : i.updates)
        out += "<li><strong>" + Esc(status::Name(u.status)) + "</strong> " + TimeHtml(u.display_at) + "<p>" +
               Esc(u.body) + "</p>" +
               (u.next_update_due ? "<p class=\"muted\">Promised the next update by " + TimeHtml(*u.next_update_due) +
                                        "</p>"
                                  : std::string()) +
               "</li>";
    out += "</ol>";
    auto sel = [&](const char* name, std::string_view fallback) {
        auto got = filled ? FormValue(*filled, name) : std::nullopt;
        return got ? *got : std::string(fallback);
    };
    out += "<form method=\"post\" action=\"/console/incidents/" + id + "/updates\" class=\"stack\">" + CsrfField(ctx);
    out += "<h3>Post an update</h3>";
    out += "<label for=\"u-status\">Status</label><select id=\"u-status\" name=\"status\">" +
           OptionsHtml(kIncidentStatuses, sel("status", status::Name(i.status))) + "</select>";
    out += "<label for=\"u-body\">Message (public, emailed to affected customers)</label>"
           "<textarea id=\"u-body\" name=\"body\" required rows=\"4\">" +
           (filled ? Value(*filled, "body") : std::string()) + "</textarea>";
    out += "<label for=\"u-next\">Next update promised in</label><select id=\"u-next\" name=\"next_update_in\">"
           "<option value=\"\">no promise (resolved)</option>" +
           OptionsHtml(kNextUpdate, sel("next_update_in", "30m")) + "</select>";
    out += "<button type=\"submit\">Post update</button></form></section>";

    out += "<section aria-labelledby=\"affected-h\"><h2 id=\"affected-h\">Affected customers</h2>";
    out += "<p><span id=\"affected-count\">" + std::to_string(affected) + "</span> customers attached.</p>";
    out += "<form id=\"attach-form\" class=\"stack\" data-incident=\"" + id + "\" data-csrf=\"" + Esc(ctx.csrf) +
           "\" data-action=\"/console/incidents/" + id + "/affected\">";
    out += "<label for=\"csv-file\">CSV file (header row; columns customer_id, or external_ref and/or email, and "
           "name; every other column is a detail for the notice)</label>"
           "<input type=\"file\" id=\"csv-file\" name=\"csv\" accept=\".csv,text/csv\" required>";
    out += "<button type=\"submit\">Attach customers</button>";
    out += "<label for=\"attach-progress\">Upload progress</label>"
           "<progress id=\"attach-progress\" max=\"1\" value=\"0\"></progress>";
    out += "<output id=\"attach-result\" role=\"status\" aria-live=\"polite\"></output></form></section>";

    out += "<section aria-labelledby=\"notices-h\"><h2 id=\"notices-h\">Notice delivery</h2>"
           "<table class=\"counts\" id=\"notices\" data-source=\"/console/incidents/" + id + "/notices.json\">"
           "<caption>Emails to affected customers, all updates</caption><thead><tr><th scope=\"col\">Queued</th>"
           "<th scope=\"col\">Sent</th><th scope=\"col\">Failed</th></tr></thead><tbody><tr>"
           "<td id=\"notices-queued\">" + std::to_string(notices["queued"].get<std::int64_t>()) + "</td>"
           "<td id=\"notices-sent\">" + std::to_string(notices["sent"].get<std::int64_t>()) + "</td>"
           "<td id=\"notices-failed\">" + std::to_string(notices["failed"].get<std::int64_t>()) +
           "</td></tr></tbody></table></section>";

    out += "<section aria-labelledby=\"preview-h\"><h2 id=\"preview-h\">Status page preview</h2>"
           "<p><a href=\"/incidents/" + id + "\">Open this incident on the status page</a> · "
           "<a href=\"/status\">the whole status page</a></p>"
           "<iframe class=\"preview\" src=\"/incidents/" + id + "\" title=\"Status page preview of this incident\" "
           "loading=\"lazy\" sandbox></iframe></section>";
    out += "<script src=\"/assets/incidents.js\" defer></script>";
    return out;
}

// The page for a board command's failure: the error named, the form kept as typed.
int StatusOf(const Error& e) { return e.code == ErrorCode::kNotFound ? 404 : e.code == ErrorCode::kConflict ? 409 : 422; }

}  // namespace

void RegisterIncidentPages(Router& router, ApiContext& api) {
    if (!api.status) return;

    router.Add("GET", "/console/incidents",
               Page(api, Role::kAgent, [&api](const Request&, const PathParams&, const PageContext& ctx, Respond respond) {
                   respond(PagesHtml(ctx, "Incidents", "incidents", ListBody(api, ctx, "", nullptr)));
               }));

    router.Add("POST", "/console/incidents",
               Page(api, Role::kAgent, [&api](const Request& req, const PathParams&, const PageContext& ctx, Respond respond) {
                   auto done = api.status->Apply("incident.create", std::nullopt, CommandOf(req, true),
                                                 app::Caller{ctx.who.user_id, std::nullopt, 201});
                   if (!done)
                       return respond(PagesHtml(ctx, "Incidents", "incidents",
                                               ListBody(api, ctx, ErrorHtml(done.error()), &req),
                                               StatusOf(done.error())));
                   if (api.outbox_queued) api.outbox_queued();
                   auto created = json::parse(done->body, nullptr, false);
                   respond(SeeOther("/console/incidents/" + created.value("id", std::string())));
               }));

    router.Add("GET", "/console/incidents/{id}",
               Page(api, Role::kAgent, [&api](const Request&, const PathParams& params, const PageContext& ctx,
                                              Respond respond) {
                   auto page = api.status->Snapshot();
                   const status::Incident* i = page.FindIncident(params.Get("id"));
                   if (!i || i->IsMaintenance())
                       return respond(PagesHtml(ctx, "No such incident", "incidents",
                                               "<h1>No such incident</h1><p><a href=\"/console/incidents\">All "
                                               "incidents</a></p>",
                                               404));
                   respond(PagesHtml(ctx, i->name, "incidents", DetailBody(api, ctx, *i, "", nullptr)));
               }));

    router.Add("POST", "/console/incidents/{id}/updates",
               Page(api, Role::kAgent, [&api](const Request& req, const PathParams& params, const PageContext& ctx,
                                              Respond respond) {
                   std::string id(params.Get("id"));
                   auto done = api.status->Apply("incident.update", id, CommandOf(req, false),
                                                 app::Caller{ctx.who.user_id, std::nullopt, 201});
                   if (done) {
                       if (api.outbox_queued) api.outbox_queued();
                       return respond(SeeOther("/console/incidents/" + id));
                   }
                   auto page = api.status->Snapshot();
                   const status::Incident* i = page.FindIncident(id);
                   if (!i) return respond(SeeOther("/console/incidents"));
                   respond(PagesHtml(ctx, i->name, "incidents", DetailBody(api, ctx, *i, ErrorHtml(done.error()), &req),
                                    StatusOf(done.error())));
               }));

    // A CSV chunk (text/csv body, header row first): attaches its customers, answers JSON with the counts.
    router.Add("POST", "/console/incidents/{id}/affected",
               Page(api, Role::kAgent, [&api](const Request& req, const PathParams& params, const PageContext& ctx,
                                              Respond respond) {
                   std::string id(params.Get("id"));
                   if (!api.status->IncidentJson(id))
                       return respond(ErrorResponse(Error{ErrorCode::kNotFound, "no incident " + id, ""}));
                   std::istringstream in(req.body);
                   app::AffectedCsv csv(in);
                   if (auto ok = csv.ReadHeader(); !ok) return respond(ErrorResponse(ok.error()));
                   std::vector<app::AffectedInput> rows;
                   std::vector<long> lines;  // each row's line in the chunk, to name a row the board refuses
                   for (;;) {
                       auto row = csv.Next();
                       if (!row) return respond(ErrorResponse(row.error()));
                       if (!*row) break;
                       lines.push_back(csv.line());
                       if (rows.size() == kMaxCsvRows)
                           return respond(ErrorResponse(
                               Error{ErrorCode::kInvalidArgument,
                                     "at most " + std::to_string(kMaxCsvRows) + " rows a request; send the rest after",
                                     "csv"}));
                       rows.push_back(std::move(**row));
                   }
                   if (rows.empty())
                       return respond(ErrorResponse(Error{ErrorCode::kInvalidArgument, "no customers in the CSV", "csv"}));
                   auto done = api.status->Attach(id, rows, app::Caller{ctx.who.user_id, std::nullopt, 200});
                   if (!done) return respond(ErrorResponse(app::AtCsvLine(done.error(), lines)));
                   if (api.outbox_queued) api.outbox_queued();
                   auto counts = json::parse(done->body, nullptr, false);
                   counts["rows"] = rows.size();
                   respond(JsonResponse(200, counts));
               }));

    router.Add("GET", "/console/incidents/{id}/notices.json",
               Page(api, Role::kAgent, [&api](const Request&, const PathParams& params, const PageContext&,
                                              Respond respond) {
                   std::string id(params.Get("id"));
                   if (!api.status->IncidentJson(id))
                       return respond(ErrorResponse(Error{ErrorCode::kNotFound, "no incident " + id, ""}));
                   json out;
                   api.store.Read([&](store::Tx& tx) { out = app::IncidentNoticesJson(tx, id); });
                   out["affected_customers"] = api.status->AffectedCount(id);
                   respond(JsonResponse(200, out));
               }));
}

}  // namespace amends::http::console
