#include "notify/outbox_worker.h"

#include <cstdio>
#include <latch>

namespace amends::notify {

TimePoint NextAttempt(const WorkerOptions& o, int attempts, TimePoint now) {
    Millis wait = o.first_backoff;
    for (int i = 1; i < attempts && wait < o.max_backoff; ++i) wait *= 2;
    return now + std::min(wait, o.max_backoff);
}

OutboxWorker::OutboxWorker(store::Store& store, const Clock& clock, SenderFactory make_sender, WorkerOptions options)
    : store_(store), clock_(clock), make_sender_(std::move(make_sender)), options_(options) {}

Expected<int> OutboxWorker::DeliverOnce(Sender& sender) {
    std::vector<store::OutboxItem> items;
    TimePoint now = clock_.Now();
    auto claimed = store_.WriteAndWait([&](store::Tx& tx) {
        items = tx.ClaimOutbox(now, now + options_.lease, options_.batch, options_.channel);
        return true;
    });
    if (!claimed) return std::unexpected(claimed.error());
    if (items.empty()) return 0;
    // Each outcome is committed on its own as soon as it is known (the group commit batches them), and the batch
    // is over when all are durable.
    struct Pending {
        explicit Pending(std::ptrdiff_t n) : recorded(n) {}
        std::latch recorded;
        std::atomic<bool> failed{false};
    };
    auto pending = std::make_shared<Pending>(static_cast<std::ptrdiff_t>(items.size()));
    // Items left when the lease nears its end (a stalled mail server) or the worker stops are not attempted: their
    // lease runs out and any worker takes them again, so no item is ever sent by two workers at once.
    TimePoint lease_end = now + options_.lease;
    std::ptrdiff_t skipped = 0;
    for (const auto& item : items) {
        bool stopping;
        {
            std::lock_guard lock(mu_);
            stopping = stopping_;
        }
        if (stopping || clock_.Now() + options_.lease / 5 >= lease_end) {
            ++skipped;
            continue;
        }
        DeliveryResult result = sender.Deliver(item, clock_.Now());
        store::OutboxOutcome outcome;
        outcome.at = clock_.Now();
        outcome.error = result.detail;
        if (result.kind == DeliveryResult::kSent) {
            outcome.kind = store::OutboxOutcome::kSent;
        } else if (result.kind == DeliveryResult::kPermanent || item.attempts >= options_.max_attempts) {
            outcome.kind = store::OutboxOutcome::kFailed;
        } else {
            outcome.kind = store::OutboxOutcome::kRetry;
            outcome.retry_at = NextAttempt(options_, item.attempts, outcome.at);
        }
        if (result.kind != DeliveryResult::kSent)
            std::fprintf(stderr, "{\"level\":\"warn\",\"msg\":\"outbox delivery failed\",\"id\":%lld,\"attempt\":%d,"
                                 "\"final\":%s}\n",
                         static_cast<long long>(item.id), item.attempts,
                         outcome.kind == store::OutboxOutcome::kFailed ? "true" : "false");
        store_.Submit(
            [id = item.id, outcome](store::Tx& tx) {
                tx.FinishOutbox(id, outcome);
                return true;
            },
            [pending](std::optional<Error> error) {
                if (error) pending->failed = true;
                pending->recorded.count_down();
            });
    }
    pending->recorded.count_down(skipped);
    pending->recorded.wait();
    if (pending->failed) return Fail(ErrorCode::kInternal, "recording an outbox outcome failed");
    return static_cast<int>(items.size());
}

void OutboxWorker::Run() {
    std::unique_ptr<Sender> sender = make_sender_();
    std::unique_lock lock(mu_);
    while (!stopping_) {
        std::uint64_t seen = wakes_;
        lock.unlock();
        auto delivered = DeliverOnce(*sender);
        if (!delivered) std::fprintf(stderr, "{\"level\":\"error\",\"msg\":\"outbox pass failed\"}\n");
        lock.lock();
        if (delivered && *delivered == options_.batch) continue;  // more may be due right now
        cv_.wait_for(lock, options_.interval, [&] { return stopping_ || wakes_ != seen; });
    }
}

void OutboxWorker::Start() {
    std::lock_guard lock(mu_);
    if (!threads_.empty()) return;
    stopping_ = false;
    for (int i = 0; i < std::max(1, options_.threads); ++i) threads_.emplace_back([this] { Run(); });
}

void OutboxWorker::Wake() {
    std::lock_guard lock(mu_);
    ++wakes_;
    cv_.notify_all();
}

void OutboxWorker::Stop() {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
        cv_.notify_all();
    }
    for (auto& t : threads_)
        if (t.joinable()) t.join();
    threads_.clear();
}

}  // namespace amends::notify
