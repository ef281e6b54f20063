#include "coach/matcher.h"

#include <hs/hs.h>
#include <xxhash.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <utility>

namespace amends::coach {
namespace {

int OnMatch(unsigned int id, unsigned long long from, unsigned long long to, unsigned int /*flags*/, void* context) {
    static_cast<std::vector<RawMatch>*>(context)->push_back(RawMatch{id, static_cast<std::size_t>(from),
                                                                     static_cast<std::size_t>(to)});
    return 0;
}

constexpr int kLongGapBound = 20;
constexpr unsigned kFlags = HS_FLAG_CASELESS | HS_FLAG_SOM_LEFTMOST | HS_FLAG_MULTILINE;

constexpr std::string_view kMagic = "amends-coach-hs1";

std::uint64_t Digest(std::span<const std::string> expressions) {
    XXH3_state_t* state = XXH3_createState();
    XXH3_64bits_reset(state);
    for (const std::string& e : expressions) XXH3_64bits_update(state, e.data(), e.size() + 1);  // with the NUL
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

void MultiMatcher::DatabaseDeleter::operator()(hs_database* db) const { hs_free_database(db); }
void MultiMatcher::ScratchDeleter::operator()(hs_scratch* scratch) const { hs_free_scratch(scratch); }

Expected<std::unique_ptr<MultiMatcher>> MultiMatcher::Compile(std::span<const std::string> expressions, bool portable) {
    if (expressions.empty()) return InvalidField("patterns", "no patterns to compile");
    std::vector<const char*> sources;
    std::vector<unsigned> flags(expressions.size(), kFlags);
    std::vector<unsigned> ids;
    for (std::size_t i = 0; i < expressions.size(); ++i) {
        sources.push_back(expressions[i].c_str());
        ids.push_back(static_cast<unsigned>(i));
    }
    hs_database_t* db = nullptr;
    std::vector<bool> exact(expressions.size(), true);
    // Start-of-match tracking through a long bounded gap ("[^.]{0,160}") makes a pattern too large, and finding
    // that out costs a whole compile each time; such patterns skip it from the start.
    for (std::size_t i = 0; i < expressions.size(); ++i) {
        if (LongestBoundedRepeat(expressions[i]) >= kLongGapBound) {
            flags[i] &= ~HS_FLAG_SOM_LEFTMOST;
            exact[i] = false;
        }
    }
    for (;;) {
        hs_compile_error_t* error = nullptr;
        hs_platform_info_t generic{};  // tune 0 = generic, no optional CPU features
        if (hs_compile_multi(sources.data(), flags.data(), ids.data(), static_cast<unsigned>(sources.size()),
                             HS_MODE_BLOCK, portable ? &generic : nullptr, &db, &error) == HS_SUCCESS)
            break;
        std::string message = error && error->message ? error->message : "hyperscan compile failed";
        int index = error ? error->expression : -1;
        hs_free_compile_error(error);
        // Tracking where a match starts makes some patterns (long bounded gaps) too large; those report only
        // where they end, and the caller widens the start.
        if (index >= 0 && (flags[index] & HS_FLAG_SOM_LEFTMOST) && message.find("too large") != std::string::npos) {
            flags[index] &= ~HS_FLAG_SOM_LEFTMOST;
            exact[index] = false;
            continue;
        }
        return Fail(ErrorCode::kInvalidArgument, message, index >= 0 ? std::to_string(index) : "");
    }
    std::unique_ptr<MultiMatcher> matcher(new MultiMatcher());
    matcher->database_.reset(db);
    matcher->exact_start_ = std::move(exact);
    matcher->digest_ = Digest(expressions);
    hs_scratch_t* scratch = nullptr;
    if (hs_alloc_scratch(db, &scratch) != HS_SUCCESS) return Fail(ErrorCode::kInternal, "hyperscan scratch allocation failed");
    matcher->prototype_.reset(scratch);
    return matcher;
}

MultiMatcher::~MultiMatcher() = default;

std::string MultiMatcher::Serialize() const {
    char* bytes = nullptr;
    std::size_t length = 0;
    if (hs_serialize_database(database_.get(), &bytes, &length) != HS_SUCCESS) throw std::bad_alloc();
    std::string out(kMagic);
    std::uint64_t digest = digest_;
    std::uint64_t count = exact_start_.size();
    out.append(reinterpret_cast<const char*>(&digest), sizeof digest);
    out.append(reinterpret_cast<const char*>(&count), sizeof count);
    for (bool exact : exact_start_) out.push_back(exact ? 1 : 0);
    out.append(bytes, length);
    std::free(bytes);
    return out;
}

Expected<std::unique_ptr<MultiMatcher>> MultiMatcher::Deserialize(std::string_view bytes,
                                                                   std::span<const std::string> expressions) {
    auto stale = [](std::string why) { return Fail(ErrorCode::kUnprocessable, "precompiled database: " + why); };
    if (!bytes.starts_with(kMagic) || bytes.size() < kMagic.size() + 16) return stale("bad header");
    bytes.remove_prefix(kMagic.size());
    std::uint64_t digest = 0, count = 0;
    std::memcpy(&digest, bytes.data(), sizeof digest);
    std::memcpy(&count, bytes.data() + 8, sizeof count);
    bytes.remove_prefix(16);
    if (digest != Digest(expressions) || count != expressions.size() || bytes.size() < count)
        return stale("built from other patterns");
    std::unique_ptr<MultiMatcher> matcher(new MultiMatcher());
    for (std::size_t i = 0; i < count; ++i) matcher->exact_start_.push_back(bytes[i] != 0);
    bytes.remove_prefix(count);
    hs_database_t* db = nullptr;
    if (hs_deserialize_database(bytes.data(), bytes.size(), &db) != HS_SUCCESS) return stale("corrupt");
    matcher->database_.reset(db);
    hs_scratch_t* scratch = nullptr;
    if (hs_alloc_scratch(db, &scratch) != HS_SUCCESS) return stale("does not run on this CPU");
    matcher->prototype_.reset(scratch);
    matcher->digest_ = digest;
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

void MultiMatcher::Scan(std::string_view text, std::vector<RawMatch>& out) const {
    ScratchPtr scratch = Borrow();
    hs_error_t rc = hs_scan(database_.get(), text.data(), static_cast<unsigned>(text.size()), 0, scratch.get(), OnMatch, &out);
    Return(std::move(scratch));
    // The callback never stops the scan, so anything else is a broken invariant (bad database, bad scratch).
    if (rc != HS_SUCCESS) throw std::runtime_error("hyperscan scan failed: " + std::to_string(rc));
}

}  // namespace amends::coach
