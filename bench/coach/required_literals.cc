#include "bench/coach/required_literals.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace amends::coach::bench {
namespace {

constexpr std::size_t kMaxStrings = 128;  // an exact set larger than this is dropped
constexpr std::size_t kMaxLength = 64;

using Strings = std::set<std::string>;

// What is known of the strings a part of an expression matches.
struct Info {
    std::optional<Strings> exact;     // every string it can match, when there are few
    std::optional<Strings> required;  // one of these occurs in every match (never holds "")
};

char Lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

// A set of strings as a requirement: usable only if none is empty.
std::optional<Strings> AsRequirement(const Info& info) {
    if (info.exact && !info.exact->empty() && !info.exact->contains("")) return info.exact;
    return info.required;
}

// The better of two requirements: the one whose shortest literal is longer (rarer), then the smaller set.
std::optional<Strings> Better(const std::optional<Strings>& a, const std::optional<Strings>& b) {
    if (!a) return b;
    if (!b) return a;
    auto shortest = [](const Strings& s) {
        std::size_t n = kMaxLength + 1;
        for (const std::string& x : s) n = std::min(n, x.size());
        return n;
    };
    std::size_t la = shortest(*a), lb = shortest(*b);
    if (la != lb) return la > lb ? a : b;
    return a->size() <= b->size() ? a : b;
}

std::optional<Strings> Concatenate(const Strings& a, const Strings& b) {
    if (a.size() * b.size() > kMaxStrings) return std::nullopt;
    Strings out;
    for (const std::string& x : a)
        for (const std::string& y : b) {
            if (x.size() + y.size() > kMaxLength) return std::nullopt;
            out.insert(x + y);
        }
    return out;
}

class Reader {
public:
    explicit Reader(std::string_view e) : e_(e) {}
    bool ok() const { return ok_ && i_ == e_.size(); }
    Info Alternation() {
        std::vector<Info> branches{Sequence()};
        while (ok_ && i_ < e_.size() && e_[i_] == '|') {
            ++i_;
            branches.push_back(Sequence());
        }
        if (branches.size() == 1) return branches[0];
        Info out;
        Strings exact, required;
        bool all_exact = true, all_required = true;
        for (const Info& b : branches) {
            if (b.exact) exact.insert(b.exact->begin(), b.exact->end());
            else all_exact = false;
            if (auto r = AsRequirement(b)) required.insert(r->begin(), r->end());
            else all_required = false;
        }
        if (all_exact && exact.size() <= kMaxStrings) out.exact = exact;
        if (all_required) out.required = required;
        return out;
    }

private:
    Info Sequence() {
        Strings suffix{""};  // exact strings of the pieces since the last one that was not exact
        bool whole_exact = true;
        std::optional<Strings> best;
        auto close_suffix = [&] {
            Info s;
            s.exact = suffix;
            best = Better(best, AsRequirement(s));
            suffix = {""};
        };
        while (ok_ && i_ < e_.size() && e_[i_] != '|' && e_[i_] != ')') {
            Info p = Piece();
            if (!ok_) break;
            if (p.exact) {
                if (auto joined = Concatenate(suffix, *p.exact)) {
                    suffix = *joined;
                    continue;
                }
                whole_exact = false;
                close_suffix();
                suffix = *p.exact;
                continue;
            }
            whole_exact = false;
            close_suffix();
            best = Better(best, p.required);
        }
        Info out;
        if (whole_exact) {
            out.exact = suffix;
            return out;
        }
        close_suffix();
        out.required = best;
        return out;
    }

