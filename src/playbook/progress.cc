#include "playbook/progress.h"

#include <algorithm>

#include "playbook/evidence.h"

namespace amends::playbook {
namespace {

namespace et = event_type;

struct Contact {
    std::size_t pos = 0;
    TimePoint at{};
    Id event_id = 0;
    std::vector<Step> completes;
    bool automatic = false;
};

struct Marker {
    std::size_t pos = 0;
    TimePoint at{};
    Id event_id = 0;
    std::string text;
    std::optional<TimePoint> due;
};

bool IsCustomerAnswer(std::string_view type) {
    return type == et::kMessageReceived || type == et::kOfferAccepted || type == et::kOfferDeclined ||
           type == et::kFollowUpAnswered;
}

bool IsEnded(CaseState s) { return s == CaseState::kResolved || s == CaseState::kClosed; }

// Whether a contact does a step: the steps it lists, plus acknowledge and keep_informed for every contact a
// person made (an automatic message does only what it lists).
bool Does(const Contact& c, Step step) {
    if (std::find(c.completes.begin(), c.completes.end(), step) != c.completes.end()) return true;
    return !c.automatic && (step == Step::kAcknowledge || step == Step::kKeepInformed);
}

std::string Quote(std::string_view s) {
    constexpr std::size_t kMax = 80;
    std::string out = "\"";
    out += s.size() > kMax ? std::string(s.substr(0, kMax)) + "..." : std::string(s);
    return out + "\"";
}

// The facts of a case's timeline, collected in one pass over its events in order.
class Timeline {
  public:
    Timeline(std::span<const Event> events, TimePoint now, Progress& progress) {
        std::vector<const Event*> ordered;
        ordered.reserve(events.size());
        for (const Event& e : events)
            if (e.at <= now) ordered.push_back(&e);
        std::stable_sort(ordered.begin(), ordered.end(), [](const Event* a, const Event* b) { return a->at < b->at; });
        for (std::size_t pos = 0; pos < ordered.size(); ++pos) Apply(pos, *ordered[pos], progress);
        if (!ordered.empty() && !opened_at) opened_at = ordered.front()->at;
    }

    std::optional<TimePoint> opened_at;
    CaseState state = CaseState::kOpen;
    std::vector<Pause> pauses;
    bool paused = false;
    std::optional<Marker> resolved;  // the latest move into resolved/closed, while the case stays there
    std::vector<Contact> contacts;
    std::vector<OfferStatus> offers;
    std::vector<std::size_t> answer_pos;  // per offer: position of its latest answer (or of the offer)
    std::vector<Id> answer_event;         // per offer: its latest answer event (or 0)
    std::optional<std::size_t> current_offer;
    std::optional<Marker> last_plan_change;
    std::optional<TimePoint> promised_by;
    std::array<std::optional<Marker>, kStepCount> waivers;
    std::optional<Marker> cause;
    std::optional<Id> debrief_id;
    std::vector<Marker> follow_up_answers;
    std::optional<int> follow_up_score;
    std::vector<std::pair<Clock, TimePoint>> recorded_breaches;

