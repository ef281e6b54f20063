// /console/cases/{id}: one case for an agent. The customer, the timeline of messages and events, the nine steps
// with what is done and due, the linked incidents, the remedy the compensation policy proposes, and the reply box.
// The reply posts a plain form (works without JavaScript) through the same path as POST
// /api/v1/cases/{id}/messages (PostCaseMessage): the coach reads it first, and a refusal comes back as this page with
// the coach's findings (422) and the draft kept. coach.js shows the findings as the agent types.

#include <algorithm>
#include <map>
#include <memory>

#include <nlohmann/json.hpp>

#include "http/api_support.h"
#include "http/console.h"
#include "http/console_format.h"
#include "playbook/progress.h"
#include "playbook/steps.h"
#include "policy/evaluate.h"
#include "policy/json.h"
#include "policy/policy.h"

namespace amends::http::console {

namespace {

using nlohmann::json;

// The steps a message can carry out (its `completes`).
constexpr std::string_view kContactSteps[] = {"acknowledge", "apologize", "listen", "confirm", "keep_informed",
                                              "follow_up"};

// What the reply box shows after a refused or failed send: the draft, what went wrong, the coach's report.
struct ReplyState {
    std::string body;
    std::vector<std::string> completes;
    bool send = true;
    std::string error;
    json coach;  // null when none
    bool posted = false;
};

std::string Money(std::int64_t minor) {
    std::string sign = minor < 0 ? "-" : "";
    if (minor < 0) minor = -minor;
    std::string cents = std::to_string(minor % 100);
    return sign + std::to_string(minor / 100) + "." + (cents.size() == 1 ? "0" : "") + cents;
}

// Code point offsets (the coach's) to byte offsets of UTF-8 text.
std::size_t ByteOffset(std::string_view text, std::size_t code_points) {
    std::size_t i = 0, seen = 0;
    while (i < text.size() && seen < code_points) {
        ++i;
        while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) ++i;
        ++seen;
    }
    return i;
}

std::string Words(std::string_view snake) {
    std::string out(snake);
    std::replace(out.begin(), out.end(), '_', ' ');
    return out;
}

// The coach's report in words: verdict, the findings with their excerpt marked and suggestion, what is missing.
std::string CoachHtml(const json& report, std::string_view text) {
    if (!report.is_object()) return "";
    std::string h = "<p><strong>Coach:</strong> <span class=\"verdict-" + Esc(report.value("verdict", "")) + "\">" +
                    Esc(Words(report.value("verdict", ""))) + "</span>, score " +
                    std::to_string(report.value("score", 0)) + " of 100.</p>";
    const auto& findings = report.contains("findings") ? report["findings"] : json::array();
    const auto& missing = report.contains("missing") ? report["missing"] : json::array();
    if (findings.empty() && missing.empty()) return h + "<p>Nothing to fix.</p>";
    h += "<ul>";
    for (const auto& f : findings) {
        std::size_t start = ByteOffset(text, f.value("start", 0)), end = ByteOffset(text, f.value("end", 0));
        std::string excerpt = end > start ? std::string(text.substr(start, end - start)) : f.value("excerpt", "");
        h += "<li class=\"finding " + Esc(f.value("kind", "")) + "\"><strong>" + Esc(Words(f.value("kind", ""))) +
             "</strong>: <q>" + Esc(excerpt) + "</q>. " + Esc(f.value("reason", "")) + " <em>" +
             Esc(f.value("suggestion", "")) + "</em></li>";
    }
    for (const auto& m : missing)
        h += "<li class=\"missing\"><strong>missing " + Esc(Words(m.value("element", ""))) + "</strong>: <em>" +
             Esc(m.value("suggestion", "")) + "</em></li>";
    return h + "</ul>";
}

std::string StepsHtml(const playbook::Progress& p) {
    std::string h = "<ol class=\"steps\">";
    for (const auto& s : p.steps) {
        auto name = playbook::Name(s.step);
        bool next = p.next_due && p.next_due->step == s.step;
        std::string state(playbook::Name(s.state));
        h += std::string("<li") + (next ? " class=\"next\"" : "") + "><span>" + StepLabel(name) +
             "</span> <span class=\"badge " + state + "\">" + state + "</span>";
        if (s.state == playbook::StepState::kDone && s.done_at) h += " <small>" + When(*s.done_at) + "</small>";
        else if (s.due_at) h += " <small>due " + When(*s.due_at) + "</small>";
        if (next) h += " <small>(next)</small>";
        h += "</li>";
    }
    return h + "</ol>";
}

std::string EventWords(const Event& e) {
    json data = json::parse(e.data_json, nullptr, false);
    if (e.type == "note.added" && data.is_object()) return "Note: " + data.value("body", "");
    if (e.type == "case.state_changed" && data.is_object())
        return "State: " + Words(data.value("from", "")) + " → " + Words(data.value("to", ""));
    if (e.type == "case.opened") return "Case opened";
    std::string out = Words(e.type);
    if (data.is_object() && !data.empty()) out += " " + data.dump(-1, ' ', false, json::error_handler_t::replace);
    return out;
}

// "user:3" → the user's name; other actors (customer, system) as they are.
std::string ActorName(const std::string& actor, const std::map<std::string, std::string>& staff) {
    auto it = staff.find(actor);
    return it == staff.end() ? actor : it->second;
}

std::string TimelineHtml(const std::vector<Event>& events, const std::vector<Message>& messages,
                         const std::string& customer_name, const std::map<std::string, std::string>& staff) {
    struct Item {
        TimePoint at;
        int order;
        std::string html;
    };
    std::vector<Item> items;
    for (const auto& m : messages) {
        bool out = m.direction == Direction::kOut;
        std::string who = out ? (m.author.empty() ? "us" : ActorName(m.author, staff)) : customer_name;
        std::string delivery;
        if (m.delivery) delivery = " · email " + Esc(std::string(m.delivery->state));
        items.push_back({m.created_at, 1,
                         std::string("<li class=\"") + (out ? "out" : "in") + "\"><div class=\"meta\">" +
                             (out ? "Reply from " : "From ") + Esc(who) + " · " + When(m.created_at) + delivery +
                             "</div><div class=\"body\">" + Esc(m.body) + "</div></li>"});
    }
    for (const auto& e : events) {
        if (e.type == "message.sent" || e.type == "message.received") continue;  // shown as the message itself
        items.push_back({e.at, 0,
                         "<li class=\"event\"><div class=\"meta\">" + Esc(ActorName(e.actor, staff)) + " · " + When(e.at) +
                             "</div><div class=\"body\">" + Esc(EventWords(e)) + "</div></li>"});
    }
    std::stable_sort(items.begin(), items.end(),
                     [](const Item& a, const Item& b) { return a.at != b.at ? a.at > b.at : a.order > b.order; });
    std::string h = "<ol class=\"timeline\" reversed>";
    for (const auto& i : items) h += i.html;
    return h + "</ol>";
}

std::string IncidentsHtml(const json& incidents) {
    if (!incidents.is_array() || incidents.empty()) return "<p>No incident linked.</p>";
    std::string h = "<ul>";
    for (const auto& i : incidents) {
        h += "<li><strong>" + Esc(i.value("name", i.value("id", ""))) + "</strong> (" +
             Esc(Words(i.value("status", i.value("open", true) ? "" : "resolved"))) + ")";
        if (i.contains("reason") && i["reason"].is_string()) h += " · linked by " + Esc(i["reason"].get<std::string>());
        if (i.contains("suggested_reply") && i["suggested_reply"].is_string())
            h += "<details><summary>Suggested reply</summary><p class=\"body\">" +
                 Esc(i["suggested_reply"].get<std::string>()) + "</p></details>";
        h += "</li>";
    }
    return h + "</ul>";
}

std::string RemedyHtml(const PageContext& ctx, Id case_id, const Expected<policy::Evaluation>& evaluation,
                       const std::vector<store::RemedyProposal>& proposals, bool open) {
    std::string h;
    for (const auto& p : proposals)
        h += "<p>Proposal " + std::to_string(p.id) + ": " + Money(p.total_minor) + ", " + Esc(Words(p.state)) +
             (p.state == "awaiting_approval" ? " (needs a " + Esc(p.approver) + ")" : "") + "</p>";
    if (!evaluation) return h + "<p>The policy could not be evaluated: " + Esc(evaluation.error().message) + "</p>";
    if (evaluation->proposals.empty())
        return h + "<p>The policy (" + Esc(evaluation->policy) + ") proposes no remedy: " +
               Esc(Words(std::string(policy::Name(evaluation->outcome)))) + ".</p>";
    h += "<p>The policy (" + Esc(evaluation->policy) + ") proposes:</p><ul>";
    for (const auto& p : evaluation->proposals)
        h += "<li>" + Esc(p.description) + " <small>" + Esc(p.reason) + "</small></li>";
    h += "</ul><p>Total " + Money(evaluation->total_minor) + ".</p>";
    if (open && proposals.empty())
        h += "<form method=\"post\" action=\"/console/cases/" + std::to_string(case_id) + "/remedies\">" +
             CsrfField(ctx) + "<button type=\"submit\" class=\"secondary\">Offer this remedy</button></form>";
    return h;
}

std::string ReplyHtml(const PageContext& ctx, const Case& c, const Customer& customer, const playbook::Progress& p,
                      const ReplyState& reply) {
    std::string id = std::to_string(c.id);
    std::string next = p.next_due ? std::string(playbook::Name(p.next_due->step)) : "";
    std::string h = "<section aria-labelledby=\"reply-heading\"><h2 id=\"reply-heading\">Reply</h2>";
    if (!reply.error.empty()) h += "<div class=\"error\" role=\"alert\">" + Esc(reply.error) + "</div>";
    h += "<form method=\"post\" action=\"/console/cases/" + id + "/reply\" id=\"reply-form\" data-case-id=\"" + id +
         "\">" + CsrfField(ctx) + "<label for=\"reply-body\">Your reply to " + Esc(customer.name) +
         "</label><div class=\"editor\"><div class=\"mirror\" aria-hidden=\"true\"></div><textarea id=\"reply-body\" "
         "name=\"body\" rows=\"8\" required aria-describedby=\"coach-findings reply-hint\">" +
         Esc(reply.body) +
         "</textarea></div><p class=\"hint\" id=\"reply-hint\">The coach reads your reply as you type and before it "
         "is sent.</p><div id=\"coach-findings\" class=\"coach\" aria-live=\"polite\">" +
         CoachHtml(reply.coach, reply.body) + "</div><fieldset><legend>This reply carries out</legend>";
    for (auto step : kContactSteps) {
        bool checked = reply.posted ? std::find(reply.completes.begin(), reply.completes.end(), step) !=
                                          reply.completes.end()
                                    : step == next;
        std::string s(step);
        h += "<label class=\"check\"><input type=\"checkbox\" name=\"completes\" value=\"" + s + "\" id=\"completes-" +
             s + "\"" + (checked ? " checked" : "") + "> " + StepLabel(s) + "</label>";
    }
    h += std::string("</fieldset><label class=\"check\"><input type=\"checkbox\" name=\"send\" value=\"1\"") +
         (reply.send ? " checked" : "") + "> Email it to the customer" +
         (customer.email ? " (" + Esc(*customer.email) + ")" : std::string(" (no address on file)")) +
         "</label><div><button type=\"submit\">Send reply</button></div></form></section>";
    return h;
}

struct CaseData {
    std::optional<Case> c;
    std::optional<Customer> customer;
    Expected<playbook::Progress> progress = Fail(ErrorCode::kInternal, "not read");
    std::vector<Event> events;
    std::vector<Message> messages;
    json incidents = json::array();
    std::vector<store::RemedyProposal> proposals;
    Expected<policy::Evaluation> evaluation = Fail(ErrorCode::kInternal, "not read");
    std::map<std::string, std::string> staff;  // actor ("user:3") → name
};

CaseData ReadCase(ApiContext& api, const app::RemedyLedger& ledger, Id id) {
    CaseData d;
    TimePoint now = api.clock.Now();
    api.store.Read([&](store::Tx& tx) {
        d.c = tx.FindCase(id);
        if (!d.c) return;
        d.customer = tx.FindCustomer(d.c->customer_id);
        d.progress = api.recovery.ProgressOf(tx, id, now);
        d.events = tx.AllEvents(id);
        for (const auto& u : tx.ListUsers()) d.staff["user:" + std::to_string(u.id)] = u.name;
        d.messages = tx.ListMessages(id, 0, 1000);
        if (api.status) d.incidents = api.status->CaseIncidentsJson(tx, *d.c);
        store::ProposalFilter f;
        f.case_id = id;
        d.proposals = tx.ListProposals(f);
        auto facts = ledger.CaseFacts(tx, id, json::object(), now);
        if (facts) d.evaluation = policy::Evaluate(ledger.Policy(), *facts);
        else d.evaluation = std::unexpected(facts.error());
    });
    return d;
}

Response CaseResponse(ApiContext& api, const app::RemedyLedger& ledger, const PageContext& ctx, Id id,
                      const ReplyState& reply, int status, std::string notice = "") {
    CaseData d = ReadCase(api, ledger, id);
    if (!d.c || !d.customer || !d.progress)
        return HtmlPage(ctx, "No such case", "queue",
                        "<h1>No such case</h1><p>There is no case " + std::to_string(id) +
                            ". <a href=\"/console\">Back to the queue</a></p>",
                        404);
    const Case& c = *d.c;
    const auto& p = *d.progress;
    std::string h = "<p><a href=\"/console\">← Queue</a></p><h1>#" + std::to_string(c.id) + " " + Esc(c.subject) +
                    "</h1>";
    if (!notice.empty()) h += "<div class=\"notice\" role=\"status\">" + notice + "</div>";
    h += "<p class=\"next-step\" id=\"next-step\">";
    if (p.next_due) {
        h += "Next step: <strong>" + StepLabel(playbook::Name(p.next_due->step)) + "</strong>";
        if (p.next_due->due_at) h += ", due " + When(*p.next_due->due_at);
        if (p.next_due->late_by.count() > 0)
            h += " <span class=\"badge late\">overdue by " + Duration(p.next_due->late_by) + "</span>";
        h += ". " + Esc(p.next_due->why);
    } else {
        h += "Nothing is due on this case.";
    }
    h += "</p><div class=\"case-grid\"><div>";
    bool open = c.state != CaseState::kClosed;
    if (open) h += ReplyHtml(ctx, c, *d.customer, p, reply);
    else h += "<p>This case is closed.</p>";
    h += "<section aria-labelledby=\"timeline-heading\"><h2 id=\"timeline-heading\">Timeline</h2>" +
         TimelineHtml(d.events, d.messages, d.customer->name, d.staff) + "</section></div><div>";
    h += "<section class=\"panel\" aria-labelledby=\"customer-heading\"><h2 id=\"customer-heading\">Customer</h2>"
         "<dl class=\"facts\"><dt>Name</dt><dd id=\"customer-name\">" +
         Esc(d.customer->name) + "</dd><dt>Email</dt><dd>" + Esc(d.customer->email.value_or("—")) +
         "</dd><dt>Reference</dt><dd>" + Esc(c.reference.value_or("—")) + "</dd><dt>State</dt><dd>" +
         Esc(Words(std::string(Name(c.state)))) + "</dd><dt>Category</dt><dd>" + Esc(c.category) +
         "</dd><dt>Severity</dt><dd>" + Esc(std::string(Name(c.severity))) + "</dd><dt>Opened</dt><dd>" +
         When(c.created_at) + "</dd></dl>";
    if (!c.description.empty()) h += "<p class=\"body\">" + Esc(c.description) + "</p>";
    h += "</section><section class=\"panel\" aria-labelledby=\"steps-heading\"><h2 id=\"steps-heading\">The nine "
         "steps</h2>" +
         StepsHtml(p) + "</section>";
    h += "<section class=\"panel\" aria-labelledby=\"incident-heading\"><h2 id=\"incident-heading\">Incident</h2>" +
         IncidentsHtml(d.incidents) + "</section>";
    h += "<section class=\"panel\" aria-labelledby=\"remedy-heading\"><h2 id=\"remedy-heading\">Remedy</h2>" +
         RemedyHtml(ctx, c.id, d.evaluation, d.proposals, open) + "</section>";
    h += "</div></div><script src=\"/assets/coach.js\" defer></script>";
    return HtmlPage(ctx, "#" + std::to_string(c.id) + " " + c.subject, "queue", std::move(h), status);
}

std::shared_ptr<const app::RemedyLedger> LedgerOf(ApiContext& api) {
    if (api.remedies) return std::shared_ptr<const app::RemedyLedger>(api.remedies, [](const app::RemedyLedger*) {});
    return std::make_shared<app::RemedyLedger>(policy::DefaultPolicy(), api.recovery);
}

}  // namespace

