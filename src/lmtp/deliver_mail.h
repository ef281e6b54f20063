#pragma once
// The LMTP listener's deliverer for amends: each message is parsed and filed by app::FileRawMail, the same rules
// as POST /api/v1/mail, with the envelope recipients as the reply-address candidates. Outcomes become LMTP
// replies: filed (any action, duplicates included) 250; not an email or refused by validation 554 (the mail
// server bounces it with the reason); anything else (the store failed, too large to parse) 451, so the mail server
// keeps the message and retries.

#include <functional>

#include "app/inbound_mail.h"
#include "domain/time.h"
#include "lmtp/server.h"
#include "mailin/parse.h"
#include "store/store.h"

namespace amends::lmtp {

struct MailDelivery {
    store::Store& store;
    const app::Recovery& recovery;
    const app::StatusBoard* status = nullptr;
    const app::CaseLinks* links = nullptr;
    const Clock& clock;
    mailin::Limits limits;
    std::function<void()> on_filed = {};  // after a commit (wakes the outbox worker)
};

// A Deliver over `delivery`, which must outlive the server.
Deliver FileIntoAmends(const MailDelivery& delivery);

}  // namespace amends::lmtp