  private:
    void Apply(std::size_t pos, const Event& event, Progress& progress) {
        if (!IsPlaybookEvent(event.type)) return;
        auto parsed = ParseEvidence(event.type, event.data_json);
        if (!parsed) {
            progress.problems.push_back("event " + std::to_string(event.id) + " (" + event.type +
                                        "): " + parsed.error().field + ": " + parsed.error().message);
            return;
        }
        Evidence& e = *parsed;
        const std::string_view type = event.type;
        if (type == et::kCaseOpened) {
            if (!opened_at) opened_at = event.at;
        } else if (type == et::kCaseStateChanged) {
            ChangeState(*e.to, pos, event);
        } else if (type == et::kMessageSent || type == et::kStepCompleted) {
            contacts.push_back(Contact{pos, event.at, event.id, std::move(e.completes), e.automatic});
        } else if (type == et::kStepWaived) {
            waivers[Index(e.completes.front())] = Marker{pos, event.at, event.id, std::move(e.text), {}};
        } else if (type == et::kOfferMade) {
            OfferStatus offer;
            offer.offer_id = e.offer_id;
            offer.event_id = event.id;
            offer.made_at = event.at;
            offer.summary = std::move(e.summary);
            offer.remedy = std::move(e.remedy);
            offer.cost_minor = e.cost_minor;
            offer.due = *e.due;
            auto existing = FindOffer(e.offer_id);
            if (existing) {
                progress.problems.push_back("event " + std::to_string(event.id) + " (offer.made): offer_id " +
                                            Quote(e.offer_id) + " was already made; ignored");
                return;
            }
            offers.push_back(std::move(offer));
            answer_pos.push_back(pos);
            answer_event.push_back(0);
            current_offer = offers.size() - 1;
        } else if (type == et::kOfferAccepted || type == et::kOfferDeclined) {
            auto index = FindOffer(e.offer_id);
            if (!index) {
                progress.problems.push_back("event " + std::to_string(event.id) + " (" + event.type + "): no offer " +
                                            Quote(e.offer_id) + " was made; ignored");
            } else {
                OfferStatus& offer = offers[*index];
                const bool accepted = type == et::kOfferAccepted;
                offer.answer = accepted ? OfferStatus::Answer::kAccepted : OfferStatus::Answer::kDeclined;
                offer.answered_at = event.at;
                offer.comment = std::move(e.text);
                answer_pos[*index] = pos;
                answer_event[*index] = event.id;
                current_offer = *index;
                if (accepted) promised_by = offer.due;
            }
        } else if (type == et::kPlanChanged) {
            if (e.due) promised_by = e.due;
            last_plan_change = Marker{pos, event.at, event.id, std::move(e.text), e.due};
        } else if (type == et::kFollowUpAnswered) {
            follow_up_answers.push_back(Marker{pos, event.at, event.id, std::move(e.text), {}});
            follow_up_score = e.score;
        } else if (type == et::kCauseLinked) {
            cause = Marker{pos, event.at, event.id, "linked to debrief " + std::to_string(e.debrief_id), {}};
            debrief_id = e.debrief_id;
        } else if (type == et::kCauseOneOff) {
            cause = Marker{pos, event.at, event.id, "one-off: " + e.text, {}};
            debrief_id.reset();
        } else if (type == et::kClockBreached) {
            recorded_breaches.emplace_back(*e.clock, *e.due);
        }
        if (IsCustomerAnswer(type) && paused && state == CaseState::kWaitingOnCustomer) EndPause(event.at);
    }

    void ChangeState(CaseState to, std::size_t pos, const Event& event) {
        // Waiting again after the customer answered (the app may not have moved the state back) starts a new wait.
        if (to == state && !(to == CaseState::kWaitingOnCustomer && !paused)) return;
        const bool was_ended = IsEnded(state);
        if (paused && !(was_ended && IsEnded(to))) EndPause(event.at);
        if (IsEnded(to)) {
            if (!was_ended) {
                StartPause(event.at);
                resolved = Marker{pos, event.at, event.id, std::string(Name(to)), {}};
            }
        } else {
            resolved.reset();
            if (to == CaseState::kWaitingOnCustomer) StartPause(event.at);
        }
        state = to;
    }

    void StartPause(TimePoint at) {
        pauses.push_back(Pause{at, std::nullopt});
        paused = true;
    }

    void EndPause(TimePoint at) {
        pauses.back().to = at;
        paused = false;
    }

    std::optional<std::size_t> FindOffer(const std::string& id) const {
        for (std::size_t i = 0; i < offers.size(); ++i)
            if (offers[i].offer_id == id) return i;
        return std::nullopt;
    }
};

// One clock's run: its deadline (if it has one now) and whether its step was done in time.
struct ClockRun {
    Clock clock;
    std::optional<TimePoint> due;
    bool stopped = false;  // the step is done or waived, or the clock does not apply: cannot breach any more
};

class Deriver {
  public:
    Deriver(std::span<const Event> events, const ClockPolicy& policy, TimePoint now)
        : policy_(policy), now_(now), t_(events, now, progress_) {}

