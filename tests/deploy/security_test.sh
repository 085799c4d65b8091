#!/usr/bin/env bash
# The unit's sandbox, scored the way `systemd-analyze security` scores it (0 = locked down,
# 10 = unprotected): the overall exposure must not exceed the target of docs/design.md "Deployment".
# Usage: security_test.sh UNIT MAX_EXPOSURE
set -euo pipefail
source "$(dirname "$0")/lib.sh"
unit=$1 max=$2
need systemd-analyze systemd

report=$(systemd-analyze security --offline=true --no-pager "$unit" 2>&1) ||
  fail "systemd-analyze security failed on $unit:"$'\n'"$report"
line=$(grep -m1 'Overall exposure level' <<<"$report") ||
  fail "no 'Overall exposure level' line in:"$'\n'"$report"
score=$(sed -E 's/.*: ([0-9]+\.[0-9]+).*/\1/' <<<"$line")
[[ $score =~ ^[0-9]+\.[0-9]+$ ]] || fail "cannot read a score from: $line"
echo "$line"
grep -E '^✗' <<<"$report" || true  # what still costs exposure, for the log
awk -v s="$score" -v m="$max" 'BEGIN { exit !(s <= m) }' ||
  fail "exposure $score is above $max"
echo "PASS: exposure $score <= $max"
