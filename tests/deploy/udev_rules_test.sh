#!/usr/bin/env bash
# 70-hotseat.rules run by systemd's own rule engine (`udevadm test`) against emulated devices
# (umockdev), one device per CASE. It runs in a private mount namespace whose /dev, /run and
# rules directories are scratch tmpfs, so only these rules are loaded and nothing on the host
# changes (udevadm test writes /dev/char links and /run/udev/data).
# Usage: udev_rules_test.sh RULES CASE
#   parse            the rule parser reports nothing about the file (and does report a bad copy)
#   keyboard         event node of a keyboard: tag hotseat, RUN setfacl u:hotseat:r on the node
#   keyboard-change  the ACL is set again on change events
#   keyboard-remove  no setfacl for a node that is going away
#   keyboard-parent  the inputN parent of a keyboard: no setfacl (no node)
#   mouse            a mouse's event node: neither tag nor ACL
#   drm-card drm-connector drm-render usb-device usb-interface   tagged or not, as the rules say
set -euo pipefail
source "$(dirname "$0")/lib.sh"
rules=$(realpath "$1") case=$2
need udevadm udev
need umockdev-run umockdev
need unshare util-linux
[[ $(id -u) == 0 ]] || fail "needs root (a private mount namespace)"
make_scratch
installed=/run/udev/rules.d/70-hotseat.rules

# --- emulated devices (umockdev descriptions: P path, N node, E property, A attribute) ---------
keyboard_event() {
  printf 'P: /devices/virtual/input/input7/event7\nN: input/event7\nE: DEVNAME=/dev/input/event7\n'
  printf 'E: SUBSYSTEM=input\nE: MAJOR=13\nE: MINOR=71\nE: ID_INPUT=1\nE: ID_INPUT_KEY=1\n'
  printf 'E: ID_INPUT_KEYBOARD=1\nA: dev=13:71\n\n'
  printf 'P: /devices/virtual/input/input7\nE: SUBSYSTEM=input\nE: PRODUCT=3/46d/c52b/111\n'
  printf 'E: ID_INPUT=1\nE: ID_INPUT_KEY=1\nE: ID_INPUT_KEYBOARD=1\nA: name=Logitech USB Receiver\n'
}
mouse_event() {
  printf 'P: /devices/virtual/input/input8/event8\nN: input/event8\nE: DEVNAME=/dev/input/event8\n'
  printf 'E: SUBSYSTEM=input\nE: MAJOR=13\nE: MINOR=72\nE: ID_INPUT=1\nE: ID_INPUT_MOUSE=1\n'
  printf 'A: dev=13:72\n\n'
  printf 'P: /devices/virtual/input/input8\nE: SUBSYSTEM=input\nE: ID_INPUT=1\nE: ID_INPUT_MOUSE=1\n'
}
drm() {
  printf 'P: /devices/pci0000:00/0000:00:02.0/drm/card0/card0-HDMI-A-1\nE: SUBSYSTEM=drm\n'
  printf 'E: DEVTYPE=drm_connector\nA: status=connected\n\n'
  printf 'P: /devices/pci0000:00/0000:00:02.0/drm/card0\nN: dri/card0\nE: DEVNAME=/dev/dri/card0\n'
  printf 'E: SUBSYSTEM=drm\nE: DEVTYPE=drm_minor\nE: MAJOR=226\nE: MINOR=0\nA: dev=226:0\n\n'
  printf 'P: /devices/pci0000:00/0000:00:02.0/drm/renderD128\nN: dri/renderD128\n'
  printf 'E: DEVNAME=/dev/dri/renderD128\nE: SUBSYSTEM=drm\nE: DEVTYPE=drm_minor\nE: MAJOR=226\n'
  printf 'E: MINOR=128\nA: dev=226:128\n\n'
  printf 'P: /devices/pci0000:00/0000:00:02.0\nE: SUBSYSTEM=pci\nE: PCI_SLOT_NAME=0000:00:02.0\n'
}
usb() {
  printf 'P: /devices/pci0000:00/0000:00:14.0/usb1/1-1/1-1:1.0\nE: SUBSYSTEM=usb\n'
  printf 'E: DEVTYPE=usb_interface\nE: INTERFACE=3/1/1\n\n'
  printf 'P: /devices/pci0000:00/0000:00:14.0/usb1/1-1\nN: bus/usb/001/002\n'
  printf 'E: DEVNAME=/dev/bus/usb/001/002\nE: SUBSYSTEM=usb\nE: DEVTYPE=usb_device\n'
  printf 'E: ID_VENDOR_ID=046d\nE: ID_MODEL_ID=c52b\nE: MAJOR=189\nE: MINOR=1\nA: dev=189:1\n'
  printf 'A: idVendor=046d\nA: idProduct=c52b\n'
}

