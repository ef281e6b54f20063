#pragma once
// Links that let a customer see their own case without an account: /c/<token>, where the token carries the case
// id and an expiry, signed with HMAC-SHA256 under an instance key kept in the database. A forged, altered or
// expired token is refused. CaseLinks is immutable after Open and safe to share between threads.

#include <sodium.h>

#include <string>
#include <string_view>

#include "domain/error.h"
#include "domain/model.h"
#include "store/store.h"

namespace amends::app {

class CaseLinks {
public:
    // Loads the signing key, creating it on first use.
    static Expected<CaseLinks> Open(store::Store& store);

    // A token for `case_id` valid until `expires`.
    std::string Sign(Id case_id, TimePoint expires) const;
    // The case a token opens: kNotFound when it is malformed, forged or altered; kPermissionDenied when expired.
    Expected<Id> Verify(std::string_view token, TimePoint now) const;

    static constexpr auto kDefaultLifetime = std::chrono::hours(24 * 90);

    // Issue 9: the short signature in a case's reply address (support+c12.<tag>@...): 10 characters of lower-case
    // base32 (50 bits of HMAC-SHA256 over "reply-address:12" under the same key). Mail servers may change a local
    // part's case, so the tag is checked without regard to it.
    std::string ReplyTag(Id case_id) const;
    bool VerifyReplyTag(Id case_id, std::string_view tag) const;
    // A customer's unsubscribe token (the List-Unsubscribe link of incident notices): the customer id and 128 bits
    // of HMAC-SHA256 over "unsubscribe:" and the id, URL-safe base64. It does not expire: a notice's link must work
    // whenever it is clicked. Verify: the customer id, or kNotFound when malformed, forged or altered.
    std::string SignUnsubscribe(Id customer_id) const;
    Expected<Id> VerifyUnsubscribe(std::string_view token) const;

private:
    explicit CaseLinks(std::string key);
    std::string key_;
    // HMAC-SHA256 keyed once for the unsubscribe tokens: a notice fan-out signs one per customer (a million for a
    // large incident), and copying a keyed state saves the two hashes of keying each time.
    crypto_auth_hmacsha256_state unsubscribe_;
};

}  // namespace amends::app
