#pragma once
// Evaluation of the coach on a labelled set: precision, recall and F1 per element and per anti-pattern.
// Input is JSON Lines, one reply a line:
//   {"text": "...", "labels": {"apology": true, "ownership": false, ...},
//    "context": {"step": "offer", "fault": "ours", "remedy_offered": false, "previous": ["an earlier message", ...]}}
// A label left out of "labels" means false; "context" is optional ("previous" are messages already sent to the same
// customer, for the boilerplate check).

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "coach/coach.h"
#include "domain/error.h"

namespace amends::coach {

struct LabelScore {
    std::string label;
    std::size_t true_positives = 0;
    std::size_t false_positives = 0;
    std::size_t false_negatives = 0;
    std::size_t support = 0;  // items labelled true
    double precision = 1.0;   // 1 when nothing was predicted
    double recall = 1.0;      // 1 when nothing was labelled
    double f1 = 1.0;
};

// One disagreement, for finding out why.
struct Mismatch {
    std::size_t line = 0;  // 1-based line in the input
    std::string label;
    bool expected = false;
    std::string text;
};

struct EvalResult {
    std::size_t items = 0;
    std::vector<LabelScore> labels;  // elements in Element order, then anti-patterns in FindingKind order
    std::vector<Mismatch> mismatches;
};

// kInvalidArgument naming "line N" for a malformed line or an unknown label.
Expected<EvalResult> Evaluate(const Coach& coach, std::string_view jsonl);

// A Markdown table: label, support, TP, FP, FN, precision, recall, F1.
std::string FormatEvalTable(const EvalResult& result);

}  // namespace amends::coach
