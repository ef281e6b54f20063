#pragma once
// Literals that every match of a pattern must contain, read from its expression (the lexicon's subset of Hyperscan
// syntax): a draft that contains none of a pattern's literals cannot match it. Used by coach_scan_split to measure
// a prefilter (scan for the literals, then only the databases of patterns that can match); not by the coach.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace amends::coach::bench {

// Lower-case (ASCII) literals, one of which occurs (caselessly) in every match of `expression`; nullopt when no
// such set can be named (a match may be empty of literals, or the expression uses syntax this reader does not
// know, which is always the safe answer).
std::optional<std::vector<std::string>> RequiredLiterals(std::string_view expression);

}  // namespace amends::coach::bench
