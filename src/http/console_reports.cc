// The console's reports page (the team report drawn by Chart.js from web/assets/reports.js, with a table of the
// same numbers beside each chart), and the helpers the incident and debrief pages share.

#include <cstdio>
#include <memory>

#include "app/reports.h"
#include "http/api_support.h"
#include "http/console.h"
#include "http/console_pages.h"

namespace amends::http::console {

using nlohmann::json;

Response PagesHtml(const PageContext& ctx, std::string_view title, std::string_view active, std::string body,
                   int status) {
    return HtmlPage(ctx, title, active, "<link rel=\"stylesheet\" href=\"/assets/pages.css\">" + body, status);
}

std::string TimeHtml(TimePoint t) {
    std::string iso = FormatRfc3339(t);
    return "<time datetime=\"" + iso + "\">" + iso.substr(0, 10) + " " + iso.substr(11, 5) + " UTC</time>";
}

std::string ErrorHtml(const Error& error) {
    std::string out = "<div class=\"error\" role=\"alert\"><p>" + Esc(error.message);
    if (!error.field.empty()) out += " <span class=\"field\">(field: <code>" + Esc(error.field) + "</code>)</span>";
    return out + "</p></div>";
}

std::string OptionsHtml(const std::vector<std::string_view>& values, std::string_view selected) {
    std::string out;
    for (auto v : values) {
        std::string label(v);
        for (auto& c : label) c = c == '_' ? ' ' : c;
        out += "<option value=\"" + Esc(v) + "\"" + (v == selected ? " selected" : "") + ">" + Esc(label) + "</option>";
    }
    return out;
}

void RunUnit(ApiContext& api, std::function<Expected<std::string>(store::Tx&)> work,
             std::function<void(Expected<std::string>)> then) {
    auto result = std::make_shared<Expected<std::string>>(std::unexpected(Error{ErrorCode::kInternal, "not run", ""}));
    api.store.Submit(
        [result, work = std::move(work)](store::Tx& tx) {
            *result = work(tx);
            return result->has_value();
        },
        [result, then = std::move(then)](std::optional<Error> error) {
            if (error && *result) *result = std::unexpected(*error);  // the commit failed
            then(std::move(*result));
        });
}

namespace {

std::string Cell(const json& v) {
    if (v.is_null()) return "—";
    if (v.is_number_float()) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.1f", v.get<double>());
        return buf;
    }
    if (v.is_string()) return Esc(v.get<std::string>());
    return Esc(v.dump());
}

// One chart: a heading, the canvas (labelled, with a one-line summary read by screen readers) and the table.
std::string Figure(const std::string& id, const std::string& title, const std::string& summary,
                   const std::vector<std::string>& columns, const std::vector<std::vector<std::string>>& rows) {
    std::string out = "<section class=\"chart\" aria-labelledby=\"" + id + "-h\"><h2 id=\"" + id + "-h\">" +
                      Esc(title) + "</h2><p class=\"summary\" id=\"" + id + "-summary\">" + Esc(summary) + "</p>";
    out += "<div class=\"canvas-box\"><canvas id=\"chart-" + id + "\" role=\"img\" aria-label=\"" + Esc(title) +
           ": " + Esc(summary) + "\" aria-describedby=\"" + id + "-table\"></canvas></div>";
    out += "<details><summary>The numbers</summary><table class=\"list\" id=\"" + id + "-table\"><caption>" +
           Esc(title) + "</caption><thead><tr>";
    for (const auto& c : columns) out += "<th scope=\"col\">" + Esc(c) + "</th>";
    out += "</tr></thead><tbody>";
    for (const auto& r : rows) {
        out += "<tr>";
        for (const auto& c : r) out += "<td>" + c + "</td>";
        out += "</tr>";
    }
    if (rows.empty())
        out += "<tr><td colspan=\"" + std::to_string(columns.size()) + "\">Nothing in this window.</td></tr>";
    out += "</tbody></table></details></section>";
    return out;
}

std::string ReportBody(const json& r, const std::string& since, const std::string& until) {
    std::string out = "<h1>Reports</h1>";
    out += "<form method=\"get\" action=\"/console/reports\" class=\"inline\"><label for=\"r-since\">From</label>"
           "<input id=\"r-since\" name=\"since\" type=\"date\" value=\"" + Esc(since) + "\">"
           "<label for=\"r-until\">Until</label><input id=\"r-until\" name=\"until\" type=\"date\" value=\"" +
           Esc(until) + "\"><button type=\"submit\">Show</button></form>";
    out += "<p class=\"muted\">Weeks start on Monday (UTC). From " + Esc(r.value("since", "").substr(0, 10)) +
           " until " + Esc(r.value("until", "").substr(0, 16)) + ".</p>";
    out += "<div id=\"team-report\" class=\"report-grid\" data-report=\"" + Esc(r.dump(-1, ' ', false, json::error_handler_t::replace)) + "\">";

    std::int64_t cases = 0, acked = 0, late = 0;
    std::vector<std::vector<std::string>> rows;
    for (const auto& w : r["acknowledge"]) {
        cases += w["cases"].get<std::int64_t>();
        acked += w["acknowledged"].get<std::int64_t>();
        late += w["late"].get<std::int64_t>();
        rows.push_back({Cell(w["week"]), Cell(w["cases"]), Cell(w["acknowledged"]), Cell(w["late"]),
                        Cell(w["median_minutes"]), Cell(w["p90_minutes"])});
    }
    out += Figure("acknowledge", "Time to acknowledge",
                  std::to_string(cases) + " cases opened, " + std::to_string(acked) + " acknowledged, " +
                      std::to_string(late) + " of them late; median and 90th percentile minutes by week.",
                  {"week", "cases", "acknowledged", "late", "median minutes", "p90 minutes"}, rows);

    rows.clear();
    std::int64_t breaches = 0;
    std::vector<std::string> columns = {"week", "total"};
    if (!r["breaches"].empty())
        for (const auto& [clock, n] : r["breaches"][0]["by_clock"].items()) columns.push_back(clock);
    for (const auto& w : r["breaches"]) {
        breaches += w["total"].get<std::int64_t>();
        std::vector<std::string> row = {Cell(w["week"]), Cell(w["total"])};
        for (const auto& [clock, n] : w["by_clock"].items()) row.push_back(Cell(n));
        rows.push_back(std::move(row));
    }
    out += Figure("breaches", "Clock breaches by week",
                  std::to_string(breaches) + " breaches recorded, stacked by clock.", columns, rows);

    rows.clear();
    std::int64_t answers = 0;
    for (const auto& w : r["followup"]) {
        answers += w["answers"].get<std::int64_t>();
        std::vector<std::string> row = {Cell(w["week"]), Cell(w["answers"]), Cell(w["average"])};
        for (const auto& n : w["scores"]) row.push_back(Cell(n));
        rows.push_back(std::move(row));
    }
    out += Figure("followup", "Follow-up scores",
                  std::to_string(answers) + " follow-up answers; counts of each score (1-5) and the weekly average.",
                  {"week", "answers", "average", "1", "2", "3", "4", "5"}, rows);

    rows.clear();
    std::int64_t spent = 0;
    for (const auto& m : r["remedies"]) {
        spent += m["spend_minor"].get<std::int64_t>();
        rows.push_back({Cell(m["group"]), Cell(json(static_cast<double>(m["spend_minor"].get<std::int64_t>()) / 100.0)),
                        Cell(m["customers"]), Cell(m["came_back"]),
                        m["came_back_rate"].is_null() ? "—" : Cell(json(m["came_back_rate"].get<double>() * 100.0))});
    }
    out += Figure("remedies", "Remedies spent against customers kept",
                  "Spent " + Cell(json(static_cast<double>(spent) / 100.0)) +
                      " (major units) on remedies; the line is the share of their customers who ordered again.",
                  {"month", "spent", "customers", "kept", "kept %"}, rows);

    rows.clear();
    for (const auto& i : r["incidents"])
        rows.push_back({"<a href=\"/console/incidents/" + Esc(i["id"].get<std::string>()) + "\">" + Cell(i["name"]) +
                            "</a>",
                        Cell(i["status"]), Cell(i["affected_customers"]), Cell(i["cases"]), Cell(i["contacts_per_100"])});
    out += Figure("incidents", "Contacts per incident",
                  std::to_string(r["incidents"].size()) +
                      " incidents declared; cases opened per hundred customers each affected.",
                  {"incident", "status", "affected customers", "cases", "cases per 100"}, rows);

    rows.clear();
    const json& rec = r["recurrence"];
    for (const auto& f : rec.value("flags", json::array()))
        rows.push_back({Cell(f["category"]), "no debrief", Cell(f["cases_in_window"]), Cell(f["explanation"])});
    for (const auto& o : rec.value("reopenings", json::array()))
        rows.push_back({Cell(o["category"]), "debrief " + Cell(o["debrief_id"]) + " reopened",
                        Cell(json(o["new_case_ids"].size())), "action " + Cell(o["action_id"]) + " outstanding again"});
    out += Figure("recurrence", "Recurring problems",
                  std::to_string(rows.size()) + " groups of alike cases over the last " +
                      Cell(rec.value("window_days", json(nullptr))) + " days that no debrief has fixed.",
                  {"category", "state", "cases", "why"}, rows);
    out += "</div>";
    out += "<script src=\"/assets/chart.umd.js\" defer></script><script src=\"/assets/reports.js\" defer></script>";
    return out;
}

}  // namespace

void RegisterReportPages(Router& router, ApiContext& api) {
    router.Add("GET", "/console/reports",
               Page(api, Role::kManager, [&api](const Request& req, const PathParams&, const PageContext& ctx,
                                                Respond respond) {
                   // The form sends dates; the report takes RFC 3339 times (until: the end of that day).
                   std::string since = QueryValue(req, "since").value_or("");
                   std::string until = QueryValue(req, "until").value_or("");
                   Request query;
                   if (!since.empty()) query.query.emplace_back("since", since.size() == 10 ? since + "T00:00:00Z" : since);
                   if (!until.empty()) query.query.emplace_back("until", until.size() == 10 ? until + "T23:59:59Z" : until);
                   auto report = TeamReportFor(api, query);
                   if (!report)
                       return respond(PagesHtml(ctx, "Reports", "reports",
                                               "<h1>Reports</h1>" + ErrorHtml(report.error()) +
                                                   "<p><a href=\"/console/reports\">The last twelve weeks</a></p>",
                                               400));
                   respond(PagesHtml(ctx, "Reports", "reports", ReportBody(*report, since, until)));
               }));
}

}  // namespace amends::http::console
