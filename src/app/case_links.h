#pragma once
// Links that let a customer see their own case without an account: /c/<token>, where the token carries the case
// id and an expiry, signed with HMAC-SHA256 under an instance key kept in the database. A forged, altered or
// expired token is refused. CaseLinks is immutable after Open and safe to share between threads.

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

private:
    explicit CaseLinks(std::string key) : key_(std::move(key)) {}
    std::string key_;
};

}  // namespace amends::app
