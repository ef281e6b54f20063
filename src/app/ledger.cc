#include "app/ledger.h"

#include "app/webhooks.h"

#include <array>
#include <charconv>
#include <cstdint>
#include <memory>
#include <unordered_map>

#include "playbook/evidence.h"
#include "policy/json.h"

namespace amends::app {

namespace {

using nlohmann::json;

constexpr auto kYear = std::chrono::hours(24 * 365);
constexpr auto kDefaultOfferDue = std::chrono::hours(72);

// Facts amends fills itself; a caller may not set them.
constexpr std::string_view kOwnFacts[] = {"subject", "subject_id", "customer_id", "remedied_this_year_minor"};

std::string RoleName(Role r) { return std::string(Name(r)); }

Role RoleOf(const std::string& name) { return ParseIn<Role>(kRoleNames, name).value_or(Role::kAdmin); }

json Opt(const std::optional<Id>& v) { return v ? json(*v) : json(nullptr); }

store::LedgerEntry EntryOf(const policy::Proposal& p, const store::RemedyProposal& proposal,
                           const std::string& category) {
    store::LedgerEntry e;
    e.proposal_id = proposal.id;
    e.subject = proposal.subject;
    e.subject_id = proposal.subject_id;
    e.customer_id = proposal.customer_id;
    e.rule = p.rule_id;
    e.kind = std::string(policy::Name(p.kind));
    e.category = category;
    e.amount_minor = p.amount_minor;
    e.percent = p.percent;
    e.description = p.description;
    return e;
}

std::vector<store::LedgerEntry> EntriesOf(store::Tx& tx, Id proposal_id) {
    store::LedgerFilter f;
    f.proposal_id = proposal_id;
    f.limit = 10000;
    return tx.ListLedger(f);
}

ProposalView ViewOf(store::Tx& tx, store::RemedyProposal proposal) {
    ProposalView v;
    v.entries = EntriesOf(tx, proposal.id);
    v.proposal = std::move(proposal);
    return v;
}

// Appends an `issued` entry for each proposed remedy of the proposal; remedies issued before are listed.
Expected<ProposalView> IssueProposal(store::Tx& tx, store::RemedyProposal proposal, const std::string& actor,
                                     TimePoint now) {
    if (proposal.state == "awaiting_approval")
        return Fail(ErrorCode::kConflict,
                    "proposal " + std::to_string(proposal.id) + " awaits approval by a " + proposal.approver, "state");
    if (proposal.state == "declined")
        return Fail(ErrorCode::kConflict, "the customer declined proposal " + std::to_string(proposal.id), "state");
    std::vector<std::string> already;
    for (const auto& e : EntriesOf(tx, proposal.id)) {
        if (e.type != "proposed") continue;
        store::LedgerEntry issued = e;
        issued.id = 0;
        issued.type = "issued";
        issued.actor = actor;
        issued.note.clear();
        issued.at = now;
        if (auto id = tx.AppendLedgerEntry(issued)) {
            issued.id = *id;
            OnRemedyIssued(tx, issued);
        } else {
            already.push_back(e.rule);
        }
    }
    if (proposal.state != "issued") {
        proposal.state = "issued";
        proposal.updated_at = now;
        tx.UpdateProposal(proposal);
    }
    auto view = ViewOf(tx, std::move(proposal));
    view.already_issued = std::move(already);
    return view;
}

// The offer that carries a proposal to the customer (offer id "remedy-<id>"), recorded as playbook evidence.
Expected<void> Offer(store::Tx& tx, const Recovery& recovery, store::RemedyProposal& proposal, const std::string& actor,
                     TimePoint now) {
    proposal.state = "offered";
    proposal.updated_at = now;
    if (proposal.subject != "case" || !proposal.case_id) {
        tx.UpdateProposal(proposal);
        return {};
    }
    proposal.offer_id = "remedy-" + std::to_string(proposal.id);
    auto evaluation = json::parse(proposal.evaluation_json, nullptr, false);
    std::string summary = "To make this right: ";
    std::string first_kind;
    const json& proposals = evaluation.is_object() && evaluation.contains("proposals") ? evaluation["proposals"]
                                                                                       : json::array();
    for (std::size_t i = 0; i < proposals.size(); ++i) {
        if (i > 0) summary += i + 1 == proposals.size() ? ", and " : ", ";
        summary += proposals[i].value("description", "");
        if (i == 0) first_kind = proposals[i].value("kind", "");
    }
    summary += ".";
    json data{{"offer_id", *proposal.offer_id},
              {"summary", summary},
              {"due", FormatRfc3339(proposal.due_at.value_or(now + kDefaultOfferDue))}};
    if (!first_kind.empty()) data["remedy"] = first_kind;
    tx.UpdateProposal(proposal);
    auto recorded = recovery.RecordEvidence(tx, actor, *proposal.case_id,
                                            std::string(playbook::event_type::kOfferMade), data.dump(), now);
    if (!recorded) return std::unexpected(recorded.error());
    return {};
}

void AppendApprovals(store::Tx& tx, const store::RemedyProposal& proposal, const std::string& actor,
                     const std::string& note, TimePoint now) {
    for (const auto& e : EntriesOf(tx, proposal.id)) {
        if (e.type != "proposed") continue;
        store::LedgerEntry approved = e;
        approved.id = 0;
        approved.type = "approved";
        approved.actor = actor;
        approved.note = note;
        approved.at = now;
        tx.AppendLedgerEntry(approved);
    }
}


// Facts an incident's customer carries in their details (the CSV's extra columns, or the API's details object).
constexpr std::pair<const char*, std::int64_t policy::Facts::*> kDetailFacts[] = {
    {"late_minutes", &policy::Facts::late_minutes},
    {"downtime_minutes", &policy::Facts::downtime_minutes},
    {"order_value_minor", &policy::Facts::order_value_minor},
    {"item_value_minor", &policy::Facts::item_value_minor},
    {"invoice_value_minor", &policy::Facts::invoice_value_minor},
    {"loss_minor", &policy::Facts::loss_minor},
    {"mistakes_this_year", &policy::Facts::mistakes_this_year}};

// The top-level members of a customer's details that name a fact, read without building the whole document (a bulk
// credit reads a million of them: building the DOM was an eighth of its writer's instructions). Values of members
// named twice: the last, as the parser's DOM keeps it. Anything but a number or a string is `other`.
class DetailFactsReader : public json::json_sax_t {
public:
    struct Value {
        enum class Type : std::uint8_t { kNone, kInteger, kUnsigned, kString, kOther } type = Type::kNone;
        std::int64_t integer = 0;
        std::uint64_t unsigned_integer = 0;
        std::string text;
    };
    static constexpr std::size_t kCategory = std::size(kDetailFacts);
    std::array<Value, std::size(kDetailFacts) + 1> values;  // kDetailFacts' order, then category

