#include "coach/matcher.h"

#include <hs/hs.h>
#include <xxhash.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <utility>

#include "coach/text.h"

namespace amends::coach {
namespace {

int OnMatch(unsigned int id, unsigned long long from, unsigned long long to, unsigned int /*flags*/, void* context) {
    static_cast<std::vector<RawMatch>*>(context)->push_back(RawMatch{id, static_cast<std::size_t>(from),
                                                                     static_cast<std::size_t>(to)});
    return 0;
}

int OnReversedMatch(unsigned int, unsigned long long, unsigned long long to, unsigned int, void* longest) {
    auto* best = static_cast<unsigned long long*>(longest);
    *best = std::max(*best, to);
    return 0;
}

constexpr int kLongGapBound = 20;
constexpr unsigned kFlags = HS_FLAG_CASELESS | HS_FLAG_MULTILINE;

// hs3: reversed patterns anchored with \A; hs4: question tails left out of the forward database.
constexpr std::string_view kMagic = "amends-coach-hs4";

// Hyperscan's \w without UCP: ASCII letters, digits and '_'.
bool IsHsWordByte(unsigned char c) { return detail::IsAsciiWordByte(c) || c == '_'; }

// One past the '?' of a question whose words end at `from`: the first of . ! ? and a line break within `gap` bytes
// after it must be a '?' (what `[^.!?\n]{0,gap}\?` matches there); 0 if it is not, or if there is none.
std::size_t QuestionEnd(std::string_view text, std::size_t from, std::size_t gap) {
    const std::size_t last = std::min(text.size(), from + gap + 1);
    for (std::size_t k = from; k < last; ++k) {
        const char c = text[k];
        if (c == '?') return k + 1;
        if (c == '.' || c == '!' || c == '\n') return 0;
    }
    return 0;
}

// The expression read backwards, for the lexicon's subset of the syntax: (?:...) and (...) groups, [...] classes,
// \x escapes, single bytes (a multi-byte character is a run of bytes here, as Hyperscan reads it without UTF-8
// mode), the quantifiers ? * + {m} {m,} {m,n}, alternation, and ^ $ swapped. Empty when the expression holds anything
// else (flags, lazy or possessive quantifiers...): that pattern keeps start-of-match tracking.
class Reverser {
public:
    explicit Reverser(std::string_view e) : e_(e) {}
    std::string Run() {
        std::string out = Alternation();
        return ok_ && i_ == e_.size() ? out : std::string();
    }

private:
    std::string Alternation() {
        std::string out, branch;
        for (;;) {
            while (ok_ && i_ < e_.size() && e_[i_] != '|' && e_[i_] != ')') branch = Piece() + branch;
            out += branch;
            branch.clear();
            if (!ok_ || i_ >= e_.size() || e_[i_] != '|') return out;
            out += '|';
            ++i_;
        }
    }
    std::string Piece() {
        std::string atom;
        char c = e_[i_];
        if (c == '(') {
            if (e_.substr(i_, 3) == "(?:") i_ += 3;
            else if (i_ + 1 < e_.size() && e_[i_ + 1] == '?') return Fail();
            else ++i_;
            std::string inner = Alternation();
            if (!ok_ || i_ >= e_.size() || e_[i_] != ')') return Fail();
            ++i_;
            atom = "(?:" + inner + ")";
        } else if (c == '[') {
            std::size_t j = i_ + 1;
            if (j < e_.size() && e_[j] == '^') ++j;
            if (j < e_.size() && e_[j] == ']') ++j;
            for (; j < e_.size() && e_[j] != ']'; ++j)
                if (e_[j] == '\\') ++j;
            if (j >= e_.size()) return Fail();
            atom = std::string(e_.substr(i_, j + 1 - i_));
            i_ = j + 1;
        } else if (c == '\\') {
            if (i_ + 1 >= e_.size()) return Fail();
            char x = e_[i_ + 1];
            // Escapes that read more than one character (\x41, \Q...\E, \p{..}, \1...) are not reversed.
            if (x == 'x' || x == 'Q' || x == 'E' || x == 'p' || x == 'P' || x == 'c' || x == 'o' || x == 'g' || x == 'k' ||
                x == 'N' || x == 'R' || x == 'X' || x == 'K' || x == 'G' || x == 'A' || x == 'z' || x == 'Z' ||
                (x >= '0' && x <= '9'))
                return Fail();
            atom = std::string(e_.substr(i_, 2));
            i_ += 2;
        } else if (c == '*' || c == '+' || c == '?' || c == '{' || c == ']' || c == '}') {
            return Fail();
        } else {
            atom = c == '^' ? "$" : c == '$' ? "^" : std::string(1, c);
            ++i_;
        }
        if (i_ < e_.size() && (e_[i_] == '?' || e_[i_] == '*' || e_[i_] == '+')) {
            atom += e_[i_++];
        } else if (i_ < e_.size() && e_[i_] == '{') {
            std::size_t close = e_.find('}', i_);
            if (close == std::string_view::npos) return Fail();
            std::string_view inside = e_.substr(i_ + 1, close - i_ - 1);
            if (inside.empty() || inside.find_first_not_of("0123456789,") != std::string_view::npos || inside[0] == ',')
                return Fail();
            atom += std::string(e_.substr(i_, close + 1 - i_));
            i_ = close + 1;
        }
        if (i_ < e_.size() && (e_[i_] == '?' || e_[i_] == '+' || e_[i_] == '*' || e_[i_] == '{')) return Fail();
        return atom;
    }
    std::string Fail() {
        ok_ = false;
        return {};
    }

