#include "coach/text.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>

namespace amends::coach {
namespace {

bool IsWordChar(UChar32 c) {
    if (c < 0x80) return c >= 0 && (static_cast<unsigned>((c | 0x20) - 'a') < 26u || static_cast<unsigned>(c - '0') < 10u);
    return u_isalnum(c) || u_hasBinaryProperty(c, UCHAR_ALPHABETIC);
}
bool IsApostrophe(UChar32 c) { return c == '\'' || c == 0x2019; }

// Next code point at byte i (advancing i); invalid sequences come back negative.
UChar32 Next(std::string_view text, std::size_t& i) {
    UChar32 c;
    int32_t pos = static_cast<int32_t>(i);
    U8_NEXT(text.data(), pos, static_cast<int32_t>(text.size()), c);
    i = static_cast<std::size_t>(pos);
    return c;
}

// The three bytes of U+2013..U+201D begin E2 80; `third` is the last byte (0x93 en dash, 0x94 em dash, 0x9C “, 0x9D ”).
bool IsPunctuation3(std::string_view text, std::size_t i, unsigned char third) {
    return i + 2 < text.size() && static_cast<unsigned char>(text[i]) == 0xE2 &&
           static_cast<unsigned char>(text[i + 1]) == 0x80 && static_cast<unsigned char>(text[i + 2]) == third;
}

// Calls at(i) for every i in [from, to) where text[i] is one of `bytes`, in order; 16 bytes at a time where SSE2 is
// there (every x86-64), since most bytes of a draft are none of them.
template <std::size_t N, typename At>
void ForEachByteOf(std::string_view text, std::size_t from, std::size_t to, const std::array<char, N>& bytes, At&& at) {
    std::size_t i = from;
#ifdef __SSE2__
    __m128i wanted[N];
    for (std::size_t k = 0; k < N; ++k) wanted[k] = _mm_set1_epi8(bytes[k]);
    for (; i + 16 <= to; i += 16) {
        __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + i));
        __m128i hit = _mm_cmpeq_epi8(chunk, wanted[0]);
        for (std::size_t k = 1; k < N; ++k) hit = _mm_or_si128(hit, _mm_cmpeq_epi8(chunk, wanted[k]));
        for (unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(hit)); mask != 0; mask &= mask - 1)
            at(i + static_cast<std::size_t>(std::countr_zero(mask)));
    }
#endif
    for (; i < to; ++i)
        if (std::find(bytes.begin(), bytes.end(), text[i]) != bytes.end()) at(i);
}

}  // namespace

bool Layout::IsQuoted(std::size_t start) const {
    auto it = std::upper_bound(quoted.begin(), quoted.end(), start,
                               [](std::size_t pos, const ByteRange& r) { return pos < r.start; });
    if (it == quoted.begin()) return false;
    --it;
    return start >= it->start && start < it->end;
}

std::size_t Layout::SentenceOf(std::size_t pos) const {
    // The last start <= pos (sentence_starts[0] is 0), by a binary search whose steps are conditional moves rather
    // than branches: hits come in no order of position, so a branching search mispredicts about half its steps.
    const std::size_t* base = sentence_starts.data();
    std::size_t n = sentence_starts.size();
    while (n > 1) {
        std::size_t half = n / 2;
        base = base[half] <= pos ? base + half : base;
        n -= half;
    }
    return static_cast<std::size_t>(base - sentence_starts.data());
}

bool Layout::ClauseMarkBetween(std::size_t from, std::size_t to) const {
    auto it = std::lower_bound(clause_marks.begin(), clause_marks.end(), from);
    return it != clause_marks.end() && *it < to;
}

Layout LayOut(std::string_view text) {
    Layout layout;
    LayOut(text, layout);
    return layout;
}