    bool null() override { return Set(Value::Type::kOther); }
    bool boolean(bool) override { return Set(Value::Type::kOther); }
    bool number_integer(number_integer_t v) override {
        if (Value* slot = Slot()) slot->type = Value::Type::kInteger, slot->integer = v;
        return true;
    }
    bool number_unsigned(number_unsigned_t v) override {
        if (Value* slot = Slot()) slot->type = Value::Type::kUnsigned, slot->unsigned_integer = v;
        return true;
    }
    bool number_float(number_float_t, const string_t&) override { return Set(Value::Type::kOther); }
    bool string(string_t& v) override {
        if (Value* slot = Slot()) slot->type = Value::Type::kString, slot->text = std::move(v);
        return true;
    }
    bool binary(binary_t&) override { return Set(Value::Type::kOther); }
    bool start_object(std::size_t) override {
        if (depth_ == 0) top_level_object_ = true;
        return Open();
    }
    bool end_object() override { return Close(); }
    bool start_array(std::size_t) override { return Open(); }
    bool end_array() override { return Close(); }
    bool key(string_t& k) override {
        if (depth_ != 1) return true;
        current_ = kNoSlot;
        for (std::size_t i = 0; i < std::size(kDetailFacts); ++i)
            if (k == kDetailFacts[i].first) current_ = i;
        if (k == "category") current_ = kCategory;
        return true;
    }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override { return false; }
    bool top_level_object() const { return top_level_object_; }

private:
    static constexpr std::size_t kNoSlot = SIZE_MAX;
    Value* Slot() { return depth_ == 1 && current_ != kNoSlot ? &values[current_] : nullptr; }
    bool Set(Value::Type type) {
        if (Value* slot = Slot()) slot->type = type;
        return true;
    }
    bool Open() {
        Set(Value::Type::kOther);
        ++depth_;
        return true;
    }
    bool Close() {
        --depth_;
        if (depth_ == 1) current_ = kNoSlot;
        return true;
    }

