#include "app/affected_csv.h"

#include <charconv>
#include <string_view>

#include <nlohmann/json.hpp>

namespace amends::app {

namespace {

Error LineError(long line, const std::string& message) {
    return Error{ErrorCode::kInvalidArgument, "line " + std::to_string(line) + ": " + message, "csv"};
}

}  // namespace

Error AtCsvLine(const Error& error, const std::vector<long>& lines) {
    constexpr std::string_view kPrefix = "customers[";
    if (!error.field.starts_with(kPrefix)) return error;
    std::size_t row = 0;
    const char* begin = error.field.data() + kPrefix.size();
    const char* end = error.field.data() + error.field.size();
    auto [stop, ec] = std::from_chars(begin, end, row);
    if (ec != std::errc() || stop == end || *stop != ']' || row >= lines.size()) return error;
    if (error.code != ErrorCode::kInvalidArgument && error.code != ErrorCode::kUnprocessable) return error;
    return LineError(lines[row], error.message);
}

bool ReadCsvRecord(std::istream& in, std::vector<std::string>& fields, std::string& error, long* breaks) {
    fields.clear();
    error.clear();
    if (breaks) *breaks = 0;
    int c = in.get();
    if (c == EOF) return false;
    std::string field;
    bool quoted = false, was_quoted = false;
    for (;; c = in.get()) {
        if (quoted) {
            if (c == EOF) {
                error = "a quoted field is not closed";
                return true;
            }
            if (c == '"') {
                if (in.peek() == '"') {
                    field += '"';
                    in.get();
                } else {
                    quoted = false;
                }
            } else {
                if (c == '\n' && breaks) ++*breaks;
                field += static_cast<char>(c);
            }
            continue;
        }
        if (c == '"' && field.empty() && !was_quoted) {
            quoted = was_quoted = true;
        } else if (c == ',' || c == '\n' || c == EOF) {
            if (!field.empty() && field.back() == '\r' && !was_quoted) field.pop_back();
            fields.push_back(std::move(field));
            field.clear();
            was_quoted = false;
            if (c != ',') return true;
        } else if (c == '\r' && in.peek() == '\n') {
            continue;
        } else if (was_quoted) {
            error = "text after a closing quote";
            return true;
        } else {
            field += static_cast<char>(c);
        }
    }
}

Expected<void> AffectedCsv::ReadHeader() {
    std::string error;
    long breaks = 0;
    line_ = 1;
    if (!ReadCsvRecord(in_, header_, error, &breaks) || !error.empty())
        return std::unexpected(LineError(1, "no CSV header"));
    next_line_ = 2 + breaks;
    if (!header_.empty() && header_[0].starts_with("\xEF\xBB\xBF")) header_[0].erase(0, 3);  // a spreadsheet's BOM
    for (std::size_t i = 0; i < header_.size(); ++i) {
        int col = static_cast<int>(i);
        if (header_[i] == "customer_id") id_col_ = col;
        if (header_[i] == "email") email_col_ = col;
        if (header_[i] == "external_ref") ref_col_ = col;
        if (header_[i] == "name") name_col_ = col;
    }
    if (id_col_ < 0 && email_col_ < 0 && ref_col_ < 0)
        return std::unexpected(LineError(1, "the header needs customer_id, email or external_ref"));
    return {};
}

Expected<std::optional<AffectedInput>> AffectedCsv::Next() {
    std::string error;
    for (;;) {
        long breaks = 0;
        if (!ReadCsvRecord(in_, fields_, error, &breaks)) return std::optional<AffectedInput>();
        line_ = next_line_;
        next_line_ += 1 + breaks;
        if (!error.empty()) return std::unexpected(LineError(line_, error));
        if (fields_.size() == 1 && fields_[0].empty()) continue;  // a blank line
        break;
    }
    if (fields_.size() != header_.size())
        return std::unexpected(LineError(line_, std::to_string(fields_.size()) + " fields where the header has " +
                                                    std::to_string(header_.size())));
    AffectedInput a;
    nlohmann::json details = nlohmann::json::object();
    Customer c;
    for (std::size_t i = 0; i < fields_.size(); ++i) {
        int col = static_cast<int>(i);
        const std::string& f = fields_[i];
        if (col == id_col_) {
            std::int64_t id = 0;
            auto [end, ec] = std::from_chars(f.data(), f.data() + f.size(), id);
            if (ec != std::errc() || end != f.data() + f.size() || id < 1)
                return std::unexpected(LineError(line_, "customer_id must be a number"));
            a.customer_id = id;
        } else if (col == email_col_) {
            if (!f.empty()) c.email = f;
        } else if (col == ref_col_) {
            if (!f.empty()) c.external_ref = f;
        } else if (col == name_col_) {
            c.name = f;
        } else if (!f.empty()) {
            details[header_[i]] = f;
        }
    }
    if (!a.customer_id) {
        if (c.name.empty()) c.name = c.email.value_or(c.external_ref.value_or(""));
        a.customer = std::move(c);
    }
    a.details_json = details.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return std::optional<AffectedInput>(std::move(a));
}

}  // namespace amends::app
