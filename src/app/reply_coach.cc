#include "app/reply_coach.h"

#include "coach/boilerplate_index.h"
#include "coach/coach.h"

namespace amends::app {

namespace {

std::int64_t UnixSeconds(TimePoint t) { return ToUnixMillis(t) / 1000; }

}  // namespace

ReplyCoach::ReplyCoach(SendPolicy policy)
    : policy_(policy), index_(std::make_unique<coach::BoilerplateIndex>()) {}

ReplyCoach::~ReplyCoach() = default;

void ReplyCoach::LoadHistory(store::Store& store) {
    store.Read([&](store::Tx& tx) {
        tx.ForEachSentMessage([&](Id customer_id, const Message& m) {
            index_->Add(std::to_string(customer_id), m.body, UnixSeconds(m.created_at));
        });
    });
}

Expected<CoachedReply> ReplyCoach::Check(std::string_view text, Id customer_id, std::string_view step,
                                         bool remedy_offered, TimePoint now) const {
    coach::Context context;
    context.step = coach::ParseStep(step).value_or(coach::Step::kUnknown);
    context.fault = coach::Fault::kOurs;
    context.remedy_offered = remedy_offered;
    std::string customer = std::to_string(customer_id);
    context.sent = index_.get();
    context.customer = customer;
    context.now_unix = UnixSeconds(now);
    auto report = coach::Analyze(text, context);
    if (!report) return std::unexpected(report.error());
    CoachedReply out{coach::ToJson(*report), std::nullopt};
    if (policy_.refuse_blame && report->Has(coach::FindingKind::kBlameCustomer))
        out.refusal = "the reply blames the customer; the coach's findings say what to change";
    else if (policy_.require_apology_when_ours && !report->Has(coach::Element::kApology))
        out.refusal = "the fault is ours and the reply has no apology; the coach's findings say what to change";
    return out;
}

void ReplyCoach::Remember(Id customer_id, std::string_view text, TimePoint sent) {
    index_->Add(std::to_string(customer_id), text, UnixSeconds(sent));
}

}  // namespace amends::app
