#pragma once
// Staff users and their API tokens. A token is "amd_<id>_<secret>": the id finds the row, the secret (256 random
// bits, base64url) is checked against its keyed BLAKE2b hash in constant time. Only the hash is stored.
// A verified token is remembered for kTokenCacheTtl, so most requests are checked without a database read (the hash
// is still compared every time); a user's new role or a revocation takes effect within that time.
// Auth is safe for concurrent use once constructed.

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
};

}  // namespace amends::app
