// Remedies and the ledger: a case's proposals (evaluated by the compensation policy), the managers' approvals
// queue, issuing and reversing, the ledger's export (JSON or CSV, for billing systems), customer balances, an
// incident's bulk credit and the spend report. Handlers parse, call app::RemedyLedger, and serialize.

#include <charconv>
#include <memory>

#include "app/ledger.h"
#include "app/object_reader.h"
#include "app/status_board.h"
#include "http/api_support.h"

namespace amends::http {

namespace {

using nlohmann::json;

constexpr int kMaxExport = 100000;  // ledger entries a page of the export

Expected<std::optional<TimePoint>> QueryTime(const Request& req, const char* name) {
    auto text = QueryValue(req, name);
    if (!text) return std::optional<TimePoint>();
    auto t = ParseRfc3339(*text);
    if (!t) return InvalidField(name, std::string(name) + " must be an RFC 3339 time like 2026-11-01T00:00:00Z");
    return std::optional<TimePoint>(*t);
}

Expected<int> ExportLimit(const Request& req) {
    auto text = QueryValue(req, "limit");
    if (!text) return 1000;
    int n = 0;
    auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), n);
    if (ec != std::errc() || end != text->data() + text->size() || n < 1 || n > kMaxExport)
        return InvalidField("limit", "limit must be a whole number from 1 to " + std::to_string(kMaxExport));
    return n;
}

// The incident as the policy sees it: impact, and how long it has touched customers (until resolved, or now).
std::optional<app::IncidentFacts> IncidentFactsOf(ApiContext& api, const std::string& id) {
    if (!api.status) return std::nullopt;
    auto page = api.status->Snapshot();
    const status::Incident* incident = page.FindIncident(id);
    if (!incident) return std::nullopt;
    app::IncidentFacts f;
    f.id = incident->id;
    f.impact = ParseIn<policy::Impact>(policy::kImpactNames, status::Name(incident->impact)).value_or(policy::Impact::kNone);
    TimePoint end = incident->resolved_at.value_or(api.clock.Now());
    f.downtime_minutes = std::max<std::int64_t>(
        0, std::chrono::duration_cast<std::chrono::minutes>(end - incident->created_at).count());
    return f;
}

json ProgressJson(const std::string& incident_id, const app::CreditProgress& p) {
    return json{{"incident_id", incident_id},
                {"customers", p.customers},
                {"affected_customers", p.total_customers},
                {"issued", p.issued},
                {"issued_minor", p.issued_minor},
                {"already_issued", p.already_issued},
                {"awaiting_approval", p.awaiting_approval},
                {"no_remedy", p.no_remedy},
                {"resumed", p.resumed},
                {"done", p.done}};
}

// Drives an incident's bulk credit as a chain of units of work (one batch each), without blocking a thread; the
// chain keeps itself alive through the store's callbacks and answers once at the end.
class CreditChain : public std::enable_shared_from_this<CreditChain> {
public:
    CreditChain(ApiContext& api, const app::RemedyLedger& ledger, app::IncidentFacts incident,
                app::CreditOptions options, Respond respond)
        : api_(api), ledger_(ledger), incident_(std::move(incident)), options_(std::move(options)),
          respond_(std::move(respond)) {}

    void Start() {
        api_.store.Read([&](store::Tx& tx) { total_.total_customers = tx.CountAffected(incident_.id); });
        Next();
    }

private:
    void Next() {
        auto self = shared_from_this();
        auto batch = std::make_shared<Expected<app::CreditProgress>>(Fail(ErrorCode::kInternal, "the batch did not run"));
        api_.store.Submit(
            [self, batch](store::Tx& tx) {
                *batch = self->ledger_.CreditIncidentBatch(tx, self->incident_, self->options_, self->api_.clock.Now());
                return batch->has_value();
            },
            [self, batch](std::optional<Error> error) {
                if (error) return self->respond_(ErrorResponse(*error));
                if (!*batch) return self->respond_(ErrorResponse(batch->error()));
                auto& t = self->total_;
                if (self->first_) t.resumed = (*batch)->resumed;
                self->first_ = false;
                t.customers += (*batch)->customers;
                t.issued += (*batch)->issued;
                t.already_issued += (*batch)->already_issued;
                t.awaiting_approval += (*batch)->awaiting_approval;
                t.no_remedy += (*batch)->no_remedy;
                t.issued_minor += (*batch)->issued_minor;
                t.done = (*batch)->done;
                if (t.done) return self->respond_(JsonResponse(200, ProgressJson(self->incident_.id, t)));
                self->Next();
            });
    }

