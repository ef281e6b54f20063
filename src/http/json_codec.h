#pragma once
// JSON in and out of the API: requests are read with app::ObjectReader; the encoders give each resource its one
// JSON shape.

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "domain/error.h"
#include "app/object_reader.h"
#include "domain/model.h"

namespace amends::http {

using app::ObjectReader;
using app::ParseObject;

nlohmann::json ToJson(const Customer& c);
nlohmann::json ToJson(const Case& c);
nlohmann::json ToJson(const Event& e);
nlohmann::json ToJson(const Message& m);
nlohmann::json ToJson(const Delivery& d);
nlohmann::json ToJson(const User& u);

// Minor units as a JSON number with two decimals' precision (1250 -> 12.5).
nlohmann::json AmountJson(std::int64_t minor);

}  // namespace amends::http
