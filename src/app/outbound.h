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
    std::string reply_address;  // [mail] address: "support@acme.test"; replies to a case's email go to its signed
                                // plus-address (support+c12.<tag>@acme.test). Empty: no Reply-To.
};

// The address a reply to case `case_id`'s email goes to: `base` with "+c<id>.<tag>" added to its local part, the
// tag signed by `links` (CaseLinks::ReplyTag). Empty when `base` is empty or not an address.
std::string ReplyAddress(const CaseLinks& links, std::string_view base, Id case_id);
// The case a signed reply address names ("anything+c12.<tag>@anywhere"), when its tag is valid; nullopt for any
// other address, and for a forged or altered tag.
std::optional<Id> CaseOfReplyAddress(const CaseLinks& links, std::string_view address);

class Outbound {
public:
    Outbound(const CaseLinks& links, MailSettings settings) : links_(&links), settings_(std::move(settings)) {}

    // Queues the email carrying reply `m` of case `c` to `customer`. Returns its delivery as the API shows it, or
    // nullopt when the customer has no email address (the reply is kept, nothing is sent).
    std::optional<Delivery> QueueReply(store::Tx& tx, const Case& c, const Customer& customer, const Message& m,
                                       TimePoint now) const;
    // Case `case_id`'s reply address, or "" when no [mail] address is configured.
    std::string ReplyAddressOf(Id case_id) const { return ReplyAddress(*links_, settings_.reply_address, case_id); }
    // The one-click unsubscribe URL of incident notices for `customer_id` (public_url + /u/<token>).
    std::string UnsubscribeUrl(Id customer_id) const;
    const CaseLinks& links() const { return *links_; }
    // The customer's page for case `case_id`, signed to be valid for CaseLinks::kDefaultLifetime from `now`.
    std::string CaseUrl(Id case_id, TimePoint now) const;

    const MailSettings& settings() const { return settings_; }

private:
    const CaseLinks* links_;
    MailSettings settings_;
};

}  // namespace amends::app
