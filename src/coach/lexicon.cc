#include "coach/lexicon.h"

#include <algorithm>
#include <charconv>
#include <utility>

#include "coach/matcher.h"
#include "coach/report.h"
#include "common/trim.h"

namespace amends::coach {
namespace {

using Macros = std::map<std::string, std::string, std::less<>>;

// A line's blanks (lines are split at '\n').
std::string_view Trim(std::string_view s) { return TrimBytes(s, " \t\r"); }

std::pair<std::string_view, std::string_view> SplitWord(std::string_view s) {
    s = Trim(s);
    std::size_t space = s.find_first_of(" \t");
    if (space == std::string_view::npos) return {s, {}};
    return {s.substr(0, space), Trim(s.substr(space + 1))};
}

std::vector<std::string_view> Lines(std::string_view text) {
    std::vector<std::string_view> lines;
    while (!text.empty()) {
        std::size_t nl = text.find('\n');
        lines.push_back(text.substr(0, nl));
        if (nl == std::string_view::npos) break;
        text.remove_prefix(nl + 1);
    }
    return lines;
}

std::string Where(const amends::EmbeddedFile& file, int line) {
    return std::string(file.name) + ":" + std::to_string(line);
}

bool IsCueLabel(std::string_view label, Role& role) {
    if (label == "negation") role = Role::kNegation;
    else if (label == "not_negation") role = Role::kNotNegation;
    else if (label == "clause_break") role = Role::kClauseBreak;
    else if (label == "politeness" || label == "mask") role = Role::kMask;
    else return false;
    return true;
}

bool IsReportLabel(std::string_view label) { return ParseElement(label) || ParseFindingKind(label); }

Expected<Section> ParseSection(std::string_view header, const std::string& where) {
    std::string_view body = Trim(header.substr(1, header.size() - 2));
    auto [label, rest] = SplitWord(body);
    Section section;
    section.label = std::string(label);
    if (ParseElement(label)) {
        section.role = Role::kElement;
    } else if (auto kind = ParseFindingKind(label)) {
        if (*kind == FindingKind::kExcuseWithoutApology || *kind == FindingKind::kBoilerplate)
            return InvalidField(where, "'" + section.label + "' is derived, not matched: it cannot have patterns");
        section.role = Role::kAntiPattern;
    } else if (!IsCueLabel(label, section.role)) {
        return InvalidField(where, "unknown label '" + section.label + "'");
    }
    while (!rest.empty()) {
        auto [attr, tail] = SplitWord(rest);
        rest = tail;
        if (attr == "nonegate") {
            section.negatable = false;
        } else if (attr == "promise") {
            section.promise = true;
        } else if (attr == "statement") {
            section.statement = true;
        } else if (attr == "vague") {
            section.vague = true;
        } else if (attr == "lazy") {
            section.lazy = true;
        } else if (attr.starts_with("voids=")) {
            std::string_view list = attr.substr(6);
            while (!list.empty()) {
                std::size_t comma = list.find(',');
                std::string_view name = list.substr(0, comma);
                if (!IsReportLabel(name)) return InvalidField(where, "voids names unknown label '" + std::string(name) + "'");
                section.voids.emplace_back(name);
                list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
            }
        } else {
            return InvalidField(where, "unknown attribute '" + std::string(attr) + "'");
        }
    }
    if (section.lazy && (section.role != Role::kElement || !section.voids.empty() || section.vague))
        return InvalidField(where, "lazy: only for an element section without voids or vague");
    return section;
}

constexpr std::string_view kApostrophe = "(?:'|\u2019)";

}  // namespace

std::string MatcherExpression(const Pattern& pattern) {
    std::string_view e = pattern.expression;
    if (pattern.word_end && e.ends_with("\\b") && !e.ends_with("\\\\b")) e.remove_suffix(2);
    return std::string(e);
}

MatcherPatterns MatcherPatternsOf(const LanguagePack& pack, std::span<const std::size_t> indexes) {
    MatcherPatterns out;
    for (std::size_t i : indexes) {
        out.expressions.push_back(MatcherExpression(pack.patterns[i]));
        out.scan_from.push_back(pack.patterns[i].scan_from);
    }
    return out;
}

Expected<std::pair<std::string, std::size_t>> ExpandPatternWithScan(std::string_view source, const Macros& macros) {
    constexpr std::string_view kScan = "{SCAN}";
    constexpr char kMark = '\x01';  // stands for {SCAN} through the expansion (a control byte no pattern holds)
    std::size_t at = source.find(kScan);
    if (at == std::string_view::npos) {
        auto expression = ExpandPattern(source, macros);
        if (!expression) return std::unexpected(expression.error());
        return std::pair<std::string, std::size_t>{std::move(*expression), 0};
    }
    auto bad = [](std::string why) { return InvalidField("pattern", "{SCAN} " + why); };
    if (source.find(kScan, at + 1) != std::string_view::npos) return bad("may appear once in a pattern");
    if (source.find(kMark) != std::string_view::npos) return bad("cannot be used in a pattern holding a 0x01 byte");
    if (at > 0 && source[at - 1] == '\\') return bad("must not follow a backslash");
    std::string marked(source.substr(0, at));
    marked += kMark;
    marked += source.substr(at + kScan.size());
    auto expanded = ExpandPattern(marked, macros);
    if (!expanded) return std::unexpected(expanded.error());
    std::string& e = *expanded;
    std::size_t mark = e.find(kMark);
    // Between two top-level pieces: not in a class or group, no top-level alternation (so what follows the mark is a
    // suffix of every match's text), something after it that is neither a quantifier nor a space.
    const ExpressionShape shape = ShapeOf(e, mark);
    if (shape.class_at || shape.depth_at != 0) return bad("must not be inside a group or a class");
    if (shape.top_level_alternation) return bad("needs a pattern without a top-level |");
    if (mark == 0) return bad("must not be first");
    if (mark + 1 >= e.size() || std::string_view("?*+{ ").find(e[mark + 1]) != std::string_view::npos)
        return bad("must be followed by a piece of the pattern (not a quantifier, a space or nothing)");
    e.erase(mark, 1);
    return std::pair<std::string, std::size_t>{std::move(e), mark};
}

Expected<std::string> ExpandPattern(std::string_view source, const Macros& macros) {
    // Macros first (they may use macros, up to a small depth), then the rewrites.
    std::string text(source);
    for (int depth = 0;; ++depth) {
        std::string out;
        bool changed = false;
        for (std::size_t i = 0; i < text.size(); ++i) {
            if (text[i] == '\\' && i + 1 < text.size()) {
                out += text.substr(i, 2);
                ++i;
                continue;
            }
            if (text[i] == '{') {
                std::size_t close = text.find('}', i);
                if (close != std::string::npos) {
                    std::string_view name(text.data() + i + 1, close - i - 1);
                    bool is_macro = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
                        return (c >= 'A' && c <= 'Z') || c == '_';
                    });
                    if (is_macro) {
                        auto it = macros.find(name);
                        if (it == macros.end()) return InvalidField("pattern", "unknown macro {" + std::string(name) + "}");
                        out += it->second;
                        i = close;
                        changed = true;
                        continue;
                    }
                }
            }
            out += text[i];
        }
        text = std::move(out);
        if (!changed) break;
        if (depth == 8) return InvalidField("pattern", "macros nest too deeply");
    }
    std::string out;
    bool in_class = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '\\' && i + 1 < text.size()) {
            out += text.substr(i, 2);
            ++i;
        } else if (in_class) {
            if (c == ']') in_class = false;
            out += c;
        } else if (c == '[') {
            in_class = true;
            out += c;
            if (i + 1 < text.size() && text[i + 1] == '^') out += text[++i];
            if (i + 1 < text.size() && text[i + 1] == ']') out += text[++i];
        } else if (c == ' ') {
            while (i + 1 < text.size() && text[i + 1] == ' ') ++i;
            out += ' ';  // the coach scans a copy with every run of white space made one character
        } else if (c == '\'') {
            out += kApostrophe;
        } else {
            out += c;
        }
    }
    return out;
}

