#include "mailin/parse.h"

#include <gmime/gmime.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <mutex>

#include "common/trim.h"

namespace amends::mailin {

namespace {

void Init() {
    static std::once_flag once;
    std::call_once(once, [] { g_mime_init(); });
}

template <typename T>
struct Unref {
    T* p;
    explicit Unref(T* ptr) : p(ptr) {}
    ~Unref() {
        if (p) g_object_unref(p);
    }
    Unref(const Unref&) = delete;
    Unref& operator=(const Unref&) = delete;
};

std::string Lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string Trim(std::string_view s) { return std::string(TrimBytes(s)); }

std::string StripAngles(std::string s) {
    s = Trim(s);
    if (s.size() >= 2 && s.front() == '<' && s.back() == '>') s = s.substr(1, s.size() - 2);
    return s;
}

// Replaces bytes that are not UTF-8 (a part that lied about its charset) with U+FFFD.
std::string ValidUtf8(std::string_view in) {
    std::string out;
    out.reserve(in.size());
    std::size_t i = 0;
    while (i < in.size()) {
        auto c = static_cast<unsigned char>(in[i]);
        int n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        bool ok = n > 0 && i + n <= in.size();
        for (int k = 1; ok && k < n; ++k) ok = (static_cast<unsigned char>(in[i + k]) & 0xC0) == 0x80;
        if (ok && n == 2 && c < 0xC2) ok = false;
        if (ok) {
            out.append(in.substr(i, n));
            i += n;
        } else {
            out += "\xEF\xBF\xBD";
            ++i;
        }
    }
    return out;
}

std::vector<Address> Addresses(InternetAddressList* list) {
    std::vector<Address> out;
    if (!list) return out;
    for (int i = 0; i < internet_address_list_length(list); ++i) {
        InternetAddress* ia = internet_address_list_get_address(list, i);
        if (!INTERNET_ADDRESS_IS_MAILBOX(ia)) continue;  // groups: their members are not needed here
        const char* addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia));
        const char* name = internet_address_get_name(ia);
        if (!addr || !*addr) continue;
        out.push_back({ValidUtf8(name ? name : ""), Lower(addr)});
    }
    return out;
}

std::string Header(GMimeObject* object, const char* name) {
    const char* v = g_mime_object_get_header(object, name);
    return v ? Trim(v) : std::string();
}

std::string Decode(GMimePart* part, std::int64_t& size) {
    GMimeDataWrapper* content = g_mime_part_get_content(part);
    GMimeStream* out = g_mime_stream_mem_new();
    Unref<GMimeStream> out_ref(out);
    size = content ? g_mime_data_wrapper_write_to_stream(content, out) : 0;
    GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out));
    return bytes ? std::string(reinterpret_cast<const char*>(bytes->data), bytes->len) : std::string();
}

struct Walk {
    const Limits* limits;
    Mail* mail;
    std::string plain, html;
    std::string delivery_status;
    bool report = false;
};

void Visit(GMimeObject* /*parent*/, GMimeObject* object, gpointer data) {
    auto* w = static_cast<Walk*>(data);
    GMimeContentType* type = g_mime_object_get_content_type(object);
    if (GMIME_IS_MULTIPART(object)) {
        if (g_mime_content_type_is_type(type, "multipart", "report")) w->report = true;
        return;
    }
    if (!GMIME_IS_PART(object)) return;  // message/rfc822 parts: the attached original of a bounce, skipped
    GMimePart* part = GMIME_PART(object);
    char* mime = g_mime_content_type_get_mime_type(type);
    std::string content_type = Lower(mime ? mime : "application/octet-stream");
    g_free(mime);
    bool attachment = g_mime_part_is_attachment(part);
    if (content_type == "message/delivery-status" || content_type == "message/global-delivery-status") {
        std::int64_t n = 0;
        w->delivery_status += Decode(part, n);
        return;
    }
    if (!attachment && GMIME_IS_TEXT_PART(object) &&
        (content_type == "text/plain" || content_type == "text/html")) {
        char* text = g_mime_text_part_get_text(GMIME_TEXT_PART(object));  // charset converted to UTF-8
        std::string t = ValidUtf8(text ? text : "");
        g_free(text);
        std::string& into = content_type == "text/plain" ? w->plain : w->html;
        if (into.empty()) into = std::move(t);  // the first of each kind (multipart/alternative lists them in order)
        return;
    }
    Attachment a;
    const char* filename = g_mime_part_get_filename(part);
    a.filename = ValidUtf8(filename ? filename : "");
    a.content_type = content_type;
    a.content = Decode(part, a.size);
    a.size = static_cast<std::int64_t>(a.content.size());
    if (a.filename.empty()) a.filename = "attachment";
    if (static_cast<std::size_t>(a.size) > w->limits->max_attachment_bytes) {
        w->mail->dropped.push_back(a.filename);
        w->mail->notes.push_back("attachment " + a.filename + " (" + std::to_string(a.size) +
                                 " bytes) is over the limit and was not kept");
        return;
    }
    w->mail->attachments.push_back(std::move(a));
}

