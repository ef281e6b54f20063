#pragma once
// The recovery playbook inside the server. Recovery keeps each case's clock row (store::CaseClock) equal to what
// playbook::Derive says of its events, records evidence events after the playbook has checked them, and records
// breaches. Scheduler runs the sweep on a thread: it finds cases due for a look through the next_check_at index,
// so a sweep costs what is due, not what is open.
//
// Recovery is immutable after construction and safe to share between threads. Scheduler's Start/Stop/SweepOnce
// may be called from any thread.

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "domain/error.h"
#include "domain/model.h"
#include "playbook/config.h"
#include "playbook/progress.h"
#include "store/store.h"

namespace amends::app {

class Recovery {
public:
    explicit Recovery(playbook::Config config = {}) : config_(std::move(config)) {}

    // Recomputes the case's clock row from its events. Call in the unit that appended them.
    void Reschedule(store::Tx& tx, Id case_id, TimePoint now) const;
    // The same when the caller already holds the case, its customer and all its events (a case just opened).
    void Reschedule(store::Tx& tx, const Case& c, const Customer& customer, std::span<const Event> events,
                    TimePoint now) const;
    // The case's progress through the nine steps at `now`.
    Expected<playbook::Progress> ProgressOf(store::Tx& tx, Id case_id, TimePoint now) const;
    // True for the evidence types a client may record (RecordEvidence's vocabulary).
    static bool Accepts(std::string_view type);
    // Appends an evidence event of the playbook's vocabulary (checked by playbook::ParseEvidence) and reschedules.
    // System-only types (clock.breached) and types the app writes itself (case.*, message.*) are refused.
    Expected<Event> RecordEvidence(store::Tx& tx, const std::string& actor, Id case_id, const std::string& type,
                                   const std::string& data_json, TimePoint now) const;
    // Records the case's unrecorded breaches at `now` as clock.breached events (which put it in the managers'
    // escalations), then reschedules. Returns how many were recorded.
    int CheckCase(store::Tx& tx, Id case_id, TimePoint now) const;

private:
    const playbook::ClockPolicy& PolicyFor(store::Tx& tx, const Case& c) const;
    playbook::Config config_;
};

class Scheduler {
public:
    Scheduler(store::Store& store, const Recovery& recovery, const Clock& clock, Millis interval, int batch = 1000)
        : store_(store), recovery_(recovery), clock_(clock), interval_(interval), batch_(batch) {}
    ~Scheduler() { Stop(); }

    void Start();
    void Stop();
    // One sweep at the clock's now: checks every case due for a look. Returns the breaches recorded.
    Expected<int> SweepOnce();
    // Deletes idempotency records past their retention (app::kIdempotencyRetention). Returns how many.
    Expected<int> PurgeIdempotency();

private:
    store::Store& store_;
    const Recovery& recovery_;
    const Clock& clock_;
    Millis interval_;
    int batch_;
    std::mutex mu_;
    std::condition_variable cv_;
    bool stopping_ = false;
    std::thread thread_;
    TimePoint last_purge_{};
};

}  // namespace amends::app