std::vector<PatternGroup> GroupPatterns(const LanguagePack& pack, bool lazy) {
    std::vector<PatternGroup> groups(1);
    for (std::size_t i = 0; i < pack.patterns.size(); ++i) {
        const Section& section = pack.sections[pack.patterns[i].section];
        if (!lazy || !section.lazy) {
            groups[0].patterns.push_back(i);
            continue;
        }
        auto group = std::find_if(groups.begin() + 1, groups.end(), [&](const PatternGroup& g) { return g.label == section.label; });
        if (group == groups.end()) {
            groups.push_back(PatternGroup{section.label, {}, false});
            group = groups.end() - 1;
        }
        group->patterns.push_back(i);
        group->promise = group->promise || section.promise;
    }
    return groups;
}

std::vector<std::string> Languages(std::span<const amends::EmbeddedFile> files) {
    std::vector<std::string> languages;
    for (const amends::EmbeddedFile& file : files) {
        for (std::string_view raw : Lines(file.content)) {
            std::string_view line = Trim(raw);
            if (line.empty() || line.front() == '#') continue;
            auto [directive, rest] = SplitWord(line);
            if (directive == "@language" && !rest.empty()) languages.emplace_back(rest);
            break;
        }
    }
    std::sort(languages.begin(), languages.end());
    languages.erase(std::unique(languages.begin(), languages.end()), languages.end());
    return languages;
}

