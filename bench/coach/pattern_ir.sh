#!/bin/sh
# The dumps of coach_pattern_ir under callgrind (directory $1, files out.N), labelled "REPLIES FILE:LINE":
# instructions a reply for each pattern, costliest first.
set -eu
dir=${1:?usage: pattern_ir.sh DIR}
for f in "$dir"/out.*; do
    label=$(sed -n 's/^desc: Trigger: Client Request: //p' "$f")
    total=$(sed -n 's/^totals: //p' "$f")
    [ -n "$label" ] && echo "$((total / ${label%% *})) ${label#* }"
done | sort -rn