void LayOut(std::string_view text, Layout& layout) {
    // One pass over the bytes that matter (16 at a time, ForEachByteOf), in order: every list comes out sorted.
    layout.quoted.clear();
    layout.sentence_starts.clear();
    layout.clause_marks.clear();
    layout.sentence_starts.push_back(0);
    constexpr std::size_t kMaxQuote = 400;
    std::size_t line_start = 0;
    // A line whose first byte other than ' ', '\t', '\r' is '>' is quoted whole (a blank line stops at its '\n').
    auto quoted_line = [&](std::size_t from) {
        std::size_t first = text.find_first_not_of(" \t\r", from);
        return first != std::string_view::npos && text[first] == '>';
    };
    bool quoted = quoted_line(0);
    // Inline quotes ("..." or “...”, at most kMaxQuote bytes, on one line) outside quoted lines: every character
    // looked for is ASCII or begins E2 80, and no byte of a multi-byte UTF-8 sequence is ASCII (nor E2).
    std::size_t open = std::string_view::npos;
    bool curly = false;
    static constexpr std::array<char, 11> kBytes = {'.', '!', '?', ',', ';', ':', '(', ')', '\xE2', '"', '\n'};
    ForEachByteOf(text, 0, text.size(), kBytes, [&](std::size_t i) {
        switch (text[i]) {
            case '\n':
                if (quoted) layout.quoted.push_back({line_start, i});
                line_start = i + 1;
                layout.sentence_starts.push_back(line_start);
                layout.clause_marks.push_back(i);
                quoted = quoted_line(line_start);
                open = std::string_view::npos;
                break;
            case '"':
                if (quoted) break;
                if (open == std::string_view::npos) {
                    open = i;
                    curly = false;
                } else if (!curly) {
                    if (i + 1 - open <= kMaxQuote) layout.quoted.push_back({open, i + 1});
                    open = std::string_view::npos;
                }
                break;
            case '.':
            case '!':
            case '?':
                layout.clause_marks.push_back(i);
                if (i + 1 == text.size() || text[i + 1] == ' ' || text[i + 1] == '\t' || text[i + 1] == '"')
                    layout.sentence_starts.push_back(i + 1);
                break;
            case '\xE2':
                if (IsPunctuation3(text, i, 0x94) || IsPunctuation3(text, i, 0x93)) layout.clause_marks.push_back(i);
                if (quoted) break;
                if (open == std::string_view::npos) {
                    if (IsPunctuation3(text, i, 0x9C)) {
                        open = i;
                        curly = true;
                    }
                } else if (curly && IsPunctuation3(text, i, 0x9D)) {
                    if (i + 3 - open <= kMaxQuote) layout.quoted.push_back({open, i + 3});
                    open = std::string_view::npos;
                }
                break;
            default:  // , ; : ( )
                layout.clause_marks.push_back(i);
        }
    });
    if (quoted) layout.quoted.push_back({line_start, text.size()});
}

ScanText CollapseWhitespace(std::string_view text) {
    ScanText out;
    CollapseWhitespace(text, out);
    return out;
}

void CollapseWhitespace(std::string_view text, ScanText& out) {
    out.text.resize(text.size());
    out.original.resize(text.size() + 1);
    char* to = out.text.data();
    std::uint32_t* at = out.original.data();
    auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; };
    std::size_t n = 0;
    for (std::size_t i = 0; i < text.size();) {
        if (!is_space(text[i])) {
            to[n] = text[i];
            at[n++] = static_cast<std::uint32_t>(i++);
            continue;
        }
        std::size_t start = i;
        bool line_break = false;
        for (; i < text.size() && is_space(text[i]); ++i) line_break = line_break || text[i] == '\n';
        to[n] = line_break ? '\n' : ' ';
        at[n++] = static_cast<std::uint32_t>(start);
    }
    at[n] = static_cast<std::uint32_t>(text.size());
    out.text.resize(n);
    out.original.resize(n + 1);
}

std::size_t CompactScanText::Original(std::size_t i) const {
    std::size_t k = static_cast<std::size_t>(std::upper_bound(run_ends.begin(), run_ends.end(), i) - run_ends.begin());
    return i + (k == 0 ? 0 : shifts[k - 1]);
}

void CollapseWhitespace(std::string_view text, CompactScanText& out) {
    out.text.resize(text.size());
    out.run_ends.clear();
    out.shifts.clear();
    char* to = out.text.data();
    auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; };
    std::size_t n = 0, removed = 0;
    for (std::size_t i = 0; i < text.size();) {
#ifdef __SSE2__
        // 16 bytes that stay as they are: no \t \r \f \v, no two white-space bytes side by side, and the last byte
        // not white space (a run could go on in the next block). A lone ' ' or '\n' is its own run.
        if (i + 16 <= text.size()) {
            __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + i));
            __m128i plain = _mm_or_si128(_mm_cmpeq_epi8(chunk, _mm_set1_epi8(' ')), _mm_cmpeq_epi8(chunk, _mm_set1_epi8('\n')));
            // \t \n \v \f \r are 9..13: bytes in that range other than '\n' must be rewritten
            __m128i control = _mm_and_si128(_mm_cmpgt_epi8(chunk, _mm_set1_epi8(8)), _mm_cmplt_epi8(chunk, _mm_set1_epi8(14)));
            unsigned special = static_cast<unsigned>(_mm_movemask_epi8(_mm_andnot_si128(_mm_cmpeq_epi8(chunk, _mm_set1_epi8('\n')), control)));
            unsigned spaces = static_cast<unsigned>(_mm_movemask_epi8(plain));
            if (special == 0 && (spaces & (spaces >> 1)) == 0 && (spaces & 0x8000u) == 0) {
                std::memcpy(to + n, text.data() + i, 16);
                n += 16;
                i += 16;
                continue;
            }
        }
#endif
        if (!is_space(text[i])) {
            to[n++] = text[i++];
            continue;
        }
        std::size_t start = i;
        bool line_break = false;
        for (; i < text.size() && is_space(text[i]); ++i) line_break = line_break || text[i] == '\n';
        to[n++] = line_break ? '\n' : ' ';
        if (i - start > 1) {
            removed += i - start - 1;
            out.run_ends.push_back(static_cast<std::uint32_t>(n));
            out.shifts.push_back(static_cast<std::uint32_t>(removed));
        }
    }
    out.text.resize(n);
}

