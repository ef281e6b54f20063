#include "http/json_codec.h"


#include <nlohmann/json.hpp>

namespace amends::http {

using nlohmann::json;


namespace {

json Opt(const std::optional<std::string>& v) { return v ? json(*v) : json(nullptr); }
json Opt(const std::optional<Id>& v) { return v ? json(*v) : json(nullptr); }
json Parsed(const std::string& text) { return json::parse(text, nullptr, false); }

}  // namespace

json AmountJson(std::int64_t minor) {
    if (minor % 100 == 0) return minor / 100;
    return static_cast<double>(minor) / 100.0;
}

json ToJson(const Customer& c) {
    return json{{"id", c.id},
                {"external_ref", Opt(c.external_ref)},
                {"name", c.name},
                {"email", Opt(c.email)},
                {"phone", Opt(c.phone)},
                {"attributes", Parsed(c.attributes_json)},
                {"value", AmountJson(c.value_minor)},
                {"created_at", FormatRfc3339(c.created_at)},
                {"updated_at", FormatRfc3339(c.updated_at)}};
}

json ToJson(const Case& c) {
    return json{{"id", c.id},
                {"customer_id", c.customer_id},
                {"subject", c.subject},
                {"description", c.description},
                {"channel", Name(c.channel)},
                {"category", c.category},
                {"severity", Name(c.severity)},
                {"reference", Opt(c.reference)},
                {"state", Name(c.state)},
                {"assignee_id", Opt(c.assignee_id)},
                {"created_at", FormatRfc3339(c.created_at)},
                {"updated_at", FormatRfc3339(c.updated_at)}};
}

json ToJson(const Event& e) {
    return json{{"id", e.id},           {"case_id", e.case_id}, {"type", e.type}, {"actor", e.actor},
                {"data", Parsed(e.data_json)}, {"at", FormatRfc3339(e.at)}};
}

json ToJson(const Message& m) {
    return json{{"id", m.id},
                {"case_id", m.case_id},
                {"direction", Name(m.direction)},
                {"author", m.author},
                {"body", m.body},
                {"created_at", FormatRfc3339(m.created_at)},
                {"coach", m.coach_report_json ? Parsed(*m.coach_report_json) : json(nullptr)},
                {"delivery", m.delivery ? ToJson(*m.delivery) : json(nullptr)}};
}

json ToJson(const Delivery& d) {
    return json{{"channel", d.channel},
                {"recipient", d.recipient},
                {"state", d.state},
                {"attempts", d.attempts},
                {"sent_at", d.sent_at ? json(FormatRfc3339(*d.sent_at)) : json(nullptr)},
                {"last_error", d.last_error ? json(*d.last_error) : json(nullptr)}};
}

json ToJson(const User& u) {
    return json{{"id", u.id}, {"name", u.name}, {"role", Name(u.role)}, {"created_at", FormatRfc3339(u.created_at)}};
}

}  // namespace amends::http
