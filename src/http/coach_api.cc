// POST /api/v1/coach: the reply coach's report on a draft, before it is sent.

#include "coach/coach.h"
#include "http/api_support.h"
#include "http/json_codec.h"
#include "playbook/steps.h"

namespace amends::http {

namespace {

// The coach's step for the playbook's next due step of a case.
coach::Step CoachStep(std::string_view playbook_step) {
    return coach::ParseStep(playbook_step).value_or(coach::Step::kUnknown);
}

}  // namespace

void RegisterCoachRoutes(Router& router, ApiContext& api) {
    router.Add("POST", "/api/v1/coach",
               Authed(api, Role::kAgent, [&api](const Request& req, const PathParams&, const Principal&, Respond respond) {
                   auto body = ParseObject(req.body);
                   if (!body) return respond(ErrorResponse(body.error()));
                   ObjectReader r(*body);
                   auto text = r.String("text", /*required=*/true).value_or("");
                   auto case_id = r.Integer("case_id", 1, std::numeric_limits<std::int64_t>::max());
                   coach::Context context;
                   context.fault = coach::Fault::kOurs;  // amends handles the business's own mistakes
                   if (const nlohmann::json* c = r.Nested("context")) {
                       ObjectReader cr(*c, "context.");
                       if (auto step = cr.String("step")) {
                           auto parsed = coach::ParseStep(*step);
                           if (!parsed) cr.Fail("step", "must be a playbook step such as acknowledge or offer");
                           context.step = parsed.value_or(coach::Step::kUnknown);
                       }
                       if (auto fault = cr.String("fault")) {
                           auto parsed = coach::ParseFault(*fault);
                           if (!parsed) cr.Fail("fault", "must be ours, not_ours or unknown");
                           context.fault = parsed.value_or(coach::Fault::kUnknown);
                       }
                       if (cr.Has("remedy_offered")) {
                           const auto& v = (*c)["remedy_offered"];
                           if (!v.is_boolean()) cr.Fail("remedy_offered", "must be true or false");
                           else context.remedy_offered = v.get<bool>();
                       }
                       if (auto ok = cr.Finish(); !ok) r.Fail(ok.error());
                   }
                   if (auto ok = r.Finish(); !ok) return respond(ErrorResponse(ok.error()));
                   if (case_id) {  // the case tells the step and whether a remedy was offered
                       Expected<playbook::Progress> progress = Fail(ErrorCode::kInternal, "not read");
                       api.store.Read([&](store::Tx& tx) { progress = api.recovery.ProgressOf(tx, *case_id, api.clock.Now()); });
                       if (!progress) {
                           auto e = progress.error();
                           if (e.code == ErrorCode::kNotFound) e = Error{ErrorCode::kUnprocessable, e.message, "case_id"};
                           return respond(ErrorResponse(e));
                       }
                       if (context.step == coach::Step::kUnknown && progress->next_due)
                           context.step = CoachStep(playbook::Name(progress->next_due->step));
                       context.remedy_offered = context.remedy_offered || !progress->offers.empty();
                   }
                   auto report = coach::Analyze(text, context);
                   if (!report) return respond(ErrorResponse(report.error()));
                   Response out;
                   out.body = coach::ToJson(*report);
                   respond(std::move(out));
               }));
}

}  // namespace amends::http
