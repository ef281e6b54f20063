#pragma once
// The use cases of customers and cases: each runs inside the Tx it is given (one unit of a group commit), checks
// the domain's rules, writes the rows, and appends the case events that record what changed. On an error nothing
// it wrote is kept, because the caller rolls the unit back.

#include <optional>
#include <string>

#include "domain/error.h"
#include "domain/model.h"
#include "app/outbound.h"
#include "app/recovery.h"
#include "store/store.h"

namespace amends::app {

// Fields a PATCH may change; an absent field is left alone, a present empty optional clears the value.
struct CustomerPatch {
    std::optional<std::optional<std::string>> external_ref;
    std::optional<std::string> name;
    std::optional<std::optional<std::string>> email;
    std::optional<std::optional<std::string>> phone;
    std::optional<std::string> attributes_json;
    std::optional<std::int64_t> value_minor;
};

struct CasePatch {
    std::optional<std::string> subject;
    std::optional<std::string> description;
    std::optional<std::string> category;
    std::optional<Severity> severity;
    std::optional<std::optional<std::string>> reference;
    std::optional<CaseState> state;
    std::optional<std::optional<Id>> assignee_id;
};

Expected<Customer> CreateCustomer(store::Tx& tx, Customer draft, TimePoint now);
Expected<Customer> UpdateCustomer(store::Tx& tx, Id id, const CustomerPatch& patch, TimePoint now);
// The customer `wanted` names: matched by external_ref, then by email, and created when neither matches (as a
// helpdesk does for a new requester). Only a customer created needs a name. Errors name the field of `wanted`.
Expected<Customer> MatchOrCreateCustomer(store::Tx& tx, const Customer& wanted, TimePoint now);

// Opens a case. The customer is `draft.customer_id`, or else `new_customer`: matched by external_ref, then by
// email, and created when neither matches (as a helpdesk does for a new requester).
// Every use case that changes a case's events also brings its clocks up to date (Recovery::Reschedule).
Expected<Case> OpenCase(store::Tx& tx, const Recovery& recovery, const std::string& actor, Case draft,
                        const std::optional<Customer>& new_customer, TimePoint now);
Expected<Case> UpdateCase(store::Tx& tx, const Recovery& recovery, const std::string& actor, Id id,
                          const CasePatch& patch, TimePoint now);
// Records a message on a case: "out" from staff, "in" from the customer (an inbound message reopens a case that
// was waiting on the customer). An outbound message may name the playbook steps it carries out (`completes`:
// acknowledge, apologize, listen, confirm, keep_informed, follow_up). When `mail` is given, an outbound message is
// also queued as an email to the customer (when they have an address), in the same unit.
Expected<Message> AddMessage(store::Tx& tx, const Recovery& recovery, const Outbound* mail, const std::string& actor,
                             Id case_id, Message draft, const std::vector<std::string>& completes, TimePoint now);
// Appends an internal note to a case's timeline.
Expected<Event> AddNote(store::Tx& tx, const std::string& actor, Id case_id, const std::string& body, TimePoint now);

}  // namespace amends::app
