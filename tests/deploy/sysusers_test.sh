#!/usr/bin/env bash
# hotseat.sysusers applied by the real systemd-sysusers to an empty root: it must create the
# system user hotseat (own group, no login, home /) and add it to group libvirt, and nothing else.
# Usage: sysusers_test.sh SYSUSERS_FILE
set -euo pipefail
source "$(dirname "$0")/lib.sh"
file=$(realpath "$1")
need systemd-sysusers systemd
make_scratch
mkdir -p "$scratch/etc"

out=$(systemd-sysusers --root="$scratch" "$file" 2>&1) || fail "systemd-sysusers failed:"$'\n'"$out"
echo "$out"
if grep -qiE 'fail|invalid|ignor' <<<"$out"; then fail "systemd-sysusers complained"; fi

passwd=$(cat "$scratch/etc/passwd") group=$(cat "$scratch/etc/group")
IFS=: read -r name _ uid gid _ home shell <<<"$(grep '^hotseat:' <<<"$passwd")" ||
  fail "no user hotseat in:"$'\n'"$passwd"
((uid > 0 && uid < 1000)) || fail "hotseat has uid $uid, not a system uid"
[[ $home == / ]] || fail "hotseat's home is $home, expected /"
[[ $shell == */nologin ]] || fail "hotseat's shell is $shell, expected nologin"
grep -qx "hotseat:x:$gid:" <<<"$group" || fail "hotseat's primary group is not its own:"$'\n'"$group"
grep -qE '^libvirt:x:[0-9]+:hotseat$' <<<"$group" || fail "hotseat is not in group libvirt:"$'\n'"$group"
if grep -qE '^input:' <<<"$group"; then fail "hotseat must not be in group input (read+write on every input device)"; fi
[[ $(wc -l <<<"$passwd") == 1 ]] || fail "more users than hotseat:"$'\n'"$passwd"
echo "PASS: user hotseat (uid $uid), groups hotseat and libvirt"
