#pragma once
// store::Tx over one SQLite connection. The caller owns the transaction around it.

#include "store/sqlite/connection.h"
#include "store/store.h"

namespace amends::store::sqlite {

class SqliteTx final : public Tx {
public:
    explicit SqliteTx(Connection& conn) : db_(conn) {}

    std::optional<std::string> GetSetting(const std::string& name) override;
    void PutSetting(const std::string& name, const std::string& value) override;

    Expected<Id> InsertCustomer(const Customer& c) override;
    Expected<void> UpdateCustomer(const Customer& c) override;
    std::optional<Customer> FindCustomer(Id id) override;
    std::optional<Customer> FindCustomerByExternalRef(const std::string& ref) override;
    std::optional<Customer> FindCustomerByEmail(const std::string& email) override;
    std::vector<Customer> ListCustomers(const CustomerFilter& f) override;

    Id InsertCase(const Case& c) override;
    void UpdateCase(const Case& c) override;
    std::optional<Case> FindCase(Id id) override;
    std::vector<Case> ListCases(const CaseFilter& f) override;

    Id AppendEvent(const Event& e) override;
    std::vector<Event> ListEvents(Id case_id, Id after_id, int limit) override;
    Id InsertMessage(const Message& m) override;
    std::vector<Message> ListMessages(Id case_id, Id after_id, int limit) override;

    Expected<Id> InsertUser(const User& u) override;
    std::optional<User> FindUser(Id id) override;
    std::optional<User> FindUserByName(const std::string& name) override;
    std::vector<User> ListUsers() override;
    Id InsertToken(const ApiToken& t) override;
    std::optional<ApiToken> FindToken(Id id) override;

    std::vector<Event> AllEvents(Id case_id) override;
    void ForEachSentMessage(const std::function<void(Id customer_id, const Message&)>& visit) override;
    void PutCaseClock(const CaseClock& clock) override;
    std::optional<CaseClock> FindCaseClock(Id case_id) override;
    std::vector<Id> DueForCheck(TimePoint now, int limit) override;
    std::vector<QueueRow> Queue(const QueueFilter& f) override;

    Expected<Id> EnqueueOutbox(const OutboxItem& item) override;
    std::vector<OutboxItem> ClaimOutbox(TimePoint now, TimePoint lease_until, int limit,
                                        const std::string& channel = "") override;
    void FinishOutbox(Id id, const OutboxOutcome& outcome) override;
    std::optional<OutboxItem> FindOutbox(Id id) override;
    OutboxCounts CountOutbox() override;

    Id AppendStatusLog(const StatusLogEntry& entry) override;
    void ForEachStatusLog(const std::function<void(const StatusLogEntry&)>& visit) override;
    Id LastStatusLogId() override;
    TimePoint CreatedAt() override;
    bool PutAffected(const std::string& incident_id, Id customer_id, const std::string& details_json,
                     TimePoint at) override;
    std::vector<AffectedCustomer> ListAffected(const std::string& incident_id, Id after_customer, int limit) override;
    std::int64_t CountAffected(const std::string& incident_id) override;
    std::vector<std::string> IncidentsOfCustomer(Id customer_id) override;

    Id InsertWebhook(const Webhook& w) override;
    std::optional<Webhook> FindWebhook(Id id) override;
    std::vector<Webhook> ListWebhooks(std::optional<Id> customer_id) override;
    std::vector<Webhook> ListPageWebhooks() override;
    std::vector<Id> CustomersWithWebhooks() override;
    bool DeleteWebhook(Id id, TimePoint at) override;

    void PutFanoutJob(const std::string& incident_id, const std::string& update_id, TimePoint at) override;
    std::vector<FanoutJob> OpenFanoutJobs() override;
    std::optional<FanoutJob> FindFanoutJob(const std::string& incident_id, const std::string& update_id) override;
    bool AdvanceFanoutJob(Id id, Id from, Id to, std::int64_t queued, std::optional<TimePoint> finished) override;

