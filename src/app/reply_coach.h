#pragma once
// The reply coach in the server: every outbound reply is analysed in its case's context before it is stored, the
// send policy may refuse it, and every reply sent goes into the boilerplate index (rebuilt from the store at start)
// so that a near-repeat to the same customer, or the same text to many customers, is flagged.
// Safe for concurrent use.

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "domain/error.h"
#include "domain/model.h"
#include "store/store.h"

namespace amends::coach {
class BoilerplateIndex;
}

namespace amends::app {

// What the coach may stop. Advisory otherwise: the report is stored with the message either way.
struct SendPolicy {
    bool refuse_blame = true;               // a reply that blames the customer is not sent
    bool require_apology_when_ours = false;  // a reply with no apology on a case whose fault is ours is not sent
};

struct CoachedReply {
    std::string report_json;           // the coach's report, as stored with the message
    std::optional<std::string> refusal;  // why the send policy refuses it, when it does
};

class ReplyCoach {
public:
    explicit ReplyCoach(SendPolicy policy = {});
    ~ReplyCoach();

    // Puts every message already sent into the boilerplate index.
    void LoadHistory(store::Store& store);
    // Analyses a reply to `customer_id` at the case's `step` (a playbook step name, or "" when none is due).
    Expected<CoachedReply> Check(std::string_view text, Id customer_id, std::string_view step, bool remedy_offered,
                                 TimePoint now) const;
    // Records a reply that was sent.
    void Remember(Id customer_id, std::string_view text, TimePoint sent);

private:
    SendPolicy policy_;
    std::unique_ptr<coach::BoilerplateIndex> index_;
};

}  // namespace amends::app
