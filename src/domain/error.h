#pragma once
// Expected failures as values: every fallible operation in amends returns Expected<T>.

#include <expected>
#include <string>
#include <utility>

namespace amends {

enum class ErrorCode {
    kInvalidArgument,   // the input is wrong; `field` names the part
    kNotFound,          // the thing asked for does not exist (or is not visible to the caller)
    kConflict,          // the input contradicts what is stored (duplicate key, idempotency key reused)
    kUnprocessable,     // well-formed input that cannot be acted on (a referenced record is missing)
    kUnauthenticated,   // no valid credentials
    kPermissionDenied,  // valid credentials, not allowed
    kTooLarge,          // over a size limit
    kUnavailable,       // a dependency failed (disk, database); worth retrying
    kInternal,          // a broken invariant: a bug
};

struct Error {
    ErrorCode code = ErrorCode::kInternal;
    std::string message;
    std::string field;  // for input errors: the JSON field or CLI option at fault; else empty
};

template <typename T>
using Expected = std::expected<T, Error>;

inline std::unexpected<Error> Fail(ErrorCode code, std::string message, std::string field = {}) {
    return std::unexpected(Error{code, std::move(message), std::move(field)});
}

inline std::unexpected<Error> InvalidField(std::string field, std::string message) {
    return Fail(ErrorCode::kInvalidArgument, std::move(message), std::move(field));
}

}  // namespace amends
