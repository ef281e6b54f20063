// /console: the queue. What is due and overdue, ordered by when each case's next recovery step is due (the store's
// queue, as GET /api/v1/queue), with filters: whose (mine, unassigned, the team's), overdue only, and the step.

#include <unordered_map>

#include "http/console.h"
#include "http/console_format.h"
#include "playbook/steps.h"

namespace amends::http::console {

namespace {

constexpr int kPageRows = 100;

struct QueueView {
    std::string scope = "team";  // mine, unassigned, team
    bool overdue = false;
    std::string step;  // "" for any
};

std::string Option(std::string_view value, std::string_view label, std::string_view selected) {
    return "<option value=\"" + std::string(value) + "\"" + (value == selected ? " selected" : "") + ">" +
           std::string(label) + "</option>";
}

std::string Filters(const QueueView& v) {
    std::string h = "<form class=\"filters\" method=\"get\" action=\"/console\" aria-label=\"Filter the queue\">"
                    "<label for=\"scope\">Whose</label><select id=\"scope\" name=\"scope\">" +
                    Option("mine", "Mine", v.scope) + Option("unassigned", "Unassigned", v.scope) +
                    Option("team", "The team's (all)", v.scope) +
                    "</select><label for=\"step\">Step</label><select id=\"step\" name=\"step\">" +
                    Option("", "Any step", v.step);
    for (auto step : playbook::kAllSteps) {
        auto name = playbook::Name(step);
        h += Option(name, StepLabel(name), v.step);
    }
    h += std::string("</select><label class=\"check\"><input type=\"checkbox\" name=\"overdue\" value=\"1\"") +
         (v.overdue ? " checked" : "") + "> Overdue only</label><button type=\"submit\">Show</button></form>";
    return h;
}

}  // namespace

void RegisterQueuePage(Router& router, ApiContext& api) {
    router.Add("GET", "/console",
               Page(api, Role::kAgent, [&api](const Request& req, const PathParams&, const PageContext& ctx, Respond respond) {
                   QueueView v;
                   if (auto scope = FormValue(req, "scope"); scope && (*scope == "mine" || *scope == "unassigned"))
                       v.scope = *scope;
                   v.overdue = FormValue(req, "overdue").has_value();
                   if (auto step = FormValue(req, "step"); step && playbook::ParseStep(*step)) v.step = *step;
                   TimePoint now = api.clock.Now();
                   store::QueueFilter f;
                   if (v.scope == "mine") f.assignee_id = ctx.who.user_id;
                   if (v.scope == "unassigned") f.unassigned = true;
                   if (v.overdue) f.due_before = now;
                   f.limit = v.step.empty() ? kPageRows : 1000;  // the step is filtered here, from a longer read
                   std::vector<store::QueueRow> rows;
                   std::unordered_map<Id, std::string> customers, users;
                   api.store.Read([&](store::Tx& tx) {
                       rows = tx.Queue(f);
                       for (const auto& row : rows) {
                           if (!customers.contains(row.c.customer_id))
                               if (auto c = tx.FindCustomer(row.c.customer_id)) customers[c->id] = c->name;
                           if (row.c.assignee_id && !users.contains(*row.c.assignee_id))
                               if (auto u = tx.FindUser(*row.c.assignee_id)) users[u->id] = u->name;
                       }
                   });
                   std::string body = "<h1>Queue</h1>" + Filters(v);
                   std::string table;
                   int shown = 0, overdue = 0;
                   for (const auto& row : rows) {
                       const auto& k = row.clock;
                       if (!v.step.empty() && k.next_step.value_or("") != v.step) continue;
                       if (shown == kPageRows) break;
                       ++shown;
                       bool late = k.next_due_at && *k.next_due_at < now;
                       overdue += late;
                       std::string href = "/console/cases/" + std::to_string(row.c.id);
                       table += std::string("<tr") + (late ? " class=\"overdue\"" : "") + ">";
                       table += "<td>" + (k.next_due_at ? "<time datetime=\"" + FormatRfc3339(*k.next_due_at) + "\">" +
                                                              When(*k.next_due_at) + "</time>"
                                                        : std::string("no clock running")) +
                                (late ? " <span class=\"badge late\">overdue by " + Duration(now - *k.next_due_at) +
                                            "</span>"
                                      : "") +
                                (k.breached_at ? " <span class=\"badge escalated\">escalated</span>" : "") + "</td>";
                       table += "<td><a href=\"" + href + "\">#" + std::to_string(row.c.id) + " " + Esc(row.c.subject) +
                                "</a></td>";
                       auto customer = customers.find(row.c.customer_id);
                       table += "<td>" + Esc(customer == customers.end() ? "" : customer->second) + "</td>";
                       table += "<td>" + Esc(StepLabel(k.next_step.value_or(""))) + "</td>";
                       table += "<td>" + Esc(k.why) + "</td>";
                       std::string assignee = "unassigned";
                       if (row.c.assignee_id) {
                           auto u = users.find(*row.c.assignee_id);
                           assignee = u == users.end() ? "user " + std::to_string(*row.c.assignee_id) : u->second;
                       }
                       table += "<td>" + Esc(assignee) + "</td></tr>";
                   }
                   body += "<p class=\"summary\" role=\"status\">" + std::to_string(shown) + " case" +
                           (shown == 1 ? "" : "s") + ", " + std::to_string(overdue) + " overdue.</p>";
                   if (shown == 0) {
                       body += "<p>Nothing is due here. Good work.</p>";
                   } else {
                       body += "<div class=\"table-wrap\"><table class=\"queue\"><caption class=\"visually-hidden\">"
                               "Cases by due time</caption><thead><tr><th scope=\"col\">Due</th><th scope=\"col\">"
                               "Case</th><th scope=\"col\">Customer</th><th scope=\"col\">Next step</th><th "
                               "scope=\"col\">Why</th><th scope=\"col\">Assignee</th></tr></thead><tbody>" +
                               table + "</tbody></table></div>";
                   }
                   respond(HtmlPage(ctx, "Queue", "queue", std::move(body)));
               }));
}

}  // namespace amends::http::console
