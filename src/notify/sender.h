#pragma once
// A channel that delivers outbox items: SMTP email today, signed webhooks later. A Sender is used by one worker
// thread at a time (it may keep a connection open between items).

#include <string>

#include "domain/time.h"
#include "store/store.h"

namespace amends::notify {

struct DeliveryResult {
    enum Kind {
        kSent,       // the receiving server took it
        kTransient,  // try again later (connection refused, timeout, 4xx)
        kPermanent,  // never going to work (5xx: no such mailbox, message refused)
    } kind = kSent;
    std::string detail;
};

class Sender {
public:
    virtual ~Sender() = default;
    virtual DeliveryResult Deliver(const store::OutboxItem& item, TimePoint now) = 0;
};

}  // namespace amends::notify
