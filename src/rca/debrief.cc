#include "rca/debrief.h"

#include <algorithm>
#include <set>

namespace amends::rca {

namespace {

std::string Indexed(std::string_view list, std::size_t i) { return std::string(list) + "[" + std::to_string(i) + "]"; }

Expected<void> CheckText(std::string_view text, const std::string& field, std::size_t max_bytes, bool required,
                         bool one_line) {
    if (required && text.find_first_not_of(" \t\r\n") == std::string_view::npos)
        return InvalidField(field, field + " is required");
    if (text.size() > max_bytes)
        return Fail(ErrorCode::kTooLarge, field + " is longer than " + std::to_string(max_bytes) + " bytes", field);
    if (!IsCleanText(text)) return InvalidField(field, field + " must be UTF-8 text without control characters");
    if (one_line && text.find_first_of("\r\n") != std::string_view::npos)
        return InvalidField(field, field + " must be one line");
    return {};
}

Expected<void> Prefixed(Expected<void> r, const std::string& prefix) {
    if (r) return r;
    Error e = r.error();
    e.field = prefix + "." + e.field;
    e.message = prefix + ": " + e.message;
    return std::unexpected(std::move(e));
}

std::string StepName(const ScopeTest& t) {
    return t.missed_step.empty() ? std::string("the missed step") : "\"" + t.missed_step + "\"";
}

}  // namespace

Debrief NewDebrief(Subject subject, std::optional<std::string> incident_id, std::vector<Id> case_ids, std::string title,
                   TimePoint now) {
    Debrief d;
    d.subject = subject;
    d.incident_id = std::move(incident_id);
    d.case_ids = std::move(case_ids);
    d.title = std::move(title);
    d.whys.resize(kDefaultWhys, Why{"Why?", ""});
    d.whys[0].question = "Why did this happen?";
    d.created_at = d.updated_at = now;
    return d;
}

Expected<void> Validate(const Action& a, std::size_t why_count) {
    if (auto r = CheckText(a.description, "description", kMaxLongTextBytes, true, false); !r) return r;
    if (a.why >= why_count)
        return InvalidField("why", "why must name one of the debrief's " + std::to_string(why_count) +
                                       " whys (0 to " + std::to_string(why_count == 0 ? 0 : why_count - 1) + ")");
    if (auto r = CheckText(a.owner, "owner", kMaxShortTextBytes, true, true); !r) return r;
    if (a.due == TimePoint{}) return InvalidField("due", "due is required");
    if (a.status == ActionStatus::kNotDoing && a.reason.find_first_not_of(" \t\r\n") == std::string::npos)
        return InvalidField("reason", "an action marked not_doing needs a reason");
    if (auto r = CheckText(a.reason, "reason", kMaxLongTextBytes, false, false); !r) return r;
    if (a.status == ActionStatus::kCompleted && !a.completed_at)
        return InvalidField("completed_at", "a completed action needs completed_at");
    if (a.status != ActionStatus::kCompleted && a.completed_at)
        return InvalidField("completed_at", "completed_at is only for a completed action");
    return {};
}

Expected<void> Validate(const Debrief& d) {
    if (d.subject == Subject::kIncident) {
        if (!d.incident_id || d.incident_id->empty())
            return InvalidField("incident_id", "a debrief of an incident needs its incident_id");
        if (auto r = CheckText(*d.incident_id, "incident_id", kMaxShortTextBytes, true, true); !r) return r;
    } else {
        if (d.incident_id) return InvalidField("incident_id", "a debrief of cases has no incident_id");
        if (d.case_ids.empty()) return InvalidField("case_ids", "a debrief of cases needs at least one case");
    }
    if (d.case_ids.size() > kMaxCases)
        return Fail(ErrorCode::kTooLarge, "at most " + std::to_string(kMaxCases) + " cases", "case_ids");
    std::set<Id> seen;
    for (std::size_t i = 0; i < d.case_ids.size(); ++i) {
        if (d.case_ids[i] <= 0) return InvalidField(Indexed("case_ids", i), "a case id is a positive integer");
        if (!seen.insert(d.case_ids[i]).second)
            return InvalidField(Indexed("case_ids", i), "case " + std::to_string(d.case_ids[i]) + " is listed twice");
    }
    if (auto r = CheckText(d.title, "title", kMaxNameBytes, true, true); !r) return r;
    if (auto r = CheckText(d.summary, "summary", kMaxLongTextBytes, false, false); !r) return r;

    if (d.timeline.size() > kMaxTimelineEntries)
        return Fail(ErrorCode::kTooLarge, "at most " + std::to_string(kMaxTimelineEntries) + " timeline entries",
                    "timeline");
    for (std::size_t i = 0; i < d.timeline.size(); ++i) {
        const TimelineEntry& t = d.timeline[i];
        const std::string f = Indexed("timeline", i);
        if (auto r = CheckText(t.text, f + ".text", kMaxLongTextBytes, true, false); !r) return r;
        if (t.public_text)
            if (auto r = CheckText(*t.public_text, f + ".public_text", kMaxLongTextBytes, true, false); !r) return r;
    }

    const std::pair<const char*, std::int64_t> counts[] = {{"impact.customers_affected", d.impact.customers_affected},
                                                           {"impact.contacts", d.impact.contacts},
                                                           {"impact.remedies", d.impact.remedies},
                                                           {"impact.remedies_minor", d.impact.remedies_minor}};
    for (const auto& [field, value] : counts)
        if (value < 0) return InvalidField(field, std::string(field) + " cannot be negative");

    if (d.whys.empty()) return InvalidField("whys", "a debrief asks at least one why");
    if (d.whys.size() > kMaxWhys)
        return Fail(ErrorCode::kTooLarge, "at most " + std::to_string(kMaxWhys) + " whys", "whys");
    for (std::size_t i = 0; i < d.whys.size(); ++i) {
        const std::string f = Indexed("whys", i);
        if (auto r = CheckText(d.whys[i].question, f + ".question", kMaxShortTextBytes, true, true); !r) return r;
        if (auto r = CheckText(d.whys[i].answer, f + ".answer", kMaxLongTextBytes, false, false); !r) return r;
        if (i > 0 && !d.whys[i].answer.empty() && d.whys[i - 1].answer.empty())
            return InvalidField(Indexed("whys", i - 1) + ".answer",
                                f + " is answered but " + Indexed("whys", i - 1) + " is not: each why asks about the "
                                                                                      "answer before it");
    }

    if (auto r = CheckText(d.scope_test.missed_step, "scope_test.missed_step", kMaxShortTextBytes, false, true); !r)
        return r;
    if (d.cause_type == CauseType::kNoRule && d.scope_test.in_process == true)
        return InvalidField("scope_test.in_process",
                            "the cause type no_rule says no rule covers the missed step, but the checklist test says "
                            "it is part of our process");
    if (auto r = CheckText(d.scope_reason, "scope_reason", kMaxLongTextBytes, false, false); !r) return r;
    if (auto r = CheckText(d.author, "author", kMaxShortTextBytes, false, true); !r) return r;

    if (d.actions.size() > kMaxActions)
        return Fail(ErrorCode::kTooLarge, "at most " + std::to_string(kMaxActions) + " actions", "actions");
    std::set<Id> action_ids;
    for (std::size_t i = 0; i < d.actions.size(); ++i) {
        const Action& a = d.actions[i];
        const std::string f = Indexed("actions", i);
        if (auto r = Prefixed(Validate(a, d.whys.size()), f); !r) return r;
        if (d.whys[a.why].answer.empty())
            return InvalidField(f + ".why", f + ".why names whys[" + std::to_string(a.why) +
                                                "], which is not answered yet: an action answers a why");
        if (a.debrief_id != 0 && d.id != 0 && a.debrief_id != d.id)
            return InvalidField(f + ".debrief_id", f + " belongs to another debrief");
        if (a.id != 0 && !action_ids.insert(a.id).second)
            return InvalidField(f + ".id", "action " + std::to_string(a.id) + " is listed twice");
    }
    return {};
}

std::vector<TimelineEntry> TimelineFromEvents(std::span<const Event> events) {
    std::vector<const Event*> sorted;
    sorted.reserve(events.size());
    for (const Event& e : events) sorted.push_back(&e);
    std::stable_sort(sorted.begin(), sorted.end(), [](const Event* a, const Event* b) {
        return a->at != b->at ? a->at < b->at : a->id < b->id;
    });
    std::vector<TimelineEntry> out;
    out.reserve(sorted.size());
    for (const Event* e : sorted) {
        TimelineEntry t;
        t.at = e->at;
        t.text = "case " + std::to_string(e->case_id) + ": " + e->type + (e->actor.empty() ? "" : " (" + e->actor + ")");
        t.case_id = e->case_id;
        t.event_id = e->id;
        out.push_back(std::move(t));
    }
    return out;
}

ScopeSuggestion SuggestScope(const ScopeTest& test, std::optional<CauseType> cause) {
    const std::string step = StepName(test);
    if (!test.in_process)
        return {std::nullopt, "answer the checklist test first: is " + step + " part of our process?"};
    if (!*test.in_process)
        return {Scope::kSystemic, step + " is not part of our process, so it will be missed again until it is: "
                                         "systemic"};
    if (!cause || *cause == CauseType::kRuleNotFollowed)
        return {Scope::kOneOff, step + " is part of our process and was not followed: a one-off error"};
    if (*cause == CauseType::kRuleNotUnderstood)
        return {Scope::kSystemic, step + " is part of our process but was not understood: the way we write or teach "
                                         "it is at fault, so it is systemic"};
    if (*cause == CauseType::kSituationNotAnticipated)
        return {Scope::kSystemic, step + " is part of our process, but the process did not anticipate this "
                                         "situation: systemic"};
    return {Scope::kSystemic, "no rule covers " + step + ": systemic"};
}

std::vector<OverdueAction> OverdueActions(std::span<const Debrief> debriefs, TimePoint now) {
    std::vector<OverdueAction> out;
    for (const Debrief& d : debriefs)
        for (std::size_t i = 0; i < d.actions.size(); ++i) {
            const Action& a = d.actions[i];
            if (a.status == ActionStatus::kOutstanding && a.due < now)
                out.push_back({{d.id, a.id, i}, now - a.due});
        }
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.overdue > b.overdue; });
    return out;
}

