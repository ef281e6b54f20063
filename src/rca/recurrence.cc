#include "rca/recurrence.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <numeric>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "coach/text.h"

namespace amends::rca {

namespace {

constexpr std::size_t kRows = 3;                  // MinHash values per LSH band
constexpr std::size_t kBands = 21;                // J = 0.5 becomes a candidate with p = 0.94, J = 0.1 with p = 0.02
constexpr std::size_t kHashes = kRows * kBands;   // MinHash signature length
constexpr std::size_t kAllPairsBucket = 32;       // buckets up to this size compare all pairs; larger ones a chain

// Common words that say nothing about what went wrong.
constexpr std::string_view kStopWords[] = {
    "a",     "about", "after", "again", "all",   "also",  "am",     "an",    "and",   "any",   "are",   "as",
    "at",    "be",    "been",  "but",   "by",    "can",   "could",  "did",   "do",    "does",  "dear",  "for",
    "from",  "had",   "has",   "have",  "hello", "hi",    "how",    "i",     "i'm",   "if",    "in",    "is",
    "it",    "it's",  "its",   "just",  "me",    "my",    "no",     "not",   "of",    "on",    "or",    "our",
    "please", "regards", "so", "that",  "the",   "their", "them",   "then",  "there", "they",  "this",  "thanks",
    "thank", "to",    "too",   "us",    "very",  "was",   "we",     "were",  "what",  "when",  "which", "why",
    "will",  "with",  "would", "you",   "your"};

bool IsStopWord(std::string_view w) {
    static const std::unordered_set<std::string_view> set(std::begin(kStopWords), std::end(kStopWords));
    return set.contains(w);
}

std::uint64_t Mix(std::uint64_t x) {  // splitmix64's finalizer
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

struct Permutations {
    std::array<std::uint64_t, kHashes> a{}, b{};
    Permutations() {
        for (std::size_t k = 0; k < kHashes; ++k) {
            a[k] = Mix(2 * k + 1) | 1;
            b[k] = Mix(2 * k + 2);
        }
    }
};

using Signature = std::array<std::uint32_t, kHashes>;

// The MinHash signature of the case's word set; false when the text has no usable words.
bool Sign(std::string_view text, const Permutations& p, std::vector<std::uint64_t>& words, Signature& sig) {
    words.clear();
    coach::ForEachFoldedWord(
        text,
        [&](std::string_view w) {
            if (w.size() < 2 || IsStopWord(w)) return;
            if (std::any_of(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '9'; })) return;
            words.push_back(Mix(std::hash<std::string_view>{}(w)));
        },
        [] {});
    if (words.empty()) return false;
    std::sort(words.begin(), words.end());
    words.erase(std::unique(words.begin(), words.end()), words.end());
    std::array<std::uint64_t, kHashes> mins;
    mins.fill(~0ULL);
    for (std::uint64_t x : words)
        for (std::size_t k = 0; k < kHashes; ++k) {
            std::uint64_t h = p.a[k] * x + p.b[k];
            h ^= h >> 29;
            mins[k] = std::min(mins[k], h);
        }
    for (std::size_t k = 0; k < kHashes; ++k) sig[k] = static_cast<std::uint32_t>(mins[k] >> 32);
    return true;
}

double Similarity(const Signature& a, const Signature& b) {
    std::size_t same = 0;
    for (std::size_t k = 0; k < kHashes; ++k) same += a[k] == b[k];
    return static_cast<double>(same) / kHashes;
}

class DisjointSets {
public:
    explicit DisjointSets(std::size_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), 0u); }
    std::uint32_t Find(std::uint32_t x) {
        while (parent_[x] != x) x = parent_[x] = parent_[parent_[x]];
        return x;
    }
    void Join(std::uint32_t a, std::uint32_t b) {
        a = Find(a), b = Find(b);
        if (a != b) parent_[std::max(a, b)] = std::min(a, b);
    }

private:
    std::vector<std::uint32_t> parent_;
};

std::string Normalized(std::string_view s) {
    std::string out;
    bool space = false;
    for (char c : s) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            space = !out.empty();
            continue;
        }
        if (space) out += ' ';
        space = false;
        out += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    return out;
}

