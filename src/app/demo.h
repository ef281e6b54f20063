#pragma once
// Demo data for `amends serve --demo`: the stories of shared/domain as customers and cases, and a demo admin.

#include <string>

#include "app/auth.h"
#include "app/recovery.h"
#include "domain/time.h"
#include "store/store.h"

namespace amends::app {

// The console password the "demo" admin gets when they have none (documented in the README; demos only).
inline constexpr std::string_view kDemoPassword = "amends-demo";

struct DemoResult {
    int cases_created = 0;  // 0 when the demo data was already there
    std::string token;      // a fresh token for the "demo" admin user; their earlier tokens are revoked
    bool password_set = false;  // the demo admin had no password and now has kDemoPassword
};

// Loads the stories once (skipped when any customer exists), revokes the API tokens user "demo" holds and issues them
// a new one (only the newest demo token works), and gives them the console password kDemoPassword unless they already
// have a password (a password that is there, and signed-in browsers, are kept).
Expected<DemoResult> LoadDemo(store::Store& store, const Auth& auth, const Recovery& recovery, const Clock& clock);

}  // namespace amends::app
