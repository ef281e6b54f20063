#include "app/outbound.h"

#include <nlohmann/json.hpp>

namespace amends::app {

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
    item.headers_json = nlohmann::json{{"Message-ID", "<case-" + std::to_string(c.id) + ".message-" +
                                                          std::to_string(m.id) + "@" + settings_.domain + ">"},
                                       {"In-Reply-To", "<" + case_ref + ">"},
                                       {"References", "<" + case_ref + ">"},
                                       {"X-Amends-Case", std::to_string(c.id)}}
                            .dump();
    item.next_attempt_at = now;
    item.created_at = now;
    if (auto queued = tx.EnqueueOutbox(item); !queued) return std::nullopt;  // already queued: once is enough
    return Delivery{"email", item.recipient, "pending", 0, std::nullopt, std::nullopt};
}

}  // namespace amends::app
