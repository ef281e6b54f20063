#!/bin/sh
# check_reports.sh BUILD_DIR [--update]: proves a change leaves the coach's results as they were. Runs
# coach_reports (every JSON report on the 1,000 benchmark replies, the 362 corpus replies with their contexts and
# 3,000 stitched drafts) and coach_eval on the corpus, and compares both with the committed golden files.
# Exit 0 when identical; 1 with the first differences otherwise. --update rewrites the golden files.
set -eu
build=${1:?usage: check_reports.sh BUILD_DIR [--update]}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
corpus="$root/tests/corpus/coach/replies.jsonl"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$build/bench/coach/coach_reports" "$corpus" > "$tmp/reports.jsonl"
"$build/src/coach/coach_eval" "$corpus" | sed "s|$corpus|CORPUS|" > "$tmp/eval.txt"
if [ "${2:-}" = "--update" ]; then
    gzip -9n < "$tmp/reports.jsonl" > "$here/reports.golden.jsonl.gz"
    cp "$tmp/eval.txt" "$here/eval.golden.txt"
    echo "updated $(wc -l < "$tmp/reports.jsonl") reports and the eval table"
    exit 0
fi
gunzip < "$here/reports.golden.jsonl.gz" > "$tmp/golden.jsonl"
status=0
if ! cmp -s "$tmp/golden.jsonl" "$tmp/reports.jsonl"; then
    echo "reports differ:"; diff "$tmp/golden.jsonl" "$tmp/reports.jsonl" | head -20; status=1
fi
if ! cmp -s "$here/eval.golden.txt" "$tmp/eval.txt"; then
    echo "eval table differs:"; diff "$here/eval.golden.txt" "$tmp/eval.txt"; status=1
fi
[ $status -eq 0 ] && echo "same: $(wc -l < "$tmp/reports.jsonl") reports and the eval table"
exit $status
