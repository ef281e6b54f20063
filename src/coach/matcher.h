#pragma once
// One Hyperscan database holding every pattern of a language pack, compiled once and scanned in one pass.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "domain/error.h"

struct hs_database;
struct hs_scratch;

namespace amends::coach {

// A match of pattern `id` over bytes [start, end) of the scanned text.
struct RawMatch {
    std::uint32_t id = 0;
    std::size_t start = 0;
    std::size_t end = 0;
};

// Puts `matches` in the order of `less`, stably, by insertion: for the few dozen matches of a draft that are nearly
// in order already (a sort by comparison mispredicts most of its branches there; std::stable_sort allocates).
template <typename Less>
void SortByInsertion(std::span<RawMatch> matches, Less less) {
    for (std::size_t k = 1; k < matches.size(); ++k) {
        if (!less(matches[k], matches[k - 1])) continue;
        const RawMatch m = matches[k];
        std::size_t j = k;
        for (; j > 0 && less(m, matches[j - 1]); --j) matches[j] = matches[j - 1];
        matches[j] = m;
    }
}

// The top level of a Hyperscan expression: whether it has a `|` outside every group and class, and the group depth
// and whether a class is open just before byte `at` (for `at` < size). Escapes, and a ']' first in a class ([]...],
// [^]...]), are read as the syntax reads them.
struct ExpressionShape {
    bool top_level_alternation = false;
    int depth_at = 0;
    bool class_at = false;
};
ExpressionShape ShapeOf(std::string_view expression, std::size_t at = std::string_view::npos);

// out = '\n' followed by the bytes of text from its last to its first (what the reverse scans read), reusing out's
// memory. Exposed for tests.
void ReverseInto(std::string_view text, std::string& out);

// A compiled set of regular expressions (Hyperscan syntax; caseless, UTF-8, leftmost start; \b and
// \w are ASCII here, so callers check word edges with Unicode rules, see text.h IsWordEdge).
// Immutable once built: Scan() is safe to call from many threads at once; each call borrows a scratch space
// from a small pool guarded by a mutex (Hyperscan wants one scratch per concurrent scan).
//
// How starts are found (the results are those of one scan with Hyperscan's leftmost start-of-match tracking, which
// costs about 30% more scan time): one scan without start tracking, in which a pattern's leading \b is left out,
// reports the ends; then a fixed-width pattern's start is its end less its width, and any other pattern's is found
// by scanning its reversed expression, anchored at the end, backwards over at most its maximum width (the longest
// reversed match is the leftmost start; an end with none, which only the left-out \b let through, is dropped).
// A pattern whose expression cannot be reversed keeps start tracking in the one scan.
class MultiMatcher {
public:
    // Compiles all expressions; an invalid one fails with kInvalidArgument and its index in `field`. With
    // `portable`, the database runs on any x86-64 CPU Hyperscan supports (for one compiled at build time).
    // `scan_from` (empty, or one offset per expression): where in the expression the forward scan starts, 0 for the
    // whole. With an offset, the forward scan looks for expression[offset:], a suffix of the pattern that starts
    // between two of its top-level pieces (the lexicon's {SCAN}, which checks that), and the reverse scan of the
    // whole expression keeps only the ends the whole pattern has: the matches are the same, found from a rarer
    // part of the pattern. Such a pattern must be one whose start a reverse scan finds (bounded, reversible, no
    // long gap), else kInvalidArgument.
    static Expected<std::unique_ptr<MultiMatcher>> Compile(std::span<const std::string> expressions, bool portable = false,
                                                           std::span<const std::size_t> scan_from = {});

    // Serialize() writes the database with its per-pattern flags and a digest of the expressions;
    // Deserialize() restores it, failing (kUnprocessable) when the digest does not match `expressions` and
    // `scan_from`, or the
    // bytes are corrupt, or the database does not run on this CPU. Compiling takes seconds; restoring, microseconds.
    std::string Serialize() const;
    static Expected<std::unique_ptr<MultiMatcher>> Deserialize(std::string_view bytes, std::span<const std::string> expressions,
                                                               std::span<const std::size_t> scan_from = {});
    ~MultiMatcher();
    MultiMatcher(const MultiMatcher&) = delete;
    MultiMatcher& operator=(const MultiMatcher&) = delete;

    // False for a pattern whose start offset Hyperscan cannot track (too large with start-of-match): its matches
    // come with start 0.
    bool ExactStart(std::uint32_t id) const { return exact_start_[id]; }

    // Appends every match (for each pattern, every end offset, with the leftmost start) to `out`, in order of end.
    // With `word_end`, a match of a pattern i with word_end[i] whose end is not at a word edge (IsWordEdge, Unicode
    // rules) is left out, before its start is looked for (for callers that would drop it anyway).
    void Scan(std::string_view text, std::vector<RawMatch>& out, const std::vector<bool>* word_end = nullptr) const;

private:
    struct DatabaseDeleter {
        void operator()(hs_database* db) const;
    };
    struct ScratchDeleter {
        void operator()(hs_scratch* scratch) const;
    };
    using ScratchPtr = std::unique_ptr<hs_scratch, ScratchDeleter>;

    MultiMatcher() = default;
    ScratchPtr Borrow() const;
    void Return(ScratchPtr scratch) const;

    enum class StartBy : std::uint8_t { kNone, kTracked, kWidth, kReverse };
    struct PatternStart {
        StartBy by = StartBy::kNone;
        std::uint32_t width = 0;  // kWidth: the width; kReverse: the maximum width
    };
    using DatabasePtr = std::unique_ptr<hs_database, DatabaseDeleter>;

    Expected<void> AllocateScratch();

    // A pattern ending in `\b[^.!?\n]{0,N}\?` (a question: words, then a '?' before the sentence or line ends): the
    // forward scan looks for the words alone, and Scan() finds the '?' (QuestionTails, matcher.cc).
    struct QuestionTail {
        std::uint32_t gap = 0;   // N; 0: the pattern has no such tail
        bool word_edge = false;  // the tail starts with \b
        std::size_t words = 0;   // length of the expression before the tail
    };
    static std::vector<QuestionTail> QuestionTails(std::span<const std::string> expressions, std::span<const std::size_t> scan_from);

    DatabasePtr database_;
    std::vector<DatabasePtr> reversed_;  // per pattern: its reversed expression, anchored (kReverse only)
    std::vector<PatternStart> starts_;
    std::vector<QuestionTail> tails_;  // per pattern
    ScratchPtr prototype_;
    std::vector<bool> exact_start_;
    std::uint64_t digest_ = 0;
    mutable std::mutex pool_mutex_;
    mutable std::vector<ScratchPtr> pool_;
};

}  // namespace amends::coach
