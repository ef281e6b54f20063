#pragma once
// Inbound email: one RFC 5322 message parsed with GMime 3 into what amends needs to file it. MIME structure,
// quoted-printable and base64, RFC 2047 encoded words and charsets (converted to UTF-8) are GMime's; this module
// chooses the text (the plain part over HTML; HTML turned into text when it is the only part), lists attachments,
// recognises automatic mail (auto-replies, bulk, bounces) and separates the customer's new words from the quoted
// history and signature below them. No I/O beyond the bytes it is given.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/error.h"

namespace amends::mailin {

struct Address {
    std::string name;
    std::string address;  // lower-cased domain part kept as sent; empty when the header had no mailbox
};

struct Attachment {
    std::string filename;
    std::string content_type;  // "application/pdf"
    std::int64_t size = 0;     // decoded bytes
    std::string content;       // the decoded bytes themselves
};

// A delivery status notification (RFC 3464): who could not be reached, and why.
struct Bounce {
    std::vector<std::string> failed;  // Final-Recipient addresses with Action: failed
    std::string status;               // "5.1.1"
    std::string diagnostic;           // Diagnostic-Code, when given
};

struct Limits {
    std::size_t max_message_bytes = 30u << 20;    // larger messages are refused whole (kTooLarge)
    std::size_t max_attachment_bytes = 25u << 20; // a larger attachment is listed, marked dropped
    std::size_t max_text_bytes = 256u << 10;      // the text is cut there (with a note)
};

struct Mail {
    Address from;
    std::vector<Address> to;             // To and Cc
    std::vector<std::string> delivered_to;  // Delivered-To and X-Original-To (added by the receiving mail server)
    std::optional<Address> reply_to;
    std::string subject;                 // decoded, UTF-8
    std::string message_id;              // without <>; empty when missing
    std::string in_reply_to;             // without <>
    std::vector<std::string> references; // without <>, oldest first
    std::string text;                    // the whole text body, UTF-8 (plain, or HTML made plain)
    std::string new_text;                // `text` without quoted history and signature: the customer's own words
    bool html_only = false;              // the text came from HTML
    std::vector<Attachment> attachments;
    std::vector<std::string> dropped;    // attachments over the limit, by name
    bool automatic = false;              // Auto-Submitted, Precedence bulk/junk/list, auto-reply markers
    std::string automatic_reason;        // the header that said so
    std::optional<Bounce> bounce;
    bool ours = false;                   // sent by amends itself (X-Amends-* headers): never answered
    std::vector<std::string> notes;      // what was repaired or cut, for the case's timeline
};

// Parses one message. Errors: kTooLarge (over max_message_bytes), kInvalidArgument (no message at all: no
// headers, or no From address). Anything else (a broken boundary, an unknown charset) is parsed best effort with a
// note.
Expected<Mail> Parse(std::string_view raw, const Limits& limits = {});

// The message without its attachments (every part that is not text/plain or text/html inline, nested ones too),
// each named in an `X-Amends-Removed: NAME (N bytes)` header that Parse turns into a note and a dropped name: what
// `amends mail-in` sends when the whole message is too large for the server, so the words still arrive. nullopt
// when it is not a message or has no attachment to remove.
std::optional<std::string> WithoutAttachments(std::string_view raw);

// The customer's new words of a reply: the text above the first quoted history ("On ... wrote:", "-----Original
// Message-----", an Outlook "From: ... Sent:" block, a run of "> " lines) and above a "-- " signature.
std::string NewText(std::string_view text);

// Plain text from HTML: tags dropped (script and style with their content), block ends as line breaks, entities
// decoded, runs of blank lines collapsed.
std::string HtmlToText(std::string_view html);

}  // namespace amends::mailin
