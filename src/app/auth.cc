#include "app/auth.h"

#include "app/instance_key.h"

#include <sodium.h>

#include <charconv>
#include <cstring>

namespace amends::app {

namespace {

constexpr std::string_view kKeySetting = "token_hash_key";
constexpr std::string_view kPrefix = "amd_";

std::string RandomBytes(std::size_t n) {
    std::string out(n, '\0');
    randombytes_buf(out.data(), n);
    return out;
}

std::string Base64Url(std::string_view bytes) {
    std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    out.resize(out.size() - 1);  // the terminating NUL
    return out;
}

Expected<Principal> Unauthenticated(std::string message) {
    return Fail(ErrorCode::kUnauthenticated, std::move(message));
}

}  // namespace

Expected<Auth> Auth::Open(store::Store& store) {
    auto key = InstanceKey(store, std::string(kKeySetting), crypto_generichash_KEYBYTES);
    if (!key) return std::unexpected(key.error());
    return Auth(std::move(*key));
}

std::string Auth::Hash(std::string_view secret) const {
    std::string out(crypto_generichash_BYTES, '\0');
    crypto_generichash(reinterpret_cast<unsigned char*>(out.data()), out.size(),
                       reinterpret_cast<const unsigned char*>(secret.data()), secret.size(),
                       reinterpret_cast<const unsigned char*>(key_.data()), key_.size());
    return out;
}

Expected<NewToken> Auth::AddUser(store::Tx& tx, const std::string& name, Role role, TimePoint now) const {
    if (auto ok = ValidateUserName(name); !ok) return std::unexpected(ok.error());
    User user{0, name, role, now};
    auto id = tx.InsertUser(user);
    if (!id) return std::unexpected(id.error());
    user.id = *id;
    auto token = IssueToken(tx, user.id, now);
    if (!token) return std::unexpected(token.error());
    return NewToken{user, *token};
}

Expected<std::string> Auth::IssueToken(store::Tx& tx, Id user_id, TimePoint now) const {
    if (!tx.FindUser(user_id)) return Fail(ErrorCode::kNotFound, "no such user", "user_id");
    std::string secret = Base64Url(RandomBytes(32));
    Id id = tx.InsertToken(store::ApiToken{0, user_id, Hash(secret), now, std::nullopt});
    return std::string(kPrefix) + std::to_string(id) + "_" + secret;
}

namespace {

struct ParsedToken {
    Id id = 0;
    std::string_view secret;
};

Expected<ParsedToken> ParseToken(std::string_view header) {
    if (header.empty()) return Fail(ErrorCode::kUnauthenticated, "send Authorization: Bearer <token>");
    constexpr std::string_view kBearer = "Bearer ";
    if (header.size() <= kBearer.size() || header.substr(0, kBearer.size()) != kBearer)
        return Fail(ErrorCode::kUnauthenticated, "the Authorization header must be 'Bearer <token>'");
    std::string_view token = header.substr(kBearer.size());
    if (token.substr(0, kPrefix.size()) != kPrefix)
        return Fail(ErrorCode::kUnauthenticated, "the token is not an amends token");
    token.remove_prefix(kPrefix.size());
    auto sep = token.find('_');
    Id id = 0;
    auto [end, ec] = std::from_chars(token.data(), token.data() + (sep == std::string_view::npos ? 0 : sep), id);
    if (sep == std::string_view::npos || ec != std::errc() || end != token.data() + sep)
        return Fail(ErrorCode::kUnauthenticated, "the token is malformed");
    return ParsedToken{id, token.substr(sep + 1)};
}

}  // namespace

Expected<Principal> Auth::AuthenticateCached(store::Store& store, std::string_view header, TimePoint now) const {
    auto parsed = ParseToken(header);
    if (!parsed) return std::unexpected(parsed.error());
    std::string hash = Hash(parsed->secret);
    {
        std::lock_guard lock(cache_->mu);
        auto it = cache_->tokens.find(parsed->id);
        if (it != cache_->tokens.end() && now - it->second.checked_at < kTokenCacheTtl &&
            sodium_memcmp(it->second.hash.data(), hash.data(), hash.size()) == 0)
            return it->second.principal;
    }
    Expected<Principal> who = Fail(ErrorCode::kInternal, "not checked");
    store.Read([&](store::Tx& tx) { who = Check(tx, parsed->id, hash); });
    if (who) {
        std::lock_guard lock(cache_->mu);
        if (cache_->tokens.size() > 100000) cache_->tokens.clear();  // bound the memory; refilled on demand
        cache_->tokens[parsed->id] = Cached{hash, *who, now};
    }
    return who;
}

Expected<Principal> Auth::Authenticate(store::Tx& tx, std::string_view header) const {
    auto parsed = ParseToken(header);
    if (!parsed) return std::unexpected(parsed.error());
    return Check(tx, parsed->id, Hash(parsed->secret));
}

Expected<Principal> Auth::Check(store::Tx& tx, Id id, const std::string& hash) const {
    auto stored = tx.FindToken(id);
    if (!stored || stored->hash.size() != hash.size() ||
        sodium_memcmp(stored->hash.data(), hash.data(), hash.size()) != 0)
        return Unauthenticated("the token is not valid");
    if (stored->revoked_at) return Unauthenticated("the token was revoked");
    auto user = tx.FindUser(stored->user_id);
    if (!user) return Unauthenticated("the token's user no longer exists");
    return Principal{user->id, user->name, user->role};
}

// ---- passwords and console sessions ----

Expected<std::string> Auth::HashPassword(std::string_view password) {
    if (password.size() < 8) return Fail(ErrorCode::kInvalidArgument, "password must be at least 8 characters", "password");
    if (password.size() > 1024) return Fail(ErrorCode::kInvalidArgument, "password must be at most 1024 bytes", "password");
    if (!IsCleanText(password))
        return Fail(ErrorCode::kInvalidArgument, "password must be UTF-8 text without control characters", "password");
    std::string out(crypto_pwhash_STRBYTES, '\0');
    if (crypto_pwhash_str(out.data(), password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return Fail(ErrorCode::kUnavailable, "out of memory while hashing a password");
    out.resize(std::strlen(out.c_str()));
    return out;
}

Expected<Principal> Auth::CheckPassword(store::Store& store, std::string_view name, std::string_view password) const {
    std::optional<User> user;
    std::optional<std::string> hash;
    store.Read([&](store::Tx& tx) {
        user = tx.FindUserByName(std::string(name));
        if (user) hash = tx.FindPasswordHash(user->id);
    });
    // A fixed hash stands in for a missing one, so an unknown name costs the same time as a wrong password.
    static const std::string kStandIn = [] {
        auto h = HashPassword("no such password, only a stand-in");
        return h ? *h : std::string();
    }();
    const std::string& against = hash ? *hash : kStandIn;
    bool ok = crypto_pwhash_str_verify(against.c_str(), password.data(), password.size()) == 0;
    if (!ok || !user || !hash) return Unauthenticated("the user name or password is wrong");
    return Principal{user->id, user->name, user->role};
}

NewSession Auth::StartSession(store::Tx& tx, const Principal& who, TimePoint now) const {
    NewSession s{Base64Url(RandomBytes(32)), Base64Url(RandomBytes(32)), now + sessions_.absolute_timeout};
    tx.DeleteExpiredWebSessions(now - sessions_.idle_timeout, now);  // sign-ins sweep the dead ones; few rows
    tx.InsertWebSession(store::WebSession{0, Hash(s.secret), who.user_id, s.csrf, now, s.expires_at, now});
    return s;
}

Expected<WebPrincipal> Auth::AuthenticateSession(store::Store& store, std::string_view secret, TimePoint now) const {
    if (secret.empty() || secret.size() > 100) return Fail(ErrorCode::kUnauthenticated, "sign in first");
    std::optional<store::WebSession> session;
    std::optional<User> user;
    std::string hash = Hash(secret);
    store.Read([&](store::Tx& tx) {
        session = tx.FindWebSession(hash);
        if (session) user = tx.FindUser(session->user_id);
    });
    if (!session || !user) return Fail(ErrorCode::kUnauthenticated, "sign in first");
    if (now >= session->expires_at || now - session->last_seen_at >= sessions_.idle_timeout)
        return Fail(ErrorCode::kUnauthenticated, "the session has expired; sign in again");
    return WebPrincipal{Principal{user->id, user->name, user->role}, session->id, session->csrf,
                        now - session->last_seen_at >= kSessionTouchEvery};
}

void Auth::EndSession(store::Tx& tx, std::string_view secret) const {
    if (secret.empty() || secret.size() > 100) return;
    if (auto session = tx.FindWebSession(Hash(secret))) tx.DeleteWebSession(session->id);
}

}  // namespace amends::app
