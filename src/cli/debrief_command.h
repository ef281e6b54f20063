#pragma once
// `amends debrief ID`: a debrief as Markdown (the internal write-up, or with --public the postmortem customers see),
// read from the database directly.

#include <string>

namespace amends::cli {

struct DebriefFlags {
    std::string db = "amends.db";
    std::string id;       // the debrief's id
    bool public_ = false;  // the public postmortem instead of the internal write-up
    bool html = false;     // rendered to HTML (cmark, raw HTML omitted) instead of Markdown
};

// Prints the debrief on standard output. Exit 0 printed, 1 no such debrief, 64 a malformed id, 66 no database file.
int RunDebrief(const DebriefFlags& flags);

}  // namespace amends::cli
