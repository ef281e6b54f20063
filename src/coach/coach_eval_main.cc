// coach_eval FILE.jsonl [--mismatches]: precision, recall and F1 of the reply coach per label on a labelled set.
// Exit status: 0 when every label has F1 >= --min-f1 (default 0), 1 otherwise, 2 on bad input.

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>

#include "coach/coach.h"
#include "coach/eval.h"

int main(int argc, char** argv) {
    std::string path;
    bool show_mismatches = false;
    double min_f1 = 0.0;
    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i];
        if (arg == "--mismatches") show_mismatches = true;
        else if (arg == "--min-f1" && i + 1 < argc) min_f1 = std::stod(argv[++i]);
        else if (arg == "--eval" && i + 1 < argc) path = argv[++i];
        else if (!arg.starts_with("-")) path = std::string(arg);
        else {
            std::cerr << "usage: coach_eval [--eval] FILE.jsonl [--mismatches] [--min-f1 X]\n";
            return 2;
        }
    }
    if (path.empty()) {
        std::cerr << "usage: coach_eval [--eval] FILE.jsonl [--mismatches] [--min-f1 X]\n";
        return 2;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        std::cerr << "coach_eval: cannot read " << path << "\n";
        return 2;
    }
    std::stringstream buffer;
    buffer << in.rdbuf();
    std::string data = buffer.str();
    auto result = amends::coach::Evaluate(amends::coach::DefaultCoach(), data);
    if (!result) {
        std::cerr << "coach_eval: " << path << ": " << result.error().field << ": " << result.error().message << "\n";
        return 2;
    }
    std::cout << result->items << " replies from " << path << "\n\n" << amends::coach::FormatEvalTable(*result);
    if (show_mismatches) {
        std::cout << "\n";
        for (const auto& m : result->mismatches)
            std::cout << "line " << m.line << ": " << m.label << " expected " << (m.expected ? "true" : "false") << ": "
                      << m.text << "\n";
    }
    bool ok = true;
    for (const auto& s : result->labels) ok = ok && s.f1 >= min_f1;
    return ok ? 0 : 1;
}
