#include "app/object_reader.h"

#include <cmath>

#include <nlohmann/json.hpp>

namespace amends::app {

using nlohmann::json;

Expected<json> ParseObject(std::string_view body) {
    if (body.find_first_not_of(" \t\r\n") == std::string_view::npos)
        return amends::Fail(ErrorCode::kInvalidArgument, "the request body must be a JSON object");
    json parsed = json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_discarded())
        return amends::Fail(ErrorCode::kInvalidArgument, "the request body is not valid JSON (UTF-8)");
    if (!parsed.is_object()) return amends::Fail(ErrorCode::kInvalidArgument, "the request body must be a JSON object");
    return parsed;
}

ObjectReader::ObjectReader(const json& object, std::string prefix) : object_(object), prefix_(std::move(prefix)) {}

bool ObjectReader::Has(const char* key) const { return object_.contains(key); }

const json* ObjectReader::Find(const char* key) {
    read_.insert(key);
    auto it = object_.find(key);
    return it == object_.end() ? nullptr : &*it;
}

void ObjectReader::Fail(const char* key, const std::string& message) {
    if (!error_) error_ = Error{ErrorCode::kInvalidArgument, prefix_ + key + " " + message, prefix_ + key};
}

void ObjectReader::Fail(const Error& nested) {
    if (!error_) error_ = nested;
}

std::optional<std::string> ObjectReader::String(const char* key, bool required) {
    const json* v = Find(key);
    if (!v || v->is_null()) {
        if (required) Fail(key, "is required");
        return std::nullopt;
    }
    if (!v->is_string()) {
        Fail(key, "must be a string");
        return std::nullopt;
    }
    return v->get<std::string>();
}

std::optional<bool> ObjectReader::Bool(const char* key) {
    const json* v = Find(key);
    if (!v || v->is_null()) return std::nullopt;
    if (!v->is_boolean()) {
        Fail(key, "must be true or false");
        return std::nullopt;
    }
    return v->get<bool>();
}

std::optional<std::optional<std::string>> ObjectReader::NullableString(const char* key) {
    const json* v = Find(key);
    if (!v) return std::nullopt;
    if (v->is_null()) return std::optional<std::string>();
    if (!v->is_string()) {
        Fail(key, "must be a string or null");
        return std::nullopt;
    }
    return std::optional<std::string>(v->get<std::string>());
}

std::optional<std::int64_t> ObjectReader::Integer(const char* key, std::int64_t min, std::int64_t max, bool required) {
    const json* v = Find(key);
    if (!v || v->is_null()) {
        if (required) Fail(key, "is required");
        return std::nullopt;
    }
    if (!v->is_number_integer()) {
        Fail(key, "must be an integer");
        return std::nullopt;
    }
    if (v->is_number_unsigned() && v->get<std::uint64_t>() > static_cast<std::uint64_t>(max)) {
        Fail(key, "must be at most " + std::to_string(max));
        return std::nullopt;
    }
    auto n = v->get<std::int64_t>();
    if (n < min || n > max) {
        Fail(key, "must be between " + std::to_string(min) + " and " + std::to_string(max));
        return std::nullopt;
    }
    return n;
}

std::optional<std::optional<std::int64_t>> ObjectReader::NullableInteger(const char* key, std::int64_t min,
                                                                         std::int64_t max) {
    const json* v = Find(key);
    if (!v) return std::nullopt;
    if (v->is_null()) return std::optional<std::int64_t>();
    auto n = Integer(key, min, max);
    if (!n) return std::nullopt;
    return std::optional<std::int64_t>(*n);
}

std::optional<std::int64_t> ObjectReader::Amount(const char* key) {
    const json* v = Find(key);
    if (!v || v->is_null()) return std::nullopt;
    double x = 0;
    if (v->is_number()) {
        x = v->get<double>();
    } else if (v->is_string()) {
        const std::string& s = v->get_ref<const std::string&>();
        char* end = nullptr;
        x = std::strtod(s.c_str(), &end);
        if (s.empty() || end != s.c_str() + s.size()) {
            Fail(key, "must be a number such as 12.50");
            return std::nullopt;
        }
    } else {
        Fail(key, "must be a number such as 12.50");
        return std::nullopt;
    }
    if (!std::isfinite(x) || x < 0 || x > 1e13) {
        Fail(key, "must be a number from 0 to 10000000000000");
        return std::nullopt;
    }
    double minor = x * 100;
    if (std::fabs(minor - std::round(minor)) > 1e-6) {
        Fail(key, "must have at most two decimals");
        return std::nullopt;
    }
    return static_cast<std::int64_t>(std::llround(minor));
}

std::optional<std::vector<std::string>> ObjectReader::StringArray(const char* key, std::size_t max) {
    const json* v = Find(key);
    if (!v || v->is_null()) return std::nullopt;
    if (!v->is_array() || v->size() > max) {
        Fail(key, "must be an array of at most " + std::to_string(max) + " strings");
        return std::nullopt;
    }
    std::vector<std::string> out;
    for (const auto& item : *v) {
        if (!item.is_string()) {
            Fail(key, "must be an array of strings");
            return std::nullopt;
        }
        out.push_back(item.get<std::string>());
    }
    return out;
}

std::optional<std::string> ObjectReader::Object(const char* key) {
    const json* v = Find(key);
    if (!v || v->is_null()) return std::nullopt;
    if (!v->is_object()) {
        Fail(key, "must be a JSON object");
        return std::nullopt;
    }
    return v->dump();
}

const json* ObjectReader::Nested(const char* key) {
    const json* v = Find(key);
    if (!v || v->is_null()) return nullptr;
    if (!v->is_object()) {
        Fail(key, "must be a JSON object");
        return nullptr;
    }
    return v;
}

Expected<void> ObjectReader::Finish() {
    if (error_) return std::unexpected(*error_);
    for (const auto& [key, value] : object_.items()) {
        if (!read_.contains(key)) {
            std::string name = prefix_ + key;
            return InvalidField(name, "unknown field " + name);
        }
    }
    return {};
}

}  // namespace amends::app
