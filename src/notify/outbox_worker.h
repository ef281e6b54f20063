#pragma once
// Delivers the outbox. Each worker thread has its own Sender (its own SMTP connection); a thread leases a batch of
// due items, delivers them one by one, and records each outcome as soon as it is known, so a crash re-sends at most
// the items in flight. A lease keeps two threads, or two processes (`serve` and `worker`), off the same item; an
// item whose worker died is taken again when its lease runs out. Delivery is therefore at least once: each email
// carries a Message-ID fixed when it was queued, so a receiver can drop the rare duplicate.
//
// Transient failures are retried with exponential backoff; a permanent one (5xx), or too many attempts, marks the
// item failed. Thread-safe: Start, Stop, Wake and DeliverOnce may be called from any thread.

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "domain/error.h"
#include "domain/time.h"
#include "notify/sender.h"
#include "store/store.h"

namespace amends::notify {

struct WorkerOptions {
    std::string channel = "email";                 // the outbox channel this worker delivers (email, webhook)
    int threads = 1;                               // parallel senders (SMTP connections)
    int batch = 50;                                // items leased at once by one thread
    int max_attempts = 10;
    Millis interval = std::chrono::milliseconds(500);  // how often an idle thread looks for due items
    Millis lease = std::chrono::minutes(5);
    Millis first_backoff = std::chrono::seconds(30);  // doubled at each attempt
    Millis max_backoff = std::chrono::hours(1);
};

// When to try an item again after `attempts` attempts (1 for the first failure).
TimePoint NextAttempt(const WorkerOptions& o, int attempts, TimePoint now);

class OutboxWorker {
public:
    using SenderFactory = std::function<std::unique_ptr<Sender>()>;
    OutboxWorker(store::Store& store, const Clock& clock, SenderFactory make_sender, WorkerOptions options = {});
    ~OutboxWorker() { Stop(); }

    void Start();
    void Stop();
    // Something was queued: look now rather than at the next interval.
    void Wake();
    // Leases one batch of due items and delivers it with `sender`. Returns how many were attempted.
    Expected<int> DeliverOnce(Sender& sender);

private:
    void Run();

    store::Store& store_;
    const Clock& clock_;
    SenderFactory make_sender_;
    WorkerOptions options_;
    std::mutex mu_;
    std::condition_variable cv_;
    bool stopping_ = false;
    std::uint64_t wakes_ = 0;
    std::vector<std::thread> threads_;
};

}  // namespace amends::notify
