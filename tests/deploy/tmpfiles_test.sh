#!/usr/bin/env bash
# hotseat.tmpfiles applied by the real systemd-tmpfiles to an empty root: /run/hotseat must exist,
# root's, mode 0755 (a root-run hook writes there; no unprivileged user may plant files in it).
# Usage: tmpfiles_test.sh TMPFILES_FILE
set -euo pipefail
source "$(dirname "$0")/lib.sh"
file=$(realpath "$1")
need systemd-tmpfiles systemd
make_scratch

out=$(systemd-tmpfiles --root="$scratch" --create "$file" 2>&1) || fail "systemd-tmpfiles failed:"$'\n'"$out"
[[ -z $out ]] || fail "systemd-tmpfiles complained:"$'\n'"$out"
[[ -d $scratch/run/hotseat ]] || fail "/run/hotseat was not created"
read -r mode owner group <<<"$(stat -c '%a %u %g' "$scratch/run/hotseat")"
[[ $mode == 755 && $owner == 0 && $group == 0 ]] ||
  fail "/run/hotseat is mode $mode uid $owner gid $group, expected 755 root root"
echo "PASS: /run/hotseat 0755 root:root"
