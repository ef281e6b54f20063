#include "app/instance_key.h"

#include <sodium.h>

namespace amends::app {

Expected<std::string> InstanceKey(store::Store& store, const std::string& name, std::size_t bytes) {
    if (sodium_init() < 0) return Fail(ErrorCode::kInternal, "libsodium failed to initialize");
    std::string key;
    auto written = store.WriteAndWait([&](store::Tx& tx) {
        if (auto existing = tx.GetSetting(name)) {
            key = *existing;
            return false;
        }
        key.assign(bytes, '\0');
        randombytes_buf(key.data(), key.size());
        tx.PutSetting(name, key);
        return true;
    });
    if (!written) return std::unexpected(written.error());
    return key;
}

}  // namespace amends::app
