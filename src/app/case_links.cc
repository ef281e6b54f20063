#include "app/case_links.h"

#include "app/instance_key.h"

#include <sodium.h>

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

}  // namespace amends::app
