#!/usr/bin/env bash
# A stricter reading of 70-hotseat.rules than systemd 252's parser, which silently accepts some
# mistakes (a missing comma between two pairs) and has no `udevadm verify` yet (that came in 253).
# Every line is KEY[{attr}] OP "value" pairs separated by commas; keys are udev's; the operator
# suits the key; every GOTO has its LABEL; every RUN program exists and is executable (NixOS
# refuses rules whose RUN program does not, so this catches what a NixOS build would).
# Usage: udev_rules_lint.sh RULES
set -euo pipefail
source "$(dirname "$0")/lib.sh"
rules=$1

match_only=" ACTION DEVPATH KERNEL KERNELS SUBSYSTEM SUBSYSTEMS DRIVER DRIVERS ATTRS TAGS TEST PROGRAM RESULT CONST "
assign_only=" OWNER GROUP MODE SECLABEL RUN LABEL GOTO IMPORT OPTIONS "
either=" NAME SYMLINK ENV ATTR SYSCTL TAG "
pair='^([A-Z_]+)(\{[^}]*\})?[[:space:]]*(==|!=|\+=|-=|:=|=)[[:space:]]*"([^"]*)"[[:space:]]*(.*)$'
errors=() labels=() gotos=() runs=()

check_pair() {  # KEY OPERATOR VALUE WHERE
  local key=$1 op=$2 value=$3 where=$4
  if [[ $match_only == *" $key "* ]]; then
    [[ $op == "==" || $op == "!=" ]] || errors+=("$where: $key is matched with == or !=, not $op")
  elif [[ $assign_only == *" $key "* ]]; then
    [[ $op != "==" && $op != "!=" ]] || errors+=("$where: $key can only be assigned, not matched")
    [[ $key != LABEL && $key != GOTO ]] || [[ $op == "=" ]] || errors+=("$where: $key takes =")
  elif [[ $either != *" $key "* ]]; then
    errors+=("$where: unknown key $key")
  fi
  case $key in
    LABEL) labels+=("$value") ;;
    GOTO) gotos+=("$value") ;;
    RUN) runs+=("${value%% *}") ;;
  esac
}

number=0 logical="" start=0
while IFS= read -r line || [[ -n $line ]]; do
  number=$((number + 1))
  [[ -z $logical ]] && start=$number
  if [[ $line == *\\ ]]; then logical+="${line%\\} "; continue; fi
  logical+=$line
  text="${logical#"${logical%%[![:space:]]*}"}"
  logical=""
  [[ -z $text || $text == \#* ]] && continue
  where="$rules:$start"
  while [[ -n $text ]]; do
    if ! [[ $text =~ $pair ]]; then
      errors+=("$where: cannot read a KEY OP \"value\" pair at: $text")
      break
    fi
    check_pair "${BASH_REMATCH[1]}" "${BASH_REMATCH[3]}" "${BASH_REMATCH[4]}" "$where"
    text=${BASH_REMATCH[5]}
    [[ -z $text ]] && break
    if [[ $text != ,* ]]; then
      errors+=("$where: a comma must separate the pairs, before: $text")
      break
    fi
    text="${text#,}"
    text="${text#"${text%%[![:space:]]*}"}"
  done
done <"$rules"

for goto in "${gotos[@]}"; do
  [[ " ${labels[*]} " == *" $goto "* ]] || errors+=("GOTO=\"$goto\" has no LABEL")
done
for program in "${runs[@]}"; do
  [[ $program != /* || -x $program ]] ||
    errors+=("RUN program $program does not exist or is not executable (Debian package: acl for setfacl)")
done

if ((${#errors[@]})); then
  printf 'FAIL: %s\n' "${errors[@]}" >&2
  exit 1
fi
echo "PASS: $rules: $number lines, ${#runs[@]} RUN, ${#gotos[@]} GOTO, all well-formed"
