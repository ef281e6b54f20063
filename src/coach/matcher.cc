#include "coach/matcher.h"

#include <hs/hs.h>

#include <stdexcept>
#include <utility>

namespace amends::coach {
namespace {

int OnMatch(unsigned int id, unsigned long long from, unsigned long long to, unsigned int /*flags*/, void* context) {
    static_cast<std::vector<RawMatch>*>(context)->push_back(RawMatch{id, static_cast<std::size_t>(from),
                                                                     static_cast<std::size_t>(to)});
    return 0;
}

constexpr unsigned kFlags = HS_FLAG_CASELESS | HS_FLAG_UTF8 | HS_FLAG_SOM_LEFTMOST | HS_FLAG_MULTILINE;

}  // namespace

void MultiMatcher::DatabaseDeleter::operator()(hs_database* db) const { hs_free_database(db); }
void MultiMatcher::ScratchDeleter::operator()(hs_scratch* scratch) const { hs_free_scratch(scratch); }

Expected<std::unique_ptr<MultiMatcher>> MultiMatcher::Compile(std::span<const std::string> expressions) {
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
    for (;;) {
        hs_compile_error_t* error = nullptr;
        if (hs_compile_multi(sources.data(), flags.data(), ids.data(), static_cast<unsigned>(sources.size()),
                             HS_MODE_BLOCK, nullptr, &db, &error) == HS_SUCCESS)
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
    hs_scratch_t* scratch = nullptr;
    if (hs_alloc_scratch(db, &scratch) != HS_SUCCESS) return Fail(ErrorCode::kInternal, "hyperscan scratch allocation failed");
    matcher->prototype_.reset(scratch);
    return matcher;
}

MultiMatcher::~MultiMatcher() = default;

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
