#!/usr/bin/env bash
# A trigger added to `enum class Trigger` must break the build until every switch over Trigger
# handles it: a `default:` would let a rule with the new trigger compile and never match. Each
# file with such a switch is compiled against a copy of hotseat/config.h that has one trigger
# more; -Wswitch must name it once for every switch over Trigger in the file.
# Usage: new_trigger_test.sh CXX SOURCE_DIR
set -euo pipefail
cxx=$1 src=$2
fail() { echo "FAIL: $*" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/hotseat"
# Quoted includes look in the including file's folder first, then -I in order: $tmp wins over
# include/ for "hotseat/config.h", while core's own headers still resolve.
sed -E 's/^(\s*)VmStopped,$/&\n\1ProbeTrigger,/' "$src/include/hotseat/config.h" >"$tmp/hotseat/config.h"
grep -q ProbeTrigger "$tmp/hotseat/config.h" || fail "could not add a trigger after VmStopped in config.h"

files=$(grep -rlE 'case Trigger::' "$src/supervisor" "$src/ctl" --include='*.cpp')
[[ -n $files ]] || fail "found no switch over Trigger: the search is broken"
checked=0
for file in $files; do
  # Switch statements whose first case is a Trigger.
  switches=$(awk '/switch \(/ { open = 1; next } open && /case / { if ($0 ~ /case Trigger::/) n++; open = 0 }
                  END { print n + 0 }' "$file")
  ((switches > 0)) || continue
  out=$(LC_ALL=C "$cxx" -std=c++20 -fsyntax-only -Wswitch -I"$tmp" -I"$src/include" -I"$src/supervisor" "$file" 2>&1) || true
  named=$(grep -c "ProbeTrigger' not handled in switch" <<<"$out" || true)
  ((named == switches)) ||
    fail "${file#"$src"/}: $switches switch(es) over Trigger, but -Wswitch names the new trigger $named time(s)" \
         "(a default: swallows it?)"$'\n'"$out"
  checked=$((checked + switches))
done
((checked > 0)) || fail "no switch over Trigger was checked"
echo "PASS: a new trigger breaks all $checked switches over Trigger"
