#include "notify/mime.h"

#include <array>
#include <cctype>
#include <chrono>
#include <cstdio>

namespace amends::notify {

namespace {

bool IsPlainAscii(std::string_view s) {
    for (unsigned char c : s)
        if (c < 0x20 || c > 0x7e) return false;
    return true;
}

std::string OneLine(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) out += (c == '\r' || c == '\n' || c == '\t') ? ' ' : c;
    return out;
}

std::string Base64(std::string_view in) {
    static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((in.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 3 <= in.size(); i += 3) {
        unsigned v = (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8 | (unsigned char)in[i + 2];
        out += kAlphabet[v >> 18 & 63];
        out += kAlphabet[v >> 12 & 63];
        out += kAlphabet[v >> 6 & 63];
        out += kAlphabet[v & 63];
    }
    if (i < in.size()) {
        unsigned v = (unsigned char)in[i] << 16 | (i + 1 < in.size() ? (unsigned char)in[i + 1] << 8 : 0);
        out += kAlphabet[v >> 18 & 63];
        out += kAlphabet[v >> 12 & 63];
        out += i + 1 < in.size() ? kAlphabet[v >> 6 & 63] : '=';
        out += '=';
    }
    return out;
}

// Length of the UTF-8 sequence starting with byte `c` (1 for a stray continuation byte).
std::size_t Utf8Length(unsigned char c) {
    if (c >= 0xf0) return 4;
    if (c >= 0xe0) return 3;
    if (c >= 0xc0) return 2;
    return 1;
}

std::string FormatMailbox(const Mailbox& m) {
    if (m.name.empty()) return m.address;
    std::string name = OneLine(m.name);
    if (IsPlainAscii(name)) {
        std::string quoted = "\"";
        for (char c : name) {
            if (c == '"' || c == '\\') quoted += '\\';
            quoted += c;
        }
        return quoted + "\" <" + m.address + ">";
    }
    return EncodeHeaderText(name) + " <" + m.address + ">";
}

}  // namespace

Mailbox ParseMailbox(std::string_view text) {
    auto trim = [](std::string_view s) {
        while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
        while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
        return s;
    };
    text = trim(text);
    auto open = text.rfind('<');
    auto close = text.rfind('>');
    Mailbox m;
    if (open != std::string_view::npos && close != std::string_view::npos && close > open) {
        auto name = trim(text.substr(0, open));
        if (name.size() >= 2 && name.front() == '"' && name.back() == '"') name = name.substr(1, name.size() - 2);
        m.name = std::string(name);
        m.address = std::string(trim(text.substr(open + 1, close - open - 1)));
    } else {
        m.address = std::string(text);
    }
    if (m.address.find('@') == std::string::npos || m.address.find_first_of(" \t\r\n<>\"") != std::string::npos)
        m.address.clear();
    return m;
}

std::string EncodeHeaderText(std::string_view text) {
    std::string line = OneLine(text);
    if (IsPlainAscii(line)) return line;
    // Encoded words of at most 60 characters ("=?UTF-8?B?" + 48 base64 + "?="), each holding whole characters, so a
    // header line stays within 78 characters after its name.
    std::string out;
    std::size_t i = 0;
    while (i < line.size()) {
        std::size_t end = i;
        while (end < line.size()) {
            std::size_t next = std::min(line.size(), end + Utf8Length(static_cast<unsigned char>(line[end])));
            if (next - i > 36) break;  // 36 bytes make 48 base64 characters
            end = next;
        }
        if (end == i) end = std::min(line.size(), i + Utf8Length(static_cast<unsigned char>(line[i])));
        if (!out.empty()) out += "\r\n ";
        out += "=?UTF-8?B?" + Base64(std::string_view(line).substr(i, end - i)) + "?=";
        i = end;
    }
    return out;
}

std::string EncodeQuotedPrintable(std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    std::size_t column = 0;
    auto emit = [&](std::string_view piece) {
        if (column + piece.size() > 75) {  // leave room for the soft break's "="
            out += "=\r\n";
            column = 0;
        }
        out += piece;
        column += piece.size();
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(text[i]);
        if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;  // the \n ends the line
        if (c == '\n') {
            out += "\r\n";
            column = 0;
            continue;
        }
        bool line_end = i + 1 == text.size() || text[i + 1] == '\n' || (text[i + 1] == '\r' && i + 2 < text.size() && text[i + 2] == '\n');
        bool literal = (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !line_end);
        // A line starting with "." or "From " is encoded so no relay mistakes or mangles it.
        if (column == 0 && (c == '.' || (c == 'F' && text.substr(i, 5) == "From "))) literal = false;
        if (literal) {
            char piece[1] = {static_cast<char>(c)};
            emit(std::string_view(piece, 1));
        } else {
            char piece[3] = {'=', kHex[c >> 4], kHex[c & 15]};
            emit(std::string_view(piece, 3));
        }
    }
    return out;
}

std::string FormatRfc5322Date(TimePoint t) {
    CivilTime c = ToCivil(t);
    char buf[48];
    std::snprintf(buf, sizeof buf, "%s, %02u %s %d %02d:%02d:%02d +0000", kWeekdayAbbreviations[c.weekday], c.day,
                  kMonthAbbreviations[c.month - 1], c.year, c.hour, c.minute, c.second);
    return buf;
}

std::string TextToHtml(std::string_view text) {
    std::string out = "<!doctype html><html><head><meta charset=\"utf-8\"></head><body><div style=\"font-family:"
                      "sans-serif;white-space:pre-wrap\">";
    out.reserve(out.size() + text.size() * 11 / 10 + 64);
    auto escape = [&](std::string_view s) {
        for (char c : s) {
            switch (c) {
                case '&': out += "&amp;"; break;
                case '<': out += "&lt;"; break;
                case '>': out += "&gt;"; break;
                case '"': out += "&quot;"; break;
                case '\'': out += "&#39;"; break;
                case '\r': break;
                default: out += c;
            }
        }
    };
    std::size_t i = 0;
    while (i < text.size()) {
        std::size_t http = text.find("http", i);
        std::size_t start = std::string_view::npos;
        while (http != std::string_view::npos) {
            auto rest = text.substr(http);
            bool scheme = rest.starts_with("http://") || rest.starts_with("https://");
            bool boundary = http == 0 || !std::isalnum(static_cast<unsigned char>(text[http - 1]));
            if (scheme && boundary) {
                start = http;
                break;
            }
            http = text.find("http", http + 4);
        }
        if (start == std::string_view::npos) {
            escape(text.substr(i));
            break;
        }
        escape(text.substr(i, start - i));
        std::size_t end = start;
        while (end < text.size()) {
            unsigned char c = static_cast<unsigned char>(text[end]);
            if (c <= ' ' || c == '<' || c == '>' || c == '"' || c == '\'' || c >= 0x7f) break;
            ++end;
        }
        // A sentence's full stop or a closing bracket after a link is not part of it.
        while (end > start && std::string_view(".,;:!?)]").find(text[end - 1]) != std::string_view::npos) --end;
        std::string_view url = text.substr(start, end - start);
        out += "<a href=\"";
        escape(url);
        out += "\">";
        escape(url);
        out += "</a>";
        i = end;
    }
    out += "</div></body></html>\n";
    return out;
}

std::string Compose(const Email& email) {
    // The boundary holds "=_", which quoted-printable never writes, so no part can contain it.
    static constexpr std::string_view kBoundary = "=_amends-alternative";
    std::string html = TextToHtml(email.body);
    std::string out;
    out.reserve(email.body.size() * 23 / 10 + 1024);
    auto header = [&](std::string_view name, std::string_view value) {
        out += name;
        out += value.starts_with("\r\n") ? ":" : ": ";
        out += value;
        out += "\r\n";
    };
    header("From", FormatMailbox(email.from));
    header("To", FormatMailbox(email.to));
    header("Subject", EncodeHeaderText(email.subject));
    header("Date", FormatRfc5322Date(email.date));
    for (const auto& [name, value] : email.headers) {
        std::string encoded = EncodeHeaderText(value);
        // A long URL header (List-Unsubscribe: <https://...>) starts on a folded line of its own to keep within
        // 78 characters where it can.
        if (name.size() + 2 + encoded.size() > 78 && encoded.starts_with('<') && IsPlainAscii(encoded))
            encoded = "\r\n " + encoded;
        header(OneLine(name), encoded);
    }
    header("MIME-Version", "1.0");
    header("Content-Type", "multipart/alternative; boundary=\"" + std::string(kBoundary) + "\"");
    out += "\r\n--";
    out += kBoundary;
    out += "\r\n";
    header("Content-Type", "text/plain; charset=UTF-8");
    header("Content-Transfer-Encoding", "quoted-printable");
    out += "\r\n";
    out += EncodeQuotedPrintable(email.body);
    if (!out.ends_with("\r\n")) out += "\r\n";
    out += "--";
    out += kBoundary;
    out += "\r\n";
    header("Content-Type", "text/html; charset=UTF-8");
    header("Content-Transfer-Encoding", "quoted-printable");
    out += "\r\n";
    out += EncodeQuotedPrintable(html);
    if (!out.ends_with("\r\n")) out += "\r\n";
    out += "--";
    out += kBoundary;
    out += "--\r\n";
    return out;
}

}  // namespace amends::notify
