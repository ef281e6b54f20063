#pragma once
// The public status page inside the server. The page (components, incidents, maintenances) is a projection of
// the status log: every command is validated by the pure transitions of src/status, stored as one log entry in the
// same unit as the notices it causes, and replayed at start. After each change the public documents (Statuspage v2
// JSON, feeds, HTML) are rendered once and served as bytes, so a request never queries the database.
//
// Notices: each incident update is emailed, through the outbox, to every customer attached to the incident, with
// their own details, exactly once per customer and update (the outbox's dedupe key), unless they opted out
// (customer attribute "notices": false). A customer attached later hears the latest update at once.
//
// Commands are serialized by a mutex; Documents() may be called from any thread at any time.

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "app/outbound.h"
#include "app/reply_coach.h"
#include "app/writes.h"
#include "domain/error.h"
#include "domain/time.h"
#include "status/model.h"
#include "status/render.h"
#include "store/store.h"

namespace amends::app {

// A notice's words: mustache templates over customer, incident, status, update, details, next_update_by, status_url,
// first (the incident's first update), and a true flag named after the stage (investigating, identified, monitoring,
// resolved, postmortem, scheduled, in_progress, verifying, completed), so one template words each stage its own way.
struct NoticeTemplate {
    std::string subject;
    std::string body;
};
const NoticeTemplate& DefaultNotice();

// Who an incident touches, as the API names them (customer_id, or external_ref / email matched or created).
struct AffectedInput {
    std::optional<Id> customer_id;
    std::optional<Customer> customer;
    std::string details_json = "{}";
};

struct AttachResult {
    int attached = 0;  // new to the incident
    int updated = 0;   // already attached: details replaced
    int notices = 0;   // emails queued
};

// Who asks, and their Idempotency-Key: a retry with the key is answered from the first request's record (written
// in the same unit as the change), so it neither changes the page again nor sends notices again.
struct Caller {
    Id user_id = 0;
    std::optional<IdempotencyKey> key;
    int status = 200;  // the success status to record
};

// Reminders and escalations around the next update each incident promised.
struct PromiseOptions {
    Millis remind_before = std::chrono::minutes(10);  // at most half the promised interval
    Millis escalate_after = Millis{0};                // after the promised time
    std::string remind_to;                            // email for reminders (the incident team); empty: none
    std::string escalate_to;                          // email for escalations (support leads); empty: none
};

// How far a fan-out has come, for a progress bar.
struct FanOutProgress {
    std::string incident_id;
    std::string update_id;
    std::int64_t done = 0;   // customers handled in this job
    std::int64_t total = 0;  // customers attached to the incident
    std::int64_t queued = 0; // notices queued by this call, all jobs
};

class StatusBoard {
public:
    using Documents = std::unordered_map<std::string, status::Document>;

    StatusBoard(store::Store& store, const Clock& clock, status::PageInfo info, const Outbound& outbound,
                const ReplyCoach* coach);
    // Replays the status log. A command that finds the log moved on by another process (`amends incident` beside
    // a server) writes nothing, replays the log again and retries, so it always acts on the latest page.
    Expected<void> Load();
    // Replays the log again when another process (`amends incident declare`) appended to it; the worker does this
    // every interval, so the public page follows changes made beside the server.
    Expected<void> Refresh();

    // The public documents by path, rendered at the last change (or again once time alone changed them).
    std::shared_ptr<const Documents> Current();
    // The page now (a copy).
    status::Page Snapshot() const;
    // Whether `id` is an incident or a maintenance (nullopt: neither), without copying the page.
    std::optional<status::IncidentKind> KindOf(std::string_view id) const;

    // Commands: `body` is the API's JSON object (docs in the README); errors name its fields. Each answers the
    // JSON of the record it changed.
    Expected<Outcome> Apply(const std::string& op, const std::optional<std::string>& target, const nlohmann::json& body,
                            const Caller& caller = {});
    // Attaches customers; the answer is {attached, updated, notices_queued, affected_customers}.
    Expected<Outcome> Attach(const std::string& incident_id, const std::vector<AffectedInput>& customers,
                             const Caller& caller = {});

    // An incident or maintenance for the API: the v2 object plus amends' fields.
    std::optional<nlohmann::json> IncidentJson(const std::string& id) const;
    std::int64_t AffectedCount(const std::string& id) const;