    int depth_ = 0;
    std::size_t current_ = kNoSlot;
    bool top_level_object_ = false;
};

// A whole number from a detail: a JSON integer or a string of digits, from 0 to policy::kMaxMinor.
bool WholeNumber(const DetailFactsReader::Value& v, std::int64_t& out) {
    using Type = DetailFactsReader::Value::Type;
    if (v.type == Type::kUnsigned) {
        if (v.unsigned_integer > static_cast<std::uint64_t>(policy::kMaxMinor)) return false;
        out = static_cast<std::int64_t>(v.unsigned_integer);
        return true;
    }
    if (v.type == Type::kInteger) {
        out = v.integer;
        return out >= 0 && out <= policy::kMaxMinor;
    }
    if (v.type != Type::kString) return false;
    const std::string& s = v.text;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && end == s.data() + s.size() && !s.empty() && out >= 0 && out <= policy::kMaxMinor;
}

Expected<void> ApplyDetails(const std::string& details_json, Id customer_id, policy::Facts& f) {
    if (details_json.size() <= 2) return {};  // "{}"
    // Most details name no fact (an order number, a new date): skip parsing those.
    if (details_json.find("_minor") == std::string::npos && details_json.find("_minutes") == std::string::npos &&
        details_json.find("mistakes_this_year") == std::string::npos && details_json.find("category") == std::string::npos)
        return {};
    DetailFactsReader reader;
    if (!json::sax_parse(details_json, &reader) || !reader.top_level_object()) return {};
    for (std::size_t i = 0; i < std::size(kDetailFacts); ++i) {
        const auto& [key, member] = kDetailFacts[i];
        if (reader.values[i].type == DetailFactsReader::Value::Type::kNone) continue;
        std::int64_t v = 0;
        if (!WholeNumber(reader.values[i], v))
            return Fail(ErrorCode::kUnprocessable,
                        "customer " + std::to_string(customer_id) + ": details." + key +
                            " must be a whole number from 0 to 10^15",
                        std::string("details.") + key);
        f.*member = v;
    }
    if (const auto& category = reader.values[DetailFactsReader::kCategory];
        category.type == DetailFactsReader::Value::Type::kString)
        f.category = category.text;
    return {};
}

// The facts every customer of a bulk credit starts from: the request's, then the incident's.
Expected<policy::Facts> BaseFacts(const IncidentFacts& incident, const json& given) {
    if (!given.is_object()) return InvalidField("facts", "facts must be a JSON object");
    json j = given;
    for (auto own : kOwnFacts)
        if (j.contains(own)) return InvalidField("facts." + std::string(own), std::string(own) + " is set by amends");
    if (!j.contains("category")) j["category"] = "outage";
    if (!j.contains("impact")) j["impact"] = policy::Name(incident.impact);
    if (!j.contains("downtime_minutes")) j["downtime_minutes"] = incident.downtime_minutes;
    if (!j.contains("mistakes_this_year")) j["mistakes_this_year"] = 1;
    auto f = policy::ParseFacts(j);
    if (!f) {
        auto e = f.error();
        e.field = "facts." + e.field;
        return std::unexpected(e);
    }
    f->subject = policy::Subject::kIncident;
    return f;
}

std::string CsvField(std::string_view v, bool text) {
    std::string s(v);
    // A text cell that a spreadsheet would read as a formula is prefixed with a quote (OWASP CSV injection).
    if (text && !s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r'))
        s.insert(s.begin(), '\'');
    if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

std::int64_t Signed(const store::LedgerEntry& e) {
    if (e.type == "issued") return e.amount_minor;
    if (e.type == "reversed") return -e.amount_minor;
    return 0;
}

}  // namespace

void OnRemedyIssued(store::Tx& tx, const store::LedgerEntry& issued, const std::vector<store::Webhook>* subscriptions) {
    // The `remedy.issued` signed webhook, for billing systems: queued in the issuing unit, once per issued remedy
    // (dedupe key per subscription and remedy), to page-wide subscriptions that name the event.
    std::vector<store::Webhook> looked_up;
    if (!subscriptions) {
        looked_up = tx.ListPageWebhooks();
        subscriptions = &looked_up;
    }
    for (const auto& w : *subscriptions) {
        if (!Wants(w, "remedy.issued")) continue;
        json payload{{"event", "remedy.issued"},
                     {"remedy",
                      {{"ledger_id", issued.id},
                       {"customer_id", issued.customer_id},
                       {"subject", issued.subject},
                       {"subject_id", issued.subject_id},
                       {"rule", issued.rule},
                       {"kind", issued.kind},
                       {"category", issued.category},
                       {"amount_minor", issued.amount_minor},
                       {"percent", issued.percent},
                       {"description", issued.description},
                       {"issued_at", FormatRfc3339(issued.at)}}}};
        QueueWebhook(tx, w, "remedy.issued", payload.dump(),
                     "webhook:" + std::to_string(w.id) + ":remedy.issued:" + RemedyKeyText(issued), issued.at);
    }
}

Expected<policy::Facts> RemedyLedger::CaseFacts(store::Tx& tx, Id case_id, const json& overrides,
                                                TimePoint now) const {
    auto c = tx.FindCase(case_id);
    if (!c) return Fail(ErrorCode::kNotFound, "no case " + std::to_string(case_id));
    auto customer = tx.FindCustomer(c->customer_id);
    if (!customer) throw store::StoreFailure("case " + std::to_string(case_id) + " has no customer row");
    if (!overrides.is_object()) return InvalidField("facts", "facts must be a JSON object");
    policy::Facts f = policy::FactsOf(*c, *customer);
    store::CaseFilter cases;
    cases.customer_id = customer->id;
    cases.since = now - kYear;
    cases.limit = 100000;
    f.mistakes_this_year = std::max<std::int64_t>(1, static_cast<std::int64_t>(tx.ListCases(cases).size()));
    json j = f;
    for (const auto& [key, value] : overrides.items()) {
        for (auto own : kOwnFacts)
            if (key == own) return InvalidField("facts." + key, key + " is set by amends");
        j[key] = value;
    }
    auto parsed = policy::ParseFacts(j);
    if (!parsed) {
        auto e = parsed.error();
        e.field = "facts." + e.field;
        return std::unexpected(e);
    }
    parsed->remedied_this_year_minor = tx.RemediedSince(customer->id, now - kYear);
    return parsed;
}

Expected<json> RemedyLedger::Propose(store::Tx& tx, const Principal& who, Id case_id, const ProposeInput& input,
                                     TimePoint now) const {
    auto facts = CaseFacts(tx, case_id, input.facts, now);
    if (!facts) return std::unexpected(facts.error());
    auto evaluation = policy::Evaluate(policy_, *facts);
    json evaluation_json = evaluation;
    if (input.dry_run) return json{{"dry_run", true}, {"facts", *facts}, {"evaluation", evaluation_json}};
    auto c = tx.FindCase(case_id);
    if (c->state == CaseState::kClosed)
        return Fail(ErrorCode::kConflict, "case " + std::to_string(case_id) + " is closed", "case_id");
    if (evaluation.outcome != policy::Outcome::kProposed)
        return Fail(ErrorCode::kUnprocessable,
                    "the policy proposes no remedy for these facts (" + std::string(policy::Name(evaluation.outcome)) +
                        "); \"dry_run\": true shows why",
                    "facts");
    if (input.due && *input.due <= now) return InvalidField("due", "due must be in the future");

    store::RemedyProposal p;
    p.subject = "case";
    p.subject_id = std::to_string(case_id);
    p.case_id = case_id;
    p.customer_id = c->customer_id;
    p.policy = evaluation.policy;
    p.total_minor = evaluation.total_minor;
    p.approver = RoleName(evaluation.approver);
    p.state = "awaiting_approval";  // Offer() below moves it on when the proposer may issue it
    p.due_at = input.due.value_or(now + kDefaultOfferDue);
    p.evaluation_json = evaluation_json.dump();
    p.created_by = who.Actor();
    p.created_at = p.updated_at = now;
    p.id = tx.InsertProposal(p);
    for (const auto& proposal : evaluation.proposals) {
        auto e = EntryOf(proposal, p, facts->category);
        e.type = "proposed";
        e.actor = who.Actor();
        e.note = proposal.reason;
        e.at = now;
        tx.AppendLedgerEntry(e);
    }
    if (who.role >= evaluation.approver) {
        if (evaluation.approver != Role::kAgent)
            AppendApprovals(tx, p, who.Actor(), "proposed within the " + RoleName(who.role) + " limit", now);
        if (auto offered = Offer(tx, recovery_, p, who.Actor(), now); !offered) return std::unexpected(offered.error());
    }
    return ProposalJson(ViewOf(tx, p));
}

Expected<ProposalView> RemedyLedger::Approve(store::Tx& tx, const Principal& who, Id proposal_id,
                                             const std::string& note, TimePoint now) const {
    auto p = tx.FindProposal(proposal_id);
    if (!p) return Fail(ErrorCode::kNotFound, "no proposal " + std::to_string(proposal_id));
    if (p->state != "awaiting_approval")
        return Fail(ErrorCode::kConflict, "proposal " + std::to_string(proposal_id) + " is " + p->state +
                                              ", not awaiting approval", "state");
    Role needed = RoleOf(p->approver);
    if (who.role < needed)
        return Fail(ErrorCode::kPermissionDenied, "proposal " + std::to_string(proposal_id) + " needs a " +
                                                      p->approver + " to approve it; " + who.name + " is " +
                                                      RoleName(who.role));
    AppendApprovals(tx, *p, who.Actor(), note, now);
    if (auto offered = Offer(tx, recovery_, *p, who.Actor(), now); !offered) return std::unexpected(offered.error());
    if (p->subject == "incident") return IssueProposal(tx, *p, who.Actor(), now);  // no offer to agree to
    return ViewOf(tx, *p);
}

Expected<ProposalView> RemedyLedger::Issue(store::Tx& tx, const std::string& actor, Id proposal_id,
                                           TimePoint now) const {
    auto p = tx.FindProposal(proposal_id);
    if (!p) return Fail(ErrorCode::kNotFound, "no proposal " + std::to_string(proposal_id));
    if (p->state == "offered" && p->case_id && p->offer_id) {
        // The customer agreed by other means: record their agreement, which issues it (OnOfferAnswered).
        json data{{"offer_id", *p->offer_id}, {"comment", "agreed with " + actor}};
        auto recorded = recovery_.RecordEvidence(tx, actor, *p->case_id,
                                                 std::string(playbook::event_type::kOfferAccepted), data.dump(), now);
        if (!recorded) return std::unexpected(recorded.error());
        auto view = ViewOf(tx, *tx.FindProposal(proposal_id));
        for (const auto& e : view.entries) {  // a remedy with no issued entry of its own was issued before
            if (e.type != "proposed") continue;
            bool mine = false;
            for (const auto& other : view.entries) mine = mine || (other.type == "issued" && other.rule == e.rule);
            if (!mine) view.already_issued.push_back(e.rule);
        }
        return view;
    }
    return IssueProposal(tx, *p, actor, now);
}

Expected<store::LedgerEntry> RemedyLedger::Reverse(store::Tx& tx, const Principal& who, Id issued_entry_id,
                                                   const std::string& reason, TimePoint now) const {
    if (who.role < Role::kManager)
        return Fail(ErrorCode::kPermissionDenied, "reversing a remedy needs the manager role or higher");
    auto e = tx.FindLedgerEntry(issued_entry_id);
    if (!e) return Fail(ErrorCode::kNotFound, "no ledger entry " + std::to_string(issued_entry_id));
    if (e->type != "issued")
        return Fail(ErrorCode::kConflict, "ledger entry " + std::to_string(issued_entry_id) + " is " + e->type +
                                              "; only an issued remedy can be reversed", "entry");
    store::LedgerEntry reversed = *e;
    reversed.id = 0;
    reversed.type = "reversed";
    reversed.actor = who.Actor();
    reversed.note = reason;
    reversed.at = now;
    auto id = tx.AppendLedgerEntry(reversed);
    if (!id) return Fail(ErrorCode::kConflict, "this remedy was already reversed", "entry");
    reversed.id = *id;
    return reversed;
}

Expected<void> OnOfferAnswered(store::Tx& tx, Id case_id, const std::string& offer_id, bool accepted,
                               const std::string& actor, TimePoint now) {
    auto p = tx.FindProposalByOffer(case_id, offer_id);
    if (!p || p->state != "offered") return {};
    if (!accepted) {
        p->state = "declined";
        p->updated_at = now;
        tx.UpdateProposal(*p);
        return {};
    }
    auto issued = IssueProposal(tx, *p, actor, now);
    if (!issued) return std::unexpected(issued.error());
    return {};
}

Expected<CreditProgress> RemedyLedger::CreditIncidentBatch(store::Tx& tx, const IncidentFacts& incident,
                                                           const CreditOptions& options, TimePoint now) const {
    auto base = BaseFacts(incident, options.facts);
    if (!base) return std::unexpected(base.error());
    if (options.batch < 1) return InvalidField("batch", "batch must be at least 1");
    CreditProgress out;
    auto run = tx.FindCreditRun(incident.id);
    if (!run || run->done) {
        run = store::CreditRun{incident.id, 0, false, now, std::nullopt};
    } else {
        out.resumed = run->after_customer > 0;
    }
    auto batch = tx.ListAffected(incident.id, run->after_customer, options.batch);
    // What each customer of the batch was issued this year (the yearly cap), in one range scan.
    std::unordered_map<Id, std::int64_t> remedied;
    if (!batch.empty())
        for (auto [id, sum] : tx.RemediedSinceRange(batch.front().customer.id, batch.back().customer.id, now - kYear))
            remedied.emplace(id, sum);
    store::LedgerEntry e;
    e.type = "issued";
    e.subject = "incident";
    e.subject_id = incident.id;
    const std::string actor = options.actor.empty() ? options.who.Actor() : options.actor;
    e.actor = actor;
    e.at = now;
    std::vector<store::Webhook> billing;  // the remedy.issued subscriptions, looked up once a batch
    for (auto& w : tx.ListPageWebhooks())
        if (Wants(w, "remedy.issued")) billing.push_back(std::move(w));
    for (const auto& a : batch) {
        ++out.customers;
        policy::Facts f = *base;
        f.customer_id = a.customer.id;
        f.customer_value_minor = a.customer.value_minor;
        if (auto ok = ApplyDetails(a.details_json, a.customer.id, f); !ok) return std::unexpected(ok.error());
        if (auto it = remedied.find(a.customer.id); it != remedied.end()) f.remedied_this_year_minor = it->second;
        auto evaluation = policy::Evaluate(policy_, f);
        if (evaluation.proposals.empty()) {
            ++out.no_remedy;
            continue;
        }
        if (evaluation.approver > options.who.role) {
            ++out.awaiting_approval;
            const auto& first = evaluation.proposals.front();
            if (tx.FindLedgerByKey("proposed", "incident", incident.id, a.customer.id, first.rule_id)) continue;
            store::RemedyProposal p;
            p.subject = "incident";
            p.subject_id = incident.id;
            p.customer_id = a.customer.id;
            p.policy = evaluation.policy;
            p.total_minor = evaluation.total_minor;
            p.approver = RoleName(evaluation.approver);
            p.state = "awaiting_approval";
            p.evaluation_json = json(evaluation).dump();
            p.created_by = actor;
            p.created_at = p.updated_at = now;
            p.id = tx.InsertProposal(p);
            for (const auto& proposal : evaluation.proposals) {
                auto entry = EntryOf(proposal, p, f.category);
                entry.type = "proposed";
                entry.actor = actor;
                entry.note = proposal.reason;
                entry.at = now;
                tx.AppendLedgerEntry(entry);
            }
            continue;
        }
        e.customer_id = a.customer.id;
        e.category = f.category;
        for (auto& proposal : evaluation.proposals) {
            e.rule = std::move(proposal.rule_id);
            e.kind = policy::Name(proposal.kind);
            e.amount_minor = proposal.amount_minor;
            e.percent = proposal.percent;
            e.description = std::move(proposal.description);
            if (auto id = tx.AppendLedgerEntry(e)) {
                e.id = *id;
                ++out.issued;
                out.issued_minor += e.amount_minor;
                OnRemedyIssued(tx, e, &billing);
            } else {
                ++out.already_issued;
            }
        }
    }
    if (!batch.empty()) run->after_customer = batch.back().customer.id;
    if (static_cast<int>(batch.size()) < options.batch) {
        run->done = true;
        run->finished_at = now;
        out.done = true;
    }
    tx.PutCreditRun(*run);
    return out;
}

Expected<CreditProgress> RemedyLedger::CreditIncident(store::Store& store, const IncidentFacts& incident,
                                                      const CreditOptions& options, const Clock& clock,
                                                      const std::function<void(const CreditProgress&)>& progress) const {
    CreditProgress total;
    store.Read([&](store::Tx& tx) { total.total_customers = tx.CountAffected(incident.id); });
    for (bool first = true;; first = false) {
        Expected<CreditProgress> batch = Fail(ErrorCode::kInternal, "the batch did not run");
        auto written = store.WriteAndWait([&](store::Tx& tx) {
            batch = CreditIncidentBatch(tx, incident, options, clock.Now());
            return batch.has_value();
        });
        if (!written) return std::unexpected(written.error());
        if (!batch) return std::unexpected(batch.error());
        if (first) total.resumed = batch->resumed;
        total.customers += batch->customers;
        total.issued += batch->issued;
        total.already_issued += batch->already_issued;
        total.awaiting_approval += batch->awaiting_approval;
        total.no_remedy += batch->no_remedy;
        total.issued_minor += batch->issued_minor;
        total.done = batch->done;
        if (progress) progress(total);
        if (batch->done) return total;
    }
}

json LedgerEntryJson(const store::LedgerEntry& e) {
    return json{{"id", e.id},
                {"type", e.type},
                {"key", RemedyKeyText(e)},
                {"proposal_id", Opt(e.proposal_id)},
                {"subject", e.subject},
                {"subject_id", e.subject_id},
                {"customer_id", e.customer_id},
                {"rule", e.rule},
                {"kind", e.kind},
                {"category", e.category},
                {"amount_minor", e.amount_minor},
                {"signed_amount_minor", Signed(e)},
                {"percent", e.percent == 0 ? json(nullptr) : json(e.percent)},
                {"description", e.description},
                {"actor", e.actor},
                {"note", e.note},
                {"at", FormatRfc3339(e.at)}};
}

json ProposalJson(const ProposalView& v) {
    const auto& p = v.proposal;
    json remedies = json::array();
    for (const auto& e : v.entries) {
        if (e.type != "proposed") continue;
        std::string state = "proposed";
        json issued = nullptr;
        for (const auto& other : v.entries) {
            if (other.rule != e.rule) continue;
            if (other.type == "approved" && state == "proposed") state = "approved";
            if (other.type == "issued") state = "issued", issued = other.id;
        }
        if (state != "issued" && v.proposal.state == "issued") state = "issued_before";  // by an earlier proposal
        remedies.push_back(json{{"rule", e.rule},
                                {"kind", e.kind},
                                {"amount_minor", e.amount_minor},
                                {"percent", e.percent == 0 ? json(nullptr) : json(e.percent)},
                                {"description", e.description},
                                {"reason", e.note},
                                {"key", RemedyKeyText(e)},
                                {"state", state},
                                {"proposed_entry_id", e.id},
                                {"issued_entry_id", issued}});
    }
    // Issued before this proposal (by an earlier one for the same key): shown as issued elsewhere.
    json entries = json::array();
    for (const auto& e : v.entries) entries.push_back(LedgerEntryJson(e));
    auto evaluation = json::parse(p.evaluation_json, nullptr, false);
    return json{{"id", p.id},
                {"subject", p.subject},
                {"subject_id", p.subject_id},
                {"case_id", Opt(p.case_id)},
                {"customer_id", p.customer_id},
                {"policy", p.policy},
                {"state", p.state},
                {"total_minor", p.total_minor},
                {"approval", json{{"required", p.approver != "agent"}, {"role", p.approver}}},
                {"offer_id", p.offer_id ? json(*p.offer_id) : json(nullptr)},
                {"due", p.due_at ? json(FormatRfc3339(*p.due_at)) : json(nullptr)},
                {"remedies", remedies},
                {"already_issued", v.already_issued},
                {"ledger", entries},
                {"evaluation", evaluation.is_discarded() ? json(nullptr) : evaluation},
                {"created_by", p.created_by},
                {"created_at", FormatRfc3339(p.created_at)},
                {"updated_at", FormatRfc3339(p.updated_at)}};
}

std::string RemedyKeyText(const store::LedgerEntry& e) {
    return e.subject + ":" + e.subject_id + "/customer:" + std::to_string(e.customer_id) + "/rule:" + e.rule;
}

std::string LedgerCsvHeader() {
    return "id,type,at,key,subject,subject_id,customer_id,rule,kind,category,amount_minor,signed_amount_minor,percent,"
           "proposal_id,actor,description,note\r\n";
}

std::string LedgerCsvLine(const store::LedgerEntry& e) {
    std::string line;
    line.reserve(256);
    auto add = [&](std::string_view v, bool text) {
        line += CsvField(v, text);
        line += ',';
    };
    add(std::to_string(e.id), false);
    add(e.type, false);
    add(FormatRfc3339(e.at), false);
    add(RemedyKeyText(e), true);
    add(e.subject, false);
    add(e.subject_id, true);
    add(std::to_string(e.customer_id), false);
    add(e.rule, true);
    add(e.kind, false);
    add(e.category, true);
    add(std::to_string(e.amount_minor), false);
    add(std::to_string(Signed(e)), false);
    add(e.percent ? std::to_string(e.percent) : "", false);
    add(e.proposal_id ? std::to_string(*e.proposal_id) : "", false);
    add(e.actor, true);
    add(e.description, true);
    line += CsvField(e.note, true);
    line += "\r\n";
    return line;
}

json BalanceJson(Id customer_id, const std::vector<store::LedgerSum>& sums) {
    std::int64_t issued = 0, reversed = 0, count = 0;
    json by_kind = json::object();
    for (const auto& s : sums) {
        issued += s.issued_minor;
        reversed += s.reversed_minor;
        count += s.issued;
        by_kind[s.kind] = json{{"issued_minor", s.issued_minor},
                               {"reversed_minor", s.reversed_minor},
                               {"balance_minor", s.issued_minor - s.reversed_minor},
                               {"issued", s.issued},
                               {"reversed", s.reversed}};
    }
    return json{{"customer_id", customer_id},
                {"issued_minor", issued},
                {"reversed_minor", reversed},
                {"balance_minor", issued - reversed},
                {"remedies_issued", count},
                {"by_kind", by_kind}};
}

json SpendReportJson(const std::vector<store::RemedySpendRow>& rows) {
    json out = json::array();
    for (const auto& r : rows) {
        json score = nullptr;
        if (r.followup_answers > 0)
            score = static_cast<double>(r.followup_score_sum) / static_cast<double>(r.followup_answers);
        auto share = [&](std::int64_t n) {
            return r.customers > 0 ? json(static_cast<double>(n) / static_cast<double>(r.customers)) : json(nullptr);
        };
        out.push_back(json{{"group", r.group},
                           {"spend_minor", r.issued_minor - r.reversed_minor},
                           {"issued_minor", r.issued_minor},
                           {"reversed_minor", r.reversed_minor},
                           {"remedies", r.remedies},
                           {"customers", r.customers},
                           {"came_back", r.came_back},
                           {"came_back_rate", share(r.came_back)},
                           {"complained_again", r.complained_again},
                           {"complained_again_rate", share(r.complained_again)},
                           {"followup_answers", r.followup_answers},
                           {"followup_score", score}});
    }
    return out;
}

}  // namespace amends::app