std::vector<StaleWorkaround> StaleWorkarounds(std::span<const Debrief> debriefs, TimePoint now, Millis max_age) {
    std::vector<StaleWorkaround> out;
    for (const Debrief& d : debriefs)
        for (std::size_t i = 0; i < d.actions.size(); ++i) {
            const Action& w = d.actions[i];
            if (w.kind != ActionKind::kWorkaround || w.status == ActionStatus::kNotDoing) continue;
            if (now - w.created_at <= max_age) continue;
            bool fixed = false;
            std::optional<ActionRef> planned;
            for (std::size_t j = 0; j < d.actions.size(); ++j) {
                const Action& f = d.actions[j];
                if (f.kind != ActionKind::kPermanentFix || f.why < w.why) continue;
                if (f.status == ActionStatus::kCompleted) fixed = true;
                if (f.status == ActionStatus::kOutstanding && !planned) planned = ActionRef{d.id, f.id, j};
            }
            if (!fixed) out.push_back({{d.id, w.id, i}, now - w.created_at, planned});
        }
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.age > b.age; });
    return out;
}

std::vector<Error> PublishGaps(const Debrief& d) {
    if (auto r = Validate(d); !r) return {r.error()};
    std::vector<Error> gaps;
    auto gap = [&](std::string field, std::string message) {
        gaps.push_back({ErrorCode::kUnprocessable, std::move(message), std::move(field)});
    };
    if (d.summary.find_first_not_of(" \t\r\n") == std::string::npos)
        gap("summary", "a published debrief needs a summary");
    for (std::size_t i = 0; i < d.whys.size(); ++i)
        if (d.whys[i].answer.empty()) gap(Indexed("whys", i) + ".answer", "every why needs its answer");
    if (!d.cause_type) gap("cause_type", "name the cause type");
    if (!d.scope_test.in_process)
        gap("scope_test.in_process", "answer the checklist test: is the missed step part of our process?");
    if (!d.scope) {
        gap("scope", "decide whether it is one-off or systemic");
    } else if (*d.scope == Scope::kOneOff) {
        if (d.scope_reason.find_first_not_of(" \t\r\n") == std::string::npos)
            gap("scope_reason", "say why this is a one-off");
    } else {
        const bool fix = std::any_of(d.actions.begin(), d.actions.end(), [](const Action& a) {
            return a.kind == ActionKind::kPermanentFix && a.status != ActionStatus::kNotDoing;
        });
        if (!fix) gap("actions", "a systemic problem needs a permanent fix");
    }
    return gaps;
}

}  // namespace amends::rca