    std::string_view e_;
    std::size_t i_ = 0;
    bool ok_ = true;
};

// Compiles one expression alone (its own database); null on failure.
hs_database_t* CompileOne(const std::string& expression, unsigned flags, hs_platform_info_t* platform) {
    hs_database_t* db = nullptr;
    hs_compile_error_t* error = nullptr;
    if (hs_compile(expression.c_str(), flags, HS_MODE_BLOCK, platform, &db, &error) != HS_SUCCESS) {
        hs_free_compile_error(error);
        return nullptr;
    }
    return db;
}

void AppendBytes(std::string& out, const void* data, std::size_t size) { out.append(static_cast<const char*>(data), size); }
template <typename T>
bool ReadValue(std::string_view& bytes, T& value) {
    if (bytes.size() < sizeof value) return false;
    std::memcpy(&value, bytes.data(), sizeof value);
    bytes.remove_prefix(sizeof value);
    return true;
}

std::uint64_t Digest(std::span<const std::string> expressions, std::span<const std::size_t> scan_from) {
    XXH3_state_t* state = XXH3_createState();
    XXH3_64bits_reset(state);
    for (std::size_t i = 0; i < expressions.size(); ++i) {
        const std::string& e = expressions[i];
        XXH3_64bits_update(state, e.data(), e.size() + 1);  // with the NUL
        std::uint64_t from = i < scan_from.size() ? scan_from[i] : 0;
        XXH3_64bits_update(state, &from, sizeof from);
    }
    std::uint64_t digest = XXH3_64bits_digest(state);
    XXH3_freeState(state);
    return digest;
}

// The largest upper bound of a {m,n} repeat in the expression (0 if none).
int LongestBoundedRepeat(std::string_view expression) {
    int longest = 0;
    for (std::size_t i = 0; i < expression.size(); ++i) {
        if (expression[i] == '\\') {
            ++i;
            continue;
        }
        if (expression[i] != '{') continue;
        std::size_t comma = expression.find(',', i), close = expression.find('}', i);
        if (comma == std::string_view::npos || close == std::string_view::npos || comma > close) continue;
        int bound = 0;
        for (std::size_t j = comma + 1; j < close && expression[j] >= '0' && expression[j] <= '9'; ++j)
            bound = bound * 10 + (expression[j] - '0');
        longest = std::max(longest, bound);
    }
    return longest;
}

}  // namespace

ExpressionShape ShapeOf(std::string_view e, std::size_t at) {
    ExpressionShape shape;
    int depth = 0;
    bool in_class = false;
    for (std::size_t i = 0; i < e.size(); ++i) {
        if (i == at) {
            shape.depth_at = depth;
            shape.class_at = in_class;
        }
        const char c = e[i];
        if (c == '\\') {
            ++i;
        } else if (in_class) {
            if (c == ']') in_class = false;
        } else if (c == '[') {
            in_class = true;
            if (i + 1 < e.size() && e[i + 1] == '^') ++i;
            if (i + 1 < e.size() && e[i + 1] == ']') ++i;
        } else if (c == '(') {
            ++depth;
        } else if (c == ')') {
            --depth;
        } else if (c == '|' && depth == 0) {
            shape.top_level_alternation = true;
        }
    }
    return shape;
}

void ReverseInto(std::string_view text, std::string& out) {
    // resize() keeps the buffer (no temporary string, as append(rbegin, rend) makes); 8 bytes at a time.
    const std::size_t n = text.size();
    out.resize(n + 1);
    char* to = out.data();
    to[0] = '\n';
    std::size_t k = 0;
    for (; k + 8 <= n; k += 8) {
        std::uint64_t chunk;
        std::memcpy(&chunk, text.data() + n - k - 8, 8);
        chunk = __builtin_bswap64(chunk);
        std::memcpy(to + 1 + k, &chunk, 8);
    }
    for (; k < n; ++k) to[1 + k] = text[n - 1 - k];
}

void MultiMatcher::DatabaseDeleter::operator()(hs_database* db) const { hs_free_database(db); }
void MultiMatcher::ScratchDeleter::operator()(hs_scratch* scratch) const { hs_free_scratch(scratch); }

Expected<std::unique_ptr<MultiMatcher>> MultiMatcher::Compile(std::span<const std::string> expressions, bool portable,
                                                               std::span<const std::size_t> scan_from) {
    if (expressions.empty()) return InvalidField("patterns", "no patterns to compile");
    const std::size_t n = expressions.size();
    if (!scan_from.empty() && scan_from.size() != n) return InvalidField("patterns", "scan_from: one offset per expression");
    auto from = [&](std::size_t i) -> std::size_t { return scan_from.empty() ? 0 : scan_from[i]; };
    std::unique_ptr<MultiMatcher> matcher(new MultiMatcher());
    std::vector<std::string> forward(expressions.begin(), expressions.end());
    std::vector<unsigned> flags(n, kFlags);
    std::vector<bool> exact(n, true);
    matcher->starts_.resize(n);
    matcher->reversed_.resize(n);
    matcher->tails_ = QuestionTails(expressions, scan_from);
    hs_platform_info_t generic{};  // tune 0 = generic, no optional CPU features
    hs_platform_info_t* platform = portable ? &generic : nullptr;
    for (std::size_t i = 0; i < n; ++i) {
        PatternStart& start = matcher->starts_[i];
        // A forward scan from an inner point reports ends the whole pattern may not have: the reverse scan must check
        // each, so the pattern must be one whose start a reverse scan finds.
        auto needs_reverse = [&](const std::string& why) {
            return Fail(ErrorCode::kInvalidArgument, "{SCAN} needs a pattern whose start a reverse scan finds (" + why + ")",
                        std::to_string(i));
        };
        if (from(i) > 0 && from(i) >= expressions[i].size()) return needs_reverse("something after it");
        // Start-of-match tracking through a long bounded gap ("[^.]{0,160}") makes a pattern too large: such
        // patterns report only their end (the caller widens the start), as they always have.
        // With {SCAN}, such a pattern's reverse scan only checks each end the forward scan reports; its start stays
        // unknown (the caller widens it to the sentence, as for every long-gap pattern). A question tail (a long gap
        // too) is left out of the forward scan: Scan() finds the '?' after the words.
        const bool long_gap = LongestBoundedRepeat(expressions[i]) >= kLongGapBound;
        if (long_gap) {
            exact[i] = false;
            if (matcher->tails_[i].gap != 0) forward[i].resize(matcher->tails_[i].words);
            if (from(i) == 0) continue;
        }
        hs_expr_info_t* info = nullptr;
        hs_compile_error_t* error = nullptr;
        if (hs_expression_info(expressions[i].c_str(), kFlags | (long_gap ? 0u : HS_FLAG_SOM_LEFTMOST), &info, &error) !=
            HS_SUCCESS) {
            std::string message = error && error->message ? error->message : "invalid expression";
            hs_free_compile_error(error);
            return Fail(ErrorCode::kInvalidArgument, message, std::to_string(i));
        }
        unsigned min_width = info->min_width, max_width = info->max_width;
        std::free(info);
        if (min_width == max_width && from(i) == 0) {
            start = {StartBy::kWidth, max_width};
            continue;
        }
        std::string backwards = max_width == UINT_MAX ? std::string() : Reverser(expressions[i]).Run();
        if (backwards.empty() && from(i) > 0) return needs_reverse("bounded and reversible");
        // One byte of context first (the byte after the end, or a '\n' after the end of the text), then the pattern,
        // anchored with \A: in multi-line mode (which the pattern's own ^ and $ need) a ^ would also match after any
        // line break inside the window, and a match of the pattern ending just before it would give a start too far
        // left (and a scan of the whole window: \A lets Hyperscan stop as soon as the anchored match cannot go on).
        hs_database_t* db = backwards.empty() ? nullptr : CompileOne("\\A[\\s\\S](?:" + backwards + ")", kFlags, platform);
        if (db == nullptr) {
            if (from(i) > 0) return needs_reverse("its reversed expression compiles");
            start.by = StartBy::kTracked;
            flags[i] |= HS_FLAG_SOM_LEFTMOST;
            continue;
        }
        matcher->reversed_[i].reset(db);
        start = {StartBy::kReverse, max_width};
        // {SCAN}: the forward scan looks only for the rest of the pattern (a suffix of it, so every end of the whole
        // pattern is among its ends); the reverse scan of the whole pattern keeps the right ones and finds the start.
        if (from(i) > 0) forward[i].erase(0, from(i));
        // The reversed pattern checks the leading \b (and finds the start); the forward scan, which only has to
        // report every end, is faster without it.
        if (forward[i].starts_with("\\b") && forward[i].size() > 2 && std::string_view("?*+{").find(forward[i][2]) == std::string_view::npos)
            forward[i].erase(0, 2);
    }
    std::vector<const char*> sources;
    std::vector<unsigned> ids;
    for (std::size_t i = 0; i < n; ++i) {
        sources.push_back(forward[i].c_str());
        ids.push_back(static_cast<unsigned>(i));
    }
    hs_database_t* db = nullptr;
    for (;;) {
        hs_compile_error_t* error = nullptr;
        if (hs_compile_multi(sources.data(), flags.data(), ids.data(), static_cast<unsigned>(n), HS_MODE_BLOCK, platform,
                             &db, &error) == HS_SUCCESS)
            break;
        std::string message = error && error->message ? error->message : "hyperscan compile failed";
        int index = error ? error->expression : -1;
        hs_free_compile_error(error);
        // Tracking where a match starts makes some patterns too large; those report only where they end.
        if (index >= 0 && (flags[index] & HS_FLAG_SOM_LEFTMOST) && message.find("too large") != std::string::npos) {
            flags[index] &= ~HS_FLAG_SOM_LEFTMOST;
            exact[index] = false;
            matcher->starts_[index].by = StartBy::kNone;
            continue;
        }
        return Fail(ErrorCode::kInvalidArgument, message, index >= 0 ? std::to_string(index) : "");
    }
    matcher->database_.reset(db);
    matcher->exact_start_ = std::move(exact);
    matcher->digest_ = Digest(expressions, scan_from);
    if (auto allocated = matcher->AllocateScratch(); !allocated) return std::unexpected(allocated.error());
    return matcher;
}

Expected<void> MultiMatcher::AllocateScratch() {
    hs_scratch_t* scratch = nullptr;
    bool ok = hs_alloc_scratch(database_.get(), &scratch) == HS_SUCCESS;
    for (const DatabasePtr& db : reversed_)
        if (ok && db) ok = hs_alloc_scratch(db.get(), &scratch) == HS_SUCCESS;
    prototype_.reset(scratch);
    if (!ok) return Fail(ErrorCode::kUnprocessable, "hyperscan scratch allocation failed (does the database run on this CPU?)");
    return {};
}

MultiMatcher::~MultiMatcher() = default;

std::vector<MultiMatcher::QuestionTail> MultiMatcher::QuestionTails(std::span<const std::string> expressions,
                                                                    std::span<const std::size_t> scan_from) {
    // Hyperscan runs a bounded repeat of up to 160 bytes after every match of the words; the same check in code
    // costs a short loop at the few places the words occur.
    constexpr std::string_view kOpen = "[^.!?\\n]{0,", kClose = "}\\?";
    std::vector<QuestionTail> tails(expressions.size());
    for (std::size_t i = 0; i < expressions.size(); ++i) {
        std::string_view e = expressions[i];
        if ((i < scan_from.size() && scan_from[i] != 0) || !e.ends_with(kClose)) continue;
        std::size_t open = e.rfind(kOpen);
        if (open == std::string_view::npos || open == 0) continue;
        std::string_view digits = e.substr(open + kOpen.size(), e.size() - kClose.size() - open - kOpen.size());
        if (digits.empty() || digits.size() > 4 || digits.find_first_not_of("0123456789") != std::string_view::npos) continue;
        const auto gap = static_cast<std::uint32_t>(std::stoul(std::string(digits)));
        if (gap < static_cast<std::uint32_t>(kLongGapBound)) continue;  // a short gap costs Hyperscan little
        QuestionTail& tail = tails[i];
        tail.gap = gap;
        tail.words = open;
        // A \b just before the tail is checked with it (an escaped backslash before the b is not a \b).
        if (open >= 2 && e.substr(open - 2, 2) == "\\b" && (open < 3 || e[open - 3] != '\\')) {
            tail.word_edge = true;
            tail.words = open - 2;
        }
        // The words must be one piece followed by the tail: with a top-level `|` the tail belongs to the last branch.
        if (tail.words == 0 || ShapeOf(e.substr(0, tail.words)).top_level_alternation) tail = QuestionTail{};
    }
    return tails;
}

namespace {
std::string SerializeDatabase(const hs_database_t* db) {
    char* bytes = nullptr;
    std::size_t length = 0;
    if (hs_serialize_database(db, &bytes, &length) != HS_SUCCESS) throw std::bad_alloc();
    std::string out;
    std::uint64_t size = length;
    AppendBytes(out, &size, sizeof size);
    out.append(bytes, length);
    std::free(bytes);
    return out;
}
hs_database_t* DeserializeDatabase(std::string_view& bytes) {
    std::uint64_t size = 0;
    if (!ReadValue(bytes, size) || bytes.size() < size) return nullptr;
    hs_database_t* db = nullptr;
    if (hs_deserialize_database(bytes.data(), size, &db) != HS_SUCCESS) return nullptr;
    bytes.remove_prefix(size);
    return db;
}
}  // namespace

std::string MultiMatcher::Serialize() const {
    std::string out(kMagic);
    std::uint64_t digest = digest_;
    std::uint64_t count = exact_start_.size();
    AppendBytes(out, &digest, sizeof digest);
    AppendBytes(out, &count, sizeof count);
    for (std::size_t i = 0; i < exact_start_.size(); ++i) {
        out.push_back(exact_start_[i] ? 1 : 0);
        out.push_back(static_cast<char>(starts_[i].by));
        AppendBytes(out, &starts_[i].width, sizeof starts_[i].width);
    }
    out += SerializeDatabase(database_.get());
    for (const DatabasePtr& db : reversed_)
        if (db) out += SerializeDatabase(db.get());
    return out;
}

Expected<std::unique_ptr<MultiMatcher>> MultiMatcher::Deserialize(std::string_view bytes,
                                                                   std::span<const std::string> expressions,
                                                                   std::span<const std::size_t> scan_from) {
    auto stale = [](std::string why) { return Fail(ErrorCode::kUnprocessable, "precompiled database: " + why); };
    if (!bytes.starts_with(kMagic)) return stale("bad header");
    bytes.remove_prefix(kMagic.size());
    std::uint64_t digest = 0, count = 0;
    if (!ReadValue(bytes, digest) || !ReadValue(bytes, count)) return stale("bad header");
    if (digest != Digest(expressions, scan_from) || count != expressions.size()) return stale("built from other patterns");
    std::unique_ptr<MultiMatcher> matcher(new MultiMatcher());
    matcher->starts_.resize(count);
    matcher->reversed_.resize(count);
    for (std::size_t i = 0; i < count; ++i) {
        std::uint8_t exact = 0, by = 0;
        if (!ReadValue(bytes, exact) || !ReadValue(bytes, by) || !ReadValue(bytes, matcher->starts_[i].width) ||
            by > static_cast<std::uint8_t>(StartBy::kReverse))
            return stale("corrupt");
        matcher->exact_start_.push_back(exact != 0);
        matcher->starts_[i].by = static_cast<StartBy>(by);
    }
    hs_database_t* db = DeserializeDatabase(bytes);
    if (db == nullptr) return stale("corrupt");
    matcher->database_.reset(db);
    for (std::size_t i = 0; i < count; ++i) {
        if (matcher->starts_[i].by != StartBy::kReverse) continue;
        hs_database_t* reversed = DeserializeDatabase(bytes);
        if (reversed == nullptr) return stale("corrupt");
        matcher->reversed_[i].reset(reversed);
    }
    if (!bytes.empty()) return stale("corrupt");
    if (!matcher->AllocateScratch()) return stale("does not run on this CPU");
    matcher->digest_ = digest;
    matcher->tails_ = QuestionTails(expressions, scan_from);
    return matcher;
}

MultiMatcher::ScratchPtr MultiMatcher::Borrow() const {
    {
        std::lock_guard lock(pool_mutex_);
        if (!pool_.empty()) {
            ScratchPtr scratch = std::move(pool_.back());
            pool_.pop_back();
            return scratch;
        }
    }
    hs_scratch_t* clone = nullptr;
    if (hs_clone_scratch(prototype_.get(), &clone) != HS_SUCCESS) throw std::bad_alloc();
    return ScratchPtr(clone);
}

void MultiMatcher::Return(ScratchPtr scratch) const {
    std::lock_guard lock(pool_mutex_);
    pool_.push_back(std::move(scratch));
}

void MultiMatcher::Scan(std::string_view text, std::vector<RawMatch>& out, const std::vector<bool>* word_end) const {
    ScratchPtr scratch = Borrow();
    std::size_t first = out.size();
    hs_error_t rc = hs_scan(database_.get(), text.data(), static_cast<unsigned>(text.size()), 0, scratch.get(), OnMatch, &out);
    // The callbacks never stop a scan, so anything else is a broken invariant (bad database, bad scratch).
    if (rc != HS_SUCCESS) throw std::runtime_error("hyperscan scan failed: " + std::to_string(rc));
    thread_local std::string backwards;  // '\n', then the text from its last byte to its first
    bool reversed = false;
    std::size_t kept = first;
    thread_local std::vector<RawMatch> asked;  // per question pattern in this scan: its last match
    asked.clear();
    for (std::size_t k = first; k < out.size(); ++k) {
        RawMatch m = out[k];
        if (const QuestionTail& tail = tails_[m.id]; tail.gap != 0) {
            // The words end at m.end; the match ends at the '?' (once, however many times the words occur before it).
            const bool word_before = m.end > 0 && IsHsWordByte(static_cast<unsigned char>(text[m.end - 1]));
            const bool word_after = m.end < text.size() && IsHsWordByte(static_cast<unsigned char>(text[m.end]));
            if (tail.word_edge && word_before == word_after) continue;
            m.end = QuestionEnd(text, m.end, tail.gap);
            if (m.end == 0) continue;
            auto last = std::find_if(asked.begin(), asked.end(), [&](const RawMatch& a) { return a.id == m.id; });
            if (last != asked.end() && last->end == m.end) continue;
            if (last != asked.end()) *last = m;
            else asked.push_back(m);
            out[kept++] = m;
            continue;
        }
        if (word_end && (*word_end)[m.id] && !IsWordEdgeFast(text, 0, m.end, false, true)) continue;
        const PatternStart& start = starts_[m.id];
        if (start.by == StartBy::kWidth) {
            m.start = m.end - start.width;
        } else if (start.by == StartBy::kReverse) {
            if (!reversed) {
                ReverseInto(text, backwards);
                reversed = true;
            }
            // Backwards from the end, over the byte after it and at most max width + 1 bytes before it (the byte
            // before the start decides a leading \b).
            std::size_t lo = m.end > start.width + 1 ? m.end - start.width - 1 : 0;
            unsigned long long longest = 0;
            rc = hs_scan(reversed_[m.id].get(), backwards.data() + (text.size() - m.end),
                         static_cast<unsigned>(1 + m.end - lo), 0, scratch.get(), OnReversedMatch, &longest);
            if (rc != HS_SUCCESS) throw std::runtime_error("hyperscan scan failed: " + std::to_string(rc));
            if (longest == 0) continue;  // only the forward scan's missing \b (or its {SCAN} point) let this end through
            if (exact_start_[m.id]) m.start = m.end + 1 - static_cast<std::size_t>(longest);
        }
        out[kept++] = m;
    }
    out.resize(kept);
    // A question's end moved past the words to its '?': back in order of end (the few that moved go a few places).
    if (!asked.empty())
        SortByInsertion(std::span(out).subspan(first), [](const RawMatch& a, const RawMatch& b) { return a.end < b.end; });
    Return(std::move(scratch));
}

}  // namespace amends::coach