# udevadm_test DESCRIPTION SYSPATH ACTION [RULES]: everything `udevadm test` prints.
udevadm_test() {
  local description=$1 syspath=$2 action=$3 rules_file=${4:-$rules}
  printf '%s\n' "$description" >"$scratch/devices.umockdev"
  cat >"$scratch/run.sh" <<SCRIPT
set -e
dev=\$(mktemp -d)
mount -t tmpfs -o mode=0755 tmpfs "\$dev"
for n in null zero full random urandom tty; do touch "\$dev/\$n"; mount --bind "/dev/\$n" "\$dev/\$n"; done
mkdir "\$dev/pts" "\$dev/shm"
mount --rbind /dev/pts "\$dev/pts"
mount --rbind /dev/shm "\$dev/shm"
ln -s pts/ptmx "\$dev/ptmx"   # openpty() for umockdev's emulated nodes
ln -s /proc/self/fd "\$dev/fd"
mount --move "\$dev" /dev
mount -t tmpfs tmpfs /run
for d in /etc/udev/rules.d /usr/local/lib/udev/rules.d /usr/lib/udev/rules.d /lib/udev/rules.d; do
  if [ -d "\$d" ] && ! [ -L "\$d" ]; then mount -t tmpfs tmpfs "\$d"; fi
done
mkdir -p /run/udev/rules.d
cp "$rules_file" $installed
exec umockdev-run -d "$scratch/devices.umockdev" -- udevadm test --action=$action $syspath
SCRIPT
  timeout 60 unshare --mount --propagation private sh "$scratch/run.sh" 2>&1 ||
    fail "udevadm test failed:"$'\n'"$(cat "$scratch/run.sh")"
}

# Diagnostics of the rule parser: lines that start with the rules file's path.
parser_complaints() { grep -E "^$installed:" <<<"$1" || true; }
has_tag() { grep -qE '^TAGS=.*:hotseat:' <<<"$1"; }
acl_runs() { grep -E "^run: '.*setfacl" <<<"$1" || true; }

# expect OUTPUT TAGGED(yes|no) ACL(expected run line|none)
expect() {
  local out=$1 tagged=$2 acl=$3
  grep -q "Reading rules file: $installed" <<<"$out" || fail "the rules were not read:"$'\n'"$out"
  [[ -z $(parser_complaints "$out") ]] || fail "parser: $(parser_complaints "$out")"
  if [[ $tagged == yes ]]; then
    has_tag "$out" || fail "not tagged hotseat:"$'\n'"$out"
  else
    ! has_tag "$out" || fail "tagged hotseat but should not be:"$'\n'"$(grep '^TAGS=' <<<"$out")"
  fi
  local runs
  runs=$(acl_runs "$out")
  if [[ $acl == none ]]; then
    [[ -z $runs ]] || fail "unexpected ACL change: $runs"
  else
    [[ $runs == "$acl" ]] || fail "expected $acl, got: ${runs:-nothing}"
  fi
  echo "PASS: $case (tagged: $tagged, acl: $acl)"
}

keyboard_acl="run: '/usr/bin/setfacl -m u:hotseat:r /dev/input/event7'"
card=/sys/devices/pci0000:00/0000:00:02.0/drm
case $case in
  parse)
    out=$(udevadm_test "$(keyboard_event)" /sys/devices/virtual/input/input7/event7 add)
    grep -q "Reading rules file: $installed" <<<"$out" || fail "the rules were not read:"$'\n'"$out"
    [[ -z $(parser_complaints "$out") ]] || fail "the rule parser complains:"$'\n'"$(parser_complaints "$out")"
    { cat "$rules"; echo 'SUBSYSTEM=="input", NOSUCHKEY="1"'; } >"$scratch/broken.rules"
    broken=$(udevadm_test "$(keyboard_event)" /sys/devices/virtual/input/input7/event7 add "$scratch/broken.rules")
    [[ -n $(parser_complaints "$broken") ]] || fail "a bad line drew no complaint: the check is blind"
    echo "self-check: a bad line is reported: $(parser_complaints "$broken")"
    echo "PASS: the rule parser of systemd $(udevadm --version) accepts $rules without a word" ;;
  keyboard)
    expect "$(udevadm_test "$(keyboard_event)" /sys/devices/virtual/input/input7/event7 add)" yes "$keyboard_acl" ;;
  keyboard-change)
    expect "$(udevadm_test "$(keyboard_event)" /sys/devices/virtual/input/input7/event7 change)" yes "$keyboard_acl" ;;
  keyboard-remove)
    expect "$(udevadm_test "$(keyboard_event)" /sys/devices/virtual/input/input7/event7 remove)" yes none ;;
  keyboard-parent)
    expect "$(udevadm_test "$(keyboard_event)" /sys/devices/virtual/input/input7 add)" no none ;;
  mouse)
    expect "$(udevadm_test "$(mouse_event)" /sys/devices/virtual/input/input8/event8 add)" no none ;;
  drm-card)
    expect "$(udevadm_test "$(drm)" $card/card0 change)" yes none ;;
  drm-connector)
    expect "$(udevadm_test "$(drm)" $card/card0/card0-HDMI-A-1 change)" yes none ;;
  drm-render)
    expect "$(udevadm_test "$(drm)" $card/renderD128 add)" no none ;;
  usb-device)
    expect "$(udevadm_test "$(usb)" /sys/devices/pci0000:00/0000:00:14.0/usb1/1-1 add)" yes none ;;
  usb-interface)
    expect "$(udevadm_test "$(usb)" /sys/devices/pci0000:00/0000:00:14.0/usb1/1-1/1-1:1.0 add)" no none ;;
  *) fail "unknown case $case" ;;
esac
