#pragma once
// Markdown for a debrief: the internal write-up (`amends debrief`) and the public postmortem. The public rendering
// takes a PublicDebrief, a type that holds only public fields, so customer data (case ids, timeline text drawn
// from cases, remedies, owners, reasons) cannot reach it. MarkdownToHtml renders with cmark, raw HTML omitted.
// Pure; thread-safe.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rca/debrief.h"

namespace amends::rca {

struct PublicTimelineEntry {
    TimePoint at{};
    std::string text;  // the entry's public_text
};

struct PublicAction {
    ActionKind kind = ActionKind::kPermanentFix;
    std::string description;
    std::size_t why = 0;
    ActionStatus status = ActionStatus::kOutstanding;  // never not_doing: those are left out
    std::optional<TimePoint> completed_at;
};

// What a published postmortem may say. Built only by ToPublic.
struct PublicDebrief {
    std::string title;
    std::string summary;
    std::vector<PublicTimelineEntry> timeline;  // entries with public_text only
    std::int64_t customers_affected = 0;
    std::vector<Why> whys;
    std::optional<CauseType> cause_type;
    std::string missed_step;
    std::optional<Scope> scope;
    std::vector<PublicAction> actions;  // not_doing actions left out
    TimePoint updated_at{};
};

PublicDebrief ToPublic(const Debrief& d);

// The internal write-up: everything, with case ids, owners, remedies and reasons, and the scope suggestion.
std::string RenderMarkdown(const Debrief& d);
// The public postmortem.
std::string RenderMarkdown(const PublicDebrief& d);

// CommonMark to HTML (cmark, safe mode: raw HTML is replaced by a comment, javascript:/data: links dropped).
std::string MarkdownToHtml(std::string_view markdown);

}  // namespace amends::rca
