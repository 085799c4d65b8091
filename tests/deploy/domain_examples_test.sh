#!/usr/bin/env bash
# The example libvirt domains validate against libvirt's own schema, and say what the config
# and the docs promise: the iGPU as a managed hostdev, the guest channel, host-first CPU shares.
set -euo pipefail
file=$1
command -v virt-xml-validate >/dev/null || { echo "virt-xml-validate missing (Debian: libvirt-clients)"; exit 1; }
virt-xml-validate "$file" domain
grep -q "<hostdev mode='subsystem' type='pci' managed='yes'>" "$file" || { echo "$file: no managed PCI hostdev"; exit 1; }
grep -q "slot='0x02' function='0x0'" "$file" || { echo "$file: not the iGPU 0000:00:02.0"; exit 1; }
grep -q "<shares>1024</shares>" "$file" || { echo "$file: CPU shares not below the host's"; exit 1; }
case "$(basename "$file")" in
  arch-desktop.xml)
    grep -q "name='org.hotseat.guest.0'" "$file" || { echo "$file: no guest channel"; exit 1; } ;;
esac
echo "$file: valid"
