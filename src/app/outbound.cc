#include "app/outbound.h"

#include <nlohmann/json.hpp>

#include <charconv>

namespace amends::app {

std::string ReplyAddress(const CaseLinks& links, std::string_view base, Id case_id) {
    auto at = base.rfind('@');
    if (base.empty() || at == std::string_view::npos || at == 0 || at + 1 == base.size()) return "";
    return std::string(base.substr(0, at)) + "+c" + std::to_string(case_id) + "." + links.ReplyTag(case_id) +
           std::string(base.substr(at));
}

std::optional<Id> CaseOfReplyAddress(const CaseLinks& links, std::string_view address) {
    auto at = address.rfind('@');
    if (at == std::string_view::npos) return std::nullopt;
    std::string_view local = address.substr(0, at);
    auto plus = local.rfind('+');
    if (plus == std::string_view::npos) return std::nullopt;
    std::string_view detail = local.substr(plus + 1);  // "c12.<tag>"
    if (detail.size() < 3 || (detail[0] != 'c' && detail[0] != 'C')) return std::nullopt;
    detail.remove_prefix(1);
    Id id = 0;
    auto [end, ec] = std::from_chars(detail.data(), detail.data() + detail.size(), id);
    if (ec != std::errc() || id <= 0 || end == detail.data() + detail.size() || *end != '.') return std::nullopt;
    std::string_view tag(end + 1, static_cast<std::size_t>(detail.data() + detail.size() - end - 1));
    if (!links.VerifyReplyTag(id, tag)) return std::nullopt;
    return id;
}

std::string Outbound::UnsubscribeUrl(Id customer_id) const {
    std::string base = settings_.public_url;
    while (base.ends_with('/')) base.pop_back();
    return base + "/u/" + links_->SignUnsubscribe(customer_id);
}

std::string Outbound::CaseUrl(Id case_id, TimePoint now) const {
    std::string base = settings_.public_url;
    while (base.ends_with('/')) base.pop_back();
    return base + "/c/" + links_->Sign(case_id, now + CaseLinks::kDefaultLifetime);
}

std::optional<Delivery> Outbound::QueueReply(store::Tx& tx, const Case& c, const Customer& customer,
                                             const Message& m, TimePoint now) const {
    if (!customer.email) return std::nullopt;
    const std::string case_ref = "case-" + std::to_string(c.id) + "@" + settings_.domain;
    store::OutboxItem item;
    item.channel = "email";
    item.dedupe_key = "message:" + std::to_string(m.id);
    item.case_id = c.id;
    item.message_id = m.id;
    item.recipient = *customer.email;
    item.subject = c.subject + " [case #" + std::to_string(c.id) + "]";
    item.body = m.body;
    if (!item.body.ends_with('\n')) item.body += '\n';
    item.body += "\n-- \nWhere things stand, and your answer to us: " + CaseUrl(c.id, now) + "\n";
    // Every email of a case threads under one root id, so a mail program shows the case as one conversation.
    nlohmann::json headers{{"Message-ID", "<case-" + std::to_string(c.id) + ".message-" +
                                                          std::to_string(m.id) + "@" + settings_.domain + ">"},
                                       {"In-Reply-To", "<" + case_ref + ">"},
                                       {"References", "<" + case_ref + ">"},
                                       {"X-Amends-Case", std::to_string(c.id)}};
    // A case opened or answered by email: our answer also names the customer's latest email, so their mail
    // program shows it under what they wrote.
    if (auto theirs = tx.LatestInboundMailOfCase(c.id)) {
        headers["In-Reply-To"] = "<" + *theirs + ">";
        headers["References"] = "<" + case_ref + "> <" + *theirs + ">";
    }
    if (auto reply_to = ReplyAddressOf(c.id); !reply_to.empty()) headers["Reply-To"] = reply_to;
    item.headers_json = headers.dump();
    item.next_attempt_at = now;
    item.created_at = now;
    if (auto queued = tx.EnqueueOutbox(item); !queued) return std::nullopt;  // already queued: once is enough
    return Delivery{"email", item.recipient, "pending", 0, std::nullopt, std::nullopt};
}

}  // namespace amends::app