// Action: failed recipients of a message/delivery-status body.
Bounce ReadDeliveryStatus(const std::string& text) {
    Bounce b;
    std::string recipient;
    std::size_t at = 0;
    auto field = [](const std::string& line, const char* name) -> std::optional<std::string> {
        std::size_t n = std::strlen(name);
        if (line.size() <= n || Lower(line.substr(0, n)) != Lower(name)) return std::nullopt;
        return Trim(line.substr(n));
    };
    while (at <= text.size()) {
        std::size_t nl = text.find('\n', at);
        std::string line = text.substr(at, nl == std::string::npos ? std::string::npos : nl - at);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (auto v = field(line, "Final-Recipient:")) {
            auto semi = v->find(';');
            recipient = Lower(Trim(semi == std::string::npos ? *v : v->substr(semi + 1)));
        } else if (auto v = field(line, "Action:")) {
            if (Lower(*v) == "failed" && !recipient.empty()) b.failed.push_back(recipient);
        } else if (auto v = field(line, "Status:")) {
            if (b.status.empty()) b.status = *v;
        } else if (auto v = field(line, "Diagnostic-Code:")) {
            if (b.diagnostic.empty()) b.diagnostic = *v;
        }
        if (nl == std::string::npos) break;
        at = nl + 1;
    }
    return b;
}

void Automatic(GMimeObject* m, Mail& mail) {
    auto set = [&](const std::string& why) {
        if (!mail.automatic) {
            mail.automatic = true;
            mail.automatic_reason = why;
        }
    };
    std::string auto_submitted = Lower(Header(m, "Auto-Submitted"));
    if (!auto_submitted.empty() && auto_submitted != "no") set("Auto-Submitted: " + auto_submitted);
    std::string precedence = Lower(Header(m, "Precedence"));
    if (precedence == "bulk" || precedence == "junk" || precedence == "list") set("Precedence: " + precedence);
    for (const char* h : {"X-Autoreply", "X-Autorespond", "X-Auto-Response-Suppress", "List-Id", "List-Unsubscribe"}) {
        if (std::string(h) == "X-Auto-Response-Suppress") {
            std::string v = Lower(Header(m, h));
            if (v.find("all") != std::string::npos || v.find("oof") != std::string::npos) set(std::string(h) + ": " + v);
            continue;
        }
        if (!Header(m, h).empty()) set(h);
    }
    std::string subject = Lower(mail.subject);
    for (const char* s : {"out of office", "automatic reply", "auto-reply", "autoreply", "abwesenheitsnotiz",
                          "absence du bureau", "vacation reply"})
        if (subject.find(s) != std::string::npos) set(std::string("subject: ") + s);
    std::string from = mail.from.address;
    for (const char* s : {"mailer-daemon@", "postmaster@"})
        if (from.starts_with(s)) set("From: " + from);
    for (const char* h : {"X-Amends-Incident", "X-Amends-Case"})
        if (!Header(m, h).empty()) mail.ours = true;
}

// Removes the attachments below `object`; appends what went to `removed`.
void RemoveAttachments(GMimeObject* object, std::vector<std::string>& removed) {
    if (!GMIME_IS_MULTIPART(object)) return;
    GMimeMultipart* multipart = GMIME_MULTIPART(object);
    for (int i = g_mime_multipart_get_count(multipart) - 1; i >= 0; --i) {
        GMimeObject* part = g_mime_multipart_get_part(multipart, i);
        if (GMIME_IS_MULTIPART(part)) {
            RemoveAttachments(part, removed);
            continue;
        }
        char* mime = g_mime_content_type_get_mime_type(g_mime_object_get_content_type(part));
        std::string type = Lower(mime ? mime : "");
        g_free(mime);
        bool text = (type == "text/plain" || type == "text/html") && GMIME_IS_PART(part) &&
                    !g_mime_part_is_attachment(GMIME_PART(part));
        if (text || type == "message/delivery-status") continue;
        std::string name = "attachment";
        std::int64_t size = 0;
        if (GMIME_IS_PART(part)) {
            const char* filename = g_mime_part_get_filename(GMIME_PART(part));
            if (filename && *filename) name = ValidUtf8(filename);
            Decode(GMIME_PART(part), size);
        }
        removed.push_back(name + " (" + std::to_string(size) + " bytes)");
        GMimeObject* gone = g_mime_multipart_remove_at(multipart, i);
        if (gone) g_object_unref(gone);
    }
}

}  // namespace

