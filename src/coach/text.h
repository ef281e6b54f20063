#pragma once
// The shape of a draft that the detectors need: which bytes are quoted customer text, where sentences and
// clauses begin, how many words lie between two points, and character offsets. Unicode-aware through ICU.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace amends::coach {

struct ByteRange {
    std::size_t start = 0;
    std::size_t end = 0;
};

// Where things are in one draft (byte offsets, sorted).
struct Layout {
    std::vector<ByteRange> quoted;            // "> ..." lines and "..." / “...” spans on one line
    std::vector<std::size_t> sentence_starts;  // always begins with 0
    std::vector<std::size_t> clause_marks;     // , ; : ( ) — – and sentence ends

    bool IsQuoted(std::size_t start) const;  // does a match starting here start in quoted text?
    std::size_t SentenceOf(std::size_t pos) const;
    bool ClauseMarkBetween(std::size_t from, std::size_t to) const;
};

Layout LayOut(std::string_view text);
void LayOut(std::string_view text, Layout& out);  // the same, reusing out's memory

// The text to scan: each run of ASCII white space becomes one ' ' (or one '\n' if the run holds a line break), so
// patterns can use plain spaces, which Hyperscan matches far faster than \s+. `original[i]` is the offset in the
// draft of scanned byte i (with one extra entry for the end).
struct ScanText {
    std::string text;
    std::vector<std::uint32_t> original;
};
ScanText CollapseWhitespace(std::string_view text);
void CollapseWhitespace(std::string_view text, ScanText& out);  // the same, reusing out's memory

// The same scan text, with the offsets kept only where they shift (after each run of two or more white-space
// bytes), so a draft is copied 16 bytes at a time instead of writing four bytes of offset per byte.
// Original(i) == ScanText::original[i] for every i in [0, text.size()].
struct CompactScanText {
    std::string text;
    std::vector<std::uint32_t> run_ends;  // scanned offset just after each run that lost bytes, ascending
    std::vector<std::uint32_t> shifts;    // bytes removed up to and including that run
    std::size_t Original(std::size_t i) const;
};
void CollapseWhitespace(std::string_view text, CompactScanText& out);

// The text with every byte that is not part of valid UTF-8 replaced by '?', so offsets are kept.
std::string SanitizeUtf8(std::string_view text);
bool IsValidUtf8(std::string_view text);

// False when [start, end) begins right after, or ends right before, a letter or digit (any script): the
// Unicode-aware check behind the ASCII \b of the matcher.
bool IsWordEdge(std::string_view text, std::size_t start, std::size_t end, bool check_start, bool check_end);

namespace detail {
inline bool IsAsciiWordByte(unsigned char c) { return static_cast<unsigned>((c | 0x20) - 'a') < 26u || static_cast<unsigned>(c - '0') < 10u; }
}  // namespace detail

// IsWordEdge, inlined where the two bytes on each side of an edge checked are ASCII (most of a draft: one compare each
// instead of decoding code points); any other byte goes to IsWordEdge.
inline bool IsWordEdgeFast(std::string_view text, std::size_t start, std::size_t end, bool check_start, bool check_end) {
    auto ascii = [&](std::size_t at) { return static_cast<unsigned char>(text[at - 1]) < 0x80 && static_cast<unsigned char>(text[at]) < 0x80; };
    if (check_start && start > 0) {
        if (start >= text.size() || !ascii(start)) return IsWordEdge(text, start, end, check_start, check_end);
        if (detail::IsAsciiWordByte(static_cast<unsigned char>(text[start - 1])) &&
            detail::IsAsciiWordByte(static_cast<unsigned char>(text[start])))
            return false;
    }
    if (check_end && end < text.size() && end > 0) {
        if (!ascii(end)) return IsWordEdge(text, start, end, false, check_end);
        if (detail::IsAsciiWordByte(static_cast<unsigned char>(text[end - 1])) &&
            detail::IsAsciiWordByte(static_cast<unsigned char>(text[end])))
            return false;
    }
    return true;
}

// Words (runs of letters and digits, with inner apostrophes) that start in [from, to).
int CountWords(std::string_view text, std::size_t from, std::size_t to);

// The number of code points in text[0, byte_offset).
std::size_t CodePointOffset(std::string_view text, std::size_t byte_offset);

// Calls on_word(folded_word) with the case-folded words of the text in order (Unicode letters and digits;
// apostrophes inside words kept as ') and on_sentence_end() after each '.', '!', '?' or line break, without
// allocating per word (the view is valid during the call).
template <typename OnWord, typename OnSentenceEnd>
void ForEachFoldedWord(std::string_view text, OnWord&& on_word, OnSentenceEnd&& on_sentence_end);

namespace detail {
// One step of ForEachFoldedWord: appends the folded code point at text[i] to `word` or ends the word; returns
// 0 inside a word, 1 at a word end, 2 at a sentence end (a word end too).
int FoldStep(std::string_view text, std::size_t& i, std::string& word);
}  // namespace detail

template <typename OnWord, typename OnSentenceEnd>
void ForEachFoldedWord(std::string_view text, OnWord&& on_word, OnSentenceEnd&& on_sentence_end) {
    std::string word;
    word.reserve(64);
    for (std::size_t i = 0; i <= text.size();) {
        int step = detail::FoldStep(text, i, word);
        if (step == 0) continue;
        while (!word.empty() && word.back() == '\'') word.pop_back();
        if (!word.empty()) on_word(std::string_view(word));
        word.clear();
        if (step == 2) on_sentence_end();
    }
}

}  // namespace amends::coach
