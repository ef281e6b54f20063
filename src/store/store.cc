#include "store/store.h"

#include <future>

namespace amends::store {

Expected<void> Store::WriteAndWait(Work work) {
    std::promise<std::optional<Error>> promise;
    auto result = promise.get_future();
    Submit(std::move(work), [&promise](std::optional<Error> error) { promise.set_value(std::move(error)); });
    if (auto error = result.get()) return std::unexpected(*error);
    return {};
}

}  // namespace amends::store
