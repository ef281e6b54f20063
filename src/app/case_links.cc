#include "app/case_links.h"

#include "app/instance_key.h"

#include <sodium.h>

#include <cctype>
#include <cstring>

namespace amends::app {

namespace {

constexpr std::string_view kKeySetting = "case_link_key";
constexpr std::size_t kPayload = 16;  // case id and expiry (Unix seconds), 8 bytes each, big-endian
constexpr std::size_t kMac = 16;      // the first 128 bits of HMAC-SHA256

void PutBigEndian(unsigned char* out, std::uint64_t v) {
    for (int i = 7; i >= 0; --i, v >>= 8) out[i] = static_cast<unsigned char>(v & 0xff);
}

std::uint64_t GetBigEndian(const unsigned char* in) {
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v = (v << 8) | in[i];
    return v;
}

}  // namespace

CaseLinks::CaseLinks(std::string key) : key_(std::move(key)) {
    crypto_auth_hmacsha256_init(&unsubscribe_, reinterpret_cast<const unsigned char*>(key_.data()), key_.size());
}

Expected<CaseLinks> CaseLinks::Open(store::Store& store) {
    auto key = InstanceKey(store, std::string(kKeySetting), crypto_auth_hmacsha256_KEYBYTES);
    if (!key) return std::unexpected(key.error());
    return CaseLinks(std::move(*key));
}

std::string CaseLinks::Sign(Id case_id, TimePoint expires) const {
    unsigned char raw[kPayload + crypto_auth_hmacsha256_BYTES];
    PutBigEndian(raw, static_cast<std::uint64_t>(case_id));
    PutBigEndian(raw + 8, static_cast<std::uint64_t>(ToUnixMillis(expires) / 1000));
    crypto_auth_hmacsha256(raw + kPayload, raw, kPayload, reinterpret_cast<const unsigned char*>(key_.data()));
    char text[sodium_base64_ENCODED_LEN(kPayload + kMac, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
    sodium_bin2base64(text, sizeof text, raw, kPayload + kMac, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return text;
}

Expected<Id> CaseLinks::Verify(std::string_view token, TimePoint now) const {
    unsigned char raw[kPayload + kMac + 1];
    std::size_t len = 0;
    if (token.size() > 64 ||
        sodium_base642bin(raw, sizeof raw, token.data(), token.size(), nullptr, &len, nullptr,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        len != kPayload + kMac)
        return Fail(ErrorCode::kNotFound, "this link is not valid");
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256(mac, raw, kPayload, reinterpret_cast<const unsigned char*>(key_.data()));
    if (sodium_memcmp(mac, raw + kPayload, kMac) != 0) return Fail(ErrorCode::kNotFound, "this link is not valid");
    auto expires = static_cast<std::int64_t>(GetBigEndian(raw + 8));
    if (ToUnixMillis(now) / 1000 >= expires) return Fail(ErrorCode::kPermissionDenied, "this link has expired");
    return static_cast<Id>(GetBigEndian(raw));
}

namespace {

constexpr std::size_t kTagChars = 10;  // 50 bits of base32

std::string Base32Lower(const unsigned char* bytes, std::size_t chars) {
    static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
    std::string out;
    for (std::size_t i = 0; i < chars; ++i) {
        std::size_t bit = i * 5;
        unsigned v = (static_cast<unsigned>(bytes[bit / 8]) << 8) | bytes[bit / 8 + 1];
        out += kAlphabet[(v >> (11 - bit % 8)) & 31];
    }
    return out;
}

}  // namespace

std::string CaseLinks::ReplyTag(Id case_id) const {
    std::string message = "reply-address:" + std::to_string(case_id);
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256(mac, reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                           reinterpret_cast<const unsigned char*>(key_.data()));
    return Base32Lower(mac, kTagChars);
}

bool CaseLinks::VerifyReplyTag(Id case_id, std::string_view tag) const {
    if (tag.size() != kTagChars || case_id <= 0) return false;
    std::string given(tag);
    for (auto& c : given) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string wanted = ReplyTag(case_id);
    return sodium_memcmp(given.data(), wanted.data(), kTagChars) == 0;
}

std::string CaseLinks::SignUnsubscribe(Id customer_id) const {
    unsigned char raw[8 + crypto_auth_hmacsha256_BYTES];
    PutBigEndian(raw, static_cast<std::uint64_t>(customer_id));
    std::string message = "unsubscribe:" + std::to_string(customer_id);
    crypto_auth_hmacsha256_state state = unsubscribe_;
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()), message.size());
    crypto_auth_hmacsha256_final(&state, raw + 8);
    char text[sodium_base64_ENCODED_LEN(8 + kMac, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
    sodium_bin2base64(text, sizeof text, raw, 8 + kMac, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return text;
}

Expected<Id> CaseLinks::VerifyUnsubscribe(std::string_view token) const {
    unsigned char raw[8 + kMac + 1];
    std::size_t len = 0;
    if (token.size() > 40 ||
        sodium_base642bin(raw, sizeof raw, token.data(), token.size(), nullptr, &len, nullptr,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        len != 8 + kMac)
        return Fail(ErrorCode::kNotFound, "this link is not valid");
    auto id = static_cast<Id>(GetBigEndian(raw));
    if (id <= 0) return Fail(ErrorCode::kNotFound, "this link is not valid");
    std::string message = "unsubscribe:" + std::to_string(id);
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256(mac, reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                           reinterpret_cast<const unsigned char*>(key_.data()));
    if (sodium_memcmp(mac, raw + 8, kMac) != 0) return Fail(ErrorCode::kNotFound, "this link is not valid");
    return id;
}

}  // namespace amends::app
