#!/usr/bin/env bash
# The example libvirt domains validate against libvirt's own schema and carry what
# docs/setup.md step 3 says an Alder Lake-N iGPU needs (QEMU docs/igd-assign.txt): the iGPU as a
# managed hostdev at guest address 00:02.0 with an option ROM, the OpRegion asked for through
# <qemu:override> on the hostdev's alias, no emulated display; plus host-first CPU shares, and
# for the desktop variants a serial console and the guest channel. The i440fx variant also asks
# for the LPC bridge IDs (x-igd-lpc, i440fx only).
set -euo pipefail
file=$1
name=$(basename "$file")
for tool in virt-xml-validate xmllint; do
  command -v "$tool" >/dev/null || { echo "$tool missing (Debian: libvirt-clients, libxml2-utils)"; exit 1; }
done
virt-xml-validate "$file" domain

fail() { echo "$file: $*"; exit 1; }
# The text of an XPath expression's result (empty when nothing matches).
q() { xmllint --xpath "$1" "$file" 2>/dev/null || true; }
# Elements by local name, so that the qemu: namespace needs no prefix binding.
el() { printf "*[local-name()='%s']" "$1"; }

igd="/domain/devices/hostdev[@type='pci'][@managed='yes'][source/address[@domain='0x0000'][@bus='0x00'][@slot='0x02'][@function='0x0']]"
[[ -n "$(q "$igd")" ]] || fail "no managed PCI hostdev for the iGPU 0000:00:02.0"
[[ -n "$(q "$igd/address[@type='pci'][@domain='0x0000'][@bus='0x00'][@slot='0x02'][@function='0x0']")" ]] ||
  fail "the iGPU's hostdev has no guest address 00:02.0"
rom=$(q "string($igd/rom/@file)")
[[ "$rom" == /* ]] || fail "the iGPU's hostdev has no <rom file='/...'/>"
[[ "$(q "string($igd/rom/@bar)")" != "off" ]] || fail "the iGPU's option ROM is switched off (bar='off')"
alias=$(q "string($igd/alias/@name)")
[[ "$alias" == ua-* ]] || fail "the iGPU's hostdev has no user alias (ua-...) for <qemu:override>"
frontend="/domain/$(el override)/$(el device)[@alias='$alias']/$(el frontend)"
property() { q "string($frontend/$(el property)[@name='$1'][@type='bool']/@value)"; }
[[ "$(property x-igd-opregion)" == "true" ]] || fail "no <qemu:override> x-igd-opregion=true for alias $alias"
[[ "$(q "count(/domain/devices/video)")" == "1" && -n "$(q "/domain/devices/video/model[@type='none']")" ]] ||
  fail "not exactly one <video> with <model type='none'/>"
[[ "$(q "string(/domain/devices/memballoon/@model)")" == "none" ]] || fail "a balloon beside PCI passthrough"
[[ "$(q "string(/domain/cputune/shares)")" == "1024" ]] || fail "CPU shares not below the host's"
[[ "$(q "string(/domain/os/@firmware)")" == "efi" ]] || fail "not UEFI (firmware='efi')"
machine=$(q "string(/domain/os/type/@machine)")

case "$name" in
  arch-desktop.xml|arch-desktop-legacy.xml)
    [[ -n "$(q "/domain/devices/channel/target[@type='virtio'][@name='org.hotseat.guest.0']")" ]] || fail "no guest channel"
    [[ -n "$(q "/domain/devices/serial[@type='pty']")" && -n "$(q "/domain/devices/console/target[@type='serial']")" ]] ||
      fail "no serial console to debug a dark screen"
    ;;
esac
case "$name" in
  arch-desktop-legacy.xml)
    [[ "$machine" == pc* ]] || fail "the legacy variant is not an i440fx machine (machine='$machine')"
    [[ "$(property x-igd-lpc)" == "true" ]] || fail "the legacy variant does not ask for x-igd-lpc"
    ;;
  *)
    [[ "$machine" == *q35* ]] || fail "not a q35 machine (machine='$machine')"
    [[ -z "$(property x-igd-lpc)" ]] || fail "x-igd-lpc on a q35 machine (i440fx only)"
    ;;
esac
echo "$file: valid"
