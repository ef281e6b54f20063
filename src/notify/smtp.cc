#include "notify/smtp.h"

#include <curl/curl.h>

#include <cstring>
#include <mutex>
#include <nlohmann/json.hpp>

#include "notify/mime.h"

namespace amends::notify {

namespace {

void GlobalInit() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Upload {
    std::string_view data;
    std::size_t offset = 0;
};

std::size_t ReadBody(char* buffer, std::size_t size, std::size_t count, void* user) {
    auto* up = static_cast<Upload*>(user);
    std::size_t n = std::min(size * count, up->data.size() - up->offset);
    std::memcpy(buffer, up->data.data() + up->offset, n);
    up->offset += n;
    return n;
}

}  // namespace

struct SmtpSender::Handle {
    CURL* curl = nullptr;
    ~Handle() {
        if (curl) curl_easy_cleanup(curl);
    }
};

Expected<void> Validate(const SmtpOptions& o) {
    // No URL: email is queued and not sent; `from` still names the sender (and the domain of Message-IDs).
    if (!o.url.empty() && !o.url.starts_with("smtp://") && !o.url.starts_with("smtps://"))
        return InvalidField("smtp.url", "smtp.url must start with smtp:// or smtps://");
    if (ParseMailbox(o.from).address.empty())
        return InvalidField("smtp.from", "smtp.from must be an address, e.g. \"Support <support@example.com>\"");
    return {};
}

SmtpSender::SmtpSender(SmtpOptions options) : options_(std::move(options)), handle_(std::make_unique<Handle>()) {
    GlobalInit();
}

SmtpSender::~SmtpSender() = default;

DeliveryResult SmtpSender::Deliver(const store::OutboxItem& item, TimePoint now) {
    Email email;
    email.from = ParseMailbox(options_.from);
    email.to = Mailbox{"", item.recipient};
    email.subject = item.subject;
    email.body = item.body;
    email.date = now;
    auto headers = nlohmann::json::parse(item.headers_json, nullptr, false);
    if (headers.is_object())
        for (auto& [name, value] : headers.items())
            if (value.is_string()) email.headers.emplace_back(name, value.get<std::string>());
    std::string data = Compose(email);

    if (!handle_->curl) handle_->curl = curl_easy_init();
    CURL* c = handle_->curl;
    if (!c) return {DeliveryResult::kTransient, "curl_easy_init failed"};
    curl_easy_reset(c);  // keeps the open connection, forgets the last message's options
    std::string from = "<" + email.from.address + ">";
    std::string to = "<" + item.recipient + ">";
    curl_slist* rcpt = curl_slist_append(nullptr, to.c_str());
    Upload upload{data};
    char error[CURL_ERROR_SIZE] = {};
    curl_easy_setopt(c, CURLOPT_URL, options_.url.c_str());
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, ReadBody);
    curl_easy_setopt(c, CURLOPT_READDATA, &upload);
    curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(data.size()));
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout.count()));
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(std::min<Millis::rep>(options_.timeout.count(), 10000)));
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
    if (!options_.username.empty()) {
        curl_easy_setopt(c, CURLOPT_USERNAME, options_.username.c_str());
        curl_easy_setopt(c, CURLOPT_PASSWORD, options_.password.c_str());
    }
    if (options_.require_tls) curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
    if (!options_.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, options_.ca_file.c_str());
    CURLcode rc = curl_easy_perform(c);
    long code = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    curl_slist_free_all(rcpt);
    if (rc == CURLE_OK) return {DeliveryResult::kSent, "250"};
    std::string detail = std::string(curl_easy_strerror(rc)) + (error[0] ? std::string(": ") + error : "");
    if (code > 0) detail = std::to_string(code) + " " + detail;
    // The server said no for good (5xx: no such mailbox, message refused); anything else may pass later.
    // A refused login is our configuration, not the message: keep it queued (and say so loudly in the log).
    bool permanent = code >= 500 && code < 600 && rc != CURLE_LOGIN_DENIED;
    if (!permanent) {  // a broken connection is not reused
        curl_easy_cleanup(c);
        handle_->curl = nullptr;
    }
    return {permanent ? DeliveryResult::kPermanent : DeliveryResult::kTransient, detail};
}

}  // namespace amends::notify
