#pragma once
// Outbound mail for cases: a staff reply becomes an email to the case's customer, queued in the transactional
// outbox in the same unit as the message itself, with the link to the customer's own case page. Immutable after
// construction and safe to share between threads.

#include <optional>
#include <string>

#include "app/case_links.h"
#include "domain/model.h"
#include "store/store.h"

namespace amends::app {

struct MailSettings {
    std::string public_url = "http://127.0.0.1:8080";  // the origin customers reach amends at (case page links)
    std::string domain = "amends.localhost";            // the right side of the Message-IDs amends makes
};

class Outbound {
public:
    Outbound(const CaseLinks& links, MailSettings settings) : links_(&links), settings_(std::move(settings)) {}

    // Queues the email carrying reply `m` of case `c` to `customer`. Returns its delivery as the API shows it, or
    // nullopt when the customer has no email address (the reply is kept, nothing is sent).
    std::optional<Delivery> QueueReply(store::Tx& tx, const Case& c, const Customer& customer, const Message& m,
                                       TimePoint now) const;
    // The customer's page for case `case_id`, signed to be valid for CaseLinks::kDefaultLifetime from `now`.
    std::string CaseUrl(Id case_id, TimePoint now) const;

    const MailSettings& settings() const { return settings_; }

private:
    const CaseLinks* links_;
    MailSettings settings_;
};

}  // namespace amends::app
