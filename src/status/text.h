#pragma once
// Internal to status/: escaping and the date formats the feeds and pages use (all in UTC).

#include <string>
#include <string_view>

#include "domain/time.h"

namespace amends::status {

// Escapes & < > " ' for XML and HTML text and attribute values; drops characters XML 1.0 cannot carry
// (C0 controls other than tab, LF and CR; U+FFFE, U+FFFF).
std::string Escape(std::string_view text);
// RFC 822 as RSS 2.0 wants it: "Tue, 04 Mar 2025 10:21:07 +0000".
std::string Rfc822(TimePoint t);
// "Mar 4, 10:21 UTC"
std::string ShortTime(TimePoint t);
// "Mar 4, 2025"
std::string DayLabel(TimePoint t);
// "2025-03-04T10:21:07Z" (the datetime attribute of <time>)
std::string MachineTime(TimePoint t);
// The host of a URL: "status.acme.example" for "https://status.acme.example:8443/x".
std::string HostOf(std::string_view url);

}  // namespace amends::status
