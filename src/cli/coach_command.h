#pragma once
// `amends coach`: the reply coach on the command line.

#include <string>

namespace amends::cli {

struct CoachFlags {
    std::string file = "-";  // a draft to analyze, "-" for standard input
    std::string eval;        // a labelled JSONL set to evaluate instead
    bool json = false;       // print the JSON report instead of text
    std::string step;        // the case's step (acknowledge, offer, ...)
    std::string fault = "ours";
    bool remedy_offered = false;
};

// Exit codes: 0 good, 1 needs work, 2 poor; with --eval, 0 when the table was printed. Errors: 64 for a wrong
// option, 66 for an unreadable file (sysexits), 65 for a malformed evaluation set.
int RunCoach(const CoachFlags& flags);

}  // namespace amends::cli
