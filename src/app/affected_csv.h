#pragma once
// Affected customers from a CSV file, for `amends incident affected` and the console's upload: a header row, then
// one customer a row. Columns: customer_id, or external_ref and/or email (matched, else created with name); every
// other non-empty column is a detail their notices can use (order, new_date, ...).
//
// An AffectedCsv reads from a stream it does not own; one thread at a time.

#include <istream>
#include <optional>
#include <string>
#include <vector>

#include "app/status_board.h"
#include "domain/error.h"

namespace amends::app {

// One CSV record (RFC 4180: quoted fields may hold commas, quotes ("") and line breaks). False at end of input;
// `error` is set for a malformed record. `breaks`, when given, is set to the line breaks inside its quoted fields
// (the record spans 1 + *breaks lines).
bool ReadCsvRecord(std::istream& in, std::vector<std::string>& fields, std::string& error, long* breaks = nullptr);

// An error of StatusBoard::Attach for rows read from a CSV file, restated for the file: the row's field
// (customers[i]...) becomes its line, `lines[i]` ("line 4: no customer 999", field "csv", code kInvalidArgument).
// An error that names no row (the store unavailable, no such incident) is returned as it is.
Error AtCsvLine(const Error& error, const std::vector<long>& lines);

class AffectedCsv {
public:
    explicit AffectedCsv(std::istream& in) : in_(in) {}
    // Reads the header row. kInvalidArgument (field "csv", the message naming line 1) when there is none or it has
    // no customer_id, email or external_ref column.
    Expected<void> ReadHeader();
    // The next row's customer; nullopt at the end. Blank lines are skipped. kInvalidArgument (field "csv") names the
    // line of a malformed row.
    Expected<std::optional<AffectedInput>> Next();
    long line() const { return line_; }  // the first line of the last record read (1: the header)

private:
    std::istream& in_;
    std::vector<std::string> header_, fields_;
    int id_col_ = -1, email_col_ = -1, ref_col_ = -1, name_col_ = -1;
    long line_ = 0;
    long next_line_ = 1;  // where the next record starts: a quoted field may hold line breaks
};

}  // namespace amends::app
