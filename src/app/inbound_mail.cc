#include "app/inbound_mail.h"

#include <sodium.h>

#include <charconv>
#include <nlohmann/json.hpp>

#include "app/case_links.h"
#include "app/cases.h"
#include "app/outbound.h"
#include "app/status_board.h"

namespace amends::app {

namespace {

using nlohmann::json;

std::string Lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// "Re: RE: Fwd: Your order [case #12]" -> "Your order"
std::string CleanSubject(std::string s) {
    for (bool again = true; again;) {
        again = false;
        for (const char* prefix : {"re:", "fw:", "fwd:", "aw:", "sv:", "tr:"}) {
            std::string l = Lower(s.substr(0, std::min<std::size_t>(s.size(), 4)));
            if (l.starts_with(prefix)) {
                s = s.substr(std::string_view(prefix).size());
                while (!s.empty() && s.front() == ' ') s.erase(0, 1);
                again = true;
            }
        }
    }
    if (auto tag = s.rfind(" [case #"); tag != std::string::npos && s.ends_with("]")) s.resize(tag);
    if (s.empty()) s = "(no subject)";
    if (s.size() > 200) s.resize(200);
    return s;
}

std::string KeyOf(const mailin::Mail& mail, std::string_view raw) {
    if (!mail.message_id.empty()) return mail.message_id;
    unsigned char hash[32];
    crypto_generichash(hash, sizeof hash, reinterpret_cast<const unsigned char*>(raw.data()), raw.size(), nullptr, 0);
    char hex[65];
    sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
    return std::string("sha256:") + hex;
}

std::string AttachmentNote(const mailin::Mail& mail) {
    std::string note;
    for (const auto& a : mail.attachments)
        note += "- " + a.filename + " (" + a.content_type + ", " + std::to_string(a.size) + " bytes)\n";
    for (const auto& n : mail.notes) note += "- " + n + "\n";  // names what was over the size limit, and not kept
    return note;
}

// Keeps the attachments the parser kept (within the size limit) with the case.
void KeepAttachments(store::Tx& tx, const mailin::Mail& mail, const std::string& key, Id case_id,
                     std::optional<Id> message_id, TimePoint now) {
    for (const auto& a : mail.attachments)
        tx.InsertMailAttachment({0, case_id, message_id, key, a.filename, a.content_type,
                                 static_cast<std::int64_t>(a.content.size()), a.content, now});
}

}  // namespace

std::optional<Id> CaseOfMessageId(std::string_view id) {
    if (!id.starts_with("case-")) return std::nullopt;
    id.remove_prefix(5);
    Id c = 0;
    auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), c);
    if (ec != std::errc() || c <= 0) return std::nullopt;
    std::string_view rest(end, static_cast<std::size_t>(id.data() + id.size() - end));
    if (!rest.starts_with("@") && !rest.starts_with(".message-")) return std::nullopt;
    return c;
}