    Progress Run() {
        progress_.policy = policy_.name;
        progress_.state = t_.state;
        progress_.paused = t_.paused;
        progress_.offers = t_.offers;
        progress_.promised_by = t_.promised_by;
        progress_.debrief_id = t_.debrief_id;
        progress_.follow_up_score = t_.follow_up_score;
        for (int i = 0; i < kStepCount; ++i) progress_.steps[i].step = kAllSteps[i];
        if (!t_.opened_at) return std::move(progress_);

        Acknowledge();
        Apologize();
        OfferAndAgree();
        Listen();
        Confirm();
        KeepInformed();
        FollowUp();
        FixCause();
        ApplyWaivers();
        if (IsEnded(t_.state)) SkipUnfinished();
        ChooseNextDue();
        CollectBreaches();
        DescribeClocks();
        return std::move(progress_);
    }

  private:
    StepStatus& S(Step s) { return progress_.steps[Index(s)]; }

    // The clock's deadline as it stood at `stop` (when its step was done), or as it stands now without one: a
    // pause that began after the step was done does not move the deadline it was done against.
    std::optional<TimePoint> Deadline(TimePoint start, Millis target,
                                      std::optional<TimePoint> stop = std::nullopt) const {
        if (!stop) return DeadlineWithPauses(start, target, policy_.calendar, t_.pauses);
        std::vector<Pause> before;
        for (const Pause& pause : t_.pauses) {
            if (pause.from >= *stop) break;
            before.push_back(pause.to && *pause.to <= *stop ? pause : Pause{pause.from, std::nullopt});
        }
        return DeadlineWithPauses(start, target, policy_.calendar, before);
    }

    static void Done(StepStatus& s, TimePoint at, Id event_id, std::string why) {
        s.state = StepState::kDone;
        s.done_at = at;
        s.evidence_event_id = event_id;
        s.why = std::move(why);
    }

    void Due(StepStatus& s, std::optional<TimePoint> due_at, std::string why) {
        s.state = StepState::kDue;
        s.due_at = due_at;
        if (!due_at && t_.paused && t_.state == CaseState::kWaitingOnCustomer)
            why += " (clock paused: waiting on the customer)";
        s.why = std::move(why);
    }

    const Contact* FirstContact(Step step, std::size_t after_pos = 0) const {
        for (const Contact& c : t_.contacts)
            if (c.pos >= after_pos && Does(c, step)) return &c;
        return nullptr;
    }

    const Contact* LastContact(Step step) const {
        for (auto it = t_.contacts.rbegin(); it != t_.contacts.rend(); ++it)
            if (Does(*it, step)) return &*it;
        return nullptr;
    }

    static std::string ByContact(const Contact& c) { return "done by event " + std::to_string(c.event_id); }

    void Acknowledge() {
        const Contact* first = FirstContact(Step::kAcknowledge);
        const auto due = Deadline(*t_.opened_at, policy_.targets.acknowledge,
                                  first ? std::optional<TimePoint>(first->at) : std::nullopt);
        StepStatus& s = S(Step::kAcknowledge);
        s.due_at = due;
        runs_.push_back({Clock::kAcknowledge, due, first != nullptr});
        if (first)
            Done(s, first->at, first->event_id, "first contact with the customer, " + ByContact(*first));
        else
            Due(s, due,
                "Acknowledge the customer's concern, within " + FormatDuration(policy_.targets.acknowledge) +
                    " of opening");
    }

    void Apologize() {
        const Contact* c = FirstContact(Step::kApologize);
        StepStatus& s = S(Step::kApologize);
        s.due_at = S(Step::kAcknowledge).due_at;
        if (c)
            Done(s, c->at, c->event_id, "apology " + ByContact(*c));
        else
            Due(s, s.due_at, "Apologize that the customer had to contact us");
    }

    void Listen() {
        const Contact* c = FirstContact(Step::kListen);
        StepStatus& s = S(Step::kListen);  // due_at: the agree clock's, set by OfferAndAgree
        if (c)
            Done(s, c->at, c->event_id, "questions asked, " + ByContact(*c));
        else
            Due(s, s.due_at, "Ask what you need to understand what happened and how the customer feels");
    }

