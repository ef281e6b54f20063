#pragma once
// JSON for the API (nlohmann::json, found by ADL: `nlohmann::json j = debrief;`): debriefs and actions out and in.
// Times are RFC 3339 text, money integer minor units, enums their wire names, a why is named by its 0-based index
// in `whys`. The format is in docs/rca.md.

#include <nlohmann/json_fwd.hpp>

#include "domain/error.h"
#include "rca/debrief.h"
#include "rca/render.h"

namespace amends::rca {

void to_json(nlohmann::json& j, const TimelineEntry& t);
void to_json(nlohmann::json& j, const Impact& i);
void to_json(nlohmann::json& j, const Why& w);
void to_json(nlohmann::json& j, const ScopeTest& t);
void to_json(nlohmann::json& j, const Action& a);
// Also writes two derived, read-only members: "scope_suggestion" (SuggestScope) and "publish_gaps" (PublishGaps,
// as [{"field", "message"}]).
void to_json(nlohmann::json& j, const Debrief& d);
// The public part only (what a postmortem may show): no ids of cases or customers, owners, or remedies.
void to_json(nlohmann::json& j, const PublicDebrief& d);

// Reads a debrief from the object to_json writes. Every member is optional (the Debrief defaults; "whys" defaults
// to NewDebrief's five) except "subject" and "title"; the derived members are ignored; unknown members are errors;
// the result passes Validate. The error's `field` names the member ("whys[2].answer", "actions[0].due").
Expected<Debrief> ParseDebrief(const nlohmann::json& j);
// Reads an action; "kind", "description", "why", "owner" and "due" are required. Validates it against a debrief with
// `why_count` whys (the caller checks that the why is answered: Validate(Debrief) after adding it).
Expected<Action> ParseAction(const nlohmann::json& j, std::size_t why_count);

}  // namespace amends::rca
