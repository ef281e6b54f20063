#pragma once
// The JSON API under /api/v1: routes, authentication, and the shape of reads and writes. Handlers parse, call
// app/, and serialize; nothing else.

#include <functional>
#include <string>

#include "app/auth.h"
#include "app/outbound.h"
#include "app/case_links.h"
#include "app/ledger.h"
#include "app/debriefs.h"
#include "app/recovery.h"
#include "app/reply_coach.h"
#include "app/signals.h"
#include "app/status_board.h"
#include "domain/time.h"
#include "http/router.h"
#include "mailin/parse.h"
#include "store/store.h"

namespace amends::http {

// What the handlers share. Everything here outlives the server and is safe for concurrent use.
struct ApiContext {
    store::Store& store;
    const app::Auth& auth;
    const app::Recovery& recovery;
    app::ReplyCoach& reply_coach;
    const app::CaseLinks& links;
    const Clock& clock;
    const app::Outbound& outbound;
    std::function<void()> outbox_queued = {};  // called after a write that queued mail commits (wakes the worker)
    app::StatusBoard* status = nullptr;         // the status page; its routes are served when set
    const std::vector<app::SignalRule>* signal_rules = nullptr;  // [[signals]] of the config; null: the built-ins
    const app::RemedyLedger* remedies = nullptr;  // the compensation policy's ledger; null: the default policy
    const app::DebriefOptions* debriefs = nullptr;               // [debriefs] of the config; null: the defaults
    const mailin::Limits* mail_limits = nullptr;  // [mail] max_attachment_bytes for POST /api/v1/mail; null: defaults
};

// Adds every API route (and /healthz, /api/openapi.json) to `router`.
void RegisterApi(Router& router, ApiContext& api);

// The OpenAPI 3.1 document served at /api/openapi.json.
std::string_view OpenApiDocument();

}  // namespace amends::http