    void OfferAndAgree() {
        const OfferStatus* current = t_.current_offer ? &t_.offers[*t_.current_offer] : nullptr;
        const bool agreed = current && current->answer == OfferStatus::Answer::kAccepted;
        const auto due = Deadline(*t_.opened_at, policy_.targets.agree, agreed ? current->answered_at : std::nullopt);
        StepStatus& offer = S(Step::kOffer);
        StepStatus& agree = S(Step::kAgree);
        offer.due_at = due;
        S(Step::kListen).due_at = due;
        runs_.push_back({Clock::kAgree, due, agreed});  // ApplyWaivers stops it if agree ends up waived
        if (!current) {
            Due(offer, due, "Offer a solution, with its timescale and cost");
            agree.why = "Needs an offer to agree to";
            return;
        }
        if (current->answer == OfferStatus::Answer::kDeclined) {
            std::string why = "Offer " + Quote(current->offer_id) + " was declined";
            if (!current->comment.empty()) why += " (" + Quote(current->comment) + ")";
            Due(offer, due, why + ": make a new offer");
            agree.why = "Needs a new offer to agree to";
            return;
        }
        Done(offer, current->made_at, current->event_id,
             "offer " + Quote(current->offer_id) + ": " + Quote(current->summary));
        agree.due_at = due;
        if (agreed) {
            Done(agree, *current->answered_at, t_.answer_event[*t_.current_offer],
                 "the customer accepted offer " + Quote(current->offer_id));
        } else {
            Due(agree, due, "Waiting for the customer's answer to offer " + Quote(current->offer_id));
        }
    }

    void Confirm() {
        StepStatus& s = S(Step::kConfirm);
        const OfferStatus* current = t_.current_offer ? &t_.offers[*t_.current_offer] : nullptr;
        if (!current || current->answer != OfferStatus::Answer::kAccepted) {
            s.why = "Comes after the customer agrees to an offer";
            return;
        }
        const std::size_t accepted_pos = t_.answer_pos[*t_.current_offer];
        const Contact* c = FirstContact(Step::kConfirm, accepted_pos);
        const auto due = Deadline(*current->answered_at, policy_.targets.confirm,
                                  c ? std::optional<TimePoint>(c->at) : std::nullopt);
        s.due_at = due;
        runs_.push_back({Clock::kConfirm, due, c != nullptr});
        if (c)
            Done(s, c->at, c->event_id, "next steps confirmed, " + ByContact(*c));
        else
            Due(s, due, "Confirm what happens next: the customer accepted offer " + Quote(current->offer_id));
    }

    void KeepInformed() {
        StepStatus& s = S(Step::kKeepInformed);
        const Contact* last_contact = LastContact(Step::kKeepInformed);
        if (!last_contact) {
            s.why = "Starts with the first contact";
            return;
        }
        const Contact& last = *last_contact;
        std::optional<TimePoint> due = Deadline(last.at, policy_.targets.keep_informed);
        std::string why =
            "Update the customer: every " + FormatDuration(policy_.targets.keep_informed) + " while the case is open";
        auto consider = [&](std::optional<TimePoint> candidate, std::string reason) {
            if (candidate && (!due || *candidate < *due)) {
                due = candidate;
                why = std::move(reason);
            }
        };
        if (t_.last_plan_change && t_.last_plan_change->pos > last.pos)
            consider(Deadline(t_.last_plan_change->at, policy_.targets.plan_change),
                     "The plan changed (" + Quote(t_.last_plan_change->text) + "): tell the customer");
        if (t_.promised_by && *t_.promised_by > last.at)
            consider(Deadline(*t_.promised_by, Millis(0)),
                     "The promised date " + FormatRfc3339(*t_.promised_by) +
                         " has come: tell the customer it is done, or what changed");
        s.due_at = due;
        runs_.push_back({Clock::kKeepInformed, due, false});
        if (IsEnded(t_.state)) {
            Done(s, t_.resolved->at, t_.resolved->event_id, "kept informed until the case was " + t_.resolved->text);
            s.due_at.reset();
            return;
        }
        Due(s, due, std::move(why));
    }

