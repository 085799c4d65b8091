#!/usr/bin/env bash
# Every property change of a bus object goes through its one setter, which stores and emits
# PropertiesChanged (dbus/org.hotseat.Supervisor1.xml, hotseatd(8)): a second place that emits
# is a setter that bypasses it. Checks each supervisor/dbus/*_object.cpp: one signal built with
# dbus/properties_changed.h, and no emit of sdbus-c++'s own.
# Usage: one_setter_test.sh SUPERVISOR_DBUS_DIR
set -euo pipefail
dir=$1
fail() { echo "FAIL: $*" >&2; exit 1; }

objects=("$dir"/*_object.cpp)
((${#objects[@]} >= 2)) || fail "expected the manager and the VM object in $dir, found: ${objects[*]}"
for file in "${objects[@]}"; do
  sites=$(grep -nE 'emitPropertiesChangedSignal\(|PropertiesChanged [a-z_]+\(' "$file" || true)
  count=$(grep -c . <<<"$sites" || true)
  ((count == 1)) || fail "$(basename "$file") emits PropertiesChanged in $count places, not one setter:"$'\n'"$sites"
done
echo "PASS: ${#objects[@]} bus objects, one setter each"
