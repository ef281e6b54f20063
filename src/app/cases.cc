#include "app/cases.h"

#include <nlohmann/json.hpp>

#include "app/debriefs.h"
#include "playbook/evidence.h"

namespace amends::app {

namespace {

using nlohmann::json;

json Opt(const std::optional<std::string>& v) { return v ? json(*v) : json(nullptr); }
json Opt(const std::optional<Id>& v) { return v ? json(*v) : json(nullptr); }

Event MakeEvent(Id case_id, std::string type, const std::string& actor, const json& data, TimePoint now) {
    return Event{0, case_id, std::move(type), actor, data.dump(), now};
}

// Closed is final; everything else may move to any other state.
Expected<void> CheckTransition(CaseState from, CaseState to) {
    if (from == CaseState::kClosed && to != CaseState::kClosed)
        return Fail(ErrorCode::kConflict, "a closed case cannot be reopened; open a new case", "state");
    return {};
}

}  // namespace

Expected<Customer> CreateCustomer(store::Tx& tx, Customer draft, TimePoint now) {
    draft.id = 0;
    draft.created_at = draft.updated_at = now;
    if (auto ok = Validate(draft); !ok) return std::unexpected(ok.error());
    auto id = tx.InsertCustomer(draft);
    if (!id) return std::unexpected(id.error());
    draft.id = *id;
    return draft;
}

Expected<Customer> UpdateCustomer(store::Tx& tx, Id id, const CustomerPatch& patch, TimePoint now) {
    auto found = tx.FindCustomer(id);
    if (!found) return Fail(ErrorCode::kNotFound, "no customer " + std::to_string(id));
    Customer c = *found;
    if (patch.external_ref) c.external_ref = *patch.external_ref;
    if (patch.name) c.name = *patch.name;
    if (patch.email) c.email = *patch.email;
    if (patch.phone) c.phone = *patch.phone;
    if (patch.attributes_json) c.attributes_json = *patch.attributes_json;
    if (patch.value_minor) c.value_minor = *patch.value_minor;
    c.updated_at = now;
    if (auto ok = Validate(c); !ok) return std::unexpected(ok.error());
    if (auto ok = tx.UpdateCustomer(c); !ok) return std::unexpected(ok.error());
    return c;
}

Expected<Customer> MatchOrCreateCustomer(store::Tx& tx, const Customer& wanted, TimePoint now) {
    if (wanted.external_ref)
        if (auto found = tx.FindCustomerByExternalRef(*wanted.external_ref)) return *found;
    if (wanted.email)
        if (auto found = tx.FindCustomerByEmail(*wanted.email)) return *found;
    if (wanted.name.find_first_not_of(" \t\r\n") == std::string::npos)
        return InvalidField("name", wanted.external_ref || wanted.email
                                        ? "name is required: no customer has this external_ref or email, so one is created"
                                        : "name is required (or an external_ref or email that matches a customer)");
    return CreateCustomer(tx, wanted, now);
}

Expected<Case> OpenCase(store::Tx& tx, const Recovery& recovery, const std::string& actor, Case draft,
                        const std::optional<Customer>& new_customer, TimePoint now) {
    Customer customer;
    if (new_customer) {
        auto resolved = MatchOrCreateCustomer(tx, *new_customer, now);
        if (!resolved) {
            auto e = resolved.error();
            e.field = "customer." + e.field;
            return std::unexpected(e);
        }
        customer = std::move(*resolved);
        draft.customer_id = customer.id;
    } else if (auto found = tx.FindCustomer(draft.customer_id)) {
        customer = std::move(*found);
    } else {
        return Fail(ErrorCode::kUnprocessable, "no customer " + std::to_string(draft.customer_id), "customer_id");
    }
    if (draft.assignee_id && !tx.FindUser(*draft.assignee_id))
        return Fail(ErrorCode::kUnprocessable, "no user " + std::to_string(*draft.assignee_id), "assignee_id");
    draft.id = 0;
    draft.state = CaseState::kOpen;
    draft.created_at = draft.updated_at = now;
    if (auto ok = Validate(draft); !ok) return std::unexpected(ok.error());
    draft.id = tx.InsertCase(draft);
    Event opened = MakeEvent(draft.id, "case.opened", actor,
                             json{{"customer_id", draft.customer_id},
                                  {"subject", draft.subject},
                                  {"channel", Name(draft.channel)},
                                  {"category", draft.category},
                                  {"severity", Name(draft.severity)},
                                  {"reference", Opt(draft.reference)}},
                             now);
    opened.id = tx.AppendEvent(opened);
    recovery.Reschedule(tx, draft, customer, std::span<const Event>(&opened, 1), now);
    ReopenOnRecurrence(tx, draft, now);  // a case of the kind a completed corrective action was to stop
    return draft;
}

Expected<Case> UpdateCase(store::Tx& tx, const Recovery& recovery, const std::string& actor, Id id,
                          const CasePatch& patch, TimePoint now) {
    auto found = tx.FindCase(id);
    if (!found) return Fail(ErrorCode::kNotFound, "no case " + std::to_string(id));
    const Case before = *found;
    Case c = before;
    json changes = json::object();
    auto note = [&](const char* field, json from, json to) {
        if (from != to) changes[field] = {{"from", std::move(from)}, {"to", std::move(to)}};
    };
    if (patch.subject) c.subject = *patch.subject, note("subject", before.subject, c.subject);
    if (patch.description) c.description = *patch.description, note("description", before.description, c.description);
    if (patch.category) c.category = *patch.category, note("category", before.category, c.category);
    if (patch.severity) c.severity = *patch.severity, note("severity", Name(before.severity), Name(c.severity));
    if (patch.reference) c.reference = *patch.reference, note("reference", Opt(before.reference), Opt(c.reference));
    if (patch.assignee_id) {
        c.assignee_id = *patch.assignee_id;
        if (c.assignee_id && !tx.FindUser(*c.assignee_id))
            return Fail(ErrorCode::kUnprocessable, "no user " + std::to_string(*c.assignee_id), "assignee_id");
    }
    if (patch.state) {
        if (auto ok = CheckTransition(before.state, *patch.state); !ok) return std::unexpected(ok.error());
        c.state = *patch.state;
    }
    if (auto ok = Validate(c); !ok) return std::unexpected(ok.error());
    bool assigned = c.assignee_id != before.assignee_id;
    bool state_changed = c.state != before.state;
    if (changes.empty() && !assigned && !state_changed) return c;  // nothing to record
    c.updated_at = now;
    tx.UpdateCase(c);
    if (!changes.empty()) tx.AppendEvent(MakeEvent(id, "case.updated", actor, json{{"changes", changes}}, now));
    if (assigned)
        tx.AppendEvent(MakeEvent(id, "case.assigned", actor,
                                 json{{"from", Opt(before.assignee_id)}, {"to", Opt(c.assignee_id)}}, now));
    if (state_changed)
        tx.AppendEvent(MakeEvent(id, "case.state_changed", actor,
                                 json{{"from", Name(before.state)}, {"to", Name(c.state)}}, now));
    // Severity and category choose the clock policy, the state pauses or stops clocks: any change may move them.
    recovery.Reschedule(tx, id, now);
    return c;
}

Expected<Message> AddMessage(store::Tx& tx, const Recovery& recovery, const Outbound* mail, const std::string& actor,
                             Id case_id, Message draft, const std::vector<std::string>& completes, TimePoint now) {
    auto found = tx.FindCase(case_id);
    if (!found) return Fail(ErrorCode::kNotFound, "no case " + std::to_string(case_id));
    if (found->state == CaseState::kClosed)
        return Fail(ErrorCode::kConflict, "case " + std::to_string(case_id) + " is closed", "case_id");
    draft.id = 0;
    draft.case_id = case_id;
    draft.author = draft.direction == Direction::kIn ? "customer" : actor;
    draft.created_at = now;
    if (auto ok = Validate(draft); !ok) return std::unexpected(ok.error());
    bool inbound = draft.direction == Direction::kIn;
    if (inbound && !completes.empty())
        return InvalidField("completes", "only an outbound message carries out playbook steps");
    json data{{"message_id", 0}};
    if (!completes.empty()) data["completes"] = completes;
    if (auto ok = playbook::ParseEvidence(inbound ? "message.received" : "message.sent", data.dump()); !ok) {
        auto e = ok.error();
        e.field = e.field.starts_with("completes") ? e.field : "completes";
        return std::unexpected(e);
    }
    draft.id = tx.InsertMessage(draft);
    data["message_id"] = draft.id;
    if (mail && !inbound) {
        auto customer = tx.FindCustomer(found->customer_id);
        if (!customer) throw store::StoreFailure("case " + std::to_string(case_id) + " has no customer row");
        draft.delivery = mail->QueueReply(tx, *found, *customer, draft, now);
        if (draft.delivery) data["email"] = draft.delivery->recipient;
    }
    tx.AppendEvent(MakeEvent(case_id, inbound ? "message.received" : "message.sent", actor, data, now));
    if (inbound && found->state == CaseState::kWaitingOnCustomer) {
        Case c = *found;
        c.state = CaseState::kOpen;
        c.updated_at = now;
        tx.UpdateCase(c);
        tx.AppendEvent(MakeEvent(case_id, "case.state_changed", "system",
                                 json{{"from", Name(found->state)}, {"to", Name(c.state)}, {"why", "customer replied"}},
                                 now));
    }
    recovery.Reschedule(tx, case_id, now);
    return draft;
}

Expected<Event> AddNote(store::Tx& tx, const std::string& actor, Id case_id, const std::string& body, TimePoint now) {
    if (!tx.FindCase(case_id)) return Fail(ErrorCode::kNotFound, "no case " + std::to_string(case_id));
    Message probe;
    probe.body = body;
    if (auto ok = Validate(probe); !ok) return std::unexpected(ok.error());
    Event e = MakeEvent(case_id, "note.added", actor, json{{"body", body}}, now);
    e.id = tx.AppendEvent(e);
    return e;
}

}  // namespace amends::app
