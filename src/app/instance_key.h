#pragma once
// Secrets that belong to one amends instance (the token-hashing key, the case-link signing key): random bytes made
// on first use and kept in the store's settings, so every server on the same database agrees on them.

#include <cstddef>
#include <string>

#include "domain/error.h"
#include "store/store.h"

namespace amends::app {

// The setting `name`, or, the first time, `bytes` random bytes stored under it. Concurrent first calls agree: the
// store's writer serializes them and the second finds the first's key.
Expected<std::string> InstanceKey(store::Store& store, const std::string& name, std::size_t bytes);

}  // namespace amends::app
