#include "notify/webhook.h"

#include <curl/curl.h>
#include <sodium.h>

#include <nlohmann/json.hpp>

#include <mutex>

namespace amends::notify {

namespace {

void GlobalInit() {
    static std::once_flag once;
    std::call_once(once, [] {
        curl_global_init(CURL_GLOBAL_DEFAULT);
        if (sodium_init() < 0) std::abort();
    });
}

std::size_t KeepBody(char* data, std::size_t size, std::size_t count, void* user) {
    auto* out = static_cast<std::string*>(user);
    std::size_t n = size * count;
    if (out->size() < 512) out->append(data, std::min(n, 512 - out->size()));  // enough to say why it failed
    return n;
}

struct Headers {
    curl_slist* list = nullptr;
    ~Headers() { curl_slist_free_all(list); }
    void Add(const std::string& line) { list = curl_slist_append(list, line.c_str()); }
};

}  // namespace

std::string WebhookSignature(std::string_view secret, std::int64_t unix_seconds, std::string_view body) {
    GlobalInit();
    std::string t = std::to_string(unix_seconds);
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(t.data()), t.size());
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>("."), 1);
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(body.data()), body.size());
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_final(&state, mac);
    char hex[crypto_auth_hmacsha256_BYTES * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
    return "t=" + t + ",v1=" + hex;
}

struct WebhookSender::Handle {
    CURL* curl = nullptr;
    ~Handle() {
        if (curl) curl_easy_cleanup(curl);
    }
};

WebhookSender::WebhookSender(WebhookOptions options) : options_(std::move(options)), handle_(std::make_unique<Handle>()) {
    GlobalInit();
}

WebhookSender::~WebhookSender() = default;

DeliveryResult WebhookSender::Deliver(const store::OutboxItem& item, TimePoint now) {
    auto extra = nlohmann::json::parse(item.headers_json, nullptr, false);
    if (!extra.is_object() || !extra.contains("X-Amends-Webhook") || !extra["X-Amends-Webhook"].is_string())
        return {DeliveryResult::kPermanent, "the outbox item names no webhook subscription"};
    std::int64_t subscription = std::stoll(extra["X-Amends-Webhook"].get<std::string>());
    auto secret = options_.secret_of ? options_.secret_of(subscription) : std::nullopt;
    if (!secret) return {DeliveryResult::kPermanent, "the webhook subscription was deleted"};

    if (!handle_->curl) handle_->curl = curl_easy_init();
    CURL* curl = handle_->curl;
    if (!curl) return {DeliveryResult::kTransient, "curl_easy_init failed"};
    curl_easy_reset(curl);  // keeps the connection cache: the next call to the same host reuses the connection

    Headers headers;
    headers.Add("Content-Type: application/json");
    headers.Add("User-Agent: amends-webhooks/1");
    headers.Add("X-Amends-Delivery: " + std::to_string(item.id));
    headers.Add("X-Amends-Signature: " + WebhookSignature(*secret, ToUnixMillis(now) / 1000, item.body));
    for (const auto& [name, value] : extra.items())
        if (value.is_string()) {
            std::string v = value.get<std::string>();
            if (v.find_first_of("\r\n") == std::string::npos && name.find_first_of("\r\n:") == std::string::npos)
                headers.Add(name + ": " + v);
        }
    headers.Add("Expect:");  // no 100-continue round trip

    std::string answer;
    curl_easy_setopt(curl, CURLOPT_URL, item.recipient.c_str());
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, item.body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(item.body.size()));
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.list);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, KeepBody);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &answer);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout.count()));
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.timeout.count()));
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);

    CURLcode rc = curl_easy_perform(curl);
    if (rc != CURLE_OK) return {DeliveryResult::kTransient, std::string("webhook: ") + curl_easy_strerror(rc)};
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    if (status >= 200 && status < 300) return {DeliveryResult::kSent, "HTTP " + std::to_string(status)};
    std::string detail = "webhook answered HTTP " + std::to_string(status);
    if (!answer.empty()) detail += ": " + answer.substr(0, 200);
    if (status == 408 || status == 429 || status >= 500) return {DeliveryResult::kTransient, detail};
    return {DeliveryResult::kPermanent, detail};
}

}  // namespace amends::notify
