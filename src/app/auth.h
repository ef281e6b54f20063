#pragma once
// Staff users and their API tokens. A token is "amd_<id>_<secret>": the id finds the row, the secret (256 random
// bits, base64url) is checked against its keyed BLAKE2b hash in constant time. Only the hash is stored.
// A verified token is remembered for kTokenCacheTtl, so most requests are checked without a database read (the hash
// is still compared every time); a user's new role or a revocation takes effect within that time.
// Staff also sign in to the console with a password (Argon2id, libsodium's crypto_pwhash_str) and get a web session:
// a cookie holding 256 random bits, stored as their keyed hash, with a CSRF token of its own, an idle and an
// absolute expiry.
// Auth is safe for concurrent use once constructed (SetSessionOptions excepted: call it before serving).

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "domain/error.h"
#include "domain/model.h"
#include "store/store.h"

namespace amends::app {

struct NewToken {
    User user;
    std::string token;  // shown once; never stored
};

// How long a console session lasts, and whether its cookie is marked Secure (public_url is https).
struct SessionOptions {
    Millis idle_timeout = std::chrono::hours(12);
    Millis absolute_timeout = std::chrono::hours(24 * 7);
    bool secure_cookie = false;
};

// A session just started: `secret` goes into the cookie, once; only its hash is stored.
struct NewSession {
    std::string secret;
    std::string csrf;
    TimePoint expires_at{};
};

// Who a session cookie names, and what its forms must carry.
struct WebPrincipal {
    Principal who;
    Id session_id = 0;
    std::string csrf;
    bool stale = false;  // last_seen_at is old enough to be worth a write (TouchSession)
};

class Auth {
public:
    // Loads the instance's token-hashing key, creating it on first use.
    static Expected<Auth> Open(store::Store& store);

    // Creates a staff user and a first token for them.
    Expected<NewToken> AddUser(store::Tx& tx, const std::string& name, Role role, TimePoint now) const;
    // Issues another token for an existing user.
    Expected<std::string> IssueToken(store::Tx& tx, Id user_id, TimePoint now) const;
    // Checks an Authorization header value ("Bearer amd_..."). kUnauthenticated when missing, malformed, unknown,
    // revoked or wrong.
    Expected<Principal> Authenticate(store::Tx& tx, std::string_view authorization) const;

    // Authenticate, answered from the cache when it can; reads through `read` (a store read) otherwise.
    Expected<Principal> AuthenticateCached(store::Store& store, std::string_view authorization, TimePoint now) const;

    static constexpr Millis kTokenCacheTtl = std::chrono::seconds(5);

    // ---- passwords and console sessions ----
    void SetSessionOptions(SessionOptions options) { sessions_ = options; }
    const SessionOptions& Sessions() const { return sessions_; }
    // Checks a new password (8 to 1024 bytes of clean text) and hashes it with Argon2id. Slow on purpose (tens of
    // milliseconds): call it outside a write unit. invalid_argument (field "password") when it is refused.
    static Expected<std::string> HashPassword(std::string_view password);
    // The user of `name` when `password` is theirs; kUnauthenticated otherwise (no user, no password, wrong one),
    // with one message for all, in about the same time. Reads through `store`; slow like HashPassword.
    Expected<Principal> CheckPassword(store::Store& store, std::string_view name, std::string_view password) const;
    // Writes a new session for `who` in this unit (and deletes sessions that have expired).
    NewSession StartSession(store::Tx& tx, const Principal& who, TimePoint now) const;
    // The session a cookie's secret names, when it exists and has expired neither way at `now`.
    Expected<WebPrincipal> AuthenticateSession(store::Store& store, std::string_view secret, TimePoint now) const;
    // Deletes the session of a cookie's secret (no-op when there is none).
    void EndSession(store::Tx& tx, std::string_view secret) const;
    // A session's last_seen_at is written at most this often (a page view is not a write).
    static constexpr Millis kSessionTouchEvery = std::chrono::minutes(1);

private:
    explicit Auth(std::string key) : key_(std::move(key)), cache_(std::make_shared<Cache>()) {}
    std::string Hash(std::string_view secret) const;
    // Checks token `id` against the hash of the secret presented.
    Expected<Principal> Check(store::Tx& tx, Id id, const std::string& hash) const;
    struct Cached {
        std::string hash;
        Principal principal;
        TimePoint checked_at;
    };
    struct Cache {
        std::mutex mu;
        std::unordered_map<Id, Cached> tokens;
    };
    std::string key_;
    std::shared_ptr<Cache> cache_;
    SessionOptions sessions_;
};

}  // namespace amends::app
