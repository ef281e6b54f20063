#pragma once
// The SMTP channel: outbox emails sent through a mail server with libcurl (smtp://, or smtps:// and STARTTLS with
// authentication for a real relay). The connection is kept open between messages.

#include <memory>
#include <string>

#include "domain/error.h"
#include "notify/sender.h"

namespace amends::notify {

struct SmtpOptions {
    std::string url;                        // smtp://127.0.0.1:2525, smtps://smtp.example.com:465
    std::string from;                       // "Acme Support <support@acme.test>"
    std::string username, password;         // optional AUTH
    bool require_tls = false;               // STARTTLS required on smtp:// URLs (before any AUTH)
    std::string ca_file;                    // PEM certificates to trust instead of the system's (a private relay)
    Millis timeout = std::chrono::seconds(30);
};

// Checks the options: the URL's scheme (an empty URL is valid: email is queued, not sent) and the sender's address.
Expected<void> Validate(const SmtpOptions& options);

class SmtpSender final : public Sender {
public:
    explicit SmtpSender(SmtpOptions options);
    ~SmtpSender() override;
    DeliveryResult Deliver(const store::OutboxItem& item, TimePoint now) override;

private:
    struct Handle;
    SmtpOptions options_;
    std::unique_ptr<Handle> handle_;
};

}  // namespace amends::notify