std::optional<std::string> WithoutAttachments(std::string_view raw) {
    Init();
    GMimeStream* stream = g_mime_stream_mem_new_with_buffer(raw.data(), raw.size());
    Unref<GMimeStream> stream_ref(stream);
    GMimeParser* parser = g_mime_parser_new_with_stream(stream);
    Unref<GMimeParser> parser_ref(parser);
    GMimeMessage* message = g_mime_parser_construct_message(parser, nullptr);
    if (!message) return std::nullopt;
    Unref<GMimeMessage> message_ref(message);
    GMimeObject* body = g_mime_message_get_mime_part(message);
    if (!body) return std::nullopt;
    std::vector<std::string> removed;
    RemoveAttachments(body, removed);
    if (removed.empty()) return std::nullopt;
    for (const auto& r : removed)
        g_mime_object_append_header(GMIME_OBJECT(message), "X-Amends-Removed", r.c_str(), nullptr);
    GMimeStream* out = g_mime_stream_mem_new();
    Unref<GMimeStream> out_ref(out);
    g_mime_object_write_to_stream(GMIME_OBJECT(message), nullptr, out);
    GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out));
    return bytes ? std::string(reinterpret_cast<const char*>(bytes->data), bytes->len) : std::string();
}

std::string HtmlToText(std::string_view html) {
    std::string out;
    out.reserve(html.size());
    std::size_t i = 0;
    auto lower_at = [&](std::size_t at, std::string_view word) {
        if (at + word.size() > html.size()) return false;
        for (std::size_t k = 0; k < word.size(); ++k)
            if (std::tolower(static_cast<unsigned char>(html[at + k])) != word[k]) return false;
        return true;
    };
    while (i < html.size()) {
        char c = html[i];
        if (c == '<') {
            std::size_t end = html.find('>', i);
            if (end == std::string::npos) break;
            std::size_t name = i + 1 + (html[i + 1] == '/' ? 1 : 0);
            for (const char* skip : {"script", "style", "head"})
                if (html[i + 1] != '/' && lower_at(name, skip)) {
                    std::string close = std::string("</") + skip;
                    std::size_t j = end;
                    while (j < html.size() && !lower_at(j, close)) ++j;
                    end = html.find('>', j);
                    if (end == std::string::npos) end = html.size() - 1;
                    break;
                }
            for (const char* block : {"br", "p", "div", "li", "tr", "h1", "h2", "h3", "blockquote", "table"})
                if (lower_at(name, block)) {
                    char after = name + std::strlen(block) < html.size() ? html[name + std::strlen(block)] : '>';
                    if (after == '>' || after == ' ' || after == '/') {
                        out += '\n';
                        break;
                    }
                }
            i = end + 1;
            continue;
        }
        if (c == '&') {
            static const std::pair<const char*, const char*> kEntities[] = {
                {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&apos;", "'"},
                {"&nbsp;", " "}, {"&rsquo;", "\xE2\x80\x99"}, {"&lsquo;", "\xE2\x80\x98"}, {"&euro;", "\xE2\x82\xAC"}};
            bool done = false;
            for (auto [name, text] : kEntities)
                if (lower_at(i, name)) {
                    out += text;
                    i += std::strlen(name);
                    done = true;
                    break;
                }
            if (done) continue;
            if (i + 2 < html.size() && html[i + 1] == '#') {
                std::size_t semi = html.find(';', i);
                if (semi != std::string::npos && semi - i <= 8) {
                    long cp = html[i + 2] == 'x' || html[i + 2] == 'X'
                                  ? std::strtol(std::string(html.substr(i + 3, semi - i - 3)).c_str(), nullptr, 16)
                                  : std::strtol(std::string(html.substr(i + 2, semi - i - 2)).c_str(), nullptr, 10);
                    if (cp > 0 && cp < 0x110000) {
                        char buf[5] = {};
                        if (cp < 0x80) {
                            buf[0] = static_cast<char>(cp);
                        } else if (cp < 0x800) {
                            buf[0] = static_cast<char>(0xC0 | (cp >> 6));
                            buf[1] = static_cast<char>(0x80 | (cp & 0x3F));
                        } else if (cp < 0x10000) {
                            buf[0] = static_cast<char>(0xE0 | (cp >> 12));
                            buf[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
                            buf[2] = static_cast<char>(0x80 | (cp & 0x3F));
                        } else {
                            buf[0] = static_cast<char>(0xF0 | (cp >> 18));
                            buf[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
                            buf[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
                            buf[3] = static_cast<char>(0x80 | (cp & 0x3F));
                        }
                        out += buf;
                        i = semi + 1;
                        continue;
                    }
                }
            }
        }
        if (c == '\r' || c == '\n' || c == '\t') c = ' ';
        if (!(c == ' ' && (out.empty() || out.back() == ' ' || out.back() == '\n'))) out += c;
        ++i;
    }
    // Tidy: trim each line, at most one blank line in a row.
    std::string tidy;
    std::size_t at = 0;
    int blank = 0;
    while (at <= out.size()) {
        std::size_t nl = out.find('\n', at);
        std::string line = Trim(std::string_view(out).substr(at, nl == std::string::npos ? std::string::npos : nl - at));
        if (line.empty()) {
            if (++blank == 1 && !tidy.empty()) tidy += '\n';
        } else {
            blank = 0;
            tidy += line + '\n';
        }
        if (nl == std::string::npos) break;
        at = nl + 1;
    }
    while (!tidy.empty() && tidy.back() == '\n') tidy.pop_back();
    return tidy;
}

std::string NewText(std::string_view text) {
    std::vector<std::string_view> lines;
    std::size_t at = 0;
    while (at <= text.size()) {
        std::size_t nl = text.find('\n', at);
        std::string_view line = text.substr(at, nl == std::string_view::npos ? std::string_view::npos : nl - at);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        lines.push_back(line);
        if (nl == std::string_view::npos) break;
        at = nl + 1;
    }
    std::size_t cut = lines.size();
    for (std::size_t i = 0; i < lines.size() && cut == lines.size(); ++i) {
        std::string l = Lower(Trim(lines[i]));
        bool quote = !l.empty() && l[0] == '>';
        bool wrote = l.ends_with("wrote:") || l.ends_with("a écrit :") || l.ends_with("schrieb:") ||
                     (l.starts_with("on ") && i + 1 < lines.size() && Lower(Trim(lines[i + 1])).ends_with("wrote:"));
        bool original = l.find("-----original message-----") != std::string::npos ||
                        l.find("________________________________") != std::string::npos;
        bool outlook = l.starts_with("from:") && i + 1 < lines.size() &&
                       (Lower(Trim(lines[i + 1])).starts_with("sent:") || Lower(Trim(lines[i + 1])).starts_with("date:"));
        bool signature = lines[i] == "-- " || lines[i] == "--";
        if (wrote || original || outlook || signature) cut = i;
        if (quote) {
            // A lone quoted line inside the text (a customer quoting one of our sentences to answer it) is kept;
            // a quote running to the end, or with nothing but quotes and blanks after it, is history.
            bool rest_quoted = true;
            for (std::size_t j = i; j < lines.size(); ++j) {
                std::string r = Trim(lines[j]);
                if (!r.empty() && r[0] != '>') rest_quoted = false;
            }
            if (rest_quoted) cut = i;
        }
    }
    std::string out;
    for (std::size_t i = 0; i < cut; ++i) {
        out.append(lines[i]);
        out += '\n';
    }
    return Trim(out);
}

Expected<Mail> Parse(std::string_view raw, const Limits& limits) {
    if (raw.size() > limits.max_message_bytes)
        return Fail(ErrorCode::kTooLarge, "the message is " + std::to_string(raw.size()) + " bytes; the limit is " +
                                              std::to_string(limits.max_message_bytes),
                    "message");
    Init();
    GMimeStream* stream = g_mime_stream_mem_new_with_buffer(raw.data(), raw.size());
    Unref<GMimeStream> stream_ref(stream);
    GMimeParser* parser = g_mime_parser_new_with_stream(stream);
    Unref<GMimeParser> parser_ref(parser);
    GMimeMessage* message = g_mime_parser_construct_message(parser, nullptr);
    if (!message) return InvalidField("message", "this is not an email message (no headers)");
    Unref<GMimeMessage> message_ref(message);
    GMimeObject* m = GMIME_OBJECT(message);

    Mail mail;
    auto from = Addresses(g_mime_message_get_from(message));
    if (from.empty()) return InvalidField("message", "the message has no From address");
    mail.from = from.front();
    mail.to = Addresses(g_mime_message_get_to(message));
    for (auto& cc : Addresses(g_mime_message_get_cc(message))) mail.to.push_back(std::move(cc));
    for (const char* name : {"Delivered-To", "X-Original-To"}) {
        GMimeHeaderList* headers = g_mime_object_get_header_list(m);
        for (int i = 0; i < g_mime_header_list_get_count(headers); ++i) {
            GMimeHeader* h = g_mime_header_list_get_header_at(headers, i);
            if (g_ascii_strcasecmp(g_mime_header_get_name(h), name) != 0) continue;
            std::string value = StripAngles(Lower(Trim(g_mime_header_get_value(h) ? g_mime_header_get_value(h) : "")));
            if (!value.empty() && value.find('@') != std::string::npos) mail.delivered_to.push_back(value);
        }
    }
    auto reply_to = Addresses(g_mime_message_get_reply_to(message));
    if (!reply_to.empty()) mail.reply_to = reply_to.front();
    const char* subject = g_mime_message_get_subject(message);
    mail.subject = ValidUtf8(subject ? subject : "");
    const char* id = g_mime_message_get_message_id(message);
    mail.message_id = id ? StripAngles(id) : "";
    if (auto in_reply_to = Header(m, "In-Reply-To"); !in_reply_to.empty()) {
        GMimeReferences* refs = g_mime_references_parse(nullptr, in_reply_to.c_str());
        if (refs && g_mime_references_length(refs) > 0) mail.in_reply_to = g_mime_references_get_message_id(refs, 0);
        if (refs) g_mime_references_free(refs);
    }
    if (auto references = Header(m, "References"); !references.empty()) {
        GMimeReferences* refs = g_mime_references_parse(nullptr, references.c_str());
        for (int i = 0; refs && i < g_mime_references_length(refs); ++i)
            mail.references.emplace_back(g_mime_references_get_message_id(refs, i));
        if (refs) g_mime_references_free(refs);
    }

    Walk walk{&limits, &mail, {}, {}, {}, false};
    GMimeObject* body = g_mime_message_get_mime_part(message);
    if (body) {
        g_mime_message_foreach(message, Visit, &walk);  // the top part, then every part below it
    } else {
        mail.notes.push_back("the message has no body");
    }
    if (!walk.plain.empty()) {
        mail.text = walk.plain;
    } else if (!walk.html.empty()) {
        mail.text = HtmlToText(walk.html);
        mail.html_only = true;
    }
    if (mail.text.size() > limits.max_text_bytes) {
        std::size_t cut = limits.max_text_bytes;
        while (cut > 0 && (static_cast<unsigned char>(mail.text[cut]) & 0xC0) == 0x80) --cut;
        mail.text.resize(cut);
        mail.notes.push_back("the text was cut at " + std::to_string(cut) + " bytes");
    }
    mail.new_text = NewText(mail.text);
    if (walk.report || !walk.delivery_status.empty()) {
        Bounce b = ReadDeliveryStatus(walk.delivery_status);
        if (!b.failed.empty()) mail.bounce = std::move(b);
    }
    // Attachments `amends mail-in` removed because the whole message was too large for the server.
    GMimeHeaderList* headers = g_mime_object_get_header_list(m);
    for (int i = 0; i < g_mime_header_list_get_count(headers); ++i) {
        GMimeHeader* h = g_mime_header_list_get_header_at(headers, i);
        if (g_ascii_strcasecmp(g_mime_header_get_name(h), "X-Amends-Removed") != 0) continue;
        std::string what = ValidUtf8(Trim(g_mime_header_get_value(h) ? g_mime_header_get_value(h) : ""));
        mail.dropped.push_back(what);
        mail.notes.push_back("attachment " + what + " was too large to pass on and was not kept");
    }
    Automatic(m, mail);
    if (mail.bounce) {
        mail.automatic = true;
        if (mail.automatic_reason.empty()) mail.automatic_reason = "a delivery status notification";
    }
    return mail;
}

}  // namespace amends::mailin