// Groups as lists of input indices, largest first.
std::vector<std::vector<std::uint32_t>> Group(std::span<const CaseDigest> cases, const RecurrenceOptions& options) {
    const std::size_t n = cases.size();
    DisjointSets sets(n);

    std::unordered_map<std::string, std::uint32_t> categories;
    std::vector<std::uint32_t> category(n);
    for (std::size_t i = 0; i < n; ++i)
        category[i] = categories.try_emplace(cases[i].category, static_cast<std::uint32_t>(categories.size()))
                          .first->second;

    std::unordered_map<std::string, std::uint32_t> references;  // "category\nreference" -> first case
    for (std::size_t i = 0; i < n; ++i) {
        if (!cases[i].reference) continue;
        std::string ref = Normalized(*cases[i].reference);
        if (ref.empty()) continue;
        auto [it, fresh] = references.try_emplace(cases[i].category + "\n" + ref, static_cast<std::uint32_t>(i));
        if (!fresh) sets.Join(it->second, static_cast<std::uint32_t>(i));
    }

    static const Permutations permutations;
    std::vector<Signature> signatures(n);
    std::vector<std::uint32_t> signed_cases;
    signed_cases.reserve(n);
    std::vector<std::uint64_t> words;
    for (std::size_t i = 0; i < n; ++i)
        if (Sign(cases[i].text, permutations, words, signatures[i])) signed_cases.push_back(static_cast<std::uint32_t>(i));

    std::vector<std::pair<std::uint64_t, std::uint32_t>> buckets(signed_cases.size());
    auto try_join = [&](std::uint32_t a, std::uint32_t b) {
        if (sets.Find(a) == sets.Find(b)) return;
        if (Similarity(signatures[a], signatures[b]) >= options.similarity) sets.Join(a, b);
    };
    for (std::size_t band = 0; band < kBands; ++band) {
        for (std::size_t j = 0; j < signed_cases.size(); ++j) {
            const std::uint32_t i = signed_cases[j];
            std::uint64_t key = Mix(category[i] + (band << 32));
            for (std::size_t r = 0; r < kRows; ++r) key = Mix(key ^ signatures[i][band * kRows + r]);
            buckets[j] = {key, i};
        }
        std::sort(buckets.begin(), buckets.end());
        for (std::size_t start = 0; start < buckets.size();) {
            std::size_t end = start + 1;
            while (end < buckets.size() && buckets[end].first == buckets[start].first) ++end;
            if (end - start <= kAllPairsBucket) {
                for (std::size_t x = start; x < end; ++x)
                    for (std::size_t y = x + 1; y < end; ++y) try_join(buckets[x].second, buckets[y].second);
            } else {
                for (std::size_t x = start + 1; x < end; ++x) {
                    try_join(buckets[start].second, buckets[x].second);
                    try_join(buckets[x - 1].second, buckets[x].second);
                }
            }
            start = end;
        }
    }

    std::unordered_map<std::uint32_t, std::size_t> by_root;
    std::vector<std::vector<std::uint32_t>> groups;
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint32_t root = sets.Find(static_cast<std::uint32_t>(i));
        auto [it, fresh] = by_root.try_emplace(root, groups.size());
        if (fresh) groups.emplace_back();
        groups[it->second].push_back(static_cast<std::uint32_t>(i));
    }
    std::erase_if(groups, [](const auto& g) { return g.size() < 2; });
    std::stable_sort(groups.begin(), groups.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
    return groups;
}

CaseGroup ToCaseGroup(std::span<const CaseDigest> cases, const std::vector<std::uint32_t>& members) {
    CaseGroup g;
    g.category = cases[members.front()].category;
    g.case_ids.reserve(members.size());
    for (std::uint32_t i : members) g.case_ids.push_back(cases[i].id);
    return g;
}

std::string DaysText(Millis window) {
    const auto days = std::chrono::duration_cast<std::chrono::days>(window).count();
    return days * std::chrono::days(1) == window ? std::to_string(days) + " days"
                                                 : std::to_string(window.count() / 3600000) + " hours";
}

}  // namespace

std::vector<CaseGroup> GroupCases(std::span<const CaseDigest> cases, const RecurrenceOptions& options) {
    std::vector<CaseGroup> out;
    for (const auto& members : Group(cases, options)) out.push_back(ToCaseGroup(cases, members));
    return out;
}

RecurrenceReport FindRecurrence(std::span<const CaseDigest> cases, std::span<const DebriefCoverage> debriefs,
                                TimePoint now, const RecurrenceOptions& options) {
    RecurrenceReport report;
    const auto groups = Group(cases, options);
    std::unordered_map<Id, std::size_t> group_of;
    for (std::size_t g = 0; g < groups.size(); ++g) {
        report.groups.push_back(ToCaseGroup(cases, groups[g]));
        for (std::uint32_t i : groups[g]) group_of.emplace(cases[i].id, g);
    }

    std::vector<bool> covered(groups.size(), false);
    for (const DebriefCoverage& d : debriefs) {
        std::vector<std::size_t> touched;
        for (Id id : d.case_ids)
            if (auto it = group_of.find(id); it != group_of.end()) {
                covered[it->second] = true;
                if (std::find(touched.begin(), touched.end(), it->second) == touched.end())
                    touched.push_back(it->second);
            }
        std::sort(touched.begin(), touched.end());
        const std::unordered_set<Id> own(d.case_ids.begin(), d.case_ids.end());
        for (const auto& action : d.completed_actions)
            for (std::size_t g : touched) {
                Reopening r{g, d.debrief_id, action.action_id, {}};
                for (std::uint32_t i : groups[g])
                    if (cases[i].created_at > action.completed_at && !own.contains(cases[i].id))
                        r.new_case_ids.push_back(cases[i].id);
                if (!r.new_case_ids.empty()) report.reopenings.push_back(std::move(r));
            }
    }

    for (std::size_t g = 0; g < groups.size(); ++g) {
        if (covered[g]) continue;
        std::size_t recent = 0;
        for (std::uint32_t i : groups[g])
            recent += cases[i].created_at > now - options.window && cases[i].created_at <= now;
        if (recent < options.threshold) continue;
        report.flags.push_back({g, recent,
                                std::to_string(recent) + " alike cases of category " + report.groups[g].category +
                                    " in the last " + DaysText(options.window) +
                                    " and no debrief: a possible systemic problem"});
    }
    return report;
}

}  // namespace amends::rca
