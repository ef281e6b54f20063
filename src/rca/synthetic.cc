#include "rca/synthetic.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <set>
#include <string>
#include <unordered_map>

namespace amends::rca {

namespace {

constexpr const char* kOnsets[] = {"b", "c", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z",
                                   "br", "st", "tr", "pl", "gr", "sh", "ch"};
constexpr const char* kNuclei[] = {"a", "e", "i", "o", "u", "ai", "ou", "ea"};
constexpr const char* kFiller[] = {"the", "my", "was", "it", "and", "i", "we", "you", "this", "please", "thanks",
                                   "hello", "is", "to", "of"};
constexpr const char* kCategories[] = {"delivery", "billing", "outage", "quality", "service", "returns",
                                       "account",  "shipping", "install", "warranty", "refunds", "booking"};

class Vocabulary {
public:
    Vocabulary(std::size_t size, std::mt19937_64& rng) {
        std::set<std::string> seen;
        std::uniform_int_distribution<std::size_t> onset(0, std::size(kOnsets) - 1), nucleus(0, std::size(kNuclei) - 1),
            syllables(2, 3);
        while (words_.size() < size) {
            std::string w;
            for (std::size_t s = syllables(rng); s > 0; --s) w += std::string(kOnsets[onset(rng)]) + kNuclei[nucleus(rng)];
            if (seen.insert(w).second) words_.push_back(w);
        }
        std::vector<double> weights(size);
        for (std::size_t r = 0; r < size; ++r) weights[r] = 1.0 / std::pow(static_cast<double>(r + 1), 0.9);
        zipf_ = std::discrete_distribution<std::size_t>(weights.begin(), weights.end());
    }
    const std::string& Zipf(std::mt19937_64& rng) { return words_[zipf_(rng)]; }
    const std::string& Uniform(std::mt19937_64& rng) {
        return words_[std::uniform_int_distribution<std::size_t>(0, words_.size() - 1)(rng)];
    }

private:
    std::vector<std::string> words_;
    std::discrete_distribution<std::size_t> zipf_;
};

void AddFiller(std::string& text, std::mt19937_64& rng) {
    if (std::bernoulli_distribution(0.5)(rng))
        text += std::string(" ") + kFiller[std::uniform_int_distribution<std::size_t>(0, std::size(kFiller) - 1)(rng)];
}

}  // namespace

SyntheticSet GenerateCases(const SyntheticOptions& o) {
    std::mt19937_64 rng(o.seed);
    Vocabulary vocabulary(6000, rng);
    SyntheticSet set;
    set.groups = o.groups;
    const std::size_t categories = std::clamp<std::size_t>(o.categories, 1, std::size(kCategories));
    std::uniform_int_distribution<std::size_t> category(0, categories - 1);
    std::uniform_int_distribution<std::int64_t> in_span(0, o.span.count() - 1), in_window(0, o.window.count() - 1);

    struct Draft {
        CaseDigest c;
        int planted = -1;
    };
    std::vector<Draft> drafts;
    drafts.reserve(o.cases);
    for (std::size_t g = 0; g < o.groups && drafts.size() < o.cases; ++g) {
        const std::string cat = kCategories[category(rng)];
        std::vector<std::string> complaint(std::uniform_int_distribution<std::size_t>(10, 16)(rng));
        for (std::string& w : complaint) w = vocabulary.Uniform(rng);
        const std::size_t size = std::uniform_int_distribution<std::size_t>(o.min_group, o.max_group)(rng);
        for (std::size_t m = 0; m < size && drafts.size() < o.cases; ++m) {
            Draft d;
            d.planted = static_cast<int>(g);
            d.c.category = cat;
            d.c.created_at = o.now - Millis(in_window(rng));
            std::string& text = d.c.text;
            text = "Hello, order " + std::to_string(100000 + drafts.size()) + ":";
            for (const std::string& w : complaint) {
                if (std::bernoulli_distribution(0.9)(rng)) text += " " + w;
                AddFiller(text, rng);
            }
            for (std::size_t k = std::uniform_int_distribution<std::size_t>(0, 4)(rng); k > 0; --k)
                text += " " + vocabulary.Zipf(rng);
            text += ". Thanks!";
            drafts.push_back(std::move(d));
        }
    }
    while (drafts.size() < o.cases) {
        Draft d;
        d.c.category = kCategories[category(rng)];
        d.c.created_at = o.now - Millis(in_span(rng));
        d.c.text = "Hello, order " + std::to_string(100000 + drafts.size()) + ":";
        for (std::size_t k = std::uniform_int_distribution<std::size_t>(8, 24)(rng); k > 0; --k) {
            d.c.text += " " + vocabulary.Zipf(rng);
            AddFiller(d.c.text, rng);
        }
        d.c.text += ".";
        drafts.push_back(std::move(d));
    }
    std::shuffle(drafts.begin(), drafts.end(), rng);
    set.cases.reserve(drafts.size());
    set.planted.reserve(drafts.size());
    for (std::size_t i = 0; i < drafts.size(); ++i) {
        drafts[i].c.id = static_cast<Id>(i + 1);
        drafts[i].c.reference = "order " + std::to_string(1000000 + i);  // unique: text similarity must do the work
        set.cases.push_back(std::move(drafts[i].c));
        set.planted.push_back(drafts[i].planted);
    }
    return set;
}

PlantedScore ScorePlanted(const SyntheticSet& set, const RecurrenceReport& report) {
    PlantedScore s;
    s.planted = set.groups;
    s.flagged = report.flags.size();
    std::vector<std::size_t> planted_size(set.groups, 0);
    for (int p : set.planted)
        if (p >= 0) ++planted_size[static_cast<std::size_t>(p)];
    std::size_t planted_cases = 0;
    for (std::size_t n : planted_size) planted_cases += n;

    std::vector<bool> found(set.groups, false);
    std::size_t flagged_cases = 0, right_cases = 0;
    for (const SystemicFlag& flag : report.flags) {
        const CaseGroup& g = report.groups[flag.group];
        std::unordered_map<int, std::size_t> counts;
        for (Id id : g.case_ids) ++counts[set.planted[static_cast<std::size_t>(id - 1)]];
        flagged_cases += g.case_ids.size();
        auto best = std::max_element(counts.begin(), counts.end(),
                                     [](const auto& a, const auto& b) { return a.second < b.second; });
        if (best->first < 0) continue;
        const std::size_t p = static_cast<std::size_t>(best->first);
        if (2 * best->second > g.case_ids.size() && 2 * best->second > planted_size[p]) {
            ++s.matched_flags;
            right_cases += best->second;
            found[p] = true;
        }
    }
    s.found = static_cast<std::size_t>(std::count(found.begin(), found.end(), true));
    if (s.flagged > 0) s.precision = static_cast<double>(s.matched_flags) / s.flagged;
    if (s.planted > 0) s.recall = static_cast<double>(s.found) / s.planted;
    if (flagged_cases > 0) s.case_precision = static_cast<double>(right_cases) / flagged_cases;
    if (planted_cases > 0) s.case_recall = static_cast<double>(right_cases) / planted_cases;
    return s;
}

}  // namespace amends::rca
