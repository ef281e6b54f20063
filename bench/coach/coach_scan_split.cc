// coach_scan_split: measures ways of splitting the coach's Hyperscan scan (issue 4), on the same ~1 KB replies as
// coach_bench (thread CPU time, best of 5, µs per KB of scanned text). A profiling aid, not part of the coach:
//   1. the database as the coach builds it (start of match, SOM, tracked) and the same without SOM;
//   2. two stages: a scan without SOM for the ends, then each matched pattern's own SOM database over a window
//      of its maximum width before the ends (ends of a pattern closer than that share a window);
//   3. two stages: a scan without SOM, then each pattern reversed and anchored at each end, scanned backwards
//      over its maximum width (the longest reverse match is the leftmost start; fixed-width patterns need none);
//      3b. the same with the forward scan's leading \b left out (what MultiMatcher does now); 3c. 3b in Hyperscan's
//      prefilter mode; 3d. 3b with the bounded repeats opened (forward scans only);
//   4. a bound for any prefilter: the database holding only the patterns that match somewhere in these replies;
//   5. with CORPUS.jsonl: a prefilter: one scan for the literals every match of a pattern contains
//      (RequiredLiterals), then only the group databases holding a pattern that can match; the patterns are
//      grouped by how often they can match in the corpus (glued into ~1 KB texts), not in the bench replies.
//   coach_scan_split [CORPUS.jsonl]
// Stages 2, 3, 3b and 5 are checked to give exactly the matches of (1) on every reply ("mismatching replies: 0").

#include <hs/hs.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include <fstream>

#include "bench/coach/hs_set.h"
#include "bench/coach/bench_replies.h"
#include "bench/coach/required_literals.h"
#include "coach/lexicon.h"
#include "coach/text.h"

namespace {

struct Match {
    unsigned id;
    unsigned long long from, to;
    bool operator<(const Match& o) const { return std::tie(id, to, from) < std::tie(o.id, o.to, o.from); }
    bool operator==(const Match& o) const = default;
};

int Collect(unsigned id, unsigned long long from, unsigned long long to, unsigned, void* out) {
    static_cast<std::vector<Match>*>(out)->push_back({id, from, to});
    return 0;
}

int LongestEnd(unsigned, unsigned long long, unsigned long long to, unsigned, void* best) {
    auto* b = static_cast<unsigned long long*>(best);
    *b = std::max(*b, to);
    return 0;
}

// A set that must compile: the tool stops otherwise.
hs_database_t* Compile(const std::vector<std::string>& expressions, const std::vector<unsigned>& flags) {
    hs_database_t* db = amends::bench::CompileSet(expressions, flags);
    if (!db) std::exit(1);
    return db;
}

// The expression read backwards (the lexicon's subset: groups, classes, escapes, single bytes, ? * + {m,n}, |,
// and ^ $ swapped); empty if it holds anything else.
struct Reverser {
    std::string_view e;
    std::size_t i = 0;
    bool ok = true;
    std::string Piece() {
        std::string atom;
        char c = e[i];
        if (c == '(') {
            if (e.substr(i, 3) == "(?:") i += 3;
            else if (i + 1 < e.size() && e[i + 1] == '?') return ok = false, "";
            else i += 1;
            std::string inner = Alternation();
            if (i >= e.size() || e[i] != ')') return ok = false, "";
            ++i;
            atom = "(?:" + inner + ")";
        } else if (c == '[') {
            std::size_t j = i + 1;
            if (j < e.size() && e[j] == '^') ++j;
            if (j < e.size() && e[j] == ']') ++j;
            for (; j < e.size() && e[j] != ']'; ++j)
                if (e[j] == '\\') ++j;
            if (j >= e.size()) return ok = false, "";
            atom = std::string(e.substr(i, j + 1 - i));
            i = j + 1;
        } else if (c == '\\') {
            if (i + 1 >= e.size()) return ok = false, "";
            atom = std::string(e.substr(i, 2));
            i += 2;
        } else {
            atom = c == '^' ? "$" : c == '$' ? "^" : std::string(1, c);
            ++i;
        }
        if (i < e.size() && (e[i] == '?' || e[i] == '*' || e[i] == '+')) {
            atom += e[i++];
        } else if (i < e.size() && e[i] == '{') {
            std::size_t j = i + 1;
            while (j < e.size() && (std::isdigit(static_cast<unsigned char>(e[j])) || e[j] == ',')) ++j;
            if (j < e.size() && e[j] == '}' && j > i + 1) {
                atom += std::string(e.substr(i, j + 1 - i));
                i = j + 1;
            }
        }
        if (i < e.size() && (e[i] == '?' || e[i] == '+')) ok = false;  // lazy or possessive: not in the lexicon
        return atom;
    }
    std::string Alternation() {
        std::string out, branch;
        bool first = true;
        auto flush = [&] {
            out += (first ? "" : "|") + branch;
            branch.clear();
            first = false;
        };
        while (ok && i < e.size() && e[i] != ')') {
            if (e[i] == '|') {
                flush();
                ++i;
                continue;
            }
            branch = Piece() + branch;
        }
        flush();
        return out;
    }
};
std::string Reversed(std::string_view expression) {
    Reverser r{expression};
    std::string out = r.Alternation();
    return r.ok && r.i == expression.size() ? out : "";
}

}  // namespace