    void FollowUp() {
        StepStatus& s = S(Step::kFollowUp);
        if (!t_.resolved) {
            s.why = "Comes after the case is resolved";
            return;
        }
        const TimePoint start = t_.resolved->at + std::chrono::days(policy_.targets.follow_up_after_days);
        const TimePoint due = AddBusinessTime(start, Millis(0), policy_.calendar);
        s.due_at = due;
        const Contact* c = FirstContact(Step::kFollowUp, t_.resolved->pos);
        const Marker* answer = nullptr;
        for (const Marker& m : t_.follow_up_answers)
            if (m.pos >= t_.resolved->pos) {
                answer = &m;
                break;
            }
        runs_.push_back({Clock::kFollowUp, due, c != nullptr || answer != nullptr});
        if (c)
            Done(s, c->at, c->event_id, "followed up, " + ByContact(*c));
        else if (answer)
            Done(s, answer->at, answer->event_id, "the customer answered the follow-up");
        else
            Due(s, due,
                "Follow up: check the customer is happy, " + std::to_string(policy_.targets.follow_up_after_days) +
                    " days after resolution");
    }

    void FixCause() {
        StepStatus& s = S(Step::kFixCause);
        if (t_.cause) {
            Done(s, t_.cause->at, t_.cause->event_id, t_.cause->text);
        } else if (t_.resolved) {
            Due(s, std::nullopt, "Fix the cause: link the case to a debrief, or mark it one-off with a reason");
        } else {
            s.why = "Link a debrief, or mark the case one-off, once the cause is known";
        }
    }

    void ApplyWaivers() {
        for (Step step : kAllSteps) {
            auto waiver = t_.waivers[Index(step)];
            // An offer waiver also covers agree and confirm, unless an offer was made after all.
            if (!waiver && (step == Step::kAgree || step == Step::kConfirm) && t_.offers.empty())
                waiver = t_.waivers[Index(Step::kOffer)];
            StepStatus& s = S(step);
            if (!waiver || s.state == StepState::kDone) continue;
            s.state = StepState::kWaived;
            s.done_at = waiver->at;
            s.evidence_event_id = waiver->event_id;
            s.why = "not applicable: " + waiver->text;
        }
        for (ClockRun& run : runs_)
            if (S(ClockStep(run.clock)).state == StepState::kWaived) run.stopped = true;
    }

    void SkipUnfinished() {
        for (Step step : {Step::kAcknowledge, Step::kApologize, Step::kListen, Step::kOffer, Step::kAgree,
                          Step::kConfirm, Step::kKeepInformed}) {
            StepStatus& s = S(step);
            if (s.state == StepState::kDue || s.state == StepState::kPending) {
                s.state = StepState::kSkipped;
                s.why = "the case was " + t_.resolved->text + " without it";
            }
        }
    }

    void ChooseNextDue() {
        const StepStatus* best = nullptr;
        for (const StepStatus& s : progress_.steps) {
            if (s.state != StepState::kDue) continue;
            if (!best) {
                best = &s;
            } else if (s.due_at && (!best->due_at || *s.due_at < *best->due_at)) {
                best = &s;
            }
        }
        if (!best) return;
        NextDue next{best->step, best->due_at, Millis(0), best->why};
        if (best->due_at && now_ > *best->due_at) next.late_by = now_ - *best->due_at;
        progress_.next_due = std::move(next);
    }

    void CollectBreaches() {
        for (const ClockRun& run : runs_) {
            if (run.stopped || !run.due) continue;
            const bool recorded = std::find(t_.recorded_breaches.begin(), t_.recorded_breaches.end(),
                                            std::pair{run.clock, *run.due}) != t_.recorded_breaches.end();
            if (now_ > *run.due) progress_.breaches.push_back(Breach{run.clock, *run.due, now_ - *run.due, recorded});
            // The first instant a breach can exist: done exactly at the deadline is in time.
            const TimePoint check_at = *run.due + Millis(1);
            if (!recorded && (!progress_.next_check_at || check_at < *progress_.next_check_at))
                progress_.next_check_at = check_at;
        }
        std::sort(progress_.breaches.begin(), progress_.breaches.end(),
                  [](const Breach& a, const Breach& b) { return a.clock < b.clock; });
    }

