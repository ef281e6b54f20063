// coach_reports CORPUS.jsonl: every report the coach gives on the benchmark's 1,000 replies, on each reply of the
// labelled corpus (with its context and previous messages, as Evaluate() reads them) and on 3,000 drafts stitched
// from pieces of the corpus (random cuts, quotes, blank lines, tabs, question marks and non-ASCII), one line each:
// "<source> <n>\t<JSON report>". check_reports.sh compares this with reports.golden.jsonl.gz, so a change
// that is meant to be faster only can prove it changes no finding, span, element or score.

#include <cstdint>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench/coach/bench_replies.h"
#include "coach/boilerplate_index.h"
#include "coach/coach.h"
#include "coach/report.h"

namespace {

using amends::coach::Context;

void Print(const std::string& source, std::size_t n, const std::string& text, const Context& context) {
    auto report = amends::coach::DefaultCoach().Analyze(text, context);
    std::cout << source << ' ' << n << '\t' << (report ? amends::coach::ToJson(*report) : "error: " + report.error().message)
              << '\n';
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: coach_reports CORPUS.jsonl\n";
        return 2;
    }
    std::vector<std::string> replies = amends::coach::bench::MakeReplies(1000, 1024, 42);
    for (std::size_t i = 0; i < replies.size(); ++i) Print("bench", i, replies[i], {});

    std::ifstream in(argv[1], std::ios::binary);
    if (!in) {
        std::cerr << "coach_reports: cannot read " << argv[1] << "\n";
        return 2;
    }
    std::vector<std::string> texts;
    std::string line;
    std::size_t n = 0;
    while (std::getline(in, line)) {
        ++n;
        nlohmann::json item = nlohmann::json::parse(line, nullptr, false);
        if (!item.is_object() || !item.contains("text")) continue;
        std::string text = item["text"].get<std::string>();
        texts.push_back(text);
        Context context;
        amends::coach::BoilerplateIndex sent;
        if (item.contains("context")) {
            const nlohmann::json& c = item["context"];
            if (c.contains("step")) context.step = *amends::coach::ParseStep(c["step"].get<std::string>());
            if (c.contains("fault")) context.fault = *amends::coach::ParseFault(c["fault"].get<std::string>());
            if (c.contains("remedy_offered")) context.remedy_offered = c["remedy_offered"].get<bool>();
            if (c.contains("previous")) {
                std::int64_t t = 1'700'000'000;
                for (const auto& message : c["previous"]) {
                    sent.Add("customer", message.get<std::string>(), t);
                    t += 3600 * 24;
                }
                context.sent = &sent;
                context.customer = "customer";
                context.now_unix = t;
            }
        }
        Print("corpus", n, text, context);
    }

    // Drafts stitched from corpus pieces cut at random bytes (so words, quotes and UTF-8 sequences get split),
    // with random separators: the edges of every match (word edges, quotes, sentences) get exercised.
    const char* const kSeparators[] = {" ", "\n", "\n> ", "  ", "\t", "? ", ". ", "\n\n", " \"", "\" ", " — ", ", ", " é"};
    std::mt19937 rng(2024);
    for (std::size_t i = 0; i < 3000; ++i) {
        std::string draft;
        std::size_t pieces = 1 + rng() % 8;
        for (std::size_t p = 0; p < pieces; ++p) {
            const std::string& t = texts[rng() % texts.size()];
            std::size_t a = rng() % (t.size() + 1), b = rng() % (t.size() + 1);
            if (a > b) std::swap(a, b);
            if (rng() % 3 == 0) a = 0;
            if (rng() % 3 == 0) b = t.size();
            draft += t.substr(a, b - a);
            draft += kSeparators[rng() % std::size(kSeparators)];
        }
        Print("stitched", i, draft, {});
    }
    return 0;
}