int MarkLiteral(unsigned id, unsigned long long, unsigned long long, unsigned, void* seen) {
    (*static_cast<std::vector<char>*>(seen))[id] = 1;
    return 0;
}

int main(int argc, char** argv) {
    auto pack = amends::coach::ParseLanguagePack(amends::coach::CoachLexicon(), "en");
    if (!pack) return 1;
    std::vector<std::string> expressions;
    for (const auto& p : pack->patterns) expressions.push_back(amends::coach::MatcherExpression(p));
    const std::size_t n = expressions.size();
    constexpr unsigned kBase = HS_FLAG_CASELESS | HS_FLAG_MULTILINE;
    // SOM as MultiMatcher::Compile sets it: not through a bounded repeat of 20 or more.
    std::vector<unsigned> som(n, kBase | HS_FLAG_SOM_LEFTMOST), plain(n, kBase);
    std::vector<bool> exact(n, true);
    for (std::size_t i = 0; i < n; ++i) {
        const std::string& e = expressions[i];
        for (std::size_t k = 0; k < e.size(); ++k) {
            if (e[k] == '\\') ++k;
            else if (e[k] == '{' && e.find(',', k) < e.find('}', k) && std::atoi(e.c_str() + e.find(',', k) + 1) >= 20)
                exact[i] = false;
        }
        if (!exact[i]) som[i] = kBase;
    }
    hs_database_t* with_som = Compile(expressions, som);
    hs_database_t* without_som = Compile(expressions, plain);
    std::vector<unsigned> width(n, 0), fixed(n, 0);
    std::vector<hs_database_t*> own(n, nullptr), reversed(n, nullptr);
    hs_scratch_t *scratch = nullptr, *small = nullptr;
    hs_alloc_scratch(with_som, &scratch);
    hs_alloc_scratch(without_som, &scratch);
    for (std::size_t i = 0; i < n; ++i) {
        if (!exact[i]) continue;
        hs_expr_info_t* info = nullptr;
        hs_compile_error_t* error = nullptr;
        hs_expression_info(expressions[i].c_str(), som[i], &info, &error);
        width[i] = info->max_width;
        fixed[i] = info->min_width == info->max_width;
        std::free(info);
        own[i] = Compile({expressions[i]}, {som[i]});
        hs_alloc_scratch(own[i], &small);
        std::string backwards = Reversed(expressions[i]);
        if (backwards.empty()) {
            std::fprintf(stderr, "cannot reverse %s\n", expressions[i].c_str());
            return 1;
        }
        // One byte of context first (the byte after the end, or '\n' at the end of the text), then the pattern.
        reversed[i] = Compile({"^[\\s\\S](?:" + backwards + ")"}, {kBase});
        hs_alloc_scratch(reversed[i], &small);
    }

    std::vector<std::string> texts;
    double kilobytes = 0;
    for (const std::string& reply : amends::coach::bench::MakeReplies(1000, 1024, 42)) {
        texts.push_back(amends::coach::CollapseWhitespace(reply).text);
        kilobytes += static_cast<double>(texts.back().size()) / 1024.0;
    }
    std::vector<Match> out, first;
    auto time = [&](const char* name, auto&& scan) {
        double best = 1e300;
        for (int run = 0; run < 5; ++run) {
            double start = amends::bench::ThreadMicros();
            for (const std::string& t : texts) scan(t);
            best = std::min(best, amends::bench::ThreadMicros() - start);
        }
        std::printf("%-62s %6.2f us/KB\n", name, best / kilobytes);
    };
    auto check = [&](auto&& scan) {
        std::size_t bad = 0;
        for (const std::string& t : texts) {
            scan(t);
            std::vector<Match> got = out, want;
            hs_scan(with_som, t.data(), static_cast<unsigned>(t.size()), 0, scratch, Collect, &want);
            std::sort(got.begin(), got.end());
            std::sort(want.begin(), want.end());
            bad += got != want;
        }
        std::printf("%-62s %zu\n", "  mismatching replies:", bad);
    };
    auto scan_with = [&](hs_database_t* db) {
        return [&, db](const std::string& t) {
            out.clear();
            hs_scan(db, t.data(), static_cast<unsigned>(t.size()), 0, scratch, Collect, &out);
        };
    };
    time("1. one scan, SOM tracked (as the coach)", scan_with(with_som));
    time("1. one scan, no SOM", scan_with(without_som));

    // 6. The text lower-cased (ASCII) before the scan and the patterns compiled without HS_FLAG_CASELESS (their
    // letters lower-cased, escapes such as \S and \B kept): the same matches, for ASCII case folding is all that
    // CASELESS does without HS_FLAG_UTF8.
    std::vector<std::string> folded_expressions = expressions;
    for (auto& e : folded_expressions)
        for (std::size_t k = 0; k < e.size(); ++k) {
            if (e[k] == '\\') ++k;
            else e[k] = static_cast<char>(std::tolower(static_cast<unsigned char>(e[k])));
        }
    std::vector<unsigned> folded_som = som, folded_plain = plain;
    for (auto& f : folded_som) f &= ~HS_FLAG_CASELESS;
    for (auto& f : folded_plain) f &= ~HS_FLAG_CASELESS;
    hs_database_t* folded_with_som = Compile(folded_expressions, folded_som);
    hs_database_t* folded_without_som = Compile(folded_expressions, folded_plain);
    hs_alloc_scratch(folded_with_som, &scratch);
    hs_alloc_scratch(folded_without_som, &scratch);
    std::string lower;
    auto scan_folded = [&](hs_database_t* db) {
        return [&, db](const std::string& t) {
            out.clear();
            lower.resize(t.size());
            for (std::size_t k = 0; k < t.size(); ++k)
                lower[k] = static_cast<char>(t[k] >= 'A' && t[k] <= 'Z' ? t[k] + 32 : t[k]);
            hs_scan(db, lower.data(), static_cast<unsigned>(lower.size()), 0, scratch, Collect, &out);
        };
    };
    time("6. text lower-cased, patterns not CASELESS, SOM", scan_folded(folded_with_som));
    check(scan_folded(folded_with_som));
    time("6. text lower-cased, patterns not CASELESS, no SOM", scan_folded(folded_without_som));

    auto windows = [&](const std::string& t) {
        first.clear();
        out.clear();
        hs_scan(without_som, t.data(), static_cast<unsigned>(t.size()), 0, scratch, Collect, &first);
        std::sort(first.begin(), first.end());
        for (std::size_t i = 0; i < first.size();) {
            unsigned id = first[i].id;
            std::size_t j = i;
            while (j < first.size() && first[j].id == id) ++j;
            if (!exact[id]) {
                out.insert(out.end(), first.begin() + static_cast<long>(i), first.begin() + static_cast<long>(j));
                i = j;
                continue;
            }
            for (std::size_t k = i; k < j;) {
                std::size_t last = k;
                while (last + 1 < j && first[last + 1].to <= first[last].to + width[id] + 2) ++last;
                unsigned long long lo = first[k].to > width[id] + 1 ? first[k].to - width[id] - 1 : 0;
                unsigned long long hi = std::min<unsigned long long>(first[last].to + 1, t.size());
                std::size_t before = out.size(), kept = before, q = k;
                hs_scan(own[id], t.data() + lo, static_cast<unsigned>(hi - lo), 0, small, Collect, &out);
                for (std::size_t r = before; r < out.size(); ++r) {
                    Match m{id, out[r].from + lo, out[r].to + lo};
                    while (q <= last && first[q].to < m.to) ++q;
                    if (q <= last && first[q].to == m.to) out[kept++] = m;
                }
                out.resize(kept);
                k = last + 1;
            }
            i = j;
        }
    };
    time("2. no SOM, then each pattern's SOM database over windows", windows);
    check(windows);

    std::string backwards;
    auto reverse = [&](const std::string& t) {
        first.clear();
        out.clear();
        hs_scan(without_som, t.data(), static_cast<unsigned>(t.size()), 0, scratch, Collect, &first);
        backwards.assign(1, '\n');
        backwards.append(t.rbegin(), t.rend());
        for (const Match& m : first) {
            if (!exact[m.id]) {
                out.push_back(m);
            } else if (fixed[m.id]) {
                out.push_back({m.id, m.to - width[m.id], m.to});
            } else {
                unsigned long long lo = m.to > width[m.id] + 1 ? m.to - width[m.id] - 1 : 0, longest = 0;
                hs_scan(reversed[m.id], backwards.data() + (t.size() - m.to), static_cast<unsigned>(1 + m.to - lo), 0,
                        small, LongestEnd, &longest);
                out.push_back({m.id, m.to + 1 - longest, m.to});
            }
        }
    };
    time("3. no SOM, then reversed patterns anchored at each end", reverse);
    check(reverse);
    // 3b. The same, with the forward scan's leading \b left out (more ends, some with no valid start; the reversed
    // pattern keeps its \b and drops those).
    std::vector<std::string> loose = expressions;
    for (std::size_t i = 0; i < n; ++i)
        if (exact[i] && !fixed[i] && loose[i].starts_with("\\b")) loose[i] = loose[i].substr(2);
    hs_database_t* loose_db = Compile(loose, plain);
    hs_alloc_scratch(loose_db, &scratch);
    std::size_t calls = 0;
    auto reverse_loose = [&](const std::string& t) {
        first.clear();
        out.clear();
        hs_scan(loose_db, t.data(), static_cast<unsigned>(t.size()), 0, scratch, Collect, &first);
        backwards.assign(1, '\n');
        backwards.append(t.rbegin(), t.rend());
        for (const Match& m : first) {
            if (!exact[m.id]) {
                out.push_back(m);
            } else if (fixed[m.id]) {
                out.push_back({m.id, m.to - width[m.id], m.to});
            } else {
                ++calls;
                unsigned long long lo = m.to > width[m.id] + 1 ? m.to - width[m.id] - 1 : 0, longest = 0;
                hs_scan(reversed[m.id], backwards.data() + (t.size() - m.to), static_cast<unsigned>(1 + m.to - lo), 0,
                        small, LongestEnd, &longest);
                if (longest > 0) out.push_back({m.id, m.to + 1 - longest, m.to});
            }
        }
    };
    std::vector<unsigned> prefilter_flags = plain;
    for (std::size_t i = 0; i < n; ++i)
        if (exact[i] && !fixed[i]) prefilter_flags[i] |= HS_FLAG_PREFILTER;
    hs_database_t* prefilter_db = Compile(loose, prefilter_flags);
    hs_alloc_scratch(prefilter_db, &scratch);
    time("3c. one scan as 3b, in Hyperscan's prefilter mode", scan_with(prefilter_db));
    std::size_t ends = 0;
    for (const std::string& t : texts) scan_with(prefilter_db)(t), ends += out.size();
    std::printf("%-62s %.1f\n", "  ends per reply:", static_cast<double>(ends) / 1000.0);
    ends = 0;
    for (const std::string& t : texts) scan_with(loose_db)(t), ends += out.size();
    std::printf("%-62s %.1f\n", "  ends per reply without prefilter mode:", static_cast<double>(ends) / 1000.0);
    std::vector<std::string> looser = loose;  // and every bounded repeat {m,n} opened to {m,}
    for (std::size_t i = 0; i < n; ++i) {
        if (!exact[i] || fixed[i]) continue;
        std::string& e = looser[i];
        for (std::size_t k = 0; k < e.size(); ++k) {
            if (e[k] == '\\') ++k;
            else if (e[k] == '{' && e.find(',', k) < e.find('}', k)) e.erase(e.find(',', k) + 1, e.find('}', k) - e.find(',', k) - 1);
        }
    }
    hs_database_t* looser_db = Compile(looser, plain);
    hs_alloc_scratch(looser_db, &scratch);
    time("3d. one scan as 3b, bounded repeats opened", scan_with(looser_db));
    ends = 0;
    for (const std::string& t : texts) scan_with(looser_db)(t), ends += out.size();
    std::printf("%-62s %.1f\n", "  ends per reply:", static_cast<double>(ends) / 1000.0);
    time("3b. one scan, no SOM, no leading \\b", scan_with(loose_db));
    time("3b. that, then reversed patterns (with \\b) at each end", reverse_loose);
    calls = 0;
    check(reverse_loose);
    std::printf("%-62s %.1f\n", "  reverse scans per reply:", static_cast<double>(calls) / 1000.0);

    std::vector<bool> matches(n);
    for (const std::string& t : texts) {
        scan_with(without_som)(t);
        for (const Match& m : out) matches[m.id] = true;
    }
    std::vector<std::string> some, rest;
    std::vector<unsigned> some_flags, rest_flags;
    for (std::size_t i = 0; i < n; ++i) {
        (matches[i] ? some : rest).push_back(expressions[i]);
        (matches[i] ? some_flags : rest_flags).push_back(som[i]);
    }
    hs_database_t* matching = Compile(some, some_flags);
    hs_database_t* others = Compile(rest, rest_flags);
    hs_alloc_scratch(matching, &scratch);
    hs_alloc_scratch(others, &scratch);
    char label[96];
    std::snprintf(label, sizeof label, "4. only the %zu patterns that match in some reply, SOM", some.size());
    time(label, scan_with(matching));
    std::snprintf(label, sizeof label, "4. the other %zu patterns, SOM", rest.size());
    time(label, scan_with(others));

    if (argc < 2) return 0;
    // 5. Prefilter. Literals (caseless, each reported once) -> patterns that can match -> their groups.
    std::vector<std::string> literals;
    std::vector<std::vector<std::size_t>> owners;
    std::vector<bool> always(n);
    {
        std::vector<std::pair<std::string, std::size_t>> pairs;
        for (std::size_t i = 0; i < n; ++i) {
            auto required = amends::coach::bench::RequiredLiterals(expressions[i]);
            if (!required) always[i] = true;
            else
                for (const std::string& l : *required) pairs.push_back({l, i});
        }
        std::sort(pairs.begin(), pairs.end());
        for (const auto& [l, i] : pairs) {
            if (literals.empty() || literals.back() != l) {
                literals.push_back(l);
                owners.emplace_back();
            }
            owners.back().push_back(i);
        }
    }
    std::vector<std::string> escaped;
    for (const std::string& l : literals) {
        std::string e;
        char hex[8];
        for (unsigned char c : l) {
            std::snprintf(hex, sizeof hex, "\\x%02x", c);
            e += hex;
        }
        escaped.push_back(e);
    }
    hs_database_t* literal_db = Compile(escaped, std::vector<unsigned>(escaped.size(), HS_FLAG_CASELESS | HS_FLAG_SINGLEMATCH));
    hs_alloc_scratch(literal_db, &scratch);
    std::vector<char> seen(literals.size());
    auto candidates = [&](const std::string& t) {
        std::fill(seen.begin(), seen.end(), 0);
        hs_scan(literal_db, t.data(), static_cast<unsigned>(t.size()), 0, scratch, MarkLiteral, &seen);
        std::vector<bool> can(always);
        for (std::size_t k = 0; k < literals.size(); ++k)
            if (seen[k])
                for (std::size_t i : owners[k]) can[i] = true;
        return can;
    };
    time("5. the literal scan alone", [&](const std::string& t) { candidates(t); });
    std::vector<std::string> corpus;
    {
        std::ifstream in(argv[1]);
        std::string line, glued;
        while (std::getline(in, line)) {
            auto item = nlohmann::json::parse(line, nullptr, false);
            if (!item.is_object() || !item.contains("text")) continue;
            glued += amends::coach::CollapseWhitespace(item["text"].get<std::string>()).text + " ";
            if (glued.size() >= 1024) corpus.push_back(std::move(glued)), glued.clear();
        }
    }
    std::vector<double> often(n);
    double per_text = 0;
    for (const std::string& t : corpus) {
        std::vector<bool> can = candidates(t);
        for (std::size_t i = 0; i < n; ++i) often[i] += can[i], per_text += can[i];
    }
    std::printf("5. patterns that can match, per ~1 KB corpus text: %.1f of %zu (%zu literals)\n",
                per_text / static_cast<double>(corpus.size()), n, literals.size());
    std::vector<std::size_t> order(n);
    for (std::size_t i = 0; i < n; ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return often[a] > often[b]; });
    for (auto [head, chunk] : {std::pair<std::size_t, std::size_t>{60, 40}, {100, 100}}) {
        std::vector<std::vector<std::size_t>> groups(1);
        std::vector<std::size_t> group_of(n);
        for (std::size_t k = 0; k < n; ++k) {
            if (k >= head && (k - head) % chunk == 0) groups.emplace_back();
            groups.back().push_back(order[k]);
            group_of[order[k]] = groups.size() - 1;
        }
        std::vector<hs_database_t*> dbs;
        for (const auto& g : groups) {
            std::vector<std::string> e;
            std::vector<unsigned> f;
            for (std::size_t i : g) e.push_back(expressions[i]), f.push_back(som[i]);
            dbs.push_back(Compile(e, f));
            hs_alloc_scratch(dbs.back(), &scratch);
        }
        std::size_t scanned = 0;
        auto grouped = [&](const std::string& t) {
            out.clear();
            std::vector<bool> can = candidates(t);
            std::vector<bool> on(groups.size());
            on[0] = true;
            for (std::size_t i = 0; i < n; ++i) on[group_of[i]] = on[group_of[i]] || can[i];
            for (std::size_t g = 0; g < groups.size(); ++g) {
                if (!on[g]) continue;
                ++scanned;
                std::size_t before = out.size();
                hs_scan(dbs[g], t.data(), static_cast<unsigned>(t.size()), 0, scratch, Collect, &out);
                for (std::size_t r = before; r < out.size(); ++r) out[r].id = static_cast<unsigned>(groups[g][out[r].id]);
            }
        };
        std::snprintf(label, sizeof label, "5. prefilter, then %zu group databases (first %zu, then %zu each)", groups.size(),
                      head, chunk);
        time(label, grouped);
        scanned = 0;
        check(grouped);
        std::printf("%-62s %.1f\n", "  group databases scanned per reply:", static_cast<double>(scanned) / 1000.0);
    }
    return 0;
}