    ClockPhase PhaseOf(const ClockRun& run) const {
        const StepStatus& step = progress_.steps[Index(ClockStep(run.clock))];
        if (run.stopped) {
            if (step.state == StepState::kWaived) return ClockPhase::kStopped;
            if (run.due && step.done_at && *step.done_at > *run.due) return ClockPhase::kMetLate;
            return ClockPhase::kMet;
        }
        if (run.due && now_ > *run.due) return ClockPhase::kBreached;
        if (IsEnded(t_.state) && run.clock != Clock::kFollowUp)
            return step.state == StepState::kDone ? ClockPhase::kMet : ClockPhase::kStopped;
        return run.due ? ClockPhase::kRunning : ClockPhase::kPaused;
    }

    void DescribeClocks() {
        for (Clock clock : kAllClocks) {
            ClockStatus status{clock, ClockPhase::kNotStarted, std::nullopt};
            for (const ClockRun& run : runs_) {
                if (run.clock != clock) continue;
                status.phase = PhaseOf(run);
                status.due_at = run.due;
            }
            progress_.clocks.push_back(status);
        }
    }

    const ClockPolicy& policy_;
    TimePoint now_;
    Progress progress_;
    Timeline t_;
    std::vector<ClockRun> runs_;
};

}  // namespace

Progress Derive(std::span<const Event> events, const ClockPolicy& policy, TimePoint now) {
    return Deriver(events, policy, now).Run();
}

std::optional<TimePoint> NextDueAt(std::span<const Event> events, const ClockPolicy& policy, TimePoint now) {
    return Derive(events, policy, now).next_check_at;
}

std::string Describe(const Progress& p) {
    std::string out = "policy " + Quote(p.policy) + ", state " + std::string(Name(p.state));
    if (p.paused) out += ", paused";
    out += "\n";
    for (const StepStatus& s : p.steps) {
        out += std::string(Name(s.step)) + " " + std::string(Name(s.state));
        if (s.done_at) out += " at " + FormatRfc3339(*s.done_at);
        if (s.evidence_event_id != 0) out += " by event " + std::to_string(s.evidence_event_id);
        if (s.due_at) out += (s.state == StepState::kDue ? " by " : ", was due ") + FormatRfc3339(*s.due_at);
        out += "\n";
    }
    if (p.next_due) {
        out += "next " + std::string(Name(p.next_due->step));
        if (p.next_due->due_at) out += " due " + FormatRfc3339(*p.next_due->due_at);
        if (p.next_due->late_by > Millis(0)) out += " late " + FormatDuration(p.next_due->late_by);
        out += ": " + p.next_due->why + "\n";
    }
    for (const ClockStatus& c : p.clocks) {
        if (c.phase == ClockPhase::kNotStarted) continue;
        out += "clock " + std::string(Name(c.clock)) + " " + std::string(Name(c.phase));
        if (c.due_at) out += " due " + FormatRfc3339(*c.due_at);
        out += "\n";
    }
    for (const Breach& b : p.breaches) {
        out += "breach " + std::string(Name(b.clock)) + " due " + FormatRfc3339(b.due_at) + " late " +
               FormatDuration(b.late_by) + (b.recorded ? ", recorded" : "") + "\n";
    }
    if (p.next_check_at) out += "check at " + FormatRfc3339(*p.next_check_at) + "\n";
    for (const OfferStatus& o : p.offers) {
        static constexpr const char* kAnswers[] = {"pending", "accepted", "declined"};
        out += "offer " + Quote(o.offer_id) + " " + kAnswers[static_cast<int>(o.answer)] + ", due " +
               FormatRfc3339(o.due) + "\n";
    }
    if (p.promised_by) out += "promised by " + FormatRfc3339(*p.promised_by) + "\n";
    if (p.follow_up_score) out += "follow-up score " + std::to_string(*p.follow_up_score) + "\n";
    for (const std::string& problem : p.problems) out += "problem " + problem + "\n";
    return out;
}

std::vector<Breach> Breaches(std::span<const Event> events, const ClockPolicy& policy, TimePoint now) {
    std::vector<Breach> out;
    for (const Breach& b : Derive(events, policy, now).breaches)
        if (!b.recorded) out.push_back(b);
    return out;
}

}  // namespace amends::playbook