    ApiContext& api_;
    const app::RemedyLedger& ledger_;
    app::IncidentFacts incident_;
    app::CreditOptions options_;
    Respond respond_;
    app::CreditProgress total_;
    bool first_ = true;
};

// Reads a proposal and its entries; 404 when there is none.
Expected<app::ProposalView> ReadProposal(ApiContext& api, Id id) {
    Expected<app::ProposalView> out = Fail(ErrorCode::kNotFound, "no proposal " + std::to_string(id));
    api.store.Read([&](store::Tx& tx) {
        auto p = tx.FindProposal(id);
        if (!p) return;
        store::LedgerFilter f;
        f.proposal_id = id;
        f.limit = 10000;
        out = app::ProposalView{*p, tx.ListLedger(f), {}};
    });
    return out;
}

json ProposalPage(ApiContext& api, const store::ProposalFilter& f) {
    json data = json::array();
    std::vector<store::RemedyProposal> rows;
    api.store.Read([&](store::Tx& tx) {
        rows = tx.ListProposals(f);
        for (auto& p : rows) {
            store::LedgerFilter lf;
            lf.proposal_id = p.id;
            lf.limit = 10000;
            data.push_back(app::ProposalJson(app::ProposalView{p, tx.ListLedger(lf), {}}));
        }
    });
    json next = nullptr;
    if (static_cast<int>(rows.size()) == f.limit && !rows.empty()) next = std::to_string(rows.back().id);
    return json{{"data", std::move(data)}, {"next_cursor", std::move(next)}};
}

}  // namespace

