#pragma once
// `amends incident`: the status page's incidents from the command line, on the database directly (a running server
// delivers the notices this queues).

#include <istream>
#include <string>
#include <vector>

#include "app/affected_csv.h"

namespace amends::cli {

struct IncidentFlags {
    std::string db = "amends.db";
    std::string id;     // the incident
    std::string file;   // CSV of affected customers, "-" for standard input
    std::string public_url = "http://127.0.0.1:8080";
    // The server's mail settings, so notices queued here read as the server's own (`--config` fills them): the
    // right side of Message-IDs and the signed reply address.
    std::string mail_domain = "amends.localhost";
    std::string mail_address;
    std::string status_name = "amends";
    bool progress = true;
    // declare / update
    std::string name, body, status, impact, next_update, notice_file;
    std::vector<std::string> components;  // ID=STATUS
    bool notify = true;
};

// Lists incidents and maintenances, newest first: id, status, impact, affected customers, name.
int IncidentList(const IncidentFlags& flags);
// Attaches the customers of a CSV file to an incident, streamed in batches, with a progress line on stderr.
// Columns: customer_id, or external_ref and/or email (matched, else created with name); every other column is a
// detail their notices can use (order, new_date, ...). Exit 0 done, 1 failed (nothing of the failing batch is
// kept), 64 bad arguments, 65 a malformed line or a row the board refuses, e.g. no such customer (its line is
// printed: "line 2: no customer 999"; nothing of its batch is kept), 66 an unreadable file.
int IncidentAffected(const IncidentFlags& flags);

// Declares an incident (`declare`) or posts an update (`update`) as the API would, then queues its notices to the
// affected customers with a progress line (rewritten in place on a terminal; elsewhere printed once, when done, as
// one line) (a running server or `amends worker` delivers them). Prints the
// incident's id. Exit 0 done, 1 failed, 64 a bad flag (named), 66 an unreadable notice file.
int IncidentDeclare(const IncidentFlags& flags);
int IncidentUpdate(const IncidentFlags& flags);

// One CSV record (RFC 4180), as app/affected_csv.h reads it.
using app::ReadCsvRecord;

}  // namespace amends::cli
