#pragma once
// The one place where errors become HTTP: status codes and the JSON body
// {"error": {"code": "...", "message": "...", "field": "..."}}.

#include <string>

#include "domain/error.h"
#include "http/message.h"

namespace amends::http {

int StatusOf(ErrorCode code);
Response ErrorResponse(const Error& error);
Response ErrorResponse(int status, std::string_view code, const std::string& message, const std::string& field);

}  // namespace amends::http
