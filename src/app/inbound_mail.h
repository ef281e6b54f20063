#pragma once
// Files one inbound email (parsed by mailin/): a reply lands on its case, a new sender's complaint opens a case,
// automatic mail never opens a case or counts as the customer's contact, a bounce marks the address as failing,
// and amends' own mail is never answered. Runs inside one unit of work; the same Message-ID is filed once.
//
// Threading, first by the signed reply address: a recipient (the envelope's, then Delivered-To / X-Original-To,
// then To and Cc) of the form support+c12.<tag>@... with a valid tag names case 12. From the case's customer it is
// their reply; from anyone else it is kept as a note on the case (a colleague copied in, a forward), never lost and
// never taken for the customer's words. A forged or altered tag is ignored.
// Then by Message-ID: the message's In-Reply-To and References are searched for amends' own Message-IDs
// (<case-C.message-M@...>, <case-C@...>); the case found takes the reply only when it comes from that case's
// customer's address (anyone can copy a Message-ID); otherwise, or when nothing matches, the sender's complaint
// opens a new case for the customer matched by email (or created).

#include <optional>
#include <string>
#include <vector>

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
class CaseLinks;

// What filing needs besides the message.
struct MailContext {
    const Recovery& recovery;
    const StatusBoard* status = nullptr;     // links a new case to open incidents; null: not linked
    const CaseLinks* links = nullptr;        // checks signed reply addresses; null: none is trusted
    std::vector<std::string> recipients;     // the envelope's (LMTP RCPT TO, mail-in --recipient), lower case
};

Expected<MailOutcome> FileMail(store::Tx& tx, const MailContext& context, const mailin::Mail& mail,
                               std::string_view raw, TimePoint now);

// Parses `raw` (within `limits`) and files it in a unit of work of its own, waiting for the commit: the LMTP
// listener's path, the same rules as POST /api/v1/mail. Errors: the parser's (kInvalidArgument not an email,
// kTooLarge), or the store's when the unit could not be committed (the caller asks the mail server to retry).
Expected<MailOutcome> FileRawMail(store::Store& store, const MailContext& context, std::string_view raw,
                                  const mailin::Limits& limits, TimePoint now);

// The case a Message-ID of ours names ("case-12.message-40@acme.test" -> 12), if any.
std::optional<Id> CaseOfMessageId(std::string_view message_id);

}  // namespace amends::app
