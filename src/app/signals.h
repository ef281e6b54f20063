#pragma once
// Signals: the business's own systems report a fact about one customer ("order.delayed" for "order 123", with the
// new date). A rule of the config maps the signal's type to a proactive notice and a case on the playbook, so the
// customer hears before they ask: the first signal for a reference opens the case and sends the notice (which
// acknowledges and apologizes); a later signal for the same reference with new facts sends a personal update on
// the same case (keeping them informed); a repeat with the same facts sends nothing, so the same text never goes
// twice. Notices are outbound messages of the case, so they go through the outbox with the case page link.
// A detail the notice to send always renders (details.new_date outside any {{#section}}) must be in the signal: one
// missing, null or blank is an error naming details.<name>, and nothing is written. The customer is customer_id, or
// a customer object matched by external_ref, then email; it needs a name only when none matches and it is created.

#include <optional>
#include <string>
#include <vector>

#include "app/outbound.h"
#include "app/recovery.h"
#include "domain/error.h"
#include "domain/model.h"
#include "store/store.h"

namespace amends::app {

struct SignalRule {
    std::string type;      // "order.delayed"
    std::string category = "delivery";
    Severity severity = Severity::kNormal;
    std::string subject;   // mustache over {customer, ref, details.*}: the case's subject
    std::string first;     // the first notice
    std::string update;    // a later notice for the same reference (new facts)
};

// The built-in rules (order.delayed, order.cancelled, service.disrupted); [[signals]] in the config adds or replaces.
std::vector<SignalRule> DefaultSignalRules();
// Checks a rule's templates; the error names the field (signals[i].first, ...).
Expected<void> ValidateRule(const SignalRule& rule, const std::string& field_prefix);

struct Signal {
    std::string type;
    std::optional<Id> customer_id;
    std::optional<Customer> customer;  // matched by external_ref, then email, else created
    std::string ref;                   // what it is about: "order 123"
    std::string details_json = "{}";   // the facts: {"new_date": "2026-11-30", ...}
};

struct SignalOutcome {
    Case c;
    bool case_opened = false;
    std::optional<Message> notice;  // none when the facts did not change
};

// Records a signal in the caller's unit. `rules` must outlive the call.
Expected<SignalOutcome> RecordSignal(store::Tx& tx, const Recovery& recovery, const Outbound& mail,
                                     const std::vector<SignalRule>& rules, const Signal& signal, TimePoint now);

}  // namespace amends::app
