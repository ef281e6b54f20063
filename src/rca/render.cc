#include "rca/render.h"

#include <cmark.h>

#include <cstdlib>
#include <memory>

namespace amends::rca {

namespace {

// One line of Markdown text: line breaks become spaces so a field cannot start a block of its own.
std::string Inline(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) out += (c == '\n' || c == '\r') ? ' ' : c;
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

// "2026-11-23 01:29 UTC"
std::string When(TimePoint t) {
    std::string s = FormatRfc3339(t);
    return s.substr(0, 10) + " " + s.substr(11, 5) + " UTC";
}
std::string Day(TimePoint t) { return FormatRfc3339(t).substr(0, 10); }

std::string Money(std::int64_t minor) {
    std::string sign = minor < 0 ? "-" : "";
    const std::int64_t m = minor < 0 ? -minor : minor;
    std::string cents = std::to_string(m % 100);
    return sign + std::to_string(m / 100) + "." + (cents.size() == 1 ? "0" : "") + cents;
}

std::string Words(std::string_view wire) {
    std::string s(wire);
    for (char& c : s)
        if (c == '_') c = ' ';
    return s;
}

std::string KindLabel(ActionKind k) { return k == ActionKind::kWorkaround ? "Workaround" : "Permanent fix"; }

std::string WhysHeading(std::size_t n) { return n == 5 ? "## Five whys\n\n" : "## Why it happened\n\n"; }

void AppendWhys(std::string& out, const std::vector<Why>& whys) {
    out += WhysHeading(whys.size());
    for (std::size_t i = 0; i < whys.size(); ++i)
        out += std::to_string(i + 1) + ". **" + Inline(whys[i].question) + "** " +
               (whys[i].answer.empty() ? std::string("*(not answered yet)*") : Inline(whys[i].answer)) + "\n";
    out += "\n";
}

void AppendSummary(std::string& out, const std::string& summary) {
    if (summary.empty()) return;
    out += "## Summary\n\n" + summary;
    if (summary.back() != '\n') out += "\n";
    out += "\n";
}

}  // namespace

PublicDebrief ToPublic(const Debrief& d) {
    PublicDebrief p;
    p.title = d.title;
    p.summary = d.summary;
    for (const TimelineEntry& t : d.timeline)
        if (t.public_text) p.timeline.push_back({t.at, *t.public_text});
    p.customers_affected = d.impact.customers_affected;
    p.whys = d.whys;
    p.cause_type = d.cause_type;
    p.missed_step = d.scope_test.missed_step;
    p.scope = d.scope;
    for (const Action& a : d.actions)
        if (a.status != ActionStatus::kNotDoing)
            p.actions.push_back({a.kind, a.description, a.why, a.status, a.completed_at});
    p.updated_at = d.updated_at;
    return p;
}

std::string RenderMarkdown(const Debrief& d) {
    std::string out = "# " + Inline(d.title) + "\n\n";
    out += "Debrief";
    if (d.id != 0) out += " " + std::to_string(d.id);
    out += d.subject == Subject::kIncident ? " of incident " + d.incident_id.value_or("") : " of cases";
    if (!d.case_ids.empty()) {
        out += d.subject == Subject::kIncident ? " (cases " : " ";
        for (std::size_t i = 0; i < d.case_ids.size(); ++i) out += (i ? ", " : "") + std::to_string(d.case_ids[i]);
        if (d.subject == Subject::kIncident) out += ")";
    }
    if (!d.author.empty()) out += ", by " + Inline(d.author);
    out += ", updated " + When(d.updated_at) + ".\n\n";
    AppendSummary(out, d.summary);

    out += "## Impact\n\n";
    out += "- Customers affected: " + std::to_string(d.impact.customers_affected) + "\n";
    out += "- Contacts: " + std::to_string(d.impact.contacts) + "\n";
    out += "- Remedies: " + std::to_string(d.impact.remedies) + ", worth " + Money(d.impact.remedies_minor) + "\n\n";

    if (!d.timeline.empty()) {
        out += "## Timeline\n\n";
        for (const TimelineEntry& t : d.timeline) {
            out += "- " + When(t.at) + ": " + Inline(t.text);
            if (t.public_text) out += " *(public: " + Inline(*t.public_text) + ")*";
            out += "\n";
        }
        out += "\n";
    }
    AppendWhys(out, d.whys);

    const ScopeSuggestion suggestion = SuggestScope(d.scope_test, d.cause_type);
    out += "## Cause\n\n";
    out += "- Cause type: " + (d.cause_type ? Words(Name(*d.cause_type)) : std::string("not decided")) + "\n";
    out += "- Checklist test: is " +
           (d.scope_test.missed_step.empty() ? std::string("the missed step")
                                             : "\"" + Inline(d.scope_test.missed_step) + "\"") +
           " part of our process? " +
           (d.scope_test.in_process ? (*d.scope_test.in_process ? "yes" : "no") : "not answered") + "\n";
    out += "- Scope: " + (d.scope ? Words(Name(*d.scope)) : std::string("not decided"));
    if (!d.scope_reason.empty()) out += " (" + Inline(d.scope_reason) + ")";
    out += "\n- Suggested: " + Inline(suggestion.explanation) + "\n\n";

    out += "## Corrective actions\n\n";
    if (d.actions.empty()) out += "None yet.\n";
    for (const Action& a : d.actions) {
        out += "- **" + KindLabel(a.kind) + "** (answers why " + std::to_string(a.why + 1) + "): " +
               Inline(a.description) + "; owner " + Inline(a.owner) + ", due " + Day(a.due) + ", " +
               Words(Name(a.status));
        if (a.completed_at) out += " " + Day(*a.completed_at);
        if (!a.reason.empty()) out += " (" + Inline(a.reason) + ")";
        out += "\n";
    }
    const std::vector<Error> gaps = PublishGaps(d);
    if (!gaps.empty()) {
        out += "\n## Before publishing\n\n";
        for (const Error& e : gaps) out += "- `" + e.field + "`: " + Inline(e.message) + "\n";
    }
    return out;
}

std::string RenderMarkdown(const PublicDebrief& d) {
    std::string out = "# " + Inline(d.title) + "\n\n";
    AppendSummary(out, d.summary);
    if (d.customers_affected > 0)
        out += "## Impact\n\n" + std::to_string(d.customers_affected) +
               (d.customers_affected == 1 ? " customer was" : " customers were") + " affected.\n\n";
    if (!d.timeline.empty()) {
        out += "## Timeline\n\n";
        for (const PublicTimelineEntry& t : d.timeline) out += "- " + When(t.at) + ": " + Inline(t.text) + "\n";
        out += "\n";
    }
    AppendWhys(out, d.whys);
    if (d.cause_type || d.scope) {
        out += "## Cause\n\n";
        if (d.cause_type) out += "- Cause type: " + Words(Name(*d.cause_type)) + "\n";
        if (!d.missed_step.empty()) out += "- The step that was missed: " + Inline(d.missed_step) + "\n";
        if (d.scope)
            out += *d.scope == Scope::kSystemic ? "- Scope: systemic (in the way we work)\n"
                                                : "- Scope: one-off (our process has the step; it was not followed)\n";
        out += "\n";
    }
    if (!d.actions.empty()) {
        out += "## What we are changing\n\n";
        for (const PublicAction& a : d.actions)
            out += "- **" + KindLabel(a.kind) + "**: " + Inline(a.description) +
                   (a.status == ActionStatus::kCompleted
                        ? " (done" + (a.completed_at ? " " + Day(*a.completed_at) : std::string()) + ")"
                        : std::string(" (in progress)")) +
                   "\n";
        out += "\n";
    }
    out += "Last updated " + When(d.updated_at) + ".\n";
    return out;
}

std::string MarkdownToHtml(std::string_view markdown) {
    // CMARK_OPT_DEFAULT is safe mode in cmark >= 0.29: raw HTML and dangerous URLs are not passed through.
    std::unique_ptr<char, decltype(&std::free)> html(
        cmark_markdown_to_html(markdown.data(), markdown.size(), CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8),
        &std::free);
    return html ? std::string(html.get()) : std::string();
}

}  // namespace amends::rca
