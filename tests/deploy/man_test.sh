#!/usr/bin/env bash
# A manual page renders without a single warning from man/groff (all groff warnings on, which
# includes what `man --warnings` checks by default), and says what it is.
# Usage: man_test.sh PAGE
set -euo pipefail
source "$(dirname "$0")/lib.sh"
page=$1
need man man-db
[[ -s $page ]] || fail "$page is missing or empty"

warnings=$(MANWIDTH=80 man --warnings=w -l "$page" 2>&1 >/dev/null) || fail "man failed: $warnings"
[[ -z $warnings ]] || fail "$page:"$'\n'"$warnings"
text=$(MANWIDTH=80 man -l "$page" 2>/dev/null)
for section in NAME SYNOPSIS DESCRIPTION "SEE ALSO"; do
  grep -qx "$section" <<<"$text" || fail "$page has no $section section"
done
echo "PASS: $page renders cleanly ($(wc -l <<<"$text") lines at 80 columns)"
