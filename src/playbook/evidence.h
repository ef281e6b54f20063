#pragma once
// The evidence vocabulary: the event types (and their JSON data) through which a case's steps get done.
// The app appends these events; Derive (progress.h) reads them. docs/playbook.md lists every field.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/error.h"
#include "domain/model.h"
#include "domain/time.h"
#include "playbook/steps.h"

namespace amends::playbook {

// Event types the playbook reads. The first six are written by the app for its own reasons; the playbook gives
// `message.sent` one optional field, `completes`.
namespace event_type {
inline constexpr std::string_view kCaseOpened = "case.opened";
inline constexpr std::string_view kCaseStateChanged = "case.state_changed";  // {from, to}
inline constexpr std::string_view kMessageSent = "message.sent";  // {message_id, completes?: [step], automatic?}
inline constexpr std::string_view kMessageReceived = "message.received";  // {message_id}
inline constexpr std::string_view kStepCompleted = "step.completed";      // {step, evidence}: done outside a message
inline constexpr std::string_view kStepWaived = "step.waived";            // {step, reason}
inline constexpr std::string_view kOfferMade = "offer.made";          // {offer_id, summary, due, remedy?, cost_minor?}
inline constexpr std::string_view kOfferAccepted = "offer.accepted";  // {offer_id, comment?}
inline constexpr std::string_view kOfferDeclined = "offer.declined";  // {offer_id, comment?}
inline constexpr std::string_view kPlanChanged = "plan.changed";      // {what, new_due?}
inline constexpr std::string_view kFollowUpAnswered = "followup.answered";  // {score: 1..5, comment?}
inline constexpr std::string_view kCauseLinked = "cause.linked";            // {debrief_id}
inline constexpr std::string_view kCauseOneOff = "cause.one_off";           // {reason}
inline constexpr std::string_view kClockBreached = "clock.breached";        // {clock, due}
}  // namespace event_type

// Steps a contact with the customer (message.sent `completes`, step.completed `step`) may carry out. Offer and
// agree have their own events, fix_cause has cause.linked / cause.one_off.
bool IsContactStep(Step step);
// Steps that step.waived may declare not applicable: listen, offer, agree, confirm, follow_up.
bool IsWaivableStep(Step step);

// The playbook's reading of one event's data. Which fields are set depends on the type (see event_type).
struct Evidence {
    std::vector<Step> completes;   // message.sent: `completes`; step.completed, step.waived: {step}
    std::string text;              // step.completed `evidence`, step.waived / cause.one_off `reason`,
                                   // offer.accepted / offer.declined / followup.answered `comment`,
                                   // plan.changed `what`
    std::string offer_id;          // offer.*
    std::string summary;           // offer.made
    std::string remedy;            // offer.made (optional: refund, credit, replacement, ...)
    std::int64_t cost_minor = 0;   // offer.made: what it costs the customer, minor units (default 0)
    std::optional<TimePoint> due;  // offer.made `due`, plan.changed `new_due`, clock.breached `due`
    std::optional<CaseState> to;   // case.state_changed
    Id debrief_id = 0;             // cause.linked
    int score = 0;                 // followup.answered
    std::optional<Clock> clock;    // clock.breached
    bool automatic = false;        // message.sent `automatic`: sent by the system, not by a person
};

// True for the event types listed in event_type.
bool IsPlaybookEvent(std::string_view type);

// Parses and checks an event's data. For a type the playbook does not read, returns an empty Evidence.
// Errors are kInvalidArgument and name the JSON field ("completes[1]", "due", "score"). The app calls this
// before appending an event so that nothing it stores is ignored later.
Expected<Evidence> ParseEvidence(std::string_view type, std::string_view data_json);

}  // namespace amends::playbook
