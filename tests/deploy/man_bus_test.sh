#!/usr/bin/env bash
# hotseatd(8) names every property, method and signal of the bus API, read from the API's source
# of truth (dbus/org.hotseat.Supervisor1.xml), so a member added to the XML without a word in the
# man page fails here.
# Usage: man_bus_test.sh PAGE INTERFACE_XML
set -euo pipefail
source "$(dirname "$0")/lib.sh"
page=$1 xml=$2

members=$(grep -oE '<(property|method|signal) name="[A-Za-z]+"' "$xml" | sed -E 's/.*name="([^"]+)"/\1/' | sort -u)
(($(wc -w <<<"$members") >= 20)) || fail "found only these members in $xml, the extraction is broken: $members"

missing=()
for name in $members; do
  # .B Name / .BR Name , / .BR Start() , / .BR Postpone(u) ) ...
  grep -qE "^\.(B|BR|BI|IR) $name(\([a-z]*\))?([ ,;.]|$)" "$page" || missing+=("$name")
done
((${#missing[@]} == 0)) || fail "$page does not name: ${missing[*]}"
echo "PASS: $page names all $(wc -w <<<"$members") members of the bus API"
