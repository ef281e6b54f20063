#pragma once
// Demo data for `amends serve --demo`: the stories of shared/domain as customers and cases, and a demo admin.

#include <string>

#include "app/auth.h"
#include "app/recovery.h"
#include "domain/time.h"
#include "store/store.h"

namespace amends::app {

struct DemoResult {
    int cases_created = 0;  // 0 when the demo data was already there
    std::string token;      // a fresh token for the "demo" admin user
};

// Loads the stories once (skipped when any customer exists) and issues a new token for user "demo".
Expected<DemoResult> LoadDemo(store::Store& store, const Auth& auth, const Recovery& recovery, const Clock& clock);

}  // namespace amends::app
