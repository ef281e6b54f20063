// amends: the command line. Subcommands: serve, migrate, user add, user token, user password.
// Exit codes: 0 done, 1 the work failed (the message says why), 64 the command line or config was wrong (EX_USAGE).
// `amends coach` answers 0 good, 1 needs work, 2 poor.

#include <CLI/CLI.hpp>
#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "app/auth.h"
#include "app/demo.h"
#include "app/outbound.h"
#include "app/ledger.h"
#include "app/recovery.h"
#include "playbook/config.h"
#include "cli/coach_command.h"
#include "cli/debrief_command.h"
#include "cli/incident_command.h"
#include "cli/mail_in_command.h"
#include "cli/credit_command.h"
#include "cli/config.h"
#include "http/api.h"
#include "http/server.h"
#include "lmtp/deliver_mail.h"
#include "lmtp/server.h"
#include "notify/mime.h"
#include "notify/outbox_worker.h"
#include "notify/webhook.h"
#include "notify/smtp.h"
#include "store/store.h"

namespace amends::cli {

namespace {

constexpr int kExitUsage = 64;  // EX_USAGE
constexpr int kExitData = 65;   // EX_DATAERR

// `amends user token|password NAME` for a NAME the database does not hold: the data is wrong, not the command line.
int NoSuchUser(const std::string& name, const std::string& db) {
    std::fprintf(stderr, "amends: no user named %s in %s (add one with `amends user add %s --role agent`)\n",
                 name.c_str(), db.c_str(), name.c_str());
    return kExitData;
}

int Failed(const Error& e) {
    std::fprintf(stderr, "amends: %s\n", e.message.c_str());
    return e.code == ErrorCode::kInvalidArgument ? kExitUsage : 1;
}

struct ServeFlags {
    std::string config_path;
    std::string db;
    std::string listen;
    std::string smtp;
    std::string lmtp;
    bool demo = false;
    bool no_scheduler = false;
};

Expected<Config> Configure(const ServeFlags& flags) {
    Config config;
    if (!flags.config_path.empty()) {
        auto loaded = LoadConfig(flags.config_path);
        if (!loaded) return std::unexpected(loaded.error());
        config = std::move(*loaded);
    }
    if (!flags.db.empty()) config.db = flags.db;
    if (flags.no_scheduler) config.scheduler = false;
    if (!flags.smtp.empty()) {
        config.smtp.url = flags.smtp;
        if (auto ok = notify::Validate(config.smtp); !ok) {
            auto e = ok.error();
            e.message = "--smtp " + e.message.substr(e.message.find(' ') + 1);
            return std::unexpected(e);
        }
    }
    return config;
}

// The outbox workers of this process ([outbox] enabled): email when an SMTP server is configured, and webhooks.
struct Delivery {
    std::unique_ptr<notify::OutboxWorker> email, webhook;
    void Start() {
        for (auto* w : {email.get(), webhook.get()})
            if (w) w->Start();
    }
    void Stop() {
        for (auto* w : {email.get(), webhook.get()})
            if (w) w->Stop();
    }
    void Wake() {
        for (auto* w : {email.get(), webhook.get()})
            if (w) w->Wake();
    }
};

Delivery MakeDelivery(const Config& config, store::Store& store, const Clock& clock) {
    Delivery d;
    if (!config.outbox) return d;
    if (config.smtp.url.empty()) {
        std::fprintf(stderr, "amends: no SMTP server configured ([smtp] url or --smtp): email is queued, not sent\n");
    } else {
        std::fprintf(stderr, "amends: delivering email through %s\n", config.smtp.url.c_str());
        d.email = std::make_unique<notify::OutboxWorker>(
            store, clock, [smtp = config.smtp] { return std::make_unique<notify::SmtpSender>(smtp); },
            config.outbox_options);
    }
    notify::WorkerOptions hooks = config.outbox_options;
    hooks.channel = "webhook";
    d.webhook = std::make_unique<notify::OutboxWorker>(
        store, clock,
        [&store] {
            notify::WebhookOptions o;
            o.secret_of = [&store](std::int64_t id) {
                std::optional<std::string> secret;
                store.Read([&](store::Tx& tx) {
                    auto w = tx.FindWebhook(id);
                    if (w && !w->deleted_at) secret = w->secret;
                });
                return secret;
            };
            return std::make_unique<notify::WebhookSender>(std::move(o));
        },
        hooks);
    return d;
}

// The right side of Message-IDs: the sender's domain.
std::string MailDomain(const Config& config) {
    auto address = notify::ParseMailbox(config.smtp.from).address;
    auto at = address.rfind('@');
    return at == std::string::npos ? "amends.localhost" : address.substr(at + 1);
}

// The clock policies named by the config, or the built-in defaults.
Expected<playbook::Config> LoadPlaybook(const Config& config) {
    if (config.playbook.empty()) return playbook::Config{};
    std::ifstream in(config.playbook);
    if (!in) return Fail(ErrorCode::kInvalidArgument, "cannot read playbook file " + config.playbook, "playbook");
    std::stringstream text;
    text << in.rdbuf();
    auto parsed = playbook::ParseConfig(text.str());
    if (!parsed) {
        auto e = parsed.error();
        e.message = config.playbook + ": " + e.message;
        return std::unexpected(e);
    }
    return parsed;
}

// The compensation policy named by the config, or the built-in default.
Expected<policy::Policy> LoadCompensationPolicy(const Config& config) {
    if (config.policy.empty()) return policy::DefaultPolicy();
    std::ifstream in(config.policy);
    if (!in) return Fail(ErrorCode::kInvalidArgument, "cannot read policy file " + config.policy, "policy");
    std::stringstream text;
    text << in.rdbuf();
    auto parsed = policy::ParsePolicy(text.str());
    if (!parsed) {
        auto e = parsed.error();
        e.message = config.policy + ": " + e.field + ": " + e.message;
        return std::unexpected(e);
    }
    return parsed;
}

int Worker(const ServeFlags& flags) {
    auto config = Configure(flags);
    if (!config) return Failed(config.error());
    auto clocks = LoadPlaybook(*config);
    if (!clocks) return Failed(clocks.error());
    auto store = store::OpenSqlite({config->db, config->durability});
    if (!store) return Failed(store.error());
    app::Recovery recovery(std::move(*clocks));
    SystemClock clock;
    app::Scheduler scheduler(**store, recovery, clock, std::chrono::milliseconds(config->scheduler_interval_ms));
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    scheduler.Start();
    auto delivery = MakeDelivery(*config, **store, clock);
    delivery.Start();
    // Notices of updates posted elsewhere (`amends incident update` with no server running), and the reminders and
    // escalations of promised updates.
    auto links = app::CaseLinks::Open(**store);
    if (!links) return Failed(links.error());
    if (config->public_url.empty()) config->public_url = "http://" + config->listen;
    app::Outbound outbound(*links, app::MailSettings{config->public_url, MailDomain(*config), config->mail_address});
    app::StatusBoard status_board(**store, clock, status::PageInfo{"amends", config->status_name, config->public_url},
                                  outbound, nullptr);
    if (auto loaded = status_board.Load(); !loaded) return Failed(loaded.error());
    status_board.SetPromiseOptions(config->promises);
    status_board.OnQueued([&delivery] { delivery.Wake(); });
    status_board.StartWorker();
    std::fprintf(stderr, "amends: worker sweeping %s every %d ms\n", config->db.c_str(), config->scheduler_interval_ms);
    int received = 0;
    sigwait(&signals, &received);
    status_board.StopWorker();
    delivery.Stop();
    scheduler.Stop();
    (*store)->Close();
    std::fprintf(stderr, "amends: worker stopped\n");
    return 0;
}

int Serve(const ServeFlags& flags) {
    auto configured = Configure(flags);
    if (!configured) return Failed(configured.error());
    Config config = std::move(*configured);
    auto clocks = LoadPlaybook(config);
    if (!clocks) return Failed(clocks.error());
    if (!flags.listen.empty()) config.listen = flags.listen;
    if (auto ok = ApplyListen(config.listen, config.http); !ok) return Failed(ok.error());
    config.http.handle_signals = true;
    // Bind first: when the address is taken, stop before anything is written (no demo data, no demo token).
    http::Router router;
    http::Server server(config.http, router);
    auto port = server.Listen();
    if (!port) return Failed(port.error());
    if (config.public_url.empty()) {
        // The address bound: with port 0 (any free port) the links name the port the system chose.
        config.public_url = config.http.port == 0
                                ? "http://" + config.listen.substr(0, config.listen.rfind(':') + 1) + std::to_string(*port)
                                : "http://" + config.listen;
        if (config.http.host == "0.0.0.0" || config.http.host == "::")
            std::fprintf(stderr, "amends: warning: links in emails will point at %s; set public_url to the address "
                                 "customers reach\n", config.public_url.c_str());
    }

    auto store = store::OpenSqlite({config.db, config.durability});
    if (!store) return Failed(store.error());
    auto auth = app::Auth::Open(**store);
    if (!auth) return Failed(auth.error());
    config.sessions.secure_cookie = config.public_url.starts_with("https://");
    auth->SetSessionOptions(config.sessions);
    SystemClock clock;
    app::Recovery recovery(std::move(*clocks));
    if (flags.demo) {
        auto demo = app::LoadDemo(**store, *auth, recovery, clock);
        if (!demo) return Failed(demo.error());
        if (demo->cases_created) std::fprintf(stderr, "amends: loaded %d demo cases\n", demo->cases_created);
        std::fprintf(stderr, "amends: console: %s/console, sign in as demo with password %s%s\n",
                     config.public_url.c_str(), std::string(app::kDemoPassword).c_str(),
                     demo->password_set ? "" : " (unless you changed it)");
        std::fprintf(stderr, "amends: demo admin token (new each start):\n%s\n", demo->token.c_str());
    }
    app::ReplyCoach reply_coach(config.send_policy);
    reply_coach.LoadHistory(**store);
    auto links = app::CaseLinks::Open(**store);
    if (!links) return Failed(links.error());
    app::Outbound outbound(*links, app::MailSettings{config.public_url, MailDomain(config), config.mail_address});
    auto delivery = MakeDelivery(config, **store, clock);
    http::ApiContext api{**store, *auth, recovery, reply_coach, *links, clock, outbound};
    api.outbox_queued = [&delivery] { delivery.Wake(); };
    app::StatusBoard status_board(**store, clock, status::PageInfo{"amends", config.status_name, config.public_url},
                                  outbound, &reply_coach);
    if (auto loaded = status_board.Load(); !loaded) return Failed(loaded.error());
    status_board.SetPromiseOptions(config.promises);
    status_board.OnQueued([&delivery] { delivery.Wake(); });
    api.status = &status_board;
    api.signal_rules = &config.signal_rules;
    auto compensation = LoadCompensationPolicy(config);
    if (!compensation) return Failed(compensation.error());
    app::RemedyLedger remedies(*compensation, recovery);
    api.remedies = &remedies;
    api.debriefs = &config.debriefs;
    mailin::Limits mail_limits;
    mail_limits.max_attachment_bytes = static_cast<std::size_t>(config.max_attachment_bytes);
    api.mail_limits = &mail_limits;
    http::RegisterApi(router, api);
    // The LMTP listener ([mail] lmtp or --lmtp): a mail server delivers straight to amends.
    if (!flags.lmtp.empty()) config.lmtp = flags.lmtp;
    lmtp::MailDelivery mail_delivery{**store, recovery, &status_board, &*links, clock, mail_limits,
                                     [&delivery] { delivery.Wake(); }};
    mail_delivery.limits.max_message_bytes = static_cast<std::size_t>(config.lmtp_max_bytes);
    std::unique_ptr<lmtp::Server> lmtp_server;
    if (!config.lmtp.empty()) {
        http::ServerOptions where;
        if (auto ok = ApplyListen(config.lmtp, where); !ok) {
            return Failed(Error{ErrorCode::kInvalidArgument, "--lmtp / [mail] lmtp: " + ok.error().message, "lmtp"});
        }
        lmtp::Options o;
        o.host = where.host;
        o.port = where.port;
        o.max_message_bytes = static_cast<std::size_t>(config.lmtp_max_bytes);
        lmtp_server = std::make_unique<lmtp::Server>(o, lmtp::FileIntoAmends(mail_delivery));
        auto lmtp_port = lmtp_server->Listen();
        if (!lmtp_port) return Failed(lmtp_port.error());
        std::fprintf(stderr, "amends: LMTP on %s:%u\n", o.host.c_str(), *lmtp_port);
        lmtp_server->Start();
    }
    std::fprintf(stderr, "amends: serving http://%s:%u (database %s, durability %s)\n", config.http.host.c_str(), *port,
                 config.db.c_str(), config.durability == store::Durability::kFsync ? "fsync" : "process");
    app::Scheduler scheduler(**store, recovery, clock, std::chrono::milliseconds(config.scheduler_interval_ms));
    if (config.scheduler) scheduler.Start();
    delivery.Start();
    status_board.StartWorker();
    server.Run();
    if (lmtp_server) lmtp_server->Stop();
    status_board.StopWorker();
    delivery.Stop();
    scheduler.Stop();
    (*store)->Close();
    std::fprintf(stderr, "amends: drained and stopped\n");
    return 0;
}

int Migrate(const std::string& db) {
    auto applied = store::MigrateSqlite(db);
    if (!applied) return Failed(applied.error());
    if (applied->empty()) std::printf("%s: schema is up to date\n", db.c_str());
    for (int v : *applied) std::printf("%s: applied migration %04d\n", db.c_str(), v);
    return 0;
}

int UserAdd(const std::string& db, const std::string& name, const std::string& role_name) {
    auto role = ParseIn<Role>(kRoleNames, role_name);
    if (!role) return Failed(Error{ErrorCode::kInvalidArgument, "--role must be agent, manager or admin", "role"});
    if (auto ok = ValidateUserName(name); !ok) return Failed(ok.error());
    auto store = store::OpenSqlite({db});
    if (!store) return Failed(store.error());
    auto auth = app::Auth::Open(**store);
    if (!auth) return Failed(auth.error());
    Expected<app::NewToken> added = Fail(ErrorCode::kInternal, "not run");
    auto written = (*store)->WriteAndWait([&](store::Tx& tx) {
        added = auth->AddUser(tx, name, *role, SystemClock().Now());
        return added.has_value();
    });
    if (!written) return Failed(written.error());
    if (!added) return Failed(added.error());
    std::printf("added %s user %s (id %lld); their API token, shown only now:\n%s\n", role_name.c_str(), name.c_str(),
                static_cast<long long>(added->user.id), added->token.c_str());
    return 0;
}

int UserToken(const std::string& db, const std::string& name) {
    auto store = store::OpenSqlite({db});
    if (!store) return Failed(store.error());
    auto auth = app::Auth::Open(**store);
    if (!auth) return Failed(auth.error());
    bool missing = false;
    Expected<std::string> token = Fail(ErrorCode::kInternal, "not run");
    auto written = (*store)->WriteAndWait([&](store::Tx& tx) {
        auto user = tx.FindUserByName(name);
        missing = !user;
        if (!user) return false;
        token = auth->IssueToken(tx, user->id, SystemClock().Now());
        return token.has_value();
    });
    if (missing) return NoSuchUser(name, db);
    if (!written) return Failed(written.error());
    if (!token) return Failed(token.error());
    std::printf("new API token for %s, shown only now:\n%s\n", name.c_str(), token->c_str());
    return 0;
}

// Reads the password from stdin (a pipe, or typed and ended with Enter), so it never shows in `ps` or shell history.
int UserPassword(const std::string& db, const std::string& name) {
    std::string password;
    if (!std::getline(std::cin, password)) {
        std::fprintf(stderr, "amends: give the password on standard input, e.g. `printf '%%s\\n' \"$PW\" | amends user password %s`\n",
                     name.c_str());
        return kExitUsage;
    }
    if (!password.empty() && password.back() == '\r') password.pop_back();
    auto hash = app::Auth::HashPassword(password);
    if (!hash) return Failed(hash.error());
    auto store = store::OpenSqlite({db});
    if (!store) return Failed(store.error());
    bool missing = false;
    auto written = (*store)->WriteAndWait([&](store::Tx& tx) {
        auto user = tx.FindUserByName(name);
        missing = !user;
        if (!user) return false;
        tx.PutPasswordHash(user->id, *hash, SystemClock().Now());
        tx.DeleteUserWebSessions(user->id);
        return true;
    });
    if (missing) return NoSuchUser(name, db);
    if (!written) return Failed(written.error());
    std::printf("password set for %s; they can sign in at /console\n", name.c_str());
    return 0;
}

}  // namespace

int Main(int argc, char** argv) {
    CLI::App app{"amends: own every mistake, tell customers first, make it right, fix the cause"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "amends 0.1.0");

    ServeFlags serve_flags;
    auto* serve = app.add_subcommand("serve", "Serve the API (and run background work)");
    serve->add_option("--config", serve_flags.config_path, "TOML config file")->check(CLI::ExistingFile);
    serve->add_option("--db", serve_flags.db, "SQLite database file (default amends.db)");
    serve->add_option("--listen", serve_flags.listen, "HOST:PORT to listen on (default 127.0.0.1:8080)");
    serve->add_flag("--demo", serve_flags.demo, "Load demo customers and cases, and print a demo admin token");
    serve->add_flag("--no-scheduler", serve_flags.no_scheduler, "Do not sweep clocks here (run `amends worker`)");
    serve->add_option("--smtp", serve_flags.smtp, "SMTP server to send email through, e.g. smtp://127.0.0.1:2525");
    serve->add_option("--lmtp", serve_flags.lmtp, "HOST:PORT for an LMTP listener a mail server delivers to, e.g. 127.0.0.1:2424");

    ServeFlags worker_flags;
    auto* worker = app.add_subcommand("worker", "Run the clock scheduler and email delivery apart from the server");
    worker->add_option("--config", worker_flags.config_path, "TOML config file")->check(CLI::ExistingFile);
    worker->add_option("--db", worker_flags.db, "SQLite database file (default amends.db)");
    worker->add_option("--smtp", worker_flags.smtp, "SMTP server to send email through, e.g. smtp://127.0.0.1:2525");

    std::string db = "amends.db";
    auto* migrate = app.add_subcommand("migrate", "Create or upgrade the database schema");
    migrate->add_option("--db", db, "SQLite database file")->capture_default_str();

    auto* user = app.add_subcommand("user", "Manage staff users");
    user->require_subcommand(1);
    std::string name, role;
    auto* add = user->add_subcommand("add", "Add a user; prints their API token once, alone on the last line");
    add->add_option("NAME", name, "User name")->required();
    add->add_option("--role", role, "agent, manager or admin")->required();
    add->add_option("--db", db, "SQLite database file")->capture_default_str();
    auto* token = user->add_subcommand("token", "Issue another API token for a user (last line of output)");
    token->add_option("NAME", name, "User name")->required();
    token->add_option("--db", db, "SQLite database file")->capture_default_str();
    auto* password = user->add_subcommand(
        "password", "Set a user's console password, read from the first line of standard input; signs them out");
    password->add_option("NAME", name, "User name")->required();
    password->add_option("--db", db, "SQLite database file")->capture_default_str();

    IncidentFlags incident_flags;
    auto* incident = app.add_subcommand("incident", "The status page's incidents, on the database directly");
    incident->require_subcommand(1);
    auto* incident_list = incident->add_subcommand("list", "Incidents and maintenances, newest first");
    incident_list->add_option("--db", incident_flags.db, "SQLite database file")->capture_default_str();
    auto* incident_affected = incident->add_subcommand(
        "affected", "Attach the customers of a CSV file (customer_id or email/external_ref, name, details...) to an incident");
    incident_affected->add_option("ID", incident_flags.id, "The incident's id")->required();
    incident_affected->add_option("FILE", incident_flags.file, "CSV file, or - for standard input")->required();
    incident_affected->add_option("--db", incident_flags.db, "SQLite database file")->capture_default_str();
    incident_affected->add_option("--public-url", incident_flags.public_url, "Where customers reach amends (links)")
        ->capture_default_str();
    incident_affected->add_flag("--no-progress{false}", incident_flags.progress, "No progress line on stderr");
    std::string incident_config;
    auto add_incident_config = [&](CLI::App* cmd) {
        cmd->add_option("--config", incident_config,
                        "The server's TOML config: its db, public_url, [smtp] from and [mail] address, so notices "
                        "queued here read as the server's (flags given still win)");
    };
    add_incident_config(incident_affected);
    auto incident_post = [&](CLI::App* cmd) {
        cmd->add_option("--body", incident_flags.body, "The public update's text")->required();
        cmd->add_option("--impact", incident_flags.impact, "none, minor, major or critical");
        cmd->add_option("--component", incident_flags.components,
                        "A component's new status, ID=STATUS (operational, degraded_performance, partial_outage, "
                        "major_outage, under_maintenance); repeatable");
        cmd->add_option("--next-update", incident_flags.next_update,
                        "When the next update is promised: 30m, 2h, 1h30m, 1d (a reminder fires before it, an "
                        "escalation after)");
        cmd->add_flag("--no-notify{false}", incident_flags.notify, "Post without notifying the affected customers");
        cmd->add_option("--db", incident_flags.db, "SQLite database file")->capture_default_str();
        cmd->add_option("--public-url", incident_flags.public_url, "Where customers reach amends (links)")
            ->capture_default_str();
        cmd->add_flag("--no-progress{false}", incident_flags.progress, "No progress line on stderr");
        add_incident_config(cmd);
    };
    MailInFlags mail_in_flags;
    auto* mail_in = app.add_subcommand(
        "mail-in", "File one email from standard input (a mail server's pipe transport); exit 75 asks it to retry");
    mail_in->add_option("--url", mail_in_flags.url, "The amends server")->capture_default_str();
    mail_in->add_option("--token", mail_in_flags.token, "An API token (or AMENDS_TOKEN)");
    mail_in->add_option("--timeout", mail_in_flags.timeout_seconds, "Seconds to wait for the server")->capture_default_str();
    mail_in->add_option("--recipient", mail_in_flags.recipients,
                        "The envelope recipient (a pipe transport's ${original_recipient}); repeatable");
    auto* incident_declare = incident->add_subcommand("declare", "Declare an incident (its first public update)");
    incident_declare->add_option("--name", incident_flags.name, "The incident's public name")->required();
    incident_declare->add_option("--status", incident_flags.status,
                                 "investigating (default), identified, monitoring or resolved");
    incident_declare->add_option("--notice", incident_flags.notice_file,
                                 "A mustache template for the customers' notices (first line may be \"Subject: ...\")");
    incident_post(incident_declare);
    auto* incident_update = incident->add_subcommand("update", "Post an update on an incident (notifies its customers)");
    incident_update->add_option("ID", incident_flags.id, "The incident's id")->required();
    incident_update->add_option("--status", incident_flags.status,
                                "investigating, identified, monitoring, resolved or postmortem")
        ->required();
    incident_post(incident_update);
    CreditFlags credit_flags;
    auto* incident_credit = AddCreditCommand(*incident, credit_flags);

    CoachFlags coach_flags;
    auto* coach = app.add_subcommand("coach", "Check a reply draft: exit 0 good, 1 needs work, 2 poor");
    coach->add_option("FILE", coach_flags.file, "The draft, or - for standard input")->capture_default_str();
    coach->add_flag("--json", coach_flags.json, "Print the JSON report");
    coach->add_option("--step", coach_flags.step, "The case's step: acknowledge, apologize, listen, offer, ...");
    coach->add_option("--fault", coach_flags.fault, "Whose fault: ours, not_ours or unknown")->capture_default_str();
    coach->add_flag("--remedy-offered", coach_flags.remedy_offered, "A remedy was already offered on the case");
    coach->add_option("--eval", coach_flags.eval, "Print precision, recall and F1 per label for a labelled JSONL set");

    DebriefFlags debrief_flags;
    auto* debrief = app.add_subcommand("debrief", "Print a debrief as Markdown (five whys, cause, scope, actions)");
    debrief->add_option("ID", debrief_flags.id, "The debrief's id")->required();
    debrief->add_option("--db", debrief_flags.db, "SQLite database file")->capture_default_str();
    debrief->add_flag("--public", debrief_flags.public_, "The public postmortem (no customer data)");
    debrief->add_flag("--html", debrief_flags.html, "Render to HTML");

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return kExitUsage;
    }
    if (*coach) return RunCoach(coach_flags);
    if (*debrief) return RunDebrief(debrief_flags);
    if (*incident_list) return IncidentList(incident_flags);
    if (*mail_in) return MailIn(mail_in_flags);
    for (CLI::App* cmd : {incident_affected, incident_declare, incident_update}) {
        if (!*cmd || incident_config.empty()) continue;
        auto config = LoadConfig(incident_config);
        if (!config) return Failed(config.error());
        if (cmd->count("--db") == 0) incident_flags.db = config->db;
        if (cmd->count("--public-url") == 0 && !config->public_url.empty()) incident_flags.public_url = config->public_url;
        incident_flags.mail_domain = MailDomain(*config);
        incident_flags.mail_address = config->mail_address;
        incident_flags.status_name = config->status_name;
    }
    if (*incident_affected) return IncidentAffected(incident_flags);
    if (*incident_declare) return IncidentDeclare(incident_flags);
    if (*incident_update) return IncidentUpdate(incident_flags);
    if (*incident_credit && !credit_flags.config.empty()) {
        auto config = LoadConfig(credit_flags.config);
        if (!config) return Failed(config.error());
        if (incident_credit->count("--db") == 0) credit_flags.db = config->db;
        if (incident_credit->count("--policy") == 0) credit_flags.policy = config->policy;
    }
    if (*incident_credit) return IncidentCredit(credit_flags);
    if (*serve) return Serve(serve_flags);
    if (*worker) return Worker(worker_flags);
    if (*migrate) return Migrate(db);
    if (*add) return UserAdd(db, name, role);
    if (*token) return UserToken(db, name);
    if (*password) return UserPassword(db, name);
    return kExitUsage;
}

}  // namespace amends::cli

int main(int argc, char** argv) { return amends::cli::Main(argc, argv); }