void RegisterRemedyRoutes(Router& router, ApiContext& api) {
    // The config's policy, or the built-in default (made now: routes run on many threads).
    std::shared_ptr<app::RemedyLedger> owned;
    if (!api.remedies) owned = std::make_shared<app::RemedyLedger>(policy::DefaultPolicy(), api.recovery);
    const app::RemedyLedger* chosen = api.remedies ? api.remedies : owned.get();
    auto ledger = [chosen, owned]() -> const app::RemedyLedger& { return *chosen; };

    // Evaluate the policy for a case and record the proposal (or only evaluate: "dry_run": true).
    router.Add("POST", "/api/v1/cases/{id}/remedies",
               Authed(api, Role::kAgent, [&api, ledger](const Request& req, const PathParams& params,
                                                        const Principal& who, Respond respond) {
                   auto id = PathId(params);
                   if (!id) return respond(ErrorResponse(id.error()));
                   auto body = ParseObject(req.body.empty() ? "{}" : req.body);
                   if (!body) return respond(ErrorResponse(body.error()));
                   app::ObjectReader r(*body);
                   app::ProposeInput in;
                   if (const json* facts = r.Raw("facts")) in.facts = *facts;
                   if (auto due = r.String("due")) {
                       in.due = ParseRfc3339(*due);
                       if (!in.due) r.Fail("due", "due must be an RFC 3339 time like 2026-11-26T18:00:00Z");
                   }
                   in.dry_run = r.Bool("dry_run").value_or(false);
                   if (auto ok = r.Finish(); !ok) return respond(ErrorResponse(ok.error()));
                   const auto& l = ledger();
                   Write(api, req, who,
                         [&api, &l, who, id = *id, in](store::Tx& tx) -> Expected<app::Outcome> {
                             auto proposed = l.Propose(tx, who, id, in, api.clock.Now());
                             if (!proposed) return std::unexpected(proposed.error());
                             if (in.dry_run) return Ok(*proposed);
                             return Created(*proposed);
                         },
                         std::move(respond));
               }));

    router.Add("GET", "/api/v1/cases/{id}/remedies",
               Authed(api, Role::kAgent, [&api](const Request& req, const PathParams& params, const Principal&,
                                                Respond respond) {
                   if (auto ok = CheckQuery(req, {"limit", "cursor"}); !ok) return respond(ErrorResponse(ok.error()));
                   auto id = PathId(params);
                   if (!id) return respond(ErrorResponse(id.error()));
                   bool exists = false;
                   api.store.Read([&](store::Tx& tx) { exists = tx.FindCase(*id).has_value(); });
                   if (!exists)
                       return respond(ErrorResponse(Error{ErrorCode::kNotFound, "no case " + std::to_string(*id), ""}));
                   store::ProposalFilter f;
                   f.case_id = *id;
                   auto limit = PageLimit(req);
                   if (!limit) return respond(ErrorResponse(limit.error()));
                   f.limit = *limit;
                   auto cursor = PageCursor(req);
                   if (!cursor) return respond(ErrorResponse(cursor.error()));
                   f.before_id = *cursor;
                   respond(JsonResponse(200, ProposalPage(api, f)));
               }));

    // Proposals, newest first; ?state=awaiting_approval is the managers' approvals queue.
    router.Add("GET", "/api/v1/remedies/proposals",
               Authed(api, Role::kAgent, [&api](const Request& req, const PathParams&, const Principal&, Respond respond) {
                   if (auto ok = CheckQuery(req, {"state", "limit", "cursor"}); !ok)
                       return respond(ErrorResponse(ok.error()));
                   store::ProposalFilter f;
                   if (auto state = QueryValue(req, "state")) {
                       if (*state != "awaiting_approval" && *state != "offered" && *state != "issued" &&
                           *state != "declined")
                           return respond(ErrorResponse(InvalidField(
                               "state", "state must be awaiting_approval, offered, issued or declined").error()));
                       f.state = *state;
                   }
                   auto limit = PageLimit(req);
                   if (!limit) return respond(ErrorResponse(limit.error()));
                   f.limit = *limit;
                   auto cursor = PageCursor(req);
                   if (!cursor) return respond(ErrorResponse(cursor.error()));
                   f.before_id = *cursor;
                   respond(JsonResponse(200, ProposalPage(api, f)));
               }));

    // The approvals queue: what waits for a manager's (or an admin's) yes, oldest first.
    router.Add("GET", "/api/v1/queue/approvals",
               Authed(api, Role::kAgent, [&api](const Request& req, const PathParams&, const Principal& who,
                                                Respond respond) {
                   if (auto ok = CheckQuery(req, {"limit"}); !ok) return respond(ErrorResponse(ok.error()));
                   auto limit = PageLimit(req);
                   if (!limit) return respond(ErrorResponse(limit.error()));
                   store::ProposalFilter f;
                   f.state = "awaiting_approval";
                   f.limit = *limit;
                   json page = ProposalPage(api, f);
                   json data = json::array();
                   for (auto it = page["data"].rbegin(); it != page["data"].rend(); ++it) {
                       auto role = ParseIn<Role>(kRoleNames, (*it)["approval"]["role"].get<std::string>());
                       (*it)["you_may_approve"] = role && who.role >= *role;
                       data.push_back(std::move(*it));
                   }
                   respond(JsonResponse(200, json{{"data", std::move(data)}}));
               }));

    router.Add("GET", "/api/v1/remedies/proposals/{id}",
               Authed(api, Role::kAgent, [&api](const Request&, const PathParams& params, const Principal&,
                                                Respond respond) {
                   auto id = PathId(params);
                   if (!id) return respond(ErrorResponse(id.error()));
                   auto view = ReadProposal(api, *id);
                   if (!view) return respond(ErrorResponse(view.error()));
                   respond(JsonResponse(200, app::ProposalJson(*view)));
               }));

    router.Add("POST", "/api/v1/remedies/proposals/{id}/approve",
               Authed(api, Role::kManager, [&api, ledger](const Request& req, const PathParams& params,
                                                          const Principal& who, Respond respond) {
                   auto id = PathId(params);
                   if (!id) return respond(ErrorResponse(id.error()));
                   auto body = ParseObject(req.body.empty() ? "{}" : req.body);
                   if (!body) return respond(ErrorResponse(body.error()));
                   app::ObjectReader r(*body);
                   std::string note = r.String("note").value_or("");
                   if (auto ok = r.Finish(); !ok) return respond(ErrorResponse(ok.error()));
                   const auto& l = ledger();
                   Write(api, req, who,
                         [&api, &l, who, id = *id, note](store::Tx& tx) -> Expected<app::Outcome> {
                             auto approved = l.Approve(tx, who, id, note, api.clock.Now());
                             if (!approved) return std::unexpected(approved.error());
                             return Ok(app::ProposalJson(*approved));
                         },
                         std::move(respond));
               }));

    // The customer agreed (by phone, by email): issue the proposal's remedies, each at most once.
    router.Add("POST", "/api/v1/remedies/proposals/{id}/issue",
               Authed(api, Role::kAgent, [&api, ledger](const Request& req, const PathParams& params,
                                                        const Principal& who, Respond respond) {
                   auto id = PathId(params);
                   if (!id) return respond(ErrorResponse(id.error()));
                   auto body = ParseObject(req.body.empty() ? "{}" : req.body);
                   if (!body) return respond(ErrorResponse(body.error()));
                   if (auto ok = app::ObjectReader(*body).Finish(); !ok) return respond(ErrorResponse(ok.error()));
                   const auto& l = ledger();
                   Write(api, req, who,
                         [&api, &l, who, id = *id](store::Tx& tx) -> Expected<app::Outcome> {
                             auto issued = l.Issue(tx, who.Actor(), id, api.clock.Now());
                             if (!issued) return std::unexpected(issued.error());
                             return Ok(app::ProposalJson(*issued));
                         },
                         std::move(respond));
               }));

    // Takes back an issued remedy (its issued ledger entry), once.
    router.Add("POST", "/api/v1/ledger/{id}/reverse",
               Authed(api, Role::kManager, [&api, ledger](const Request& req, const PathParams& params,
                                                          const Principal& who, Respond respond) {
                   auto id = PathId(params);
                   if (!id) return respond(ErrorResponse(id.error()));
                   auto body = ParseObject(req.body);
                   if (!body) return respond(ErrorResponse(body.error()));
                   app::ObjectReader r(*body);
                   auto reason = r.String("reason", true);
                   if (reason && (reason->empty() || reason->size() > 2000))
                       r.Fail("reason", "reason must be 1 to 2000 bytes: why the remedy is taken back");
                   if (auto ok = r.Finish(); !ok) return respond(ErrorResponse(ok.error()));
                   const auto& l = ledger();
                   Write(api, req, who,
                         [&api, &l, who, id = *id, reason = *reason](store::Tx& tx) -> Expected<app::Outcome> {
                             auto reversed = l.Reverse(tx, who, id, reason, api.clock.Now());
                             if (!reversed) return std::unexpected(reversed.error());
                             return Created(app::LedgerEntryJson(*reversed));
                         },
                         std::move(respond));
               }));

    // The ledger, oldest first, as JSON or CSV (for billing systems); pages with ?cursor=.
    router.Add("GET", "/api/v1/ledger",
               Authed(api, Role::kAgent, [&api](const Request& req, const PathParams&, const Principal&, Respond respond) {
                   if (auto ok = CheckQuery(req, {"format", "customer", "type", "incident", "case", "since", "until",
                                                  "limit", "cursor"});
                       !ok)
                       return respond(ErrorResponse(ok.error()));
                   store::LedgerFilter f;
                   std::string format = QueryValue(req, "format").value_or("json");
                   if (format != "json" && format != "csv")
                       return respond(ErrorResponse(InvalidField("format", "format must be json or csv").error()));
                   if (auto customer = QueryValue(req, "customer")) {
                       auto id = PathId(PathParams{{{"id", *customer}}});
                       if (!id)
                           return respond(ErrorResponse(InvalidField("customer", "customer must be a customer id").error()));
                       f.customer_id = *id;
                   }
                   if (auto type = QueryValue(req, "type")) {
                       if (*type != "proposed" && *type != "approved" && *type != "issued" && *type != "reversed")
                           return respond(ErrorResponse(
                               InvalidField("type", "type must be proposed, approved, issued or reversed").error()));
                       f.type = *type;
                   }
                   auto incident = QueryValue(req, "incident");
                   auto case_id = QueryValue(req, "case");
                   if (incident && case_id)
                       return respond(ErrorResponse(InvalidField("case", "give case or incident, not both").error()));
                   if (incident) f.subject = "incident", f.subject_id = *incident;
                   if (case_id) {
                       auto id = PathId(PathParams{{{"id", *case_id}}});
                       if (!id) return respond(ErrorResponse(InvalidField("case", "case must be a case id").error()));
                       f.subject = "case", f.subject_id = std::to_string(*id);
                   }
                   auto since = QueryTime(req, "since");
                   if (!since) return respond(ErrorResponse(since.error()));
                   auto until = QueryTime(req, "until");
                   if (!until) return respond(ErrorResponse(until.error()));
                   f.since = *since;
                   f.until = *until;
                   auto limit = ExportLimit(req);
                   if (!limit) return respond(ErrorResponse(limit.error()));
                   f.limit = *limit;
                   if (QueryValue(req, "cursor")) {
                       auto cursor = PageCursor(req);
                       if (!cursor) return respond(ErrorResponse(cursor.error()));
                       f.after_id = **cursor;
                   }
                   std::vector<store::LedgerEntry> rows;
                   api.store.Read([&](store::Tx& tx) { rows = tx.ListLedger(f); });
                   std::optional<std::string> next;
                   if (static_cast<int>(rows.size()) == f.limit && !rows.empty()) next = std::to_string(rows.back().id);
                   Response r;
                   if (next) r.headers.emplace_back("X-Next-Cursor", *next);
                   if (format == "csv") {
                       r.content_type = "text/csv; charset=utf-8";
                       r.headers.emplace_back("Content-Disposition", "attachment; filename=\"ledger.csv\"");
                       r.render = [rows = std::move(rows)] {
                           std::string out = app::LedgerCsvHeader();
                           for (const auto& e : rows) out += app::LedgerCsvLine(e);
                           return out;
                       };
                   } else {
                       r.render = [rows = std::move(rows), next] {
                           json data = json::array();
                           for (const auto& e : rows) data.push_back(app::LedgerEntryJson(e));
                           return Dump(json{{"data", std::move(data)}, {"next_cursor", next ? json(*next) : json()}});
                       };
                   }
                   respond(std::move(r));
               }));

    router.Add("GET", "/api/v1/customers/{id}/balance",
               Authed(api, Role::kAgent, [&api](const Request&, const PathParams& params, const Principal&,
                                                Respond respond) {
                   auto id = PathId(params);
                   if (!id) return respond(ErrorResponse(id.error()));
                   bool exists = false;
                   std::vector<store::LedgerSum> sums;
                   api.store.Read([&](store::Tx& tx) {
                       exists = tx.FindCustomer(*id).has_value();
                       if (exists) sums = tx.SumLedger(*id, std::nullopt);
                   });
                   if (!exists)
                       return respond(
                           ErrorResponse(Error{ErrorCode::kNotFound, "no customer " + std::to_string(*id), ""}));
                   respond(JsonResponse(200, app::BalanceJson(*id, sums)));
               }));

    // Every affected customer of an incident gets the remedies the policy names for them, once; a rerun resumes.
    router.Add("POST", "/api/v1/incidents/{id}/credit",
               Authed(api, Role::kManager, [&api, ledger](const Request& req, const PathParams& params,
                                                          const Principal& who, Respond respond) {
                   std::string incident_id(params.Get("id"));
                   auto body = ParseObject(req.body.empty() ? "{}" : req.body);
                   if (!body) return respond(ErrorResponse(body.error()));
                   app::ObjectReader r(*body);
                   app::CreditOptions options;
                   options.who = who;
                   if (const json* facts = r.Raw("facts")) options.facts = *facts;
                   if (auto ok = r.Finish(); !ok) return respond(ErrorResponse(ok.error()));
                   auto incident = IncidentFactsOf(api, incident_id);
                   if (!incident)
                       return respond(ErrorResponse(Error{ErrorCode::kNotFound, "no incident " + incident_id, ""}));
                   std::make_shared<CreditChain>(api, ledger(), std::move(*incident), std::move(options),
                                                 std::move(respond))
                       ->Start();
               }));

    // Spend by category, incident or month, beside what the customers who received remedies did afterwards.
    router.Add("GET", "/api/v1/reports/remedies",
               Authed(api, Role::kManager, [&api](const Request& req, const PathParams&, const Principal&,
                                                  Respond respond) {
                   if (auto ok = CheckQuery(req, {"by", "since", "until"}); !ok)
                       return respond(ErrorResponse(ok.error()));
                   std::string by = QueryValue(req, "by").value_or("category");
                   if (by != "category" && by != "incident" && by != "month")
                       return respond(ErrorResponse(InvalidField("by", "by must be category, incident or month").error()));
                   auto since = QueryTime(req, "since");
                   if (!since) return respond(ErrorResponse(since.error()));
                   auto until = QueryTime(req, "until");
                   if (!until) return respond(ErrorResponse(until.error()));
                   TimePoint from = since->value_or(FromUnixMillis(0));
                   TimePoint to = until->value_or(api.clock.Now() + std::chrono::hours(1));
                   std::vector<store::RemedySpendRow> rows;
                   api.store.Read([&](store::Tx& tx) { rows = tx.RemedySpend(by, from, to); });
                   respond(JsonResponse(200, json{{"by", by},
                                                  {"since", FormatRfc3339(from)},
                                                  {"until", FormatRfc3339(to)},
                                                  {"data", app::SpendReportJson(rows)}}));
               }));
}

}  // namespace amends::http
