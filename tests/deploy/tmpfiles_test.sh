#!/usr/bin/env bash
# hotseat.tmpfiles applied by the real systemd-tmpfiles to an empty root:
# - /run/hotseat must exist, root's, mode 0755 (a root-run hook writes there; no unprivileged
#   user may plant files in it);
# - /run/hotseat-guest root:hotseat 0750 with a default ACL giving user hotseat read-write on
#   what is created in it: a socket made there later (as libvirtd makes a guest channel's, mode
#   changed and owner changed afterwards) is connectable by hotseat and nobody else.
# The hotseat user does not exist on a build machine: the test runs in a mount namespace of its
# own where /etc/passwd and /etc/group (the host's, read by the ACL parser, and the root's, read
# for the directory's group) name it. Usage: tmpfiles_test.sh TMPFILES_FILE
set -euo pipefail
source "$(dirname "$0")/lib.sh"
file=$(realpath "$1")
need systemd-tmpfiles systemd
need unshare util-linux
need getfacl acl
need /usr/bin/python3 python3
make_scratch

if [[ ${HOTSEAT_TMPFILES_IN_NAMESPACE:-} != 1 ]]; then
  export HOTSEAT_TMPFILES_IN_NAMESPACE=1
  exec unshare --mount --propagation private bash "$0" "$@"
fi

uid=64990    # the stand-in for the hotseat user
other=64991  # anybody
member=64992 # in group hotseat, but not user hotseat: may enter the directory, not use a socket
mkdir -p "$scratch/etc"
{ cat /etc/passwd; echo "hotseat:x:$uid:$uid::/:/usr/sbin/nologin"; echo "outsider:x:$other:$other::/:/usr/sbin/nologin"; } >"$scratch/passwd"
{ cat /etc/group; echo "hotseat:x:$uid:"; echo "outsider:x:$other:"; } >"$scratch/group"
cp "$scratch/passwd" "$scratch/etc/passwd"
cp "$scratch/group" "$scratch/etc/group"
mount --bind "$scratch/passwd" /etc/passwd
mount --bind "$scratch/group" /etc/group

out=$(systemd-tmpfiles --root="$scratch" --create "$file" 2>&1) || fail "systemd-tmpfiles failed:"$'\n'"$out"
[[ -z $out ]] || fail "systemd-tmpfiles complained:"$'\n'"$out"

[[ -d $scratch/run/hotseat ]] || fail "/run/hotseat was not created"
read -r mode owner group <<<"$(stat -c '%a %u %g' "$scratch/run/hotseat")"
[[ $mode == 755 && $owner == 0 && $group == 0 ]] ||
  fail "/run/hotseat is mode $mode uid $owner gid $group, expected 755 root root"
echo "PASS: /run/hotseat 0755 root:root"

guest=$scratch/run/hotseat-guest
[[ -d $guest ]] || fail "/run/hotseat-guest was not created"
read -r mode owner group <<<"$(stat -c '%a %u %g' "$guest")"
[[ $mode == 750 && $owner == 0 && $group == "$uid" ]] ||
  fail "/run/hotseat-guest is mode $mode uid $owner gid $group, expected 750 root hotseat"
getfacl -cp "$guest" | grep -qx "default:user:hotseat:rw-" ||
  fail "/run/hotseat-guest has no default ACL for hotseat:"$'\n'"$(getfacl -p "$guest")"
echo "PASS: /run/hotseat-guest 0750 root:hotseat, default ACL user:hotseat:rw"

# A socket as libvirtd leaves it: bound by root (umask 022), chmod'ed, chown'ed to QEMU's user.
/usr/bin/python3 - "$guest/vm.sock" <<'PY'
import os, socket, sys
os.umask(0o022)
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[1])
os.chmod(sys.argv[1], 0o775)
os.chown(sys.argv[1], 0, 0)
PY
chmod 0755 "$scratch"  # mktemp's 0700 would keep the other users out before /run/hotseat-guest does
# Exit 13 when the connect is refused for permission; 0 when it got past that check (nobody
# listens, so it ends in ECONNREFUSED).
connect_as() {
  local user=$1
  shift
  setpriv --reuid="$user" --regid="$user" "$@" /usr/bin/python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
try:
    s.connect(sys.argv[1])
except PermissionError:
    sys.exit(13)
except OSError:
    pass  # refused or reset: the permission check came first and passed
' "$guest/vm.sock"
}
set +e
connect_as "$uid" --clear-groups; as_hotseat=$?
connect_as "$other" --clear-groups; as_other=$?
connect_as "$member" --groups="$uid"; as_member=$?
set -e
[[ $as_hotseat == 0 ]] || fail "user hotseat cannot connect to a socket in /run/hotseat-guest ($as_hotseat)"
[[ $as_other == 13 ]] || fail "another user can connect to a socket in /run/hotseat-guest ($as_other)"
[[ $as_member == 13 ]] || fail "a member of group hotseat can connect to a socket in /run/hotseat-guest ($as_member)"
echo "PASS: a socket libvirt-style made in /run/hotseat-guest: hotseat connects, others do not"
