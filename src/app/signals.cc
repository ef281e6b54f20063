#include "app/signals.h"

#include <algorithm>
#include <string_view>

#include <nlohmann/json.hpp>

#include "app/cases.h"
#include "app/plain_template.h"
#include "common/trim.h"

namespace amends::app {

namespace {

using nlohmann::json;

kainjow::mustache::data Data(const Customer& customer, const Signal& s) {
    kainjow::mustache::data data;
    data.set("customer", customer.name);
    data.set("ref", s.ref);
    kainjow::mustache::data details{kainjow::mustache::data::type::object};
    auto parsed = json::parse(s.details_json, nullptr, false);
    if (parsed.is_object())
        for (const auto& [key, value] : parsed.items())
            if (!value.is_null()) details.set(key, value.is_string() ? value.get<std::string>() : value.dump());
    data.set("details", details);
    return data;
}

std::string Render(const std::string& text, const kainjow::mustache::data& data) {
    return PlainTemplate(text).Render(data);
}

std::string_view Trim(std::string_view s) { return TrimBytes(s, " \t\r\n"); }

// The details a template renders outside every section ({{details.new_date}}, not {{#details.reason}} ...
// {{details.reason}}{{/details.reason}}): without them its text reads wrong ("It will reach you by ."). Stops at a
// delimiter change ({{=<% %>=}}), after which it cannot tell tags apart.
std::vector<std::string> AlwaysRenderedDetails(std::string_view text) {
    std::vector<std::string> names;
    int depth = 0;
    for (std::size_t at = 0;;) {
        std::size_t open = text.find("{{", at);
        if (open == std::string_view::npos) break;
        bool triple = text.compare(open, 3, "{{{") == 0;
        std::string_view closer = triple ? "}}}" : "}}";
        std::size_t begin = open + (triple ? 3 : 2), close = text.find(closer, begin);
        if (close == std::string_view::npos) break;
        at = close + closer.size();
        std::string_view tag = Trim(text.substr(begin, close - begin));
        if (tag.empty()) continue;
        char kind = tag.front();
        if (kind == '=') break;
        if (kind == '#' || kind == '^') {
            ++depth;
        } else if (kind == '/') {
            depth = std::max(depth - 1, 0);
        } else if (kind != '!' && kind != '>' && depth == 0) {
            if (kind == '&') tag = Trim(tag.substr(1));
            if (tag.starts_with("details.") && tag.size() > 8) names.emplace_back(tag.substr(8));
        }
    }
    return names;
}

// A 400 naming details.<name> when one of `texts` of the rule always renders a detail the signal's `details` (its
// parsed details_json) do not give (or give as null or blank text).
Expected<void> CheckDetails(const SignalRule& rule, std::initializer_list<const std::string*> texts, const json& parsed) {
    for (const std::string* text : texts)
        for (const auto& name : AlwaysRenderedDetails(*text)) {
            auto it = parsed.is_object() ? parsed.find(name) : parsed.end();
            bool given = parsed.is_object() && it != parsed.end() && !it->is_null() &&
                         !(it->is_string() && Trim(it->get_ref<const std::string&>()).empty());
            if (!given)
                return InvalidField("details." + name, "details." + name + " is required: the notice for " + rule.type +
                                                           " signals says it");
        }
    return {};
}

}  // namespace

std::vector<SignalRule> DefaultSignalRules() {
    return {
        {"order.delayed", "delivery", Severity::kNormal, "{{ref}} is running late",
         "Hello {{customer}},\n\nI'm sorry: {{ref}} will not arrive when we promised. We know before you do, so we're "
         "telling you now. It will reach you by {{details.new_date}}{{#details.reason}} ({{details.reason}}){{/details.reason}}."
         "\n\nIf that date doesn't work for you, reply and we'll put it right.",
         "Hello {{customer}},\n\nI'm sorry, {{ref}} has slipped again: the new date is {{details.new_date}}"
         "{{#details.reason}} ({{details.reason}}){{/details.reason}}. I know this is the second time, and that's on "
         "us.\n\nReply if you'd rather cancel or choose something else, and we'll sort it out today."},
        {"order.cancelled", "delivery", Severity::kHigh, "{{ref}} had to be cancelled",
         "Hello {{customer}},\n\nI'm sorry: we had to cancel {{ref}}{{#details.reason}} ({{details.reason}}){{/details.reason}}. "
         "We're refunding you in full, and I'll help you find an alternative. Reply and tell me what would suit you.",
         "Hello {{customer}},\n\nAn update on {{ref}}: {{details.update}}. I'm sorry again for the trouble."},
        {"service.disrupted", "outage", Severity::kHigh, "{{ref}} is disrupted",
         "Hello {{customer}},\n\nI'm sorry: {{ref}} is not working as it should for you right now. We know, we're on it, "
         "and I'll write again as soon as it's fixed.",
         "Hello {{customer}},\n\nAn update on {{ref}}: {{details.update}}. I'm sorry for the disruption."},
    };
}

Expected<void> ValidateRule(const SignalRule& rule, const std::string& prefix) {
    if (rule.type.empty()) return InvalidField(prefix + "type", prefix + "type is required");
    for (auto [name, text] : {std::pair{"subject", &rule.subject}, std::pair{"first", &rule.first},
                              std::pair{"update", &rule.update}}) {
        if (text->empty()) return InvalidField(prefix + name, prefix + name + " is required");
        if (auto error = PlainTemplate(*text).Error()) return InvalidField(prefix + name, prefix + name + ": " + *error);
    }
    return {};
}

Expected<SignalOutcome> RecordSignal(store::Tx& tx, const Recovery& recovery, const Outbound& mail,
                                     const std::vector<SignalRule>& rules, const Signal& s, TimePoint now) {
    const SignalRule* rule = nullptr;
    for (const auto& r : rules)
        if (r.type == s.type) rule = &r;
    if (!rule) return Fail(ErrorCode::kUnprocessable, "no rule for signals of type " + s.type, "type");

    std::optional<Customer> customer;
    if (s.customer_id) {
        customer = tx.FindCustomer(*s.customer_id);
        if (!customer) return Fail(ErrorCode::kUnprocessable, "no customer " + std::to_string(*s.customer_id), "customer_id");
    } else if (s.customer) {
        auto matched = MatchOrCreateCustomer(tx, *s.customer, now);
        if (!matched) {
            auto e = matched.error();
            e.field = "customer." + e.field;
            return std::unexpected(e);
        }
        customer = std::move(*matched);
    }
    if (!customer) return Fail(ErrorCode::kInvalidArgument, "give customer_id or a customer object", "customer");
    auto data = Data(*customer, s);

    // The case about this reference: the customer's latest one not yet resolved.
    SignalOutcome out;
    std::optional<Case> existing;
    store::CaseFilter filter;
    filter.customer_id = customer->id;
    filter.limit = 200;
    for (auto& c : tx.ListCases(filter))
        if (c.reference == s.ref && (c.state == CaseState::kOpen || c.state == CaseState::kWaitingOnCustomer)) {
            existing = std::move(c);
            break;
        }
    json event{{"type", s.type}, {"ref", s.ref}, {"details", json::parse(s.details_json)}};
    if (existing) {
        out.c = *existing;
        // Same facts as the last signal: nothing new to tell.
        for (const auto& e : tx.AllEvents(existing->id))
            if (e.type == "signal.received") {
                auto d = json::parse(e.data_json, nullptr, false);
                if (d.is_object() && d.value("type", "") == s.type) event["previous"] = d["details"];
            }
        if (event.contains("previous") && event["previous"] == event["details"]) return out;
        if (auto ok = CheckDetails(*rule, {&rule->update}, event["details"]); !ok) return std::unexpected(ok.error());
    } else {
        if (auto ok = CheckDetails(*rule, {&rule->subject, &rule->first}, event["details"]); !ok) return std::unexpected(ok.error());
        Case draft;
        draft.customer_id = customer->id;
        draft.subject = Render(rule->subject, data);
        draft.description = "Reported by the business's systems (" + s.type + ").";
        draft.category = rule->category;
        draft.severity = rule->severity;
        draft.channel = Channel::kApi;
        draft.reference = s.ref;
        auto opened = OpenCase(tx, recovery, "system", draft, std::nullopt, now);
        if (!opened) return std::unexpected(opened.error());
        out.c = *opened;
        out.case_opened = true;
    }
    event.erase("previous");
    tx.AppendEvent(Event{0, out.c.id, "signal.received", "system", event.dump(), now});
    Message notice;
    notice.direction = Direction::kOut;
    notice.body = Render(out.case_opened ? rule->first : rule->update, data);
    std::vector<std::string> completes = out.case_opened ? std::vector<std::string>{"acknowledge", "apologize"}
                                                         : std::vector<std::string>{"keep_informed"};
    auto sent = AddMessage(tx, recovery, &mail, "system", out.c.id, notice, completes, now);
    if (!sent) return std::unexpected(sent.error());
    out.notice = std::move(*sent);
    return out;
}

}  // namespace amends::app
