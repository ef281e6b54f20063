#pragma once
// Test-only helpers: build a case's timeline event by event, in the vocabulary of evidence.h.

#include <initializer_list>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "domain/model.h"
#include "domain/time.h"

namespace amends::playbook::testing {

inline TimePoint At(std::string_view rfc3339) {
    auto t = ParseRfc3339(rfc3339);
    if (!t) throw std::invalid_argument("bad time in test: " + std::string(rfc3339));
    return *t;
}

inline std::string Str(std::string_view s) { return "\"" + std::string(s) + "\""; }

// A case's events, appended in order with increasing ids.
class Timeline {
  public:
    explicit Timeline(TimePoint opened_at) {
        Add(opened_at, "case.opened",
            R"({"customer_id":1,"subject":"box never came","channel":"email","category":"delivery",)"
            R"("severity":"normal","reference":"order 123"})",
            "user:1");
    }

    Timeline& Add(TimePoint at, std::string type, std::string data = "{}", std::string actor = "user:1") {
        Event e;
        e.id = static_cast<Id>(events_.size() + 1);
        e.case_id = 1;
        e.type = std::move(type);
        e.actor = std::move(actor);
        e.data_json = std::move(data);
        e.at = at;
        events_.push_back(std::move(e));
        return *this;
    }

    Timeline& Sent(TimePoint at, std::initializer_list<std::string_view> completes = {}) {
        std::string list;
        for (auto s : completes) list += (list.empty() ? "" : ",") + Str(s);
        return Add(at, "message.sent",
                   R"({"message_id":)" + std::to_string(events_.size() + 100) + R"(,"completes":[)" + list + "]}");
    }
    Timeline& Received(TimePoint at) {
        return Add(at, "message.received", R"({"message_id":)" + std::to_string(events_.size() + 100) + "}",
                   "customer");
    }
    Timeline& State(TimePoint at, std::string_view to) {
        Add(at, "case.state_changed", R"({"from":)" + Str(state_) + R"(,"to":)" + Str(to) + "}");
        state_ = std::string(to);
        return *this;
    }
    Timeline& StepDone(TimePoint at, std::string_view step, std::string_view evidence = "by phone") {
        return Add(at, "step.completed", R"({"step":)" + Str(step) + R"(,"evidence":)" + Str(evidence) + "}");
    }
    Timeline& Waive(TimePoint at, std::string_view step, std::string_view reason = "not needed") {
        return Add(at, "step.waived", R"({"step":)" + Str(step) + R"(,"reason":)" + Str(reason) + "}");
    }
    Timeline& Offer(TimePoint at, std::string_view offer_id, TimePoint due,
                    std::string_view summary = "a new box by Friday and 20% off") {
        return Add(at, "offer.made",
                   R"({"offer_id":)" + Str(offer_id) + R"(,"summary":)" + Str(summary) +
                       R"(,"remedy":"discount","cost_minor":0,"due":)" + Str(FormatRfc3339(due)) + "}");
    }
    Timeline& Accept(TimePoint at, std::string_view offer_id) {
        return Add(at, "offer.accepted", R"({"offer_id":)" + Str(offer_id) + "}", "customer");
    }
    Timeline& Decline(TimePoint at, std::string_view offer_id, std::string_view comment = "") {
        return Add(at, "offer.declined", R"({"offer_id":)" + Str(offer_id) + R"(,"comment":)" + Str(comment) + "}",
                   "customer");
    }
    Timeline& PlanChanged(TimePoint at, std::string_view what, std::optional<TimePoint> new_due = std::nullopt) {
        std::string data = R"({"what":)" + Str(what);
        if (new_due) data += R"(,"new_due":)" + Str(FormatRfc3339(*new_due));
        return Add(at, "plan.changed", data + "}");
    }
    Timeline& FollowUpAnswered(TimePoint at, int score) {
        return Add(at, "followup.answered", R"({"score":)" + std::to_string(score) + R"(,"comment":"thanks"})",
                   "customer");
    }
    Timeline& CauseLinked(TimePoint at, Id debrief_id) {
        return Add(at, "cause.linked", R"({"debrief_id":)" + std::to_string(debrief_id) + "}");
    }
    Timeline& CauseOneOff(TimePoint at, std::string_view reason) {
        return Add(at, "cause.one_off", R"({"reason":)" + Str(reason) + "}");
    }
    Timeline& Breached(TimePoint at, std::string_view clock, TimePoint due) {
        return Add(at, "clock.breached", R"({"clock":)" + Str(clock) + R"(,"due":)" + Str(FormatRfc3339(due)) + "}",
                   "system");
    }

    std::span<const Event> events() const { return events_; }
    Id last_id() const { return events_.back().id; }

  private:
    std::vector<Event> events_;
    std::string state_ = "open";
};

}  // namespace amends::playbook::testing
