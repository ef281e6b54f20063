// coach_pattern_ir: what each eager pattern (group 0) costs on its own, in instructions, which unlike time does not
// move with the other tenants of this VM. Each pattern is compiled alone as MultiMatcher compiles it ({SCAN} point,
// leading \b left out, question tail) and scans the benchmark replies (forward scan, its reverse scans, the tail);
// under callgrind, each pattern's scans are one dump:
//   valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file=/tmp/ir/out build/c8-rel/bench/coach/coach_pattern_ir
//   bench/coach/pattern_ir.sh /tmp/ir     # the patterns by instructions a reply, costliest first
// The figure includes what any scan costs (the same for every pattern); patterns alone do not add up to the whole
// database exactly (Hyperscan shares literal matching), so read it as a ranking.

#include <valgrind/callgrind.h>

#include <cstdio>
#include <string>
#include <vector>

#include "bench/coach/bench_replies.h"
#include "coach/lexicon.h"
#include "coach/matcher.h"
#include "coach/text.h"

int main() {
    auto pack = amends::coach::ParseLanguagePack(amends::coach::CoachLexicon(), "en");
    if (!pack) {
        std::fprintf(stderr, "%s\n", pack.error().message.c_str());
        return 1;
    }
    std::vector<std::string> texts;
    for (const std::string& reply : amends::coach::bench::MakeReplies(300, 1024, 42))
        texts.push_back(amends::coach::CollapseWhitespace(reply).text);
    const auto groups = amends::coach::GroupPatterns(*pack);
    std::vector<amends::coach::RawMatch> out;
    for (std::size_t i : groups[0].patterns) {
        const amends::coach::Pattern& p = pack->patterns[i];
        const std::vector<std::string> expression = {amends::coach::MatcherExpression(p)};
        const std::vector<std::size_t> scan_from = {p.scan_from};
        auto matcher = amends::coach::MultiMatcher::Compile(expression, false, scan_from);
        if (!matcher) {
            std::fprintf(stderr, "%s:%d: %s\n", p.file.c_str(), p.line, matcher.error().message.c_str());
            return 1;
        }
        const std::vector<bool> word_end = {p.word_end};
        std::size_t matches = 0;
        CALLGRIND_ZERO_STATS;
        CALLGRIND_START_INSTRUMENTATION;
        for (const std::string& t : texts) {
            out.clear();
            (*matcher)->Scan(t, out, &word_end);
            matches += out.size();
        }
        CALLGRIND_STOP_INSTRUMENTATION;
        const std::string label = p.file + ":" + std::to_string(p.line);
        // The dump's label carries the number of replies, which pattern_ir.sh divides by. (Named: the macro expands to
        // several statements, so a temporary's c_str() would be gone when the request reads it.)
        const std::string dump = std::to_string(texts.size()) + " " + label;
        CALLGRIND_DUMP_STATS_AT(dump.c_str());
        std::printf("%s\t%zu matches\t%.100s\n", label.c_str(), matches, p.source.c_str());
        std::fflush(stdout);
    }
    return 0;
}
