#pragma once
// How every API write runs: as one unit of the store's group commit, kept only when it succeeds, and, when the
// client sent an Idempotency-Key, recorded so that a retry gets the first answer instead of a second record.

#include <functional>
#include <optional>
#include <string>

#include "domain/error.h"
#include "domain/model.h"
#include "store/store.h"

namespace amends::app {

// A write's answer as the API sends it: HTTP status and JSON body.
struct Outcome {
    int status = 200;
    std::string body;
    bool replayed = false;  // answered from an idempotency record
    // When set, produces `body` later: SubmitWrite calls it inside the unit only when an idempotency record needs
    // the body; otherwise the caller renders after the commit, off the store's writer thread.
    std::function<std::string()> render;
};

struct IdempotencyKey {
    std::string key;          // the client's Idempotency-Key, 1 to 255 printable characters
    std::string fingerprint;  // what the request was (method, path, body), to tell a retry from a reuse
};

// Idempotency records are kept this long; a key may be reused after that.
inline constexpr auto kIdempotencyRetention = std::chrono::hours(24);

using WriteWork = std::function<Expected<Outcome>(store::Tx&)>;
using WriteDone = std::function<void(Expected<Outcome>)>;

// Queues `work` for the next group commit; `done` runs on a store thread once the outcome is durable (or failed).
// A repeat of a recorded key with the same fingerprint answers the recorded Outcome; a different fingerprint is
// kConflict. Errors from `work` roll the unit back and are passed to `done`.
void SubmitWrite(store::Store& store, const Principal& who, std::optional<IdempotencyKey> key, TimePoint now,
                 WriteWork work, WriteDone done);

// A fingerprint of a request: BLAKE2b of its method, path and body.
std::string Fingerprint(std::string_view method, std::string_view path, std::string_view body);

}  // namespace amends::app
