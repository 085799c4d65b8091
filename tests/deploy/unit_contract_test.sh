#!/usr/bin/env bash
# hotseatd.service says what docs/design.md ("Deployment") and hotseatd(8) promise: notify readiness,
# watchdog, no restart on a refused config, the bus name, the dedicated user, a KillMode that only reaches
# hotseatd, and a network namespace in which udev's netlink events arrive.
# Usage: unit_contract_test.sh UNIT
set -euo pipefail
source "$(dirname "$0")/lib.sh"
unit=$1

expect_line() {
  grep -qxF -- "$1" "$unit" || fail "$unit has no line: $1"
}
for line in \
  'Type=notify' 'NotifyAccess=main' 'BusName=org.hotseat.Supervisor1' \
  'ExecStartPre=/usr/sbin/hotseatd --check-config /etc/hotseat/hotseat.toml' \
  'ExecStart=/usr/sbin/hotseatd --config /etc/hotseat/hotseat.toml' \
  'ExecReload=/bin/kill -HUP $MAINPID' 'Restart=on-failure' 'RestartPreventExitStatus=78' \
  'WatchdogSec=3min' 'KillMode=mixed' 'User=hotseat' \
  'ProtectSystem=strict' 'ProtectHome=yes' 'PrivateTmp=yes' 'NoNewPrivileges=yes' \
  'CapabilityBoundingSet=' 'RestrictAddressFamilies=AF_UNIX AF_NETLINK' \
  'DevicePolicy=closed' 'DeviceAllow=char-input r' 'SystemCallFilter=@system-service' \
  'WantedBy=multi-user.target'; do
  expect_line "$line"
done
# Resource limits (docs/robustness.md, "Resource limits"): present, and far enough above what
# hotseatd was measured to use (23 MiB RSS, 3 threads) that they never bite in normal use.
value() { sed -n "s/^$1=//p" "$unit" | tail -1; }
memory=$(value MemoryMax)
[[ $memory =~ ^([0-9]+)M$ ]] || fail "MemoryMax= must be set in megabytes (got '$memory')"
(( ${BASH_REMATCH[1]} >= 64 && ${BASH_REMATCH[1]} <= 1024 )) || fail "MemoryMax=$memory is not within 64M..1024M"
tasks=$(value TasksMax)
[[ $tasks =~ ^[0-9]+$ ]] && (( tasks >= 16 && tasks <= 256 )) || fail "TasksMax=$tasks is not within 16..256"
quota=$(value CPUQuota)
[[ $quota =~ ^([0-9]+)%$ ]] && (( ${BASH_REMATCH[1]} >= 20 && ${BASH_REMATCH[1]} <= 200 )) ||
  fail "CPUQuota=$quota is not within 20%..200%"
# Netlink uevent multicast is per network namespace: a private one would hear nothing.
if grep -qE '^PrivateNetwork=(yes|true|1|on)' "$unit"; then fail "PrivateNetwork= would cut hotseatd off from udev"; fi
# The reload must check the file before signalling, or `systemctl reload` succeeds on a bad config.
reloads=$(grep '^ExecReload=' "$unit")
[[ $(head -1 <<<"$reloads") == *--check-config* ]] || fail "the first ExecReload= is not the config check"
# RuntimeDirectory= is removed when the unit stops; /run/hotseat holds the hook's undo logs.
if grep -q '^RuntimeDirectory=' "$unit"; then fail "RuntimeDirectory= would delete the hook's undo logs on restart"; fi
echo "PASS: $unit keeps the deployment contract"
