#!/usr/bin/env bash
# hotseat.toml(5) documents every key the config loader accepts, every trigger and every action,
# read from the loader's own source (reject_unknown_keys lists, the name tables of model.cpp: the
# `case Trigger::X: return "name";` lines of to_string, include/hotseat/names.h),
# so a key added to the loader without a man page entry fails here.
# Usage: man_keys_test.sh PAGE CONFIG_SOURCE_DIR
set -euo pipefail
source "$(dirname "$0")/lib.sh"
page=$1 sources=$2

keys=$(cat "$sources"/read_*.cpp | tr '\n' ' ' | grep -oE 'reject_unknown_keys\([^)]*\)' |
  grep -oE '"[a-z_]+"' | tr -d '"' | sort -u)
names=$(grep -ohE 'case (Trigger|Action)::[A-Za-z]+: return "[^"]+"' "$sources"/model.cpp |
  sed -E 's/.*"([^"]+)".*/\1/' | sort -u)
(($(wc -w <<<"$keys") >= 15)) || fail "found only these keys in $sources, the extraction is broken: $keys"
(($(wc -w <<<"$names") == 12)) || fail "expected 7 triggers and 5 actions in model.cpp, found: $names"

missing=()
for word in supervisor vm rule $keys $names; do
  roff=${word//-/\\\\-}  # force-stop is written force\-stop
  roff=${roff//./\\.}
  grep -qE "^\.(SH|B|BR) (\[+)?$roff(\]+)?( |$)" "$page" || missing+=("$word")
done
((${#missing[@]} == 0)) || fail "$page does not document: ${missing[*]}"
echo "PASS: $page documents all $(wc -w <<<"$keys") keys, 7 triggers and 5 actions"
