#pragma once
// Internet mail as bytes (RFC 5322 with MIME): what the SMTP channel hands the server. Pure functions.
// Header values are single-line and ASCII on the wire: non-ASCII text is RFC 2047 encoded, line breaks in a value
// are turned into spaces (no header injection). The body is UTF-8 text/plain beside the same text as HTML
// (multipart/alternative), each in quoted-printable, so no line is longer than 76 characters and any byte survives
// a 7-bit hop.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/time.h"

namespace amends::notify {

struct Mailbox {
    std::string name;     // display name, may be empty or non-ASCII
    std::string address;  // addr-spec: local@domain
};

struct Email {
    Mailbox from;
    Mailbox to;
    std::string subject;
    std::string body;  // text, UTF-8, lines separated by \n or \r\n
    TimePoint date{};
    std::vector<std::pair<std::string, std::string>> headers;  // extra: Message-ID, References, ...
};

// "Acme Support <support@acme.test>" or "support@acme.test". Empty address when it has no addr-spec.
Mailbox ParseMailbox(std::string_view text);
// The whole message, CRLF line endings, ready for SMTP DATA: multipart/alternative of the text (text/plain) and
// the same text as HTML (TextToHtml), both UTF-8 in quoted-printable.
std::string Compose(const Email& email);

// The pieces, exposed for tests.
std::string EncodeHeaderText(std::string_view text);     // RFC 2047 "B" encoded words when not plain ASCII
std::string EncodeQuotedPrintable(std::string_view text); // RFC 2045, CRLF line ends, soft breaks at 76
std::string FormatRfc5322Date(TimePoint t);               // "Mon, 23 Nov 2026 09:00:00 +0000"
// The text as a small HTML document: every character escaped, line breaks kept (pre-wrap), http(s) links made
// clickable (a trailing full stop or bracket is left out of the link).
std::string TextToHtml(std::string_view text);

}  // namespace amends::notify
