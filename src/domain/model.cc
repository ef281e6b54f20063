#include "domain/model.h"

namespace amends {

bool IsCleanText(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') return false;
            if (c == 0x7f) return false;
            ++i;
            continue;
        }
        int len = (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
        if (len == 0 || i + len > s.size()) return false;
        std::uint32_t cp = c & (0x7f >> len);
        for (int k = 1; k < len; ++k) {
            auto cc = static_cast<unsigned char>(s[i + k]);
            if ((cc & 0xc0) != 0x80) return false;
            cp = (cp << 6) | (cc & 0x3f);
        }
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10ffff ||
            (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        i += len;
    }
    return true;
}

namespace {

Expected<void> CheckText(std::string_view field, std::string_view value, std::size_t max, bool required) {
    if (required && value.find_first_not_of(" \t\r\n") == std::string_view::npos)
        return InvalidField(std::string(field), std::string(field) + " must not be empty");
    if (value.size() > max)
        return InvalidField(std::string(field),
                            std::string(field) + " is longer than " + std::to_string(max) + " bytes");
    if (!IsCleanText(value))
        return InvalidField(std::string(field), std::string(field) + " must be valid UTF-8 text without control characters");
    return {};
}

Expected<void> CheckOptional(std::string_view field, const std::optional<std::string>& value, std::size_t max) {
    return value ? CheckText(field, *value, max, true) : Expected<void>{};
}

bool LooksLikeEmail(std::string_view e) {
    auto at = e.find('@');
    return at != std::string_view::npos && at > 0 && at + 1 < e.size() && e.find('@', at + 1) == std::string_view::npos &&
           e.find_first_of(" \t\r\n<>") == std::string_view::npos && e.find('.', at) != std::string_view::npos;
}

bool IsSlug(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.')) return false;
    return true;
}

}  // namespace

Expected<void> Validate(const Customer& c) {
    if (auto r = CheckText("name", c.name, kMaxNameBytes, true); !r) return r;
    if (auto r = CheckOptional("external_ref", c.external_ref, kMaxShortTextBytes); !r) return r;
    if (auto r = CheckOptional("email", c.email, kMaxShortTextBytes); !r) return r;
    if (c.email && !LooksLikeEmail(*c.email)) return InvalidField("email", "email must look like name@example.com");
    if (auto r = CheckOptional("phone", c.phone, kMaxShortTextBytes); !r) return r;
    if (c.attributes_json.size() > kMaxAttributesBytes)
        return InvalidField("attributes", "attributes are larger than " + std::to_string(kMaxAttributesBytes) + " bytes");
    if (c.value_minor < 0) return InvalidField("value", "value must not be negative");
    return {};
}

Expected<void> Validate(const Case& c) {
    if (c.customer_id <= 0) return InvalidField("customer_id", "a case needs a customer");
    if (auto r = CheckText("subject", c.subject, kMaxShortTextBytes, true); !r) return r;
    if (auto r = CheckText("description", c.description, kMaxLongTextBytes, false); !r) return r;
    if (c.category.size() > 64 || !IsSlug(c.category))
        return InvalidField("category", "category must be a lower-case slug (a-z, 0-9, '-', '_', '.') of at most 64 bytes");
    if (auto r = CheckOptional("reference", c.reference, kMaxShortTextBytes); !r) return r;
    return {};
}

Expected<void> Validate(const Message& m) { return CheckText("body", m.body, kMaxLongTextBytes, true); }

Expected<void> ValidateUserName(std::string_view name) {
    if (name.empty() || name.size() > 64)
        return InvalidField("name", "a user name has 1 to 64 characters");
    for (char c : name)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
              c == '.' || c == '@'))
            return InvalidField("name", "a user name uses letters, digits and . _ - @ only");
    return {};
}

}  // namespace amends
