#include "coach/coach.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <utility>

#include "coach/matcher.h"
#include "coach/precompiled.h"
#include "coach/text.h"
#include "domain/names.h"

namespace amends::coach {
namespace {

constexpr std::pair<Step, std::string_view> kStepNames[] = {
    {Step::kUnknown, "unknown"},     {Step::kAcknowledge, "acknowledge"},    {Step::kApologize, "apologize"},
    {Step::kListen, "listen"},       {Step::kOffer, "offer"},                {Step::kAgree, "agree"},
    {Step::kConfirm, "confirm"},     {Step::kKeepInformed, "keep_informed"}, {Step::kFollowUp, "follow_up"},
    {Step::kFixCause, "fix_cause"},
};
constexpr std::pair<Fault, std::string_view> kFaultNames[] = {
    {Fault::kUnknown, "unknown"}, {Fault::kOurs, "ours"}, {Fault::kNotOurs, "not_ours"}};

// Report labels share one numbering: elements first, then finding kinds.
constexpr std::size_t kLabelCount = kElementCount + kFindingKindCount;
constexpr std::size_t kNoLabel = kLabelCount;
static_assert(kLabelCount <= 32, "labels are bits of a std::uint32_t mask");
std::size_t LabelOf(std::string_view name) {
    if (auto e = ParseElement(name)) return static_cast<std::size_t>(*e);
    if (auto k = ParseFindingKind(name)) return kElementCount + static_cast<std::size_t>(*k);
    return kNoLabel;
}

// Points lost per anti-pattern kind (once per kind).
constexpr std::array<int, kFindingKindCount> kPenalty = {
    40,  // blame_customer
    25,  // excuse_without_apology
    20,  // conditional_apology
    20,  // distancing
    20,  // minimizing
    25,  // third_party_blame
    10,  // vague_promise
    30,  // boilerplate
};

// A finding's kind and byte span, before it becomes a Finding.
struct Span {
    FindingKind kind;
    std::size_t start, end;
};

struct Hit {
    std::size_t section = 0;
    std::size_t start = 0;
    std::size_t end = 0;
    bool alive = true;
    std::size_t sentence = 0;  // Layout::SentenceOf(start)
};

struct Scratch {
    Layout layout;
    CompactScanText scan;
    std::vector<std::uint32_t> bucket;
    std::vector<std::uint64_t> matched;
    std::vector<RawMatch> sorted;
    std::vector<RawMatch> raw;
    std::vector<Hit> hits;
    std::vector<RawMatch> found;
    std::vector<const Hit*> cues, breaks, non_negating;
    std::vector<std::size_t> timescale_sentences;
    std::vector<std::uint8_t> cue_in_sentence;  // per sentence: holds a live negation cue
    std::vector<std::uint32_t> label_bits;      // per hit: 1 << its label, 0 for none
    std::vector<Span> spans, merged;
};

ByteRange TrimmedSentenceAt(std::string_view text, const Layout& layout, std::size_t index) {
    std::size_t start = layout.sentence_starts[index];
    std::size_t end = index + 1 < layout.sentence_starts.size() ? layout.sentence_starts[index + 1] : text.size();
    while (start < end && (text[start] == ' ' || text[start] == '\n' || text[start] == '\t' || text[start] == '\r')) ++start;
    while (end > start && (text[end - 1] == ' ' || text[end - 1] == '\n' || text[end - 1] == '\t' || text[end - 1] == '\r')) --end;
    return {start, end};
}

ByteRange TrimmedSentence(std::string_view text, const Layout& layout, std::size_t pos) {
    return TrimmedSentenceAt(text, layout, layout.SentenceOf(pos));
}

}  // namespace

std::string_view Name(Step step) { return NameIn<Step>(kStepNames, step); }
std::string_view Name(Fault fault) { return NameIn<Fault>(kFaultNames, fault); }
std::optional<Step> ParseStep(std::string_view name) { return ParseIn<Step>(kStepNames, name); }
std::optional<Fault> ParseFault(std::string_view name) { return ParseIn<Fault>(kFaultNames, name); }

struct Coach::Compiled {
    struct PatternInfo {  // what the analysis reads of each pattern, packed together
        std::uint32_t section = 0;
        bool check_start = false;  // word_start and the matcher tracks its start
        bool word_end = false;
        bool exact_start = false;  // the matcher finds its start (else: the start of the sentence it ends in)
    };
    struct Group {  // GroupPatterns: group 0 is scanned on every draft, the others only when needed
        std::unique_ptr<MultiMatcher> matcher;
        std::vector<std::uint32_t> ids;  // matcher's pattern id -> pattern index in the pack
        std::vector<bool> word_end;      // per matcher id: its end must be at a word edge
        std::size_t label = kNoLabel;    // the element of a lazy group
        bool promise = false;
    };
    std::vector<Group> groups;
    std::vector<PatternInfo> patterns;
    std::vector<std::size_t> label;        // per section: report label or kNoLabel
    std::vector<std::uint32_t> voids;      // per section: bit mask of report labels
    std::vector<std::uint32_t> label_bit;  // per section: 1 << label, 0 for kNoLabel
    // The pack's messages by finding kind and element (null where the pack has none), looked up once.
    std::array<const std::string*, kFindingKindCount> reason{}, suggestion{};
    std::array<const std::string*, kElementCount> missing{};
};

Coach::Coach(LanguagePack pack) : pack_(std::move(pack)), compiled_(std::make_unique<Compiled>()) {}
Coach::~Coach() = default;

Expected<std::unique_ptr<Coach>> Coach::Create(std::string_view language, bool lazy) {
    auto pack = ParseLanguagePack(CoachLexicon(), language);
    if (!pack) return std::unexpected(pack.error());
    std::unique_ptr<Coach> coach(new Coach(std::move(*pack)));
    const LanguagePack& p = coach->pack_;
    Compiled& c = *coach->compiled_;
    c.patterns.resize(p.patterns.size());
    for (const PatternGroup& group : GroupPatterns(p, lazy)) {
        MatcherPatterns input = MatcherPatternsOf(p, group.patterns);
        Expected<std::unique_ptr<MultiMatcher>> matcher = Fail(ErrorCode::kNotFound, "no precompiled database");
        for (const PrecompiledDatabase& db : PrecompiledDatabases())
            if (lazy && db.language == language && db.group == group.label)
                matcher = MultiMatcher::Deserialize(db.bytes, input.expressions, input.scan_from);
        if (!matcher) matcher = MultiMatcher::Compile(input.expressions, /*portable=*/false, input.scan_from);
        if (!matcher) {
            Error error = matcher.error();
            if (!error.field.empty()) {
                const Pattern& bad = p.patterns[group.patterns[std::stoul(error.field)]];
                error.message = bad.file + ":" + std::to_string(bad.line) + ": " + error.message;
                error.field = "lexicon";
            }
            return std::unexpected(error);
        }
        Compiled::Group g;
        g.matcher = std::move(*matcher);
        g.label = group.label.empty() ? kNoLabel : LabelOf(group.label);
        g.promise = group.promise;
        for (std::size_t k = 0; k < group.patterns.size(); ++k) {
            std::size_t i = group.patterns[k];
            const Pattern& pattern = p.patterns[i];
            bool exact = g.matcher->ExactStart(static_cast<std::uint32_t>(k));
            c.patterns[i] = {static_cast<std::uint32_t>(pattern.section), pattern.word_start && exact, pattern.word_end, exact};
            g.ids.push_back(static_cast<std::uint32_t>(i));
            g.word_end.push_back(pattern.word_end);
        }
        c.groups.push_back(std::move(g));
    }
    for (const Section& section : p.sections) {
        c.label.push_back(LabelOf(section.label));
        c.label_bit.push_back(c.label.back() == kNoLabel ? 0u : std::uint32_t{1} << c.label.back());
        std::uint32_t mask = 0;
        for (const std::string& name : section.voids) mask |= std::uint32_t{1} << LabelOf(name);
        c.voids.push_back(mask);
    }
    auto find = [](const std::map<std::string, std::string, std::less<>>& messages, std::string_view name) {
        auto it = messages.find(name);
        return it == messages.end() ? nullptr : &it->second;
    };
    for (std::size_t k = 0; k < kFindingKindCount; ++k) {
        c.reason[k] = find(p.reasons, Name(static_cast<FindingKind>(k)));
        c.suggestion[k] = find(p.suggestions, Name(static_cast<FindingKind>(k)));
    }
    for (std::size_t e = 0; e < kElementCount; ++e) c.missing[e] = find(p.missing, Name(static_cast<Element>(e)));
    return coach;
}

std::vector<Element> Coach::Required(const Context& context) {
    std::vector<Element> required;
    required.reserve(kElementCount);
    auto add = [&required](Element e) {
        if (std::find(required.begin(), required.end(), e) == required.end()) required.push_back(e);
    };
    bool ours = context.fault == Fault::kOurs;
    bool owe_remedy = ours && !context.remedy_offered;
    switch (context.step) {
        case Step::kUnknown:
            add(Element::kAcknowledgement);
            add(Element::kApology);
            add(Element::kPlan);
            add(Element::kTimescale);
            if (owe_remedy) add(Element::kRemedy);
            break;
        case Step::kAcknowledge:
            add(Element::kAcknowledgement);
            add(Element::kEmpathy);
            add(Element::kApology);
            add(Element::kPlan);
            break;
        case Step::kApologize:
            add(Element::kApology);
            break;
        case Step::kListen:
            add(Element::kAcknowledgement);
            add(Element::kListeningQuestion);
            break;
        case Step::kOffer:
            add(Element::kPlan);
            add(Element::kTimescale);
            if (owe_remedy) add(Element::kRemedy);
            add(Element::kInvitation);
            break;
        case Step::kAgree:
            add(Element::kPlan);
            add(Element::kInvitation);
            break;
        case Step::kConfirm:
        case Step::kKeepInformed:
            add(Element::kPlan);
            add(Element::kTimescale);
            break;
        case Step::kFollowUp:
            add(Element::kThanks);
            add(Element::kInvitation);
            break;
        case Step::kFixCause:
            add(Element::kExplanation);
            add(Element::kPlan);
            break;
    }
    if (ours && context.step != Step::kFollowUp) {
        add(Element::kApology);
        add(Element::kOwnership);
    }
    std::sort(required.begin(), required.end());
    return required;
}

Expected<Report> Coach::Analyze(std::string_view input, const Context& context) const {
    if (input.size() > kMaxDraftBytes)
        return Fail(ErrorCode::kTooLarge, "a draft may have at most " + std::to_string(kMaxDraftBytes) + " bytes", "text");
    std::string sanitized;
    std::string_view text = input;
    if (!IsValidUtf8(input)) {
        sanitized = SanitizeUtf8(input);
        text = sanitized;
    }
    const Compiled& c = *compiled_;
    // Working memory reused by every analysis on this thread (the report is the only allocation that must be new).
    thread_local Scratch scratch;
    Layout& layout = scratch.layout;
    LayOut(text, layout);

    // 1. Scan; for each pattern keep the longest match per start, skip quoted text.
    CompactScanText& scan = scratch.scan;
    CollapseWhitespace(text, scan);
    std::vector<RawMatch>& found = scratch.found;  // every match scanned: pattern index, offsets in scan.text
    found.clear();
    // An end that is not at a word edge where the pattern wants one never counts (below): the matcher leaves it out
    // before it looks for its start. The scan text has the draft's characters around every end (white space stays
    // white space), so the edge is the same there.
    auto scan_group = [&](const Compiled::Group& g) {
        std::size_t first = found.size();
        g.matcher->Scan(scan.text, found, &g.word_end);
        for (std::size_t k = first; k < found.size(); ++k) found[k].id = g.ids[found[k].id];
        return found.size() > first;
    };
    std::vector<RawMatch>& raw = scratch.raw;
    std::vector<Hit>& hits = scratch.hits;
    auto role = [this](const Hit& h) { return pack_.sections[h.section].role; };
    std::vector<const Hit*>& cues = scratch.cues;
    std::vector<const Hit*>& breaks = scratch.breaks;
    std::vector<const Hit*>& non_negating = scratch.non_negating;
    std::vector<std::size_t>& timescale_sentences = scratch.timescale_sentences;
    // From the matches found to the hits, each alive or not once negation, voids, questions and timescales are
    // taken into account; `present` are the elements with a live hit, `vague_alive` whether a vague hit lives.
    std::array<bool, kElementCount> present{};
    bool vague_alive = false;
    auto resolve = [&] {
        raw.assign(found.begin(), found.end());
        if (!scan.run_ends.empty()) {
            for (RawMatch& m : raw) {
                m.start = scan.Original(m.start);
                m.end = m.end == 0 ? 0 : scan.Original(m.end - 1) + 1;
            }
        }
        // Ordered by pattern, then start, then longest end first: counted into one bucket per pattern (a sort of a
        // few dozen matches by comparison mispredicts most of its branches), then each bucket, nearly always of one
        // or two matches, put in order by insertion.
        std::vector<std::uint32_t>& bucket = scratch.bucket;  // per pattern: count, then next slot
        std::vector<std::uint64_t>& matched = scratch.matched;  // bit per pattern: has a match; zero between calls
        bucket.resize(c.patterns.size());
        matched.resize((c.patterns.size() + 63) / 64);
        for (const RawMatch& m : raw) {
            std::uint64_t bit = std::uint64_t{1} << (m.id % 64);
            if (!(matched[m.id / 64] & bit)) bucket[m.id] = 0;
            matched[m.id / 64] |= bit;
            ++bucket[m.id];
        }
        std::uint32_t slot = 0;  // the matched patterns in order, by their bits: no pass over every pattern
        for (std::size_t w = 0; w < matched.size(); ++w) {
            for (std::uint64_t bits = matched[w]; bits != 0; bits &= bits - 1) {
                std::size_t id = w * 64 + static_cast<std::size_t>(std::countr_zero(bits));
                std::uint32_t count = bucket[id];
                bucket[id] = slot;
                slot += count;
            }
            matched[w] = 0;
        }
        std::vector<RawMatch>& sorted = scratch.sorted;
        sorted.resize(raw.size());
        for (const RawMatch& m : raw) sorted[bucket[m.id]++] = m;
        SortByInsertion(sorted, [](const RawMatch& a, const RawMatch& b) {
            return a.id != b.id ? a.id < b.id : a.start != b.start ? a.start < b.start : a.end > b.end;
        });
        raw.swap(sorted);
        for (RawMatch& m : raw) {
            if (!c.patterns[m.id].exact_start && m.end > 0)
                m.start = layout.sentence_starts[layout.SentenceOf(m.end - 1)];  // the sentence it ends in
        }
        hits.clear();
        // A pattern's final \b is not compiled (MatcherExpression): Hyperscan reports every end, and the longest end
        // at a word edge (Unicode rules) is the match for that start.
        std::uint32_t done_id = ~std::uint32_t{0};
        std::size_t done_start = ~std::size_t{0};
        for (const RawMatch& m : raw) {
            if (m.id == done_id && m.start == done_start) continue;
            const Compiled::PatternInfo& pattern = c.patterns[m.id];
            if (layout.IsQuoted(m.start) || !IsWordEdgeFast(text, m.start, m.end, pattern.check_start, false)) {
                done_id = m.id;
                done_start = m.start;
                continue;
            }
            if (!IsWordEdgeFast(text, m.start, m.end, false, pattern.word_end)) continue;
            done_id = m.id;
            done_start = m.start;
            hits.push_back(Hit{pattern.section, m.start, m.end, true, layout.SentenceOf(m.start)});
        }

        // 2. Negation: a cue shortly before, in the same clause, unless the cue is part of a non-negating phrase.
        cues.clear();
        breaks.clear();
        non_negating.clear();
        for (const Hit& h : hits) {
            if (role(h) == Role::kNotNegation) non_negating.push_back(&h);
            if (role(h) == Role::kClauseBreak) breaks.push_back(&h);
        }
        for (const Hit& h : hits) {
            if (role(h) != Role::kNegation) continue;
            bool inert = std::any_of(non_negating.begin(), non_negating.end(),
                                     [&h](const Hit* n) { return h.start >= n->start && h.end <= n->end; });
            if (!inert) cues.push_back(&h);
        }
        // Most hits share no sentence with a cue: a flag per sentence skips the loop over the cues for them.
        std::vector<std::uint8_t>& cue_in = scratch.cue_in_sentence;
        cue_in.assign(cues.empty() ? 0 : layout.sentence_starts.size(), 0);
        for (const Hit* cue : cues) cue_in[cue->sentence] = 1;
        auto negated = [&](const Hit& h) {
            if (!cue_in[h.sentence]) return false;
            for (const Hit* cue : cues) {
                if (cue->end > h.start || cue->sentence != h.sentence) continue;
                if (layout.ClauseMarkBetween(cue->end, h.start)) continue;
                if (std::any_of(breaks.begin(), breaks.end(), [&](const Hit* b) { return b->start >= cue->end && b->end <= h.start; }))
                    continue;
                if (CountWords(text, cue->end, h.start) <= pack_.negation_window) return true;
            }
            return false;
        };
        if (!cues.empty()) {
            for (Hit& h : hits) {
                Role r = role(h);
                if ((r == Role::kElement || r == Role::kAntiPattern || r == Role::kMask) && pack_.sections[h.section].negatable &&
                    negated(h))
                    h.alive = false;
            }
        }

        // 3. Voids: politeness, sympathy, conditional and distancing phrases cancel the apology they contain, etc.
        // The label of each hit as a bit (0 for none), so the inner loop is a few compares without branches.
        std::vector<std::uint32_t>& bits = scratch.label_bits;
        bits.resize(hits.size());
        for (std::size_t i = 0; i < hits.size(); ++i) bits[i] = c.label_bit[hits[i].section];
        for (std::size_t vi = 0; vi < hits.size(); ++vi) {
            const Hit& v = hits[vi];
            std::uint32_t mask = c.voids[v.section];
            if (!v.alive || mask == 0) continue;
            const std::size_t v_start = v.start, v_end = v.end;
            for (std::size_t i = 0; i < hits.size(); ++i) {
                Hit& h = hits[i];
                bool voided = ((bits[i] & mask) != 0) & (i != vi) & (h.start < v_end) & (v_start < h.end);
                h.alive = h.alive & !voided;
            }
        }

        // 4. Elements (some count only in statements), and vague phrases that a timescale in the same sentence makes
        // concrete.
        for (Hit& h : hits) {
            if (h.alive && pack_.sections[h.section].statement) {
                ByteRange s = TrimmedSentenceAt(text, layout, h.sentence);
                if (s.end > s.start && text[s.end - 1] == '?') h.alive = false;
            }
        }
        timescale_sentences.clear();
        for (const Hit& h : hits)
            if (h.alive && c.label[h.section] == static_cast<std::size_t>(Element::kTimescale))
                timescale_sentences.push_back(h.sentence);
        for (Hit& h : hits) {
            if (h.alive && pack_.sections[h.section].vague &&
                std::find(timescale_sentences.begin(), timescale_sentences.end(), h.sentence) !=
                    timescale_sentences.end())
                h.alive = false;
        }
        present.fill(false);
        vague_alive = false;
        for (const Hit& h : hits) {
            if (h.alive && role(h) == Role::kElement) present[c.label[h.section]] = true;
            if (h.alive && pack_.sections[h.section].vague) vague_alive = true;
        }
    };
    scan_group(c.groups[0]);
    resolve();
    // The lazy groups (GroupPatterns): a group's matches could only make its element present, so it is scanned
    // only when the element is absent or when something else reads those matches: a promise while the draft has no
    // timescale, an explanation that may be an excuse, a timescale while a vague phrase stands.
    constexpr auto kExplanation = static_cast<std::size_t>(Element::kExplanation);
    constexpr auto kTimescale = static_cast<std::size_t>(Element::kTimescale);
    bool excuse_possible = !present[static_cast<std::size_t>(Element::kApology)] && context.fault != Fault::kNotOurs &&
                           context.step != Step::kFixCause;
    bool more = false;
    for (std::size_t g = 1; g < c.groups.size(); ++g) {
        const Compiled::Group& group = c.groups[g];
        bool needed = !present[group.label] || (group.promise && !present[kTimescale]) ||
                      (group.label == kExplanation && excuse_possible) || (group.label == kTimescale && vague_alive);
        if (needed && scan_group(group)) more = true;
    }
    if (more) resolve();

    Report report;
    for (std::size_t e = 0; e < kElementCount; ++e) report.elements[e] = present[e];

    // 5. Findings: matched anti-patterns (overlapping ones of a kind merged), then the derived ones.
    std::vector<Span>& spans = scratch.spans;
    spans.clear();
    for (const Hit& h : hits)
        if (h.alive && role(h) == Role::kAntiPattern)
            spans.push_back({static_cast<FindingKind>(c.label[h.section] - kElementCount), h.start, h.end});
    std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) {
        return a.kind != b.kind ? a.kind < b.kind : a.start < b.start;
    });
    std::vector<Span>& merged = scratch.merged;
    merged.clear();
    for (const Span& s : spans) {
        if (!merged.empty() && merged.back().kind == s.kind && s.start < merged.back().end)
            merged.back().end = std::max(merged.back().end, s.end);
        else
            merged.push_back(s);
    }
    auto first_alive = [&](auto predicate) -> const Hit* {
        const Hit* best = nullptr;
        for (const Hit& h : hits)
            if (h.alive && predicate(h) && (!best || h.start < best->start)) best = &h;
        return best;
    };
    if (report.Has(Element::kExplanation) && !report.Has(Element::kApology) && context.fault != Fault::kNotOurs &&
        context.step != Step::kFixCause) {
        const Hit* h = first_alive([&](const Hit& x) { return c.label[x.section] == static_cast<std::size_t>(Element::kExplanation); });
        ByteRange s = TrimmedSentence(text, layout, h->start);
        merged.push_back({FindingKind::kExcuseWithoutApology, s.start, s.end});
    }
    if (!report.Has(Element::kTimescale)) {
        const Hit* h = first_alive([&](const Hit& x) { return pack_.sections[x.section].promise; });
        bool already = std::any_of(merged.begin(), merged.end(), [](const Span& s) { return s.kind == FindingKind::kVaguePromise; });
        if (h && !already) {
            ByteRange s = TrimmedSentence(text, layout, h->start);
            merged.push_back({FindingKind::kVaguePromise, s.start, s.end});
        }
    }
    if (context.sent != nullptr) {
        std::optional<BoilerplateHit> hit = context.sent->Check(context.customer, FingerprintOf(text), context.now_unix);
        if (hit && hit->kind == BoilerplateHit::Kind::kMassSend) {
            std::string lower(text);
            std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char ch) { return std::tolower(ch); });
            for (const std::string& term : context.personal_terms) {
                std::string t(term);
                std::transform(t.begin(), t.end(), t.begin(), [](unsigned char ch) { return std::tolower(ch); });
                if (!t.empty() && lower.find(t) != std::string::npos) hit.reset();
                if (!hit) break;
            }
        }
        if (hit) {
            ByteRange all = TrimmedSentence(text, layout, 0);
            all.end = text.size();
            while (all.end > all.start && std::isspace(static_cast<unsigned char>(text[all.end - 1]))) --all.end;
            merged.push_back({FindingKind::kBoilerplate, all.start, all.end});
        }
    }
    std::sort(merged.begin(), merged.end(), [](const Span& a, const Span& b) {
        return a.start != b.start ? a.start < b.start : a.kind < b.kind;
    });
    std::size_t counted_bytes = 0, counted_points = 0;  // code points in text[0, counted_bytes): spans come by start
    report.findings.reserve(merged.size());
    for (const Span& s : merged) {
        Finding f;
        f.kind = s.kind;
        counted_points += CodePointOffset(text.substr(counted_bytes), s.start - counted_bytes);
        counted_bytes = s.start;
        f.start = counted_points;
        f.end = f.start + CodePointOffset(text.substr(s.start), s.end - s.start);
        f.excerpt = std::string(input.substr(s.start, s.end - s.start));
        const std::size_t k = static_cast<std::size_t>(s.kind);
        if (c.reason[k]) f.reason = *c.reason[k];
        if (c.suggestion[k]) f.suggestion = *c.suggestion[k];
        report.findings.push_back(std::move(f));
    }

    // 6. Score: 30 to start, 60 for what the step requires, 5 each for up to two helpful extras, less the
    // anti-patterns (once per kind).
    std::vector<Element> required = Required(context);
    std::size_t met = 0;
    for (Element e : required) {
        if (report.Has(e)) {
            ++met;
            continue;
        }
        MissingElement m{e, {}};
        if (const std::string* text = c.missing[static_cast<std::size_t>(e)]) m.suggestion = *text;
        report.missing.push_back(std::move(m));
    }
    int extras = 0;
    for (Element e : {Element::kThanks, Element::kEmpathy, Element::kInvitation, Element::kAcknowledgement,
                      Element::kListeningQuestion, Element::kRemedy}) {
        if (report.Has(e) && std::find(required.begin(), required.end(), e) == required.end()) ++extras;
    }
    double coverage = required.empty() ? 1.0 : static_cast<double>(met) / static_cast<double>(required.size());
    int score = 30 + static_cast<int>(std::lround(60.0 * coverage)) + 5 * std::min(extras, 2);
    std::array<bool, kFindingKindCount> seen{};
    for (const Finding& f : report.findings) {
        std::size_t k = static_cast<std::size_t>(f.kind);
        if (!seen[k]) score -= kPenalty[k];
        seen[k] = true;
    }
    report.score = std::clamp(score, 0, 100);
    if (report.score >= 75 && !report.Has(FindingKind::kBlameCustomer))
        report.verdict = Verdict::kGood;
    else if (report.score >= 45)
        report.verdict = Verdict::kNeedsWork;
    else
        report.verdict = Verdict::kPoor;
    return report;
}

const Coach& DefaultCoach() {
    static const std::unique_ptr<Coach> coach = [] {
        auto created = Coach::Create("en");
        // The English pack is compiled in and covered by tests: failing here is a build defect.
        if (!created) throw std::runtime_error("coach: " + created.error().message);
        return std::move(*created);
    }();
    return *coach;
}

Expected<Report> Analyze(std::string_view text, const Context& context) { return DefaultCoach().Analyze(text, context); }

}  // namespace amends::coach
