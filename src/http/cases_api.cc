// /api/v1/cases and their events and messages.

#include "app/cases.h"
#include "app/status_board.h"
#include "http/api_support.h"
#include "http/json_codec.h"
#include "playbook/progress_json.h"

namespace amends::http {

namespace {

constexpr std::int64_t kMaxId = std::numeric_limits<std::int64_t>::max();
constexpr std::size_t kStepCountLimit = 9;

struct NewCase {
    Case draft;
    std::optional<Customer> customer;
};

Expected<NewCase> DecodeNewCase(const nlohmann::json& object) {
    ObjectReader r(object);
    NewCase n;
    auto customer_id = r.Integer("customer_id", 1, kMaxId);
    const nlohmann::json* inline_customer = r.Nested("customer");
    if (customer_id && inline_customer) r.Fail("customer", "cannot be given together with customer_id");
    if (!customer_id && !inline_customer && !r.Has("customer_id") && !r.Has("customer"))
        r.Fail("customer_id", "is required (or give a customer object to match or create one)");
    n.draft.customer_id = customer_id.value_or(0);
    if (inline_customer) {
        auto c = DecodeNewCustomer(*inline_customer, "customer.", CustomerName::kWhenCreated);
        if (!c) r.Fail(c.error());
        else n.customer = std::move(*c);
    }
    n.draft.subject = r.String("subject", /*required=*/true).value_or("");
    n.draft.description = r.String("description").value_or("");
    n.draft.channel = r.Enum<Channel>("channel", kChannelNames).value_or(Channel::kApi);
    n.draft.category = r.String("category").value_or("general");
    n.draft.severity = r.Enum<Severity>("severity", kSeverityNames).value_or(Severity::kNormal);
    n.draft.reference = r.String("reference");
    n.draft.assignee_id = r.Integer("assignee_id", 1, kMaxId);
    if (auto ok = r.Finish(); !ok) return std::unexpected(ok.error());
    return n;
}

Expected<app::CasePatch> DecodeCasePatch(const nlohmann::json& object) {
    ObjectReader r(object);
    app::CasePatch p;
    p.subject = r.String("subject");
    p.description = r.String("description");
    p.category = r.String("category");
    p.severity = r.Enum<Severity>("severity", kSeverityNames);
    p.reference = r.NullableString("reference");
    p.state = r.Enum<CaseState>("state", kCaseStateNames);
    p.assignee_id = r.NullableInteger("assignee_id", 1, kMaxId);
    if (auto ok = r.Finish(); !ok) return std::unexpected(ok.error());
    return p;
}

Expected<store::CaseFilter> DecodeCaseQuery(const Request& req) {
    if (auto ok = CheckQuery(req, {"limit", "cursor", "state", "customer", "category", "since"}); !ok)
        return std::unexpected(ok.error());
    store::CaseFilter f;
    auto limit = PageLimit(req);
    if (!limit) return std::unexpected(limit.error());
    f.limit = *limit;
    auto cursor = PageCursor(req);
    if (!cursor) return std::unexpected(cursor.error());
    f.before_id = *cursor;
    if (auto state = QueryValue(req, "state")) {
        f.state = ParseIn<CaseState>(kCaseStateNames, *state);
        if (!f.state) return InvalidField("state", "state must be open, waiting_on_customer, resolved or closed");
    }
    if (auto customer = QueryValue(req, "customer")) {
        PathParams p{{{"id", *customer}}};
        auto id = PathId(p);
        if (!id) return InvalidField("customer", "customer must be a customer id");
        f.customer_id = *id;
    }
    f.category = QueryValue(req, "category");
    if (auto since = QueryValue(req, "since")) {
        f.since = ParseRfc3339(*since);
        if (!f.since) return InvalidField("since", "since must be an RFC 3339 time such as 2026-11-23T00:00:00Z");
    }
    return f;
}

// ?after=ID&limit=N for a case's timeline, oldest first.
Expected<std::pair<Id, int>> DecodeTimelineQuery(const Request& req) {
    if (auto ok = CheckQuery(req, {"limit", "cursor"}); !ok) return std::unexpected(ok.error());
    auto limit = PageLimit(req);
    if (!limit) return std::unexpected(limit.error());
    auto cursor = PageCursor(req);
    if (!cursor) return std::unexpected(cursor.error());
    return std::pair<Id, int>(cursor->value_or(0), *limit);
}

Response NoCase(Id id) { return ErrorResponse(Error{ErrorCode::kNotFound, "no case " + std::to_string(id), ""}); }

// GET of one of a case's timelines (events, messages), oldest first, paged with ?cursor=&limit=.
template <typename T>
Handler TimelineRoute(ApiContext& api, std::vector<T> (store::Tx::*list)(Id, Id, int)) {
    return Authed(api, Role::kAgent, [&api, list](const Request& req, const PathParams& params, const Principal&,
                                                  Respond respond) {
        auto id = PathId(params);
        if (!id) return respond(ErrorResponse(id.error()));
        auto page = DecodeTimelineQuery(req);
        if (!page) return respond(ErrorResponse(page.error()));
        bool exists = false;
        std::vector<T> rows;
        api.store.Read([&](store::Tx& tx) {
            exists = tx.FindCase(*id).has_value();
            if (exists) rows = (tx.*list)(*id, page->first, page->second);
        });
        if (!exists) return respond(NoCase(*id));
        respond(JsonResponse(200, Page(rows, page->second)));
    });
}

}  // namespace

void PostCaseMessage(ApiContext& api, const Request& req, const Principal& who, Id id, Message m,
                     std::vector<std::string> completes, bool send, Respond respond) {
    Id customer_id = 0;
    if (m.direction == Direction::kOut) {
        // The coach reads the reply in its case's context before anything is stored.
        std::optional<Case> found;
        Expected<playbook::Progress> progress = Fail(ErrorCode::kInternal, "not read");
        api.store.Read([&](store::Tx& tx) {
            found = tx.FindCase(id);
            if (found) progress = api.recovery.ProgressOf(tx, id, api.clock.Now());
        });
        if (!found || !progress) return respond(NoCase(id));
        customer_id = found->customer_id;
        std::string step = progress->next_due ? std::string(playbook::Name(progress->next_due->step)) : "";
        auto coached = api.reply_coach.Check(m.body, customer_id, step, !progress->offers.empty(),
                                             api.clock.Now());
        if (!coached) return respond(ErrorResponse(coached.error()));
        if (coached->refusal) {
            auto refused = ErrorResponse(Error{ErrorCode::kUnprocessable, *coached->refusal, "body"});
            auto out = nlohmann::json::parse(refused.body);
            out["coach"] = nlohmann::json::parse(coached->report_json);
            refused.body = Dump(out);
            return respond(std::move(refused));
        }
        m.coach_report_json = std::move(coached->report_json);
    }
    Respond remember = [&api, respond = std::move(respond), customer_id, send, text = m.body](Response r) {
        if (r.status == 201 && customer_id) {
            api.reply_coach.Remember(customer_id, text, api.clock.Now());
            if (send && api.outbox_queued) api.outbox_queued();
        }
        respond(std::move(r));
    };
    Write(api, req, who,
          [&api, actor = who.Actor(), id, m = std::move(m), completes = std::move(completes),
           send](store::Tx& tx) -> Expected<app::Outcome> {
              auto added = app::AddMessage(tx, api.recovery, send ? &api.outbound : nullptr, actor, id,
                                           m, completes, api.clock.Now());
              if (!added) return std::unexpected(added.error());
              return CreatedLater(std::move(*added));
          },
          std::move(remember));
}

void RegisterCaseRoutes(Router& router, ApiContext& api) {
    router.Add("POST", "/api/v1/cases",
               Authed(api, Role::kAgent, [&api](const Request& req, const PathParams&, const Principal& who, Respond respond) {
                   auto body = ParseObject(req.body);
                   if (!body) return respond(ErrorResponse(body.error()));
                   auto n = DecodeNewCase(*body);
                   if (!n) return respond(ErrorResponse(n.error()));
                   Write(api, req, who,
                         [&api, actor = who.Actor(), n = std::move(*n)](store::Tx& tx) -> Expected<app::Outcome> {
                             auto opened = app::OpenCase(tx, api.recovery, actor, n.draft, n.customer, api.clock.Now());
                             if (!opened) return std::unexpected(opened.error());
                             if (api.status) api.status->LinkCase(tx, *opened, api.clock.Now());
                             return CreatedLater(std::move(*opened));
                         },
                         std::move(respond));
               }));

    router.Add("GET", "/api/v1/cases",
               Authed(api, Role::kAgent, [&api](const Request& req, const PathParams&, const Principal&, Respond respond) {
                   auto filter = DecodeCaseQuery(req);
                   if (!filter) return respond(ErrorResponse(filter.error()));
                   std::vector<Case> rows;
                   api.store.Read([&](store::Tx& tx) { rows = tx.ListCases(*filter); });
                   respond(JsonResponse(200, Page(rows, filter->limit)));
               }));

    router.Add("GET", "/api/v1/cases/{id}",
               Authed(api, Role::kAgent, [&api](const Request&, const PathParams& params, const Principal&, Respond respond) {
                   auto id = PathId(params);
                   if (!id) return respond(ErrorResponse(id.error()));
                   std::optional<Case> found;
                   nlohmann::json incidents = nlohmann::json::array();
                   api.store.Read([&](store::Tx& tx) {
                       found = tx.FindCase(*id);
                       if (found && api.status) incidents = api.status->CaseIncidentsJson(tx, *found);
                   });
                   if (!found) return respond(NoCase(*id));
                   nlohmann::json out = ToJson(*found);
                   out["incidents"] = std::move(incidents);  // what caused it, with a suggested reply
                   respond(JsonResponse(200, out));
               }));

    router.Add("PATCH", "/api/v1/cases/{id}",
               Authed(api, Role::kAgent, [&api](const Request& req, const PathParams& params, const Principal& who, Respond respond) {
                   auto id = PathId(params);
                   if (!id) return respond(ErrorResponse(id.error()));
                   auto body = ParseObject(req.body);
                   if (!body) return respond(ErrorResponse(body.error()));
                   auto patch = DecodeCasePatch(*body);
                   if (!patch) return respond(ErrorResponse(patch.error()));
                   Write(api, req, who,
                         [&api, actor = who.Actor(), id = *id, patch = std::move(*patch)](store::Tx& tx) -> Expected<app::Outcome> {
                             auto updated = app::UpdateCase(tx, api.recovery, actor, id, patch, api.clock.Now());
                             if (!updated) return std::unexpected(updated.error());
                             return Ok(ToJson(*updated));
                         },
                         std::move(respond));
               }));

    router.Add("GET", "/api/v1/cases/{id}/events", TimelineRoute<Event>(api, &store::Tx::ListEvents));

    router.Add("POST", "/api/v1/cases/{id}/events",
               Authed(api, Role::kAgent, [&api](const Request& req, const PathParams& params, const Principal& who, Respond respond) {
                   auto id = PathId(params);
                   if (!id) return respond(ErrorResponse(id.error()));
                   auto body = ParseObject(req.body);
                   if (!body) return respond(ErrorResponse(body.error()));
                   ObjectReader r(*body);
                   auto type = r.String("type", /*required=*/true).value_or("");
                   std::optional<std::string> note, data;
                   if (type == "note")
                       note = r.String("body", /*required=*/true);
                   else if (app::Recovery::Accepts(type))
                       data = r.Object("data").value_or("{}");
                   else if (!type.empty())
                       r.Fail("type", "must be note or a playbook evidence type (step.completed, step.waived, "
                                      "offer.made, offer.accepted, offer.declined, plan.changed, followup.answered, "
                                      "cause.linked, cause.one_off)");
                   if (auto ok = r.Finish(); !ok) return respond(ErrorResponse(ok.error()));
                   Write(api, req, who,
                         [&api, actor = who.Actor(), id = *id, type, note, data](store::Tx& tx) -> Expected<app::Outcome> {
                             auto added = note ? app::AddNote(tx, actor, id, *note, api.clock.Now())
                                               : api.recovery.RecordEvidence(tx, actor, id, type, *data, api.clock.Now());
                             if (!added) return std::unexpected(added.error());
                             return Created(ToJson(*added));
                         },
                         std::move(respond));
               }));

    router.Add("GET", "/api/v1/cases/{id}/progress",
               Authed(api, Role::kAgent, [&api](const Request& req, const PathParams& params, const Principal&, Respond respond) {
                   auto id = PathId(params);
                   if (!id) return respond(ErrorResponse(id.error()));
                   if (auto ok = CheckQuery(req, {}); !ok) return respond(ErrorResponse(ok.error()));
                   Expected<playbook::Progress> progress = Fail(ErrorCode::kInternal, "not read");
                   api.store.Read([&](store::Tx& tx) { progress = api.recovery.ProgressOf(tx, *id, api.clock.Now()); });
                   if (!progress) return respond(ErrorResponse(progress.error()));
                   nlohmann::json out = *progress;
                   out["case_id"] = *id;
                   respond(JsonResponse(200, out));
               }));

    router.Add("GET", "/api/v1/cases/{id}/messages", TimelineRoute<Message>(api, &store::Tx::ListMessages));

    router.Add("POST", "/api/v1/cases/{id}/messages",
               Authed(api, Role::kAgent, [&api](const Request& req, const PathParams& params, const Principal& who, Respond respond) {
                   auto id = PathId(params);
                   if (!id) return respond(ErrorResponse(id.error()));
                   auto body = ParseObject(req.body);
                   if (!body) return respond(ErrorResponse(body.error()));
                   ObjectReader r(*body);
                   Message m;
                   m.body = r.String("body", /*required=*/true).value_or("");
                   m.direction = r.Enum<Direction>("direction", kDirectionNames).value_or(Direction::kOut);
                   auto completes = r.StringArray("completes", kStepCountLimit).value_or(std::vector<std::string>{});
                   bool send = r.Bool("send").value_or(true);
                   if (r.Has("send") && send && m.direction == Direction::kIn)
                       r.Fail("send", "only an outbound message is sent; an inbound one is recorded");
                   if (auto ok = r.Finish(); !ok) return respond(ErrorResponse(ok.error()));
                   PostCaseMessage(api, req, who, *id, std::move(m), std::move(completes), send, std::move(respond));
               }));
}

}  // namespace amends::http
