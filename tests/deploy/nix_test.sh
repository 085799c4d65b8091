#!/usr/bin/env bash
# Nix checks that need no nixpkgs and no network (Debian's nix-bin; no store is written:
# --store dummy://, HOME in a scratch directory).
# Usage: nix_test.sh parse FILE            the file is valid Nix syntax
#        nix_test.sh check NAME EVAL_FILE  checks.NAME of EVAL_FILE evaluates to true
#        nix_test.sh registered EVAL_FILE NAME...   the checks of EVAL_FILE are exactly NAME...
set -euo pipefail
source "$(dirname "$0")/lib.sh"
need nix-instantiate nix-bin
make_scratch
export HOME=$scratch NIX_STATE_DIR=$scratch/state NIX_LOG_DIR=$scratch/log

nix_eval() { nix-instantiate --store dummy:// --eval --strict "$@" 2>&1; }

case $1 in
  parse)
    out=$(nix-instantiate --store dummy:// --parse "$2" 2>&1 >/dev/null) ||
      fail "$2 does not parse:"$'\n'"$out"
    echo "PASS: $2 parses" ;;
  check)
    out=$(nix_eval -A "checks.$2" "$3") || fail "checks.$2:"$'\n'"$out"
    [[ $out == true ]] || fail "checks.$2 evaluated to $out, not true"
    echo "PASS: checks.$2" ;;
  registered)
    eval_file=$2
    shift 2
    out=$(nix_eval --json -E "builtins.attrNames (import $eval_file { }).checks") || fail "$out"
    want=$(printf '"%s",' $(printf '%s\n' "$@" | LC_ALL=C sort))
    [[ $out == "[${want%,}]" ]] ||
      fail "checks in $eval_file: $out; registered in tests/deploy/CMakeLists.txt: [${want%,}]"
    echo "PASS: every check of $eval_file is a CTest test" ;;
  *) fail "unknown mode $1" ;;
esac
