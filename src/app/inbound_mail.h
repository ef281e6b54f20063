#pragma once
// Files one inbound email (parsed by mailin/): a reply lands on its case, a new sender's complaint opens a case,
// automatic mail never opens a case or counts as the customer's contact, a bounce marks the address as failing,
// and amends' own mail is never answered. Runs inside one unit of work; the same Message-ID is filed once.
//
// Threading: the message's In-Reply-To and References are searched for amends' own Message-IDs
// (<case-C.message-M@...>, <case-C@...>); the case found takes the reply only when it comes from that case's
// customer's address (anyone can copy a Message-ID); otherwise, or when nothing matches, the sender's complaint
// opens a new case for the customer matched by email (or created).

#include <optional>
#include <string>

#include "app/recovery.h"
#include "domain/error.h"
#include "mailin/parse.h"
#include "store/store.h"

namespace amends::app {

struct MailOutcome {
    std::string action;  // case_opened, reply, note (automatic mail on a case), bounce, ignored, duplicate
    std::optional<Id> case_id;
    std::optional<Id> message_id;
    std::string why;     // for ignored, note and bounce
};

class StatusBoard;

Expected<MailOutcome> FileMail(store::Tx& tx, const Recovery& recovery, const StatusBoard* status,
                               const mailin::Mail& mail, std::string_view raw, TimePoint now);

// The case a Message-ID of ours names ("case-12.message-40@acme.test" -> 12), if any.
std::optional<Id> CaseOfMessageId(std::string_view message_id);

}  // namespace amends::app
