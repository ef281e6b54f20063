#pragma once
// JSON for a Progress (nlohmann::json, found by ADL: `nlohmann::json j = progress;`), so that the API, the pages
// and the CLI show the playbook in the same words. Times are RFC 3339 strings, durations milliseconds, absent
// values null. Header-only: include it only where JSON is produced.

#include <optional>

#include <nlohmann/json.hpp>

#include "playbook/progress.h"

namespace amends::playbook {

namespace json_detail {
inline nlohmann::json Time(const std::optional<TimePoint>& t) {
    return t ? nlohmann::json(FormatRfc3339(*t)) : nlohmann::json(nullptr);
}
inline std::string_view AnswerName(OfferStatus::Answer a) {
    switch (a) {
        case OfferStatus::Answer::kAccepted:
            return "accepted";
        case OfferStatus::Answer::kDeclined:
            return "declined";
        case OfferStatus::Answer::kPending:
            break;
    }
    return "pending";
}
}  // namespace json_detail

inline void to_json(nlohmann::json& j, const StepStatus& s) {
    j = {
        {"step", Name(s.step)},
        {"state", Name(s.state)},
        {"done_at", json_detail::Time(s.done_at)},
        {"evidence_event_id", s.evidence_event_id == 0 ? nlohmann::json(nullptr) : nlohmann::json(s.evidence_event_id)},
        {"due_at", json_detail::Time(s.due_at)},
        {"why", s.why}};
}

inline void to_json(nlohmann::json& j, const NextDue& n) {
    j = {{"step", Name(n.step)},
         {"due_at", json_detail::Time(n.due_at)},
         {"late_by_ms", n.late_by.count()},
         {"why", n.why}};
}

inline void to_json(nlohmann::json& j, const ClockStatus& c) {
    j = {{"clock", Name(c.clock)}, {"phase", Name(c.phase)}, {"due_at", json_detail::Time(c.due_at)}};
}

inline void to_json(nlohmann::json& j, const Breach& b) {
    j = {{"clock", Name(b.clock)},
         {"due_at", FormatRfc3339(b.due_at)},
         {"late_by_ms", b.late_by.count()},
         {"recorded", b.recorded}};
}

inline void to_json(nlohmann::json& j, const OfferStatus& o) {
    j = {{"offer_id", o.offer_id},
         {"event_id", o.event_id},
         {"made_at", FormatRfc3339(o.made_at)},
         {"summary", o.summary},
         {"remedy", o.remedy},
         {"cost_minor", o.cost_minor},
         {"due", FormatRfc3339(o.due)},
         {"answer", json_detail::AnswerName(o.answer)},
         {"answered_at", json_detail::Time(o.answered_at)},
         {"comment", o.comment}};
}

inline void to_json(nlohmann::json& j, const Progress& p) {
    j = {{"policy", p.policy},
         {"state", Name(p.state)},
         {"paused", p.paused},
         {"steps", p.steps},
         {"next_due", p.next_due ? nlohmann::json(*p.next_due) : nlohmann::json(nullptr)},
         {"clocks", p.clocks},
         {"breaches", p.breaches},
         {"next_check_at", json_detail::Time(p.next_check_at)},
         {"offers", p.offers},
         {"promised_by", json_detail::Time(p.promised_by)},
         {"follow_up_score", p.follow_up_score ? nlohmann::json(*p.follow_up_score) : nlohmann::json(nullptr)},
         {"debrief_id", p.debrief_id ? nlohmann::json(*p.debrief_id) : nlohmann::json(nullptr)},
         {"problems", p.problems}};
}

}  // namespace amends::playbook
