#!/usr/bin/env bash
# `systemd-analyze verify` of hotseatd.service, offline. verify needs the ExecStart binary to
# exist, so a copy of the unit points at HOTSEATD; Documentation= man pages resolve against
# MAN_SOURCE_DIR. verify exits 0 even on typos, so any output at all is a failure, and the
# checker is first shown to catch a broken copy.
# Usage: unit_verify_test.sh UNIT HOTSEATD MAN_SOURCE_DIR
set -euo pipefail
source "$(dirname "$0")/lib.sh"
unit=$1 hotseatd=$2 man_source=$3
need systemd-analyze systemd
need man man-db
[[ -x $hotseatd ]] || fail "$hotseatd is not built"
make_scratch

mkdir -p "$scratch/good" "$scratch/broken" "$scratch/man"
for page in "$man_source"/*.[0-9]; do
  section=${page##*.}
  mkdir -p "$scratch/man/man$section"
  cp "$page" "$scratch/man/man$section/"
done
sed "s|/usr/sbin/hotseatd|$hotseatd|g" "$unit" >"$scratch/good/hotseatd.service"
grep -q "ExecStart=$hotseatd " "$scratch/good/hotseatd.service" ||
  fail "the unit has no ExecStart=/usr/sbin/hotseatd ... line to point at the build"
sed 's/^KillMode=.*/KillMode=mixd/' "$scratch/good/hotseatd.service" >"$scratch/broken/hotseatd.service"

# Everything verify says, plus its exit status when that is not 0.
verify() {
  local out status=0
  out=$(cd "$scratch" && MANPATH="$scratch/man" systemd-analyze verify --man=yes "$1" 2>&1) || status=$?
  printf '%s' "$out"
  [[ $status == 0 ]] || printf '\n(exit status %s)' "$status"
}

caught=$(verify broken/hotseatd.service)
[[ -n $caught ]] || fail "verify reported nothing for a unit with KillMode=mixd: the check is blind"
echo "self-check: a broken copy is reported: $caught"

found=$(verify good/hotseatd.service)
[[ -z $found ]] || fail "systemd-analyze verify reported:"$'\n'"$found"
echo "PASS: systemd-analyze verify is silent on $unit"