    bool LinkIncidentCase(const IncidentCase& link) override;
    std::vector<IncidentCase> IncidentsOfCase(Id case_id) override;
    std::int64_t CountIncidentCases(const std::string& incident_id) override;

    std::optional<InboundMail> FindInboundMail(const std::string& message_id) override;
    bool PutInboundMail(const InboundMail& m) override;
    // Mail (0011_mail.sql)
    Id InsertMailAttachment(const MailAttachment& a) override;
    std::vector<MailAttachment> ListMailAttachments(Id case_id) override;
    std::optional<MailAttachment> FindMailAttachment(Id id) override;
    std::optional<std::string> LatestInboundMailOfCase(Id case_id) override;

    std::optional<IdempotencyRecord> FindIdempotency(Id user_id, const std::string& key) override;
    void PutIdempotency(const IdempotencyRecord& r) override;
    int DeleteIdempotencyBefore(TimePoint t) override;

    Id InsertProposal(const RemedyProposal& p) override;
    void UpdateProposal(const RemedyProposal& p) override;
    std::optional<RemedyProposal> FindProposal(Id id) override;
    std::optional<RemedyProposal> FindProposalByOffer(Id case_id, const std::string& offer_id) override;
    std::vector<RemedyProposal> ListProposals(const ProposalFilter& f) override;
    std::optional<Id> AppendLedgerEntry(const LedgerEntry& e) override;
    std::optional<LedgerEntry> FindLedgerEntry(Id id) override;
    std::vector<LedgerEntry> ListLedger(const LedgerFilter& f) override;
    std::optional<LedgerEntry> FindLedgerByKey(const std::string& type, const std::string& subject,
                                               const std::string& subject_id, Id customer_id,
                                               const std::string& rule) override;
    std::vector<LedgerSum> SumLedger(Id customer_id, std::optional<TimePoint> since) override;
    std::int64_t RemediedSince(Id customer_id, TimePoint since) override;
    std::vector<std::pair<Id, std::int64_t>> RemediedSinceRange(Id first, Id last, TimePoint since) override;
    std::optional<CreditRun> FindCreditRun(const std::string& incident_id) override;
    void PutCreditRun(const CreditRun& r) override;
    std::vector<RemedySpendRow> RemedySpend(const std::string& by, TimePoint from, TimePoint to) override;
    Id InsertDebrief(const DebriefRecord& d) override;
    void UpdateDebrief(const DebriefRecord& d) override;
    std::optional<DebriefRecord> FindDebrief(Id id) override;
    std::vector<DebriefRecord> ListDebriefs(const DebriefFilter& f) override;
    Id InsertAction(const ActionRecord& a) override;
    void UpdateAction(const ActionRecord& a) override;
    std::optional<ActionRecord> FindAction(Id id) override;
    std::vector<ActionRecord> ListActions(const ActionFilter& f) override;
    void ForEachCaseSince(TimePoint since, const std::function<void(const Case&)>& visit) override;
    // ---- the agents' console ----
    void PutPasswordHash(Id user_id, const std::string& hash, TimePoint at) override;
    std::optional<std::string> FindPasswordHash(Id user_id) override;
    Id InsertWebSession(const WebSession& s) override;
    std::optional<WebSession> FindWebSession(const std::string& hash) override;
    void TouchWebSession(Id id, TimePoint at) override;
    void DeleteWebSession(Id id) override;
    int DeleteUserWebSessions(Id user_id) override;
    int DeleteExpiredWebSessions(TimePoint idle_before, TimePoint now) override;
    std::vector<ApiToken> ListTokens(Id user_id) override;
    bool RevokeToken(Id id, TimePoint at) override;
    // ---- reports ----
    void ForEachEventOfType(const std::string& type, TimePoint from, TimePoint to,
                            const std::function<void(const Event&)>& visit) override;
    OutboxCounts CountIncidentNotices(const std::string& incident_id) override;

private:
    void PutDebriefCases(const DebriefRecord& d);
    Connection& db_;
};

}  // namespace amends::store::sqlite
