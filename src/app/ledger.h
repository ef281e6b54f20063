#pragma once
// Remedies: the compensation policy (src/policy) chosen for a mistake, approved where needed, offered through the
// playbook, issued exactly once, on an append-only ledger.
//
// A proposal is one evaluation of the policy for one customer's mistake; its remedies travel together. On a case:
// Propose records the proposal and a `proposed` ledger entry per remedy; when the evaluation is within the
// proposer's role it is offered at once (an `offer.made` event, offer id "remedy-<proposal id>", shown on the
// customer's case page), otherwise it waits in the managers' approvals queue until Approve (an `approved` entry
// per remedy, then the offer). The customer's agreement (`offer.accepted` of that offer, recorded by
// Recovery::RecordEvidence, from their case page or an agent) issues it in the same unit: an `issued` entry per
// remedy. Issue does the same for an agreement given by other means (a phone call).
//
// Exactly once: the database refuses a second `issued` (and a second `reversed`) entry of the same remedy key
// (subject, subject id, customer, rule) inside the writing transaction, whatever the number of concurrent requests,
// retries or processes. A refused issue is reported as already issued, never as an error.
//
// Incidents: CreditIncidentBatch gives the affected customers of an incident, in customer-id order, the remedies
// the policy names for them (one `issued` entry each, or a proposal awaiting approval when the evaluation is over
// the caller's role), a batch per unit of work, and moves the incident's credit run past the batch in the same unit;
// CreditIncident drives it to the end, so a rerun after a crash continues after the last committed batch.
//
// Every function taking a store::Tx runs inside the caller's unit of work and writes nothing on an error (the caller
// rolls the unit back). RemedyLedger is immutable after construction and safe to share between threads.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/recovery.h"
#include "domain/error.h"
#include "domain/model.h"
#include "domain/time.h"
#include "policy/evaluate.h"
#include "policy/policy.h"
#include "store/store.h"

namespace amends::app {

// What a caller asks of a case's proposal.
struct ProposeInput {
    nlohmann::json facts = nlohmann::json::object();  // policy facts over those of the case (docs/policy.md)
    std::optional<TimePoint> due;                     // when the offer promises it will be done; default now + 72 h
    bool dry_run = false;                             // evaluate only, record nothing
};

// What the API shows of a proposal: the record and its remedies with where each stands.
struct ProposalView {
    store::RemedyProposal proposal;
    std::vector<store::LedgerEntry> entries;  // its ledger entries, oldest first
    std::vector<std::string> already_issued;  // Issue: rules whose remedy was issued before (by an earlier request)
};

// The incident a bulk credit is for, as the status page knows it.
struct IncidentFacts {
    std::string id;
    policy::Impact impact = policy::Impact::kNone;
    std::int64_t downtime_minutes = 0;
};

struct CreditOptions {
    Principal who;                                    // the caller: evaluations above their role await approval
    nlohmann::json facts = nlohmann::json::object();  // facts for every customer, under each customer's details
    int batch = 5000;                                 // customers per unit of work
    std::string actor;                                // recorded on the entries; empty: who.Actor()
};

struct CreditProgress {
    std::int64_t customers = 0;          // affected customers looked at (this run, resumed batches included)
    std::int64_t issued = 0;             // ledger entries issued now
    std::int64_t already_issued = 0;     // remedies issued by an earlier run
    std::int64_t awaiting_approval = 0;  // customers whose remedies wait for a higher role
    std::int64_t no_remedy = 0;          // customers the policy proposes nothing for
    std::int64_t issued_minor = 0;       // value issued now
    std::int64_t total_customers = 0;    // affected customers of the incident
    bool resumed = false;                // this run continued an interrupted one
    bool done = false;
};

class RemedyLedger {
public:
    RemedyLedger(const policy::Policy& policy, const Recovery& recovery) : policy_(policy), recovery_(recovery) {}

    const policy::Policy& Policy() const { return policy_; }

    // The facts of a case for the policy: the case and its customer, the ledger's yearly total, the customer's
    // cases in the last 365 days, overlaid with `overrides` (API field names; errors name "facts.<name>").
    Expected<policy::Facts> CaseFacts(store::Tx& tx, Id case_id, const nlohmann::json& overrides, TimePoint now) const;
    // Evaluates the policy for a case and records the proposal (see the header comment). With dry_run, only the
    // evaluation (as JSON) is returned.
    Expected<nlohmann::json> Propose(store::Tx& tx, const Principal& who, Id case_id, const ProposeInput& input,
                                     TimePoint now) const;
    // A manager (or the role the proposal needs) approves it: `approved` entries, then the offer.
    Expected<ProposalView> Approve(store::Tx& tx, const Principal& who, Id proposal_id, const std::string& note,
                                   TimePoint now) const;
    // Issues an offered proposal (the customer agreed). Remedies issued before are listed in already_issued.
    Expected<ProposalView> Issue(store::Tx& tx, const std::string& actor, Id proposal_id, TimePoint now) const;
    // Takes back an issued remedy (its `issued` entry id) once: a `reversed` entry. Manager or above.
    Expected<store::LedgerEntry> Reverse(store::Tx& tx, const Principal& who, Id issued_entry_id,
                                         const std::string& reason, TimePoint now) const;

    // One batch of an incident's bulk credit, after the incident's credit run. Returns the batch's counts; `done`
    // when no affected customer is left.
    Expected<CreditProgress> CreditIncidentBatch(store::Tx& tx, const IncidentFacts& incident,
                                                 const CreditOptions& options, TimePoint now) const;
    // The whole credit, a batch per committed unit, calling `progress` after each with the running totals.
    Expected<CreditProgress> CreditIncident(store::Store& store, const IncidentFacts& incident,
                                            const CreditOptions& options, const Clock& clock,
                                            const std::function<void(const CreditProgress&)>& progress = {}) const;

private:
    const policy::Policy& policy_;
    const Recovery& recovery_;
};

// Called by Recovery::RecordEvidence in the unit that records a customer's answer to an offer: an accepted offer
// that carries a proposal issues it; a declined one marks it declined. Offers without a proposal are left alone.
Expected<void> OnOfferAnswered(store::Tx& tx, Id case_id, const std::string& offer_id, bool accepted,
                               const std::string& actor, TimePoint now);

// The one place where issuing a remedy causes outside effects, called in the same unit as its `issued` entry: the
// `remedy.issued` signed webhook to page-wide subscriptions that name it. A bulk caller passes the subscriptions
// it looked up once for its batch; otherwise they are looked up here.
void OnRemedyIssued(store::Tx& tx, const store::LedgerEntry& issued,
                    const std::vector<store::Webhook>* subscriptions = nullptr);

// JSON for the API.
nlohmann::json LedgerEntryJson(const store::LedgerEntry& e);
nlohmann::json ProposalJson(const ProposalView& view);
// The remedy key as text: "case:42/customer:7/rule:till-price-wrong" (the policy's IdempotencyKey::Text).
std::string RemedyKeyText(const store::LedgerEntry& e);
// One CSV line (RFC 4180, with the header's columns) per entry.
std::string LedgerCsvHeader();
std::string LedgerCsvLine(const store::LedgerEntry& e);
// A customer's balance: issued, reversed and the balance, in total and per kind.
nlohmann::json BalanceJson(Id customer_id, const std::vector<store::LedgerSum>& sums);
// Spend by category, incident or month beside the recipients' outcomes.
nlohmann::json SpendReportJson(const std::vector<store::RemedySpendRow>& rows);

}  // namespace amends::app
