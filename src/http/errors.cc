#include "http/errors.h"

#include <nlohmann/json.hpp>

namespace amends::http {

int StatusOf(ErrorCode code) {
    switch (code) {
        case ErrorCode::kInvalidArgument: return 400;
        case ErrorCode::kUnauthenticated: return 401;
        case ErrorCode::kPermissionDenied: return 403;
        case ErrorCode::kNotFound: return 404;
        case ErrorCode::kConflict: return 409;
        case ErrorCode::kTooLarge: return 413;
        case ErrorCode::kUnprocessable: return 422;
        case ErrorCode::kUnavailable: return 503;
        case ErrorCode::kInternal: return 500;
    }
    return 500;
}

namespace {

std::string_view CodeName(const Error& e) {
    switch (e.code) {
        case ErrorCode::kInvalidArgument: return e.field.empty() ? "invalid_request" : "invalid_field";
        case ErrorCode::kUnauthenticated: return "unauthorized";
        case ErrorCode::kPermissionDenied: return "forbidden";
        case ErrorCode::kNotFound: return "not_found";
        case ErrorCode::kConflict: return "conflict";
        case ErrorCode::kTooLarge: return "payload_too_large";
        case ErrorCode::kUnprocessable: return "unprocessable";
        case ErrorCode::kUnavailable: return "unavailable";
        case ErrorCode::kInternal: return "internal";
    }
    return "internal";
}

}  // namespace

Response ErrorResponse(int status, std::string_view code, const std::string& message, const std::string& field) {
    nlohmann::json error{{"code", code}, {"message", message}};
    if (!field.empty()) error["field"] = field;
    Response r;
    r.status = status;
    r.body = nlohmann::json{{"error", std::move(error)}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    if (status == 401) r.headers.emplace_back("WWW-Authenticate", "Bearer");
    if (status == 503) r.headers.emplace_back("Retry-After", "1");
    return r;
}

Response ErrorResponse(const Error& error) {
    // Internal details stay in the log, not in the answer.
    std::string message = error.code == ErrorCode::kInternal ? "internal error" : error.message;
    if (error.code == ErrorCode::kUnavailable) message = "the store is unavailable; retry later";
    return ErrorResponse(StatusOf(error.code), CodeName(error), message, error.field);
}

}  // namespace amends::http
