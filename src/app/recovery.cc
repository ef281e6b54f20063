#include "app/recovery.h"

#include <cstdio>

#include <nlohmann/json.hpp>

#include "app/ledger.h"
#include "app/debriefs.h"
#include "app/writes.h"
#include "playbook/evidence.h"

namespace amends::app {

namespace {

bool AppOwned(std::string_view type) {
    return type.starts_with("case.") || type.starts_with("message.") || type == playbook::event_type::kClockBreached;
}

}  // namespace

bool Recovery::Accepts(std::string_view type) { return playbook::IsPlaybookEvent(type) && !AppOwned(type); }

const playbook::ClockPolicy& Recovery::PolicyFor(store::Tx& tx, const Case& c) const {
    auto customer = tx.FindCustomer(c.customer_id);
    return config_.Choose(playbook::FactsOf(c, customer.value_or(Customer{})));
}

void Recovery::Reschedule(store::Tx& tx, Id case_id, TimePoint now) const {
    auto c = tx.FindCase(case_id);
    if (!c) return;
    auto customer = tx.FindCustomer(c->customer_id);
    auto events = tx.AllEvents(case_id);
    Reschedule(tx, *c, customer.value_or(Customer{}), events, now);
}

void Recovery::Reschedule(store::Tx& tx, const Case& c, const Customer& customer, std::span<const Event> events,
                          TimePoint now) const {
    const Id case_id = c.id;
    const auto& policy = config_.Choose(playbook::FactsOf(c, customer));
    auto progress = playbook::Derive(events, policy, now);
    store::CaseClock clock;
    clock.case_id = case_id;
    clock.next_check_at = progress.next_check_at;
    clock.policy = policy.name;
    clock.updated_at = now;
    if (progress.next_due) {
        clock.next_step = std::string(playbook::Name(progress.next_due->step));
        clock.next_due_at = progress.next_due->due_at;
        clock.why = progress.next_due->why;
    }
    for (const auto& breach : progress.breaches)
        if (breach.recorded && (!clock.breached_at || breach.due_at < *clock.breached_at))
            clock.breached_at = breach.due_at;
    tx.PutCaseClock(clock);
}

Expected<playbook::Progress> Recovery::ProgressOf(store::Tx& tx, Id case_id, TimePoint now) const {
    auto c = tx.FindCase(case_id);
    if (!c) return Fail(ErrorCode::kNotFound, "no case " + std::to_string(case_id));
    auto events = tx.AllEvents(case_id);
    return playbook::Derive(events, PolicyFor(tx, *c), now);
}

Expected<Event> Recovery::RecordEvidence(store::Tx& tx, const std::string& actor, Id case_id, const std::string& type,
                                         const std::string& data_json, TimePoint now) const {
    if (!Accepts(type))
        return InvalidField("type", "type must be note or one of step.completed, step.waived, offer.made, "
                                    "offer.accepted, offer.declined, plan.changed, followup.answered, cause.linked, "
                                    "cause.one_off");
    auto c = tx.FindCase(case_id);
    if (!c) return Fail(ErrorCode::kNotFound, "no case " + std::to_string(case_id));
    if (c->state == CaseState::kClosed)
        return Fail(ErrorCode::kConflict, "case " + std::to_string(case_id) + " is closed", "case_id");
    auto evidence = playbook::ParseEvidence(type, data_json);
    if (!evidence) {
        auto e = evidence.error();
        e.field = e.field.empty() ? "data" : "data." + e.field;
        e.message = "data: " + e.message;
        return std::unexpected(e);
    }
    if (type == playbook::event_type::kCauseLinked)  // the debrief must exist, and now covers the case
        if (auto ok = AddLinkedCase(tx, evidence->debrief_id, case_id, now); !ok) {
            auto e = ok.error();
            e.field = "data." + e.field;
            return std::unexpected(e);
        }
    Event event{0, case_id, type, actor, data_json, now};
    event.id = tx.AppendEvent(event);
    if (type == playbook::event_type::kOfferAccepted || type == playbook::event_type::kOfferDeclined) {
        // An offer that carries a remedy proposal: the agreement issues it, in this unit (app/ledger.h).
        bool accepted = type == playbook::event_type::kOfferAccepted;
        if (auto ok = OnOfferAnswered(tx, case_id, evidence->offer_id, accepted, actor, now); !ok)
            return std::unexpected(ok.error());
    }
    Reschedule(tx, case_id, now);
    return event;
}

int Recovery::CheckCase(store::Tx& tx, Id case_id, TimePoint now) const {
    auto c = tx.FindCase(case_id);
    if (!c) return 0;
    auto events = tx.AllEvents(case_id);
    auto breaches = playbook::Breaches(events, PolicyFor(tx, *c), now);
    for (const auto& b : breaches) {
        nlohmann::json data{{"clock", playbook::Name(b.clock)}, {"due", FormatRfc3339(b.due_at)}};
        tx.AppendEvent(Event{0, case_id, std::string(playbook::event_type::kClockBreached), "system", data.dump(), now});
    }
    Reschedule(tx, case_id, now);
    return static_cast<int>(breaches.size());
}

Expected<int> Scheduler::SweepOnce() {
    TimePoint now = clock_.Now();
    int recorded = 0;
    for (int round = 0; round < 10000; ++round) {  // bounded: each round moves the cases it checks past `now`
        std::vector<Id> due;
        store_.Read([&](store::Tx& tx) { due = tx.DueForCheck(now, batch_); });
        if (due.empty()) return recorded;
        // One unit for the batch: each case is re-derived inside it, so a case another writer changed meanwhile is
        // judged on its current events.
        auto written = store_.WriteAndWait([&](store::Tx& tx) {
            for (Id id : due) recorded += recovery_.CheckCase(tx, id, now);
            return true;
        });
        if (!written) return std::unexpected(written.error());
        if (static_cast<int>(due.size()) < batch_) return recorded;
    }
    return recorded;
}

Expected<int> Scheduler::PurgeIdempotency() {
    int deleted = 0;
    TimePoint cutoff = clock_.Now() - kIdempotencyRetention;
    auto written = store_.WriteAndWait([&](store::Tx& tx) {
        deleted = tx.DeleteIdempotencyBefore(cutoff);
        return true;
    });
    if (!written) return std::unexpected(written.error());
    return deleted;
}

void Scheduler::Start() {
    std::lock_guard lock(mu_);
    if (thread_.joinable()) return;
    stopping_ = false;
    thread_ = std::thread([this] {
        std::unique_lock lock(mu_);
        while (!stopping_) {
            lock.unlock();
            auto swept = SweepOnce();
            if (!swept) std::fprintf(stderr, "{\"level\":\"error\",\"msg\":\"scheduler sweep failed\"}\n");
            if (clock_.Now() - last_purge_ >= std::chrono::minutes(10)) {  // housekeeping, off the request path
                last_purge_ = clock_.Now();
                if (!PurgeIdempotency())
                    std::fprintf(stderr, "{\"level\":\"error\",\"msg\":\"idempotency purge failed\"}\n");
            }
            lock.lock();
            cv_.wait_for(lock, interval_, [this] { return stopping_; });
        }
    });
}

void Scheduler::Stop() {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
        cv_.notify_all();
    }
    if (thread_.joinable()) thread_.join();
}

}  // namespace amends::app
