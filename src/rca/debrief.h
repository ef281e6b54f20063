#pragma once
// rca: debriefs (the postmortem of an incident or of a group of similar cases), the five whys as data, cause
// type, the one-off / systemic scope with the checklist test, and corrective actions tracked until done. Pure
// functions of values the caller passes in; no I/O. JSON is in rca/json.h, Markdown and HTML in rca/render.h,
// recurrence grouping in rca/recurrence.h. The model and its decisions are described in docs/rca.md.

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "domain/error.h"
#include "domain/model.h"
#include "domain/names.h"
#include "domain/time.h"

namespace amends::rca {

enum class Subject { kIncident, kCases };  // what a debrief belongs to
enum class CauseType { kRuleNotFollowed, kRuleNotUnderstood, kSituationNotAnticipated, kNoRule };
enum class Scope { kOneOff, kSystemic };
enum class ActionKind { kWorkaround, kPermanentFix };
enum class ActionStatus { kOutstanding, kCompleted, kNotDoing };

inline constexpr std::pair<Subject, std::string_view> kSubjectNames[] = {{Subject::kIncident, "incident"},
                                                                         {Subject::kCases, "cases"}};
inline constexpr std::pair<CauseType, std::string_view> kCauseTypeNames[] = {
    {CauseType::kRuleNotFollowed, "rule_not_followed"},
    {CauseType::kRuleNotUnderstood, "rule_not_understood"},
    {CauseType::kSituationNotAnticipated, "situation_not_anticipated"},
    {CauseType::kNoRule, "no_rule"}};
inline constexpr std::pair<Scope, std::string_view> kScopeNames[] = {{Scope::kOneOff, "one_off"},
                                                                     {Scope::kSystemic, "systemic"}};
inline constexpr std::pair<ActionKind, std::string_view> kActionKindNames[] = {
    {ActionKind::kWorkaround, "workaround"}, {ActionKind::kPermanentFix, "permanent_fix"}};
inline constexpr std::pair<ActionStatus, std::string_view> kActionStatusNames[] = {
    {ActionStatus::kOutstanding, "outstanding"},
    {ActionStatus::kCompleted, "completed"},
    {ActionStatus::kNotDoing, "not_doing"}};

constexpr std::string_view Name(Subject v) { return NameIn<Subject>(kSubjectNames, v); }
constexpr std::string_view Name(CauseType v) { return NameIn<CauseType>(kCauseTypeNames, v); }
constexpr std::string_view Name(Scope v) { return NameIn<Scope>(kScopeNames, v); }
constexpr std::string_view Name(ActionKind v) { return NameIn<ActionKind>(kActionKindNames, v); }
constexpr std::string_view Name(ActionStatus v) { return NameIn<ActionStatus>(kActionStatusNames, v); }

inline constexpr std::size_t kDefaultWhys = 5;  // a new debrief asks five whys; the team may go deeper
inline constexpr std::size_t kMaxWhys = 20;
inline constexpr std::size_t kMaxTimelineEntries = 1000;
inline constexpr std::size_t kMaxActions = 100;
inline constexpr std::size_t kMaxCases = 100000;

// One line of the timeline. `text` is internal and may name customers or cases (it is often drawn from a case's
// events); `public_text`, when present, is what the published postmortem says for this moment. An entry
// without `public_text` is left out of the public rendering.
struct TimelineEntry {
    TimePoint at{};
    std::string text;
    std::optional<std::string> public_text;
    std::optional<Id> case_id;   // the case whose event this was drawn from
    std::optional<Id> event_id;  // that event
};

// What the mistake cost. Counts, and remedies in minor currency units. Only `customers_affected` is public.
struct Impact {
    std::int64_t customers_affected = 0;
    std::int64_t contacts = 0;       // messages and calls the customers had to make
    std::int64_t remedies = 0;       // remedies issued
    std::int64_t remedies_minor = 0;  // their total value
};

// One step of the why-chain: why[i+1] asks about answer[i]. An empty answer is a why not yet answered.
struct Why {
    std::string question;
    std::string answer;
};

// The checklist test (is the step that was missed part of our process?) that decides between one-off and
// systemic. `in_process` is unknown until the team answers it.
struct ScopeTest {
    std::string missed_step;         // "fill the tank before delivery"
    std::optional<bool> in_process;  // is the missed step on our checklist / in our process?
};

// A corrective action. `why` is the 0-based index of the why it answers in its debrief's `whys`.
struct Action {
    Id id = 0;
    Id debrief_id = 0;
    ActionKind kind = ActionKind::kPermanentFix;
    std::string description;
    std::size_t why = 0;
    std::string owner;  // who does it: "user:7", or a team's name
    TimePoint due{};
    ActionStatus status = ActionStatus::kOutstanding;
    std::string reason;                     // why it is not being done; required for not_doing
    std::optional<TimePoint> completed_at;  // set when completed (and only then)
    TimePoint created_at{};
};

// The postmortem of an incident or of a group of cases. A plain value; the store keeps it, app/ changes it.
struct Debrief {
    Id id = 0;
    Subject subject = Subject::kIncident;
    std::optional<std::string> incident_id;  // the status page's incident id; required for Subject::kIncident
    std::vector<Id> case_ids;       // the cases it covers (required, at least one, for Subject::kCases)
    std::string title;              // public
    std::string summary;            // public: what happened and what we learned, Markdown, no customer data
    std::vector<TimelineEntry> timeline;
    Impact impact;
    std::vector<Why> whys;  // public
    std::optional<CauseType> cause_type;
    ScopeTest scope_test;
    std::optional<Scope> scope;  // the team's decision; SuggestScope derives a suggestion
    std::string scope_reason;    // why one-off (required to publish a one-off) or systemic
    std::vector<Action> actions;
    std::string author;  // "user:7"
    TimePoint created_at{};
    TimePoint updated_at{};
};

// A new debrief: the subject, and `kDefaultWhys` empty whys, the first asking "Why did this happen?".
Debrief NewDebrief(Subject subject, std::optional<std::string> incident_id, std::vector<Id> case_ids, std::string title,
                   TimePoint now);

// Checks a debrief's invariants (its actions included); the error's `field` names the part, as the JSON
// spells it: "title", "whys[2].answer", "actions[0].why", "actions[1].reason", "scope_test.in_process".
Expected<void> Validate(const Debrief& d);
// Checks one action against a debrief with `why_count` whys; fields are relative to the action ("why", "reason").
Expected<void> Validate(const Action& a, std::size_t why_count);

// The timeline drawn from cases' events (sorted by time, then event id): internal text only, no public_text.
std::vector<TimelineEntry> TimelineFromEvents(std::span<const Event> events);

// The scope the checklist test and the cause type point to, with the reasoning in one sentence.
struct ScopeSuggestion {
    std::optional<Scope> scope;  // none when the test is not answered yet
    std::string explanation;
};
ScopeSuggestion SuggestScope(const ScopeTest& test, std::optional<CauseType> cause);

// ---- queries (pure; `now` is passed in) ----

// An action of a debrief, by position, for the queries' answers.
struct ActionRef {
    Id debrief_id = 0;
    Id action_id = 0;
    std::size_t index = 0;  // in the debrief's actions
};

struct OverdueAction {
    ActionRef action;
    Millis overdue{};  // now - due
};
// Outstanding actions whose due date is before `now`, most overdue first.
std::vector<OverdueAction> OverdueActions(std::span<const Debrief> debriefs, TimePoint now);

struct StaleWorkaround {
    ActionRef workaround;
    Millis age{};                      // now - created_at
    std::optional<ActionRef> planned;  // an outstanding permanent fix that would cover it, if any
};
// Workarounds (outstanding or completed) older than `max_age` that no completed permanent fix covers. A permanent
// fix covers a workaround when it answers the same why or a deeper one. Oldest first.
std::vector<StaleWorkaround> StaleWorkarounds(std::span<const Debrief> debriefs, TimePoint now, Millis max_age);

// What stands between a debrief and its publication, each naming the field to fill; empty when it may be
// published. Requires a valid debrief, a summary, every why answered, the cause type, the scope (a one-off
// with its reason), and for a systemic scope a permanent fix that is not `not_doing`.
std::vector<Error> PublishGaps(const Debrief& d);
inline bool ReadyToPublish(const Debrief& d) { return PublishGaps(d).empty(); }

}  // namespace amends::rca