Expected<MailOutcome> FileMail(store::Tx& tx, const MailContext& context, const mailin::Mail& mail,
                               std::string_view raw, TimePoint now) {
    const Recovery& recovery = context.recovery;
    const StatusBoard* status = context.status;
    std::string key = KeyOf(mail, raw);
    if (auto seen = tx.FindInboundMail(key))
        return MailOutcome{"duplicate", seen->case_id, std::nullopt, "this Message-ID was filed before (" + seen->action + ")"};
    MailOutcome out;
    auto record = [&](MailOutcome o) -> Expected<MailOutcome> {
        tx.PutInboundMail({key, o.action, o.case_id, now});
        return o;
    };
    if (mail.ours) return record({"ignored", std::nullopt, std::nullopt, "amends' own mail"});

    if (mail.bounce) {
        // The address failed: marked on the customer, and noted on their open cases.
        std::optional<Id> noted;
        for (const auto& address : mail.bounce->failed) {
            auto customer = tx.FindCustomerByEmail(address);
            if (!customer) continue;
            auto attributes = json::parse(customer->attributes_json, nullptr, false);
            if (!attributes.is_object()) attributes = json::object();
            attributes["email_failing"] = {{"status", mail.bounce->status},
                                           {"diagnostic", mail.bounce->diagnostic},
                                           {"at", FormatRfc3339(now)}};
            customer->attributes_json = attributes.dump();
            customer->updated_at = now;
            if (auto ok = tx.UpdateCustomer(*customer); !ok) return std::unexpected(ok.error());
            store::CaseFilter f;
            f.customer_id = customer->id;
            f.limit = 20;
            for (const auto& c : tx.ListCases(f)) {
                if (c.state == CaseState::kClosed) continue;
                auto n = AddNote(tx, "system", c.id,
                                 "Email to " + address + " bounced (" + mail.bounce->status + " " +
                                     mail.bounce->diagnostic + "): reach the customer another way.",
                                 now);
                if (!n) return std::unexpected(n.error());
                noted = c.id;
            }
        }
        return record({"bounce", noted, std::nullopt, "failed: " + json(mail.bounce->failed).dump()});
    }

    // The case this answers, if it is one of ours and the sender is its customer: by the signed reply address
    // first, then by our Message-IDs.
    std::optional<Case> thread;
    std::optional<Case> addressed;  // a valid reply address of a case whose customer did not send this
    auto from_customer = [&](const Case& c) {
        auto customer = tx.FindCustomer(c.customer_id);
        return customer && customer->email && Lower(*customer->email) == mail.from.address;
    };
    if (context.links) {
        std::vector<std::string> recipients = context.recipients;
        recipients.insert(recipients.end(), mail.delivered_to.begin(), mail.delivered_to.end());
        for (const auto& a : mail.to) recipients.push_back(a.address);
        for (const auto& address : recipients) {
            auto c = CaseOfReplyAddress(*context.links, Lower(address));
            if (!c) continue;
            auto found = tx.FindCase(*c);
            if (!found) continue;
            if (from_customer(*found)) {
                thread = *found;
                break;
            }
            if (!addressed) addressed = *found;
        }
    }
    std::vector<std::string> ids = mail.references;
    if (!mail.in_reply_to.empty()) ids.insert(ids.begin(), mail.in_reply_to);
    for (std::size_t i = 0; i < ids.size() && !thread; ++i) {
        auto c = CaseOfMessageId(ids[i]);
        if (!c) continue;
        auto found = tx.FindCase(*c);
        if (found && from_customer(*found)) thread = *found;
    }
    if (thread) addressed.reset();

    if (addressed && addressed->state != CaseState::kClosed && !mail.automatic) {
        // Someone other than the case's customer wrote to its reply address (a colleague copied in, a forward): the
        // team sees it on the case as a note; it is not the customer's contact and opens nothing.
        std::string words = mail.new_text.empty() ? mail.text : mail.new_text;
        std::string who = mail.from.name.empty() ? mail.from.address : mail.from.name + " <" + mail.from.address + ">";
        std::string note = "Email from " + who + " (not the case's customer) to the case's reply address";
        if (!mail.subject.empty()) note += ", subject \"" + mail.subject + "\"";
        note += ":\n" + (words.empty() ? std::string("(no text)") : words);
        if (auto attached = AttachmentNote(mail); !attached.empty()) note += "\nWith the email:\n" + attached;
        if (auto n = AddNote(tx, "system", addressed->id, note, now); !n) return std::unexpected(n.error());
        KeepAttachments(tx, mail, key, addressed->id, std::nullopt, now);
        return record({"note", addressed->id, std::nullopt, "from " + mail.from.address + ", not the case's customer"});
    }

    if (mail.automatic) {
        if (!thread) return record({"ignored", std::nullopt, std::nullopt, "automatic mail: " + mail.automatic_reason});
        auto n = AddNote(tx, "system", thread->id,
                         "Automatic reply from " + mail.from.address + " (" + mail.automatic_reason +
                             "): " + mail.new_text.substr(0, 500),
                         now);
        if (!n) return std::unexpected(n.error());
        return record({"note", thread->id, std::nullopt, "automatic mail: " + mail.automatic_reason});
    }

    std::string words = mail.new_text.empty() ? mail.text : mail.new_text;
    if (words.empty()) words = "(the email had no text)";
    if (thread && thread->state != CaseState::kClosed) {
        Message m;
        m.direction = Direction::kIn;
        m.body = words;
        auto added = AddMessage(tx, recovery, nullptr, "customer", thread->id, m, {}, now);
        if (!added) return std::unexpected(added.error());
        if (auto note = AttachmentNote(mail); !note.empty())
            if (auto n = AddNote(tx, "system", thread->id, "With the email:\n" + note, now); !n)
                return std::unexpected(n.error());
        KeepAttachments(tx, mail, key, thread->id, added->id, now);
        return record({"reply", thread->id, added->id, ""});
    }

    // A new complaint (or a reply to a closed case: a new case, as helpdesks do).
    Customer wanted;
    wanted.name = mail.from.name.empty() ? mail.from.address : mail.from.name;
    wanted.email = mail.from.address;
    Case draft;
    draft.subject = CleanSubject(mail.subject);
    draft.description = words;
    draft.channel = Channel::kEmail;
    auto opened = OpenCase(tx, recovery, "customer", draft, wanted, now);
    if (!opened) return std::unexpected(opened.error());
    Message m;
    m.direction = Direction::kIn;
    m.body = words;
    auto added = AddMessage(tx, recovery, nullptr, "customer", opened->id, m, {}, now);
    if (!added) return std::unexpected(added.error());
    if (auto note = AttachmentNote(mail); !note.empty())
        if (auto n = AddNote(tx, "system", opened->id, "With the email:\n" + note, now); !n) return std::unexpected(n.error());
    KeepAttachments(tx, mail, key, opened->id, added->id, now);
    if (thread) AddNote(tx, "system", opened->id, "A reply to closed case " + std::to_string(thread->id), now);
    if (status) status->LinkCase(tx, *opened, now);
    return record({"case_opened", opened->id, added->id, ""});
}

Expected<MailOutcome> FileRawMail(store::Store& store, const MailContext& context, std::string_view raw,
                                  const mailin::Limits& limits, TimePoint now) {
    auto mail = mailin::Parse(raw, limits);
    if (!mail) return std::unexpected(mail.error());
    Expected<MailOutcome> filed = Fail(ErrorCode::kInternal, "not filed");
    auto written = store.WriteAndWait([&](store::Tx& tx) {
        filed = FileMail(tx, context, *mail, raw, now);
        return filed.has_value();
    });
    if (!written) return std::unexpected(written.error());
    return filed;
}

}  // namespace amends::app
