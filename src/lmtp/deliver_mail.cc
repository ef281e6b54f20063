#include "lmtp/deliver_mail.h"

namespace amends::lmtp {

Deliver FileIntoAmends(const MailDelivery& d) {
    return [&d](std::string_view raw, const std::vector<std::string>& recipients, const std::string&) {
        app::MailContext context{d.recovery, d.status, d.links, recipients};
        auto filed = app::FileRawMail(d.store, context, raw, d.limits, d.clock.Now());
        if (!filed) {
            const Error& e = filed.error();
            bool permanent = e.code == ErrorCode::kInvalidArgument || e.code == ErrorCode::kUnprocessable ||
                             e.code == ErrorCode::kTooLarge;
            return DeliveryReply{permanent ? DeliveryReply::kPermanent : DeliveryReply::kTemporary, e.message};
        }
        if (d.on_filed) d.on_filed();
        std::string text = filed->action;
        if (filed->case_id) text += " case " + std::to_string(*filed->case_id);
        return DeliveryReply{DeliveryReply::kDelivered, text};
    };
}

}  // namespace amends::lmtp
