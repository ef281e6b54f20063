#include "app/writes.h"

#include <sodium.h>

#include <memory>

namespace amends::app {

std::string Fingerprint(std::string_view method, std::string_view path, std::string_view body) {
    crypto_generichash_state state;
    crypto_generichash_init(&state, nullptr, 0, crypto_generichash_BYTES);
    for (std::string_view part : {method, std::string_view("\n"), path, std::string_view("\n"), body})
        crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(part.data()), part.size());
    std::string out(crypto_generichash_BYTES, '\0');
    crypto_generichash_final(&state, reinterpret_cast<unsigned char*>(out.data()), out.size());
    return out;
}

void SubmitWrite(store::Store& store, const Principal& who, std::optional<IdempotencyKey> key, TimePoint now,
                 WriteWork work, WriteDone done) {
    // The unit stores its result here; `done` reads it after the commit.
    auto result = std::make_shared<Expected<Outcome>>(Fail(ErrorCode::kInternal, "write did not run"));
    auto unit = [result, user = who.user_id, key = std::move(key), now, work = std::move(work)](store::Tx& tx) {
        if (key) {
            auto seen = tx.FindIdempotency(user, key->key);
            if (seen && now - seen->created_at >= kIdempotencyRetention) seen.reset();  // expired: the key is free
            if (seen) {
                if (seen->fingerprint != key->fingerprint)
                    *result = Fail(ErrorCode::kConflict,
                                   "this Idempotency-Key was used for a different request; use a new key",
                                   "Idempotency-Key");
                else
                    *result = Outcome{seen->status, seen->response, true};
                return false;
            }
        }
        *result = work(tx);
        if (!*result) return false;
        if (key && (*result)->render) {
            (*result)->body = (*result)->render();
            (*result)->render = nullptr;
        }
        if (key) tx.PutIdempotency({user, key->key, key->fingerprint, (*result)->status, (*result)->body, now});
        return true;
    };
    store.Submit(std::move(unit), [result, done = std::move(done)](std::optional<Error> error) {
        if (error)
            done(std::unexpected(*error));
        else
            done(std::move(*result));
    });
}

}  // namespace amends::app
