#pragma once
// The webhook channel: outbox items POSTed as JSON to a subscriber's URL, signed with the subscription's secret.
//
//   X-Amends-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" keyed by the secret>
//
// (the scheme Stripe and others use: the timestamp is signed, so a receiver can refuse old replays). The signature
// is made when the request is sent, so a retry carries a fresh one. A 2xx answer is delivered; 408, 429, 5xx and
// network errors are retried with backoff; any other answer (3xx, 4xx) fails for good, as Statuspage does.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "notify/sender.h"

namespace amends::notify {

// "t=1700000000,v1=5f0c..." for `body` sent at `unix_seconds`.
std::string WebhookSignature(std::string_view secret, std::int64_t unix_seconds, std::string_view body);

struct WebhookOptions {
    Millis timeout = std::chrono::seconds(10);
    // The secret of subscription `id`, or nullopt when it was deleted (the item then fails for good).
    std::function<std::optional<std::string>(std::int64_t id)> secret_of;
};

class WebhookSender final : public Sender {
public:
    explicit WebhookSender(WebhookOptions options);
    ~WebhookSender() override;
    // `item.recipient` is the URL; `item.headers_json` carries X-Amends-Webhook (the subscription id) and the other
    // headers to send; `item.body` is the JSON payload.
    DeliveryResult Deliver(const store::OutboxItem& item, TimePoint now) override;

private:
    struct Handle;
    WebhookOptions options_;
    std::unique_ptr<Handle> handle_;
};

}  // namespace amends::notify
