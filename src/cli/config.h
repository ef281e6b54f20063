#pragma once
// amends' configuration file (TOML) and what it sets. Command-line flags override it.

#include <string>

#include "domain/error.h"
#include "app/auth.h"
#include "app/debriefs.h"
#include "app/reply_coach.h"
#include "app/signals.h"
#include "app/status_board.h"
#include "http/server.h"
#include "notify/outbox_worker.h"
#include "notify/smtp.h"
#include "store/store.h"

namespace amends::cli {

struct Config {
    std::string db = "amends.db";
    std::string listen = "127.0.0.1:8080";
    store::Durability durability = store::Durability::kProcess;
    std::string playbook;              // clock policies (TOML, docs/playbook.md); empty: the built-in defaults
    std::string policy;                // compensation policy (TOML, docs/policy.md); empty: the built-in default
    bool scheduler = true;             // run the clock scheduler inside `serve`
    int scheduler_interval_ms = 1000;  // how often it sweeps
    app::SendPolicy send_policy;       // [coach] refuse_blame, require_apology_when_ours
    std::string public_url;            // where customers reach amends (links in emails); empty: http://<listen>
    notify::SmtpOptions smtp{.from = "Support <support@amends.localhost>"};  // [smtp]; no url: mail stays queued
    std::vector<app::SignalRule> signal_rules = app::DefaultSignalRules();  // [[signals]] add or replace by type
    std::string status_name = "amends";  // [status] name: the public status page's title
    app::PromiseOptions promises;        // [status] remind_before, escalate_after, remind_to, escalate_to
    bool outbox = true;                // [outbox] enabled: deliver queued mail from this process
    notify::WorkerOptions outbox_options;
    http::ServerOptions http;
    app::DebriefOptions debriefs;      // [debriefs] workaround_max_age_days, escalate_after_days, recurrence_*
    // [mail] (issue 9): the support address whose signed plus-addresses are the Reply-To of case email; the LMTP
    // listener ("127.0.0.1:2424", empty: none) and the largest message it takes; attachments over
    // max_attachment_bytes are not kept (noted on the case).
    std::string mail_address;
    std::string lmtp;
    std::int64_t lmtp_max_bytes = 64ll << 20;
    std::int64_t max_attachment_bytes = 25ll << 20;
    app::SessionOptions sessions;      // [console] idle_timeout, absolute_timeout; Secure cookies when public_url is https
};

// Reads a config file; errors name the key at fault. Unknown keys are errors, so typos are caught.
Expected<Config> LoadConfig(const std::string& path);
// Splits "HOST:PORT" or "[V6]:PORT".
Expected<void> ApplyListen(const std::string& listen, http::ServerOptions& options);

}  // namespace amends::cli