    Info Piece() {
        Info atom = Atom();
        if (!ok_ || i_ >= e_.size()) return atom;
        std::size_t min = 1, max = 1;
        char c = e_[i_];
        if (c == '?') {
            min = 0;
            ++i_;
        } else if (c == '*' || c == '+') {
            min = c == '+' ? 1 : 0;
            max = kMaxLength + 1;
            ++i_;
        } else if (c == '{') {
            std::size_t close = e_.find('}', i_);
            if (close == std::string_view::npos) return Fail();
            std::string inside(e_.substr(i_ + 1, close - i_ - 1));
            std::size_t comma = inside.find(',');
            if (inside.empty() || inside.find_first_not_of("0123456789,") != std::string::npos || comma == 0)
                return Fail();
            min = std::stoul(inside.substr(0, comma));
            max = comma == std::string::npos ? min : comma + 1 == inside.size() ? kMaxLength + 1 : std::stoul(inside.substr(comma + 1));
            i_ = close + 1;
        } else {
            return atom;
        }
        if (i_ < e_.size() && (e_[i_] == '?' || e_[i_] == '+')) return Fail();  // lazy or possessive
        Info out;
        if (min == 0) {
            if (max == 1 && atom.exact) {
                out.exact = *atom.exact;
                out.exact->insert("");
            }
            return out;  // may match nothing: requires nothing
        }
        if (min == 1 && max == 1) return atom;
        out.required = AsRequirement(atom);  // at least one copy
        return out;
    }

    Info Atom() {
        Info out;
        char c = e_[i_];
        if (c == '(') {
            if (e_.substr(i_, 3) == "(?:") i_ += 3;
            else if (i_ + 1 < e_.size() && e_[i_ + 1] == '?') return Fail();
            else ++i_;
            out = Alternation();
            if (!ok_ || i_ >= e_.size() || e_[i_] != ')') return Fail();
            ++i_;
            return out;
        }
        if (c == '[') return Class();
        if (c == '\\') {
            if (i_ + 1 >= e_.size()) return Fail();
            char x = e_[i_ + 1];
            i_ += 2;
            if (x == 'b' || x == 'B') {
                out.exact = Strings{""};
            } else if (x == 'd') {
                out.exact = Strings{};
                for (char d = '0'; d <= '9'; ++d) out.exact->insert(std::string(1, d));
            } else if (x == 'n') {
                out.exact = Strings{"\n"};
            } else if (x == 't' || x == 'r' || x == 'f' || x == 'v' || x == 'x' || x == 'A' || x == 'z' || x == 'Z') {
                return Fail();
            } else if (std::isalnum(static_cast<unsigned char>(x))) {
                // \w, \s, \W, ...: a class too wide to list; no requirement
            } else {
                out.exact = Strings{std::string(1, x)};
            }
            return out;
        }
        if (c == '^' || c == '$') {
            ++i_;
            out.exact = Strings{""};
            return out;
        }
        if (c == '.' || c == '*' || c == '+' || c == '?' || c == '{' || c == '|' || c == ')') {
            if (c == '.') {
                ++i_;
                return out;
            }
            return Fail();
        }
        ++i_;
        out.exact = Strings{std::string(1, Lower(c))};
        return out;
    }

    // A class of single characters ([sz], [.!?], [- ]) is an exact set; a negated class, a range or an escape in a
    // class is too wide to list.
    Info Class() {
        Info out;
        std::size_t j = i_ + 1;
        bool listable = true;
        if (j < e_.size() && e_[j] == '^') {
            listable = false;
            ++j;
        }
        if (j < e_.size() && e_[j] == ']') ++j;
        Strings members;
        for (; j < e_.size() && e_[j] != ']'; ++j) {
            if (e_[j] == '\\') {
                listable = false;
                ++j;
                continue;
            }
            if (e_[j] == '-' && j > i_ + 1 && j + 1 < e_.size() && e_[j + 1] != ']') listable = false;
            members.insert(std::string(1, Lower(e_[j])));
        }
        if (j >= e_.size()) return Fail();
        i_ = j + 1;
        if (listable && !members.empty()) out.exact = members;
        return out;
    }

    Info Fail() {
        ok_ = false;
        return {};
    }

    std::string_view e_;
    std::size_t i_ = 0;
    bool ok_ = true;
};

}  // namespace

std::optional<std::vector<std::string>> RequiredLiterals(std::string_view expression) {
    Reader reader(expression);
    Info info = reader.Alternation();
    if (!reader.ok()) return std::nullopt;
    std::optional<Strings> required = AsRequirement(info);
    if (!required || required->empty()) return std::nullopt;
    return std::vector<std::string>(required->begin(), required->end());
}

}  // namespace amends::coach::bench
