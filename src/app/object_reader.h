#pragma once
// Reads a JSON request object field by field and keeps the first error, naming the field; fields it was not asked
// for are errors too, so a typo never passes silently. Used by the API's handlers and by app/ for commands that are
// stored as JSON (the status page's log).

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "domain/error.h"
#include "domain/names.h"

namespace amends::app {

// Parses a request body that must be one JSON object (UTF-8 checked by the parser).
Expected<nlohmann::json> ParseObject(std::string_view body);

class ObjectReader {
public:
    // `object` must outlive the reader; `prefix` is put before field names in errors ("customer.").
    explicit ObjectReader(const nlohmann::json& object, std::string prefix = "");

    bool Has(const char* key) const;
    // Absent: nullopt. Present but not a string: error. `required` makes absence an error too.
    std::optional<std::string> String(const char* key, bool required = false);
    // Like String, but JSON null gives an engaged empty optional (to clear the value).
    std::optional<std::optional<std::string>> NullableString(const char* key);
    std::optional<bool> Bool(const char* key);
    std::optional<std::int64_t> Integer(const char* key, std::int64_t min, std::int64_t max, bool required = false);
    std::optional<std::optional<std::int64_t>> NullableInteger(const char* key, std::int64_t min, std::int64_t max);
    // A non-negative amount with at most two decimals ("12.5", 12.5), returned in minor units (1250).
    std::optional<std::int64_t> Amount(const char* key);
    // An array of strings (at most `max` of them).
    std::optional<std::vector<std::string>> StringArray(const char* key, std::size_t max = 32);
    // A JSON object, returned as compact JSON text.
    std::optional<std::string> Object(const char* key);
    // Any value (marked as read), or null when absent, for a caller that checks its type itself.
    const nlohmann::json* Raw(const char* key) { return Find(key); }
    // A nested object, for a nested reader.
    const nlohmann::json* Nested(const char* key);
    template <typename E>
    std::optional<E> Enum(const char* key, NameTable<E> names, bool required = false) {
        auto text = String(key, required);
        if (!text) return std::nullopt;
        if (auto v = ParseIn<E>(names, *text)) return v;
        Fail(key, "must be one of " + Choices(names));
        return std::nullopt;
    }

    void Fail(const char* key, const std::string& message);
    void Fail(const Error& nested);
    // The first error met, or an error for the first field that was never read.
    Expected<void> Finish();

private:
    template <typename E>
    static std::string Choices(NameTable<E> names) {
        std::string out;
        for (const auto& [e, n] : names) out += (out.empty() ? "" : ", ") + std::string(n);
        return out;
    }
    const nlohmann::json* Find(const char* key);

    const nlohmann::json& object_;
    std::string prefix_;
    std::set<std::string, std::less<>> read_;
    std::optional<Error> error_;
};

}  // namespace amends::app