Expected<LanguagePack> ParseLanguagePack(std::span<const amends::EmbeddedFile> files, std::string_view language) {
    LanguagePack pack;
    pack.language = std::string(language);
    Macros macros;
    std::vector<const amends::EmbeddedFile*> mine;
    // Pass 1: which files belong to the language, and their macros (a macro may be used in any file of the pack).
    for (const amends::EmbeddedFile& file : files) {
        std::vector<std::string_view> lines = Lines(file.content);
        bool is_mine = false;
        int number = 0;
        for (std::string_view raw : lines) {
            ++number;
            std::string_view line = Trim(raw);
            if (line.empty() || line.front() == '#') continue;
            auto [directive, rest] = SplitWord(line);
            if (directive == "@language") {
                is_mine = rest == language;
                if (is_mine) mine.push_back(&file);
                break;
            }
            return InvalidField(Where(file, number), "a lexicon file must start with '@language <code>'");
        }
        if (!is_mine) continue;
        number = 0;
        for (std::string_view raw : lines) {
            ++number;
            auto [directive, rest] = SplitWord(raw);
            if (directive != "@define") continue;
            auto [name, value] = SplitWord(rest);
            if (name.empty() || value.empty()) return InvalidField(Where(file, number), "@define NAME regex");
            if (!macros.emplace(std::string(name), std::string(value)).second)
                return InvalidField(Where(file, number), "macro " + std::string(name) + " defined twice");
        }
    }
    if (mine.empty()) return Fail(ErrorCode::kNotFound, "no lexicon for language '" + std::string(language) + "'", "language");

    // Pass 2: sections, patterns and messages.
    for (const amends::EmbeddedFile* file : mine) {
        int number = 0;
        bool have_section = false;
        for (std::string_view raw : Lines(file->content)) {
            ++number;
            std::string where = Where(*file, number);
            std::string_view line = Trim(raw);
            if (line.empty() || line.front() == '#') continue;
            if (line.front() == '@') {
                auto [directive, rest] = SplitWord(line);
                if (directive == "@language" || directive == "@define") continue;
                if (directive == "@negation_window") {
                    int value = 0;
                    auto [ptr, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), value);
                    if (ec != std::errc() || ptr != rest.data() + rest.size() || value < 0 || value > 20)
                        return InvalidField(where, "@negation_window wants a number from 0 to 20");
                    pack.negation_window = value;
                    continue;
                }
                auto [key, text] = SplitWord(rest);
                if (text.empty()) return InvalidField(where, std::string(directive) + " wants a label and a text");
                std::map<std::string, std::string, std::less<>>* target = nullptr;
                if (directive == "@reason" || directive == "@suggest") {
                    if (!ParseFindingKind(key)) return InvalidField(where, "unknown finding kind '" + std::string(key) + "'");
                    target = directive == "@reason" ? &pack.reasons : &pack.suggestions;
                } else if (directive == "@missing") {
                    if (!ParseElement(key)) return InvalidField(where, "unknown element '" + std::string(key) + "'");
                    target = &pack.missing;
                } else {
                    return InvalidField(where, "unknown directive " + std::string(directive));
                }
                (*target)[std::string(key)] = std::string(text);
                continue;
            }
            if (line.front() == '[' && line.back() == ']') {
                auto section = ParseSection(line, where);
                if (!section) return std::unexpected(section.error());
                pack.sections.push_back(std::move(*section));
                have_section = true;
                continue;
            }
            if (!have_section) return InvalidField(where, "a pattern before any [section]");
            auto expression = ExpandPatternWithScan(line, macros);
            if (!expression) return InvalidField(where, expression.error().message);
            Pattern pattern{pack.sections.size() - 1, std::string(line), std::move(expression->first), std::string(file->name), number};
            pattern.scan_from = expression->second;
            pattern.word_start = line.starts_with("\\b");
            pattern.word_end = line.ends_with("\\b") && !line.ends_with("\\\\b");
            pack.patterns.push_back(std::move(pattern));
        }
    }
    return pack;
}

}  // namespace amends::coach