bool IsValidUtf8(std::string_view text) {
    for (std::size_t i = 0; i < text.size();) {
#ifdef __SSE2__
        // 64 ASCII bytes at a time (the high bits of four blocks or'ed), then 16.
        const auto block = [&](std::size_t at) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + at)); };
        if (i + 64 <= text.size() &&
            _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(block(i), block(i + 16)), _mm_or_si128(block(i + 32), block(i + 48)))) == 0) {
            i += 64;
            continue;
        }
        if (i + 16 <= text.size() && _mm_movemask_epi8(block(i)) == 0) {
            i += 16;
            continue;
        }
#endif
        if (static_cast<unsigned char>(text[i]) < 0x80) {
            ++i;
            continue;
        }
        if (Next(text, i) < 0) return false;
    }
    return true;
}

std::string SanitizeUtf8(std::string_view text) {
    std::string out(text);
    for (std::size_t i = 0; i < text.size();) {
        std::size_t at = i;
        if (Next(text, i) < 0)
            for (std::size_t j = at; j < i; ++j) out[j] = '?';
    }
    return out;
}

bool IsWordEdge(std::string_view text, std::size_t start, std::size_t end, bool check_start, bool check_end) {
    if (check_start && start > 0) {
        int32_t pos = static_cast<int32_t>(start);
        UChar32 before;
        U8_PREV(text.data(), 0, pos, before);
        std::size_t at = start;
        UChar32 first = Next(text, at);
        if (IsWordChar(before) && IsWordChar(first)) return false;
    }
    if (check_end && end < text.size() && end > 0) {
        int32_t pos = static_cast<int32_t>(end);
        UChar32 last;
        U8_PREV(text.data(), 0, pos, last);
        std::size_t at = end;
        UChar32 after = Next(text, at);
        if (IsWordChar(last) && IsWordChar(after)) return false;
    }
    return true;
}

int CountWords(std::string_view text, std::size_t from, std::size_t to) {
    int words = 0;
    bool in_word = false;
    to = std::min(to, text.size());
    for (std::size_t i = from; i < to;) {
        UChar32 c = Next(text, i);
        if (IsWordChar(c)) {
            if (!in_word) ++words;
            in_word = true;
        } else if (!(in_word && IsApostrophe(c))) {
            in_word = false;
        }
    }
    return words;
}

std::size_t CodePointOffset(std::string_view text, std::size_t byte_offset) {
    // Code points = bytes that are not continuation bytes (10xxxxxx), counted eight at a time.
    byte_offset = std::min(byte_offset, text.size());
    std::size_t continuations = 0, i = 0;
#ifdef __SSE2__
    // Continuation bytes are 0x80..0xBF, below -64 as signed bytes: 16 at a time, the compare's -1s summed per byte
    // lane (at most 255 blocks before the lanes are added up, so no lane overflows).
    while (i + 16 <= byte_offset) {
        __m128i sum = _mm_setzero_si128();
        const __m128i limit = _mm_set1_epi8(-64);
        for (int blocks = 0; blocks < 255 && i + 16 <= byte_offset; ++blocks, i += 16) {
            __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + i));
            sum = _mm_sub_epi8(sum, _mm_cmplt_epi8(chunk, limit));
        }
        __m128i total = _mm_sad_epu8(sum, _mm_setzero_si128());
        continuations += static_cast<std::size_t>(_mm_cvtsi128_si32(total)) +
                         static_cast<std::size_t>(_mm_cvtsi128_si32(_mm_srli_si128(total, 8)));
    }
#endif
    for (; i + 8 <= byte_offset; i += 8) {
        std::uint64_t word;
        std::memcpy(&word, text.data() + i, sizeof word);
        std::uint64_t flags = (word & ~(word << 1) & 0x8080808080808080ULL) >> 7;  // one bit per byte
        continuations += static_cast<std::size_t>((flags * 0x0101010101010101ULL) >> 56);  // sum of the bytes
    }
    for (; i < byte_offset; ++i)
        if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) ++continuations;
    return byte_offset - continuations;
}

namespace detail {

int FoldStep(std::string_view text, std::size_t& i, std::string& word) {
    if (i == text.size()) {
        ++i;
        return 2;
    }
    UChar32 c = Next(text, i);
    if (IsWordChar(c)) {
        if (c < 0x80) {
            word += static_cast<char>(c | (c >= 'A' && c <= 'Z' ? 0x20 : 0));
            return 0;
        }
        UChar32 folded = u_foldCase(c, U_FOLD_CASE_DEFAULT);
        char buffer[4];
        int32_t length = 0;
        UBool error = false;
        U8_APPEND(buffer, length, 4, folded, error);
        if (!error) word.append(buffer, static_cast<std::size_t>(length));
        return 0;
    }
    if (IsApostrophe(c) && !word.empty()) {
        word += '\'';
        return 0;
    }
    return c == '.' || c == '!' || c == '?' || c == '\n' ? 2 : 1;
}

}  // namespace detail

}  // namespace amends::coach
