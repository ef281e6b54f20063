#pragma once
// JSON for the API (nlohmann::json, found by ADL: `nlohmann::json j = evaluation;`): proposals and evaluations out,
// facts in and out. Money is integer minor units; enums are their wire names; the format is in docs/policy.md.

#include <nlohmann/json_fwd.hpp>

#include "domain/error.h"
#include "policy/evaluate.h"
#include "policy/policy.h"

namespace amends::policy {

void to_json(nlohmann::json& j, const IdempotencyKey& key);
void to_json(nlohmann::json& j, const Proposal& p);
void to_json(nlohmann::json& j, const Evaluation& e);
void to_json(nlohmann::json& j, const Facts& f);

// Reads facts from a JSON object with the field names of to_json(Facts); every field is optional (the Facts
// defaults), unknown fields are errors, and the result passes Validate. `field` names the offending key.
Expected<Facts> ParseFacts(const nlohmann::json& j);

}  // namespace amends::policy
