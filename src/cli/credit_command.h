#pragma once
// `amends incident credit ID`: gives every affected customer of an incident the remedies the compensation policy
// names for them, once, on the ledger, in batches with a progress line; a rerun after a crash resumes after the
// last committed batch (app/ledger.h).

#include <string>

namespace CLI {
class App;
}

namespace amends::cli {

struct CreditFlags {
    std::string db = "amends.db";
    std::string id;           // the incident
    std::string policy;       // a policy TOML file; empty: the built-in default policy
    std::string config;       // the server's TOML config: its db and policy, unless --db or --policy are given
    std::string facts;        // JSON object of facts for every customer (under each customer's details)
    std::string role = "admin";  // the approval role the command acts with: above it, remedies wait for approval
    int batch = 5000;         // customers per unit of work
    int pause_ms = 0;         // a pause between batches, to leave the database to a busy server
    bool progress = true;
};

// Adds `credit` under the `incident` subcommand; returns it (parsed: run IncidentCredit).
CLI::App* AddCreditCommand(CLI::App& incident, CreditFlags& flags);
// Exit 0 done, 1 failed (committed batches are kept: rerun to resume), 64 bad arguments or no such incident,
// 65 a bad policy file or a customer's details that are not facts, 66 an unreadable policy file.
int IncidentCredit(const CreditFlags& flags);

}  // namespace amends::cli