    // Links a new case to the open incidents that likely caused it: ones its customer is attached to ("affected"),
    // and ones whose affected components its subject or description names ("components"). Runs inside the case's
    // unit; reads only a snapshot of the open incidents (never the board's command lock, which a writer may hold).
    std::vector<store::IncidentCase> LinkCase(store::Tx& tx, const Case& c, TimePoint now) const;
    // The incidents a case is linked to, for the agent: id, name, status, why linked, and a suggested reply.
    nlohmann::json CaseIncidentsJson(store::Tx& tx, const Case& c) const;

    // Queues the notices of every unfinished fan-out job (one per incident update), `chunk` customers per
    // transaction; a crash resumes after the last committed chunk, and two processes running it at once each queue
    // a chunk once. Returns how many notices this call queued.
    Expected<std::int64_t> RunFanOut(const std::function<void(const FanOutProgress&)>& progress = {}, int chunk = 2000);
    // Queues due reminders (before an open incident's next update is due) and escalations (after), each once per
    // promise: email to the configured addresses and webhooks subscribed to incident.reminder / incident.escalation.
    // Returns how many were queued.
    Expected<int> SweepPromises();
    void SetPromiseOptions(PromiseOptions options);
    // Called after anything was queued in the outbox (to wake its workers).
    void OnQueued(std::function<void()> queued) { on_queued_ = std::move(queued); }

    // A thread that runs the fan-out and the promise sweep: at once when woken, else every `interval`.
    void StartWorker(Millis interval = std::chrono::seconds(1));
    void StopWorker();
    void Wake();
    ~StatusBoard();

private:
    struct NoticeRun;
    // Stores the command applied at `now` (replay applies it at the same instant) with its notices, then
    // publishes `next`.
    Expected<Outcome> Commit(const std::string& op, nlohmann::json command, const status::Page& next,
                             const std::string& record_id, bool notify, TimePoint now,
                             const std::optional<NoticeTemplate>& new_template, const Caller& caller);
    // The recorded answer to a retried request, or a conflict when its key was used for another request.
    std::optional<Expected<Outcome>> Replay(const Caller& caller, TimePoint now) const;
    Expected<void> LoadLocked();
    Expected<Outcome> ApplyLocked(const std::string& op, const std::optional<std::string>& target,
                                  const nlohmann::json& body, const Caller& caller);
    Expected<Outcome> AttachLocked(const std::string& incident_id, const std::vector<AffectedInput>& customers,
                                   const Caller& caller);
    // Runs `command` (holding mu_) again after a replay while another process had moved the log on.
    template <typename F>
    Expected<Outcome> Fresh(F command);
    std::optional<nlohmann::json> RecordJson(const status::Page& page, const std::string& id) const;
    void Render(TimePoint now);

    store::Store& store_;
    const Clock& clock_;
    const Outbound& outbound_;
    const ReplyCoach* coach_;
    mutable std::mutex mu_;                                      // commands, one at a time
    status::Page page_;
    std::unordered_map<std::string, NoticeTemplate> templates_;  // per incident
    std::int64_t next_seq_ = 1;                                  // for public ids
    Id last_log_id_ = 0;                                         // the log entry the page stands at
    std::mutex docs_mu_;
    std::shared_ptr<const Documents> docs_;
    TimePoint next_render_{};
    PromiseOptions promises_;
    // The open incidents, for linking cases (own lock: read from store threads).
    struct OpenIncident {
        std::string id, name, status, latest, status_url;
        std::vector<std::string> component_names;  // lower case
        std::optional<TimePoint> next_update_due;
    };
    mutable std::mutex open_mu_;
    std::vector<OpenIncident> open_;
    std::unordered_set<std::string> promised_;  // reminder/escalation keys already queued by this process
    std::function<void()> on_queued_;
    std::mutex worker_mu_;
    std::condition_variable worker_cv_;
    bool worker_stop_ = false;
    std::uint64_t wakes_ = 0;
    std::thread worker_;
};

// "30m", "2h", "1h30m", "1d", or a number of minutes.
std::optional<Millis> ParseDuration(const nlohmann::json& value);

}  // namespace amends::app
