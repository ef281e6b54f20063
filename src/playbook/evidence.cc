#include "playbook/evidence.h"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace amends::playbook {
namespace {

using nlohmann::json;

constexpr std::string_view kPlaybookTypes[] = {
    event_type::kCaseOpened,      event_type::kCaseStateChanged, event_type::kMessageSent,
    event_type::kMessageReceived, event_type::kStepCompleted,    event_type::kStepWaived,
    event_type::kOfferMade,       event_type::kOfferAccepted,    event_type::kOfferDeclined,
    event_type::kPlanChanged,     event_type::kFollowUpAnswered, event_type::kCauseLinked,
    event_type::kCauseOneOff,     event_type::kClockBreached};

// Reads an optional string member; fails when present with another type or over the size limit.
Expected<std::string> OptionalText(const json& data, const char* key, std::size_t max_bytes) {
    auto it = data.find(key);
    if (it == data.end() || it->is_null()) return std::string();
    if (!it->is_string()) return InvalidField(key, std::string(key) + " must be a string");
    std::string s = it->get<std::string>();
    if (s.size() > max_bytes) return Fail(ErrorCode::kTooLarge, std::string(key) + " is too long", key);
    if (!IsCleanText(s)) return InvalidField(key, std::string(key) + " must be clean UTF-8 text");
    return s;
}

Expected<std::string> RequiredText(const json& data, const char* key, std::size_t max_bytes) {
    auto s = OptionalText(data, key, max_bytes);
    if (!s) return s;
    const bool blank = std::all_of(s->begin(), s->end(),
                                   [](unsigned char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
    if (blank) return InvalidField(key, std::string(key) + " is required");
    return s;
}

Expected<std::optional<TimePoint>> OptionalTime(const json& data, const char* key) {
    auto it = data.find(key);
    if (it == data.end() || it->is_null()) return std::optional<TimePoint>();
    if (!it->is_string()) return InvalidField(key, std::string(key) + " must be an RFC 3339 date-time");
    auto t = ParseRfc3339(it->get<std::string>());
    if (!t) return InvalidField(key, std::string(key) + " must be an RFC 3339 date-time");
    return std::optional<TimePoint>(*t);
}

Expected<TimePoint> RequiredTime(const json& data, const char* key) {
    auto t = OptionalTime(data, key);
    if (!t) return std::unexpected(t.error());
    if (!*t) return InvalidField(key, std::string(key) + " is required");
    return **t;
}

// offer_id: a non-empty string, or a positive integer (kept as its decimal text).
Expected<std::string> OfferId(const json& data) {
    auto it = data.find("offer_id");
    if (it != data.end() && it->is_number_integer() && it->get<std::int64_t>() > 0)
        return std::to_string(it->get<std::int64_t>());
    return RequiredText(data, "offer_id", kMaxShortTextBytes);
}

Expected<Step> StepField(const json& data, const char* key, bool (*allowed)(Step), std::string_view what) {
    auto it = data.find(key);
    if (it == data.end() || !it->is_string()) return InvalidField(key, std::string(key) + " must be a step name");
    auto step = ParseStep(it->get<std::string>());
    if (!step) return InvalidField(key, "unknown step \"" + it->get<std::string>() + "\"");
    if (!allowed(*step)) return InvalidField(key, std::string(Name(*step)) + " " + std::string(what));
    return *step;
}

Expected<void> ParseInto(std::string_view type, const json& data, Evidence& e) {
    if (type == event_type::kCaseStateChanged) {
        auto it = data.find("to");
        if (it == data.end() || !it->is_string()) return InvalidField("to", "to must be a case state");
        e.to = ParseIn<CaseState>(kCaseStateNames, it->get<std::string>());
        if (!e.to) return InvalidField("to", "unknown case state \"" + it->get<std::string>() + "\"");
    } else if (type == event_type::kMessageSent) {
        if (auto automatic = data.find("automatic"); automatic != data.end() && !automatic->is_null()) {
            if (!automatic->is_boolean()) return InvalidField("automatic", "automatic must be true or false");
            e.automatic = automatic->get<bool>();
        }
        auto it = data.find("completes");
        if (it != data.end() && !it->is_null()) {
            if (!it->is_array()) return InvalidField("completes", "completes must be an array of step names");
            for (std::size_t i = 0; i < it->size(); ++i) {
                const json& v = (*it)[i];
                const std::string field = "completes[" + std::to_string(i) + "]";
                if (!v.is_string()) return InvalidField(field, "a step name must be a string");
                auto step = ParseStep(v.get<std::string>());
                if (!step) return InvalidField(field, "unknown step \"" + v.get<std::string>() + "\"");
                if (!IsContactStep(*step))
                    return InvalidField(field, std::string(Name(*step)) + " is not done by a message");
                if (std::find(e.completes.begin(), e.completes.end(), *step) == e.completes.end())
                    e.completes.push_back(*step);
            }
        }
    } else if (type == event_type::kStepCompleted) {
        auto step = StepField(data, "step", IsContactStep, "is not done by step.completed");
        if (!step) return std::unexpected(step.error());
        e.completes = {*step};
        auto text = RequiredText(data, "evidence", kMaxLongTextBytes);
        if (!text) return std::unexpected(text.error());
        e.text = std::move(*text);
    } else if (type == event_type::kStepWaived) {
        auto step = StepField(data, "step", IsWaivableStep, "cannot be waived");
        if (!step) return std::unexpected(step.error());
        e.completes = {*step};
        auto text = RequiredText(data, "reason", kMaxLongTextBytes);
        if (!text) return std::unexpected(text.error());
        e.text = std::move(*text);
    } else if (type == event_type::kOfferMade) {
        auto id = OfferId(data);
        if (!id) return std::unexpected(id.error());
        e.offer_id = std::move(*id);
        auto summary = RequiredText(data, "summary", kMaxLongTextBytes);
        if (!summary) return std::unexpected(summary.error());
        e.summary = std::move(*summary);
        auto remedy = OptionalText(data, "remedy", kMaxShortTextBytes);
        if (!remedy) return std::unexpected(remedy.error());
        e.remedy = std::move(*remedy);
        auto due = RequiredTime(data, "due");
        if (!due) return std::unexpected(due.error());
        e.due = *due;
        auto cost = data.find("cost_minor");
        if (cost != data.end() && !cost->is_null()) {
            if (!cost->is_number_integer() || cost->get<std::int64_t>() < 0)
                return InvalidField("cost_minor", "cost_minor must be a whole number of minor units, 0 or more");
            e.cost_minor = cost->get<std::int64_t>();
        }
    } else if (type == event_type::kOfferAccepted || type == event_type::kOfferDeclined) {
        auto id = OfferId(data);
        if (!id) return std::unexpected(id.error());
        e.offer_id = std::move(*id);
        auto comment = OptionalText(data, "comment", kMaxLongTextBytes);
        if (!comment) return std::unexpected(comment.error());
        e.text = std::move(*comment);
    } else if (type == event_type::kPlanChanged) {
        auto what = RequiredText(data, "what", kMaxLongTextBytes);
        if (!what) return std::unexpected(what.error());
        e.text = std::move(*what);
        auto due = OptionalTime(data, "new_due");
        if (!due) return std::unexpected(due.error());
        e.due = *due;
    } else if (type == event_type::kFollowUpAnswered) {
        auto it = data.find("score");
        if (it == data.end() || !it->is_number_integer() || it->get<std::int64_t>() < 1 || it->get<std::int64_t>() > 5)
            return InvalidField("score", "score must be a whole number from 1 to 5");
        e.score = static_cast<int>(it->get<std::int64_t>());
        auto comment = OptionalText(data, "comment", kMaxLongTextBytes);
        if (!comment) return std::unexpected(comment.error());
        e.text = std::move(*comment);
    } else if (type == event_type::kCauseLinked) {
        auto it = data.find("debrief_id");
        if (it == data.end() || !it->is_number_integer() || it->get<std::int64_t>() <= 0)
            return InvalidField("debrief_id", "debrief_id must be a positive integer");
        e.debrief_id = it->get<std::int64_t>();
    } else if (type == event_type::kCauseOneOff) {
        auto reason = RequiredText(data, "reason", kMaxLongTextBytes);
        if (!reason) return std::unexpected(reason.error());
        e.text = std::move(*reason);
    } else if (type == event_type::kClockBreached) {
        auto it = data.find("clock");
        if (it == data.end() || !it->is_string() || !ParseClock(it->get<std::string>()))
            return InvalidField("clock", "clock must be a clock name");
        e.clock = ParseClock(it->get<std::string>());
        auto due = RequiredTime(data, "due");
        if (!due) return std::unexpected(due.error());
        e.due = *due;
    }
    return {};
}

}  // namespace

bool IsContactStep(Step step) {
    switch (step) {
        case Step::kAcknowledge:
        case Step::kApologize:
        case Step::kListen:
        case Step::kConfirm:
        case Step::kKeepInformed:
        case Step::kFollowUp:
            return true;
        default:
            return false;
    }
}

bool IsWaivableStep(Step step) {
    switch (step) {
        case Step::kListen:
        case Step::kOffer:
        case Step::kAgree:
        case Step::kConfirm:
        case Step::kFollowUp:
            return true;
        default:
            return false;
    }
}

bool IsPlaybookEvent(std::string_view type) {
    return std::find(std::begin(kPlaybookTypes), std::end(kPlaybookTypes), type) != std::end(kPlaybookTypes);
}

Expected<Evidence> ParseEvidence(std::string_view type, std::string_view data_json) {
    Evidence e;
    if (!IsPlaybookEvent(type)) return e;
    const json data = json::parse(data_json, nullptr, /*allow_exceptions=*/false);
    if (data.is_discarded() || !data.is_object()) return InvalidField("data", "event data must be a JSON object");
    if (auto ok = ParseInto(type, data, e); !ok) return std::unexpected(ok.error());
    return e;
}

}  // namespace amends::playbook
