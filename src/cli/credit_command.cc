#include "cli/credit_command.h"

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "app/case_links.h"
#include "app/ledger.h"
#include "app/outbound.h"
#include "app/recovery.h"
#include "app/status_board.h"
#include "cli/progress_line.h"
#include "policy/policy.h"
#include "store/store.h"

namespace amends::cli {

namespace {

constexpr int kExitFailed = 1;
constexpr int kExitUsage = 64;
constexpr int kExitData = 65;
constexpr int kExitNoInput = 66;

int Fail(int code, const std::string& message) {
    std::fprintf(stderr, "amends: %s\n", message.c_str());
    return code;
}

}  // namespace

CLI::App* AddCreditCommand(CLI::App& incident, CreditFlags& flags) {
    auto* credit = incident.add_subcommand(
        "credit", "Give every affected customer of an incident the remedies the policy names, once (resumable)");
    credit->add_option("ID", flags.id, "The incident's id")->required();
    credit->add_option("--db", flags.db, "SQLite database file")->capture_default_str();
    credit->add_option("--policy", flags.policy, "Compensation policy TOML file (default: the built-in policy)");
    credit->add_option("--config", flags.config,
                       "The server's TOML config: its db and compensation policy, so the credit is the one the "
                       "server would give (--db and --policy given still win)");
    credit->add_option("--facts", flags.facts, "Facts for every customer, a JSON object, e.g. '{\"invoice_value_minor\": 4900}'");
    credit->add_option("--role", flags.role, "Act with this approval role: agent, manager or admin")->capture_default_str();
    credit->add_option("--batch", flags.batch, "Customers per committed batch")->capture_default_str()->check(
        CLI::Range(1, 1000000));
    credit->add_option("--pause", flags.pause_ms, "Milliseconds to pause between batches")->check(CLI::Range(0, 60000));
    credit->add_flag("--no-progress{false}", flags.progress, "No progress line on stderr");
    return credit;
}

int IncidentCredit(const CreditFlags& flags) {
    auto role = ParseIn<Role>(kRoleNames, flags.role);
    if (!role) return Fail(kExitUsage, "--role must be agent, manager or admin");
    nlohmann::json facts = nlohmann::json::object();
    if (!flags.facts.empty()) {
        facts = nlohmann::json::parse(flags.facts, nullptr, false);
        if (!facts.is_object()) return Fail(kExitUsage, "--facts must be a JSON object");
    }
    std::optional<policy::Policy> loaded;
    if (!flags.policy.empty()) {
        std::ifstream in(flags.policy, std::ios::binary);
        if (!in) return Fail(kExitNoInput, "cannot read " + flags.policy);
        std::stringstream text;
        text << in.rdbuf();
        auto parsed = policy::ParsePolicy(text.str());
        if (!parsed)
            return Fail(kExitData, flags.policy + ": " + parsed.error().field + ": " + parsed.error().message);
        loaded = std::move(*parsed);
    }
    const policy::Policy& policy = loaded ? *loaded : policy::DefaultPolicy();

    auto store = store::OpenSqlite({flags.db});
    if (!store) return Fail(kExitFailed, store.error().message);
    SystemClock clock;
    auto links = app::CaseLinks::Open(**store);
    if (!links) return Fail(kExitFailed, links.error().message);
    app::Outbound outbound(*links, app::MailSettings{});
    app::StatusBoard board(**store, clock, status::PageInfo{"amends", "amends", ""}, outbound, nullptr);
    if (auto ok = board.Load(); !ok) return Fail(kExitFailed, ok.error().message);
    auto page = board.Snapshot();
    const status::Incident* incident = page.FindIncident(flags.id);
    if (!incident) return Fail(kExitUsage, "no incident " + flags.id);

    app::IncidentFacts facts_of;
    facts_of.id = incident->id;
    facts_of.impact =
        ParseIn<policy::Impact>(policy::kImpactNames, status::Name(incident->impact)).value_or(policy::Impact::kNone);
    facts_of.downtime_minutes = std::max<std::int64_t>(
        0, std::chrono::duration_cast<std::chrono::minutes>(incident->resolved_at.value_or(clock.Now()) -
                                                            incident->created_at)
               .count());

    app::Recovery recovery;
    app::RemedyLedger ledger(policy, recovery);
    app::CreditOptions options;
    options.who = Principal{0, "cli", *role};
    options.actor = "cli";
    options.facts = std::move(facts);
    options.batch = flags.batch;
    auto start = std::chrono::steady_clock::now();
    ProgressLine progress(flags.progress);
    auto result = ledger.CreditIncident(**store, facts_of, options, clock, [&](const app::CreditProgress& p) {
        int percent = p.total_customers > 0 ? static_cast<int>(100 * p.customers / p.total_customers) : 100;
        progress.Show(std::string(p.resumed ? "resumed: " : "") + std::to_string(p.customers) + " of " +
                      std::to_string(p.total_customers) + " customers (" + std::to_string(percent) + "%), " +
                      std::to_string(p.issued) + " remedies issued" + Rate(p.customers, start));
        if (flags.pause_ms > 0 && !p.done) std::this_thread::sleep_for(std::chrono::milliseconds(flags.pause_ms));
    });
    progress.Finish();
    (*store)->Close();
    if (!result) {
        const auto& e = result.error();
        return Fail(e.code == ErrorCode::kUnprocessable || e.code == ErrorCode::kInvalidArgument ? kExitData : kExitFailed,
                    e.message + (e.field.empty() ? "" : " (" + e.field + ")") +
                        "; batches before it are kept: fix it and run the command again to resume");
    }
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("incident %s: %lld customers%s, %lld remedies issued (%lld.%02lld), %lld issued before, %lld awaiting "
                "approval, %lld with no remedy, in %.2f s\n",
                flags.id.c_str(), static_cast<long long>(result->customers), result->resumed ? " (resumed)" : "",
                static_cast<long long>(result->issued), static_cast<long long>(result->issued_minor / 100),
                static_cast<long long>(result->issued_minor % 100), static_cast<long long>(result->already_issued),
                static_cast<long long>(result->awaiting_approval), static_cast<long long>(result->no_remedy), seconds);
    return 0;
}

}  // namespace amends::cli