void RegisterCasePage(Router& router, ApiContext& api) {
    auto ledger = LedgerOf(api);

    router.Add("GET", "/console/cases/{id}",
               Page(api, Role::kAgent, [&api, ledger](const Request& req, const PathParams& params,
                                                      const PageContext& ctx, Respond respond) {
                   auto id = PathId(params);
                   if (!id) return respond(HtmlPage(ctx, "No such case", "queue", "<h1>No such case</h1>", 404));
                   std::string notice;
                   if (FormValue(req, "sent")) notice = "Reply sent.";
                   if (FormValue(req, "offered")) notice = "Remedy proposed.";
                   respond(CaseResponse(api, *ledger, ctx, *id, ReplyState{}, 200, notice));
               }));

    router.Add("POST", "/console/cases/{id}/reply",
               Page(api, Role::kAgent, [&api, ledger](const Request& req, const PathParams& params,
                                                      const PageContext& ctx, Respond respond) {
                   auto id = PathId(params);
                   if (!id) return respond(HtmlPage(ctx, "No such case", "queue", "<h1>No such case</h1>", 404));
                   ReplyState reply;
                   reply.posted = true;
                   reply.body = FormValue(req, "body").value_or("");
                   reply.completes = FormValues(req, "completes");
                   reply.send = FormValue(req, "send").has_value();
                   if (reply.body.find_first_not_of(" \t\r\n") == std::string::npos) {
                       reply.error = "Write a reply first.";
                       return respond(CaseResponse(api, *ledger, ctx, *id, reply, 400));
                   }
                   Message m;
                   m.body = reply.body;
                   m.direction = Direction::kOut;
                   PostCaseMessage(api, req, ctx.who, *id, std::move(m), reply.completes, reply.send,
                                   [&api, ledger, ctx, id = *id, reply, respond](Response r) mutable {
                                       if (r.status == 201)
                                           return respond(SeeOther("/console/cases/" + std::to_string(id) +
                                                                   "?sent=1#next-step"));
                                       json body = json::parse(r.body, nullptr, false);
                                       reply.error = "Not sent: ";
                                       if (body.is_object() && body.contains("error"))
                                           reply.error += body["error"].value("message", "");
                                       if (body.is_object() && body.contains("coach")) reply.coach = body["coach"];
                                       respond(CaseResponse(api, *ledger, ctx, id, reply, r.status));
                                   });
               }));

    router.Add("POST", "/console/cases/{id}/remedies",
               Page(api, Role::kAgent, [&api, ledger](const Request& req, const PathParams& params,
                                                      const PageContext& ctx, Respond respond) {
                   auto id = PathId(params);
                   if (!id) return respond(HtmlPage(ctx, "No such case", "queue", "<h1>No such case</h1>", 404));
                   Write(api, req, ctx.who,
                         [&api, ledger, who = ctx.who, id = *id](store::Tx& tx) -> Expected<app::Outcome> {
                             auto proposed = ledger->Propose(tx, who, id, app::ProposeInput{}, api.clock.Now());
                             if (!proposed) return std::unexpected(proposed.error());
                             return Created(*proposed);
                         },
                         [&api, ledger, ctx, id = *id, respond](Response r) {
                             if (r.status == 201)
                                 return respond(SeeOther("/console/cases/" + std::to_string(id) + "?offered=1"));
                             json body = json::parse(r.body, nullptr, false);
                             ReplyState reply;
                             reply.error = "No remedy proposed: ";
                             if (body.is_object() && body.contains("error"))
                                 reply.error += body["error"].value("message", "");
                             respond(CaseResponse(api, *ledger, ctx, id, reply, r.status));
                         });
               }));
}

}  // namespace amends::http::console
