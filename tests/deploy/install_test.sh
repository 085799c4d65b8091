#!/usr/bin/env bash
# `cmake --install` into a scratch DESTDIR, as a distribution package build does, and the
# `uninstall` target back out of it. Needs a built tree (hotseatd, hotseatctl, hotseat-hook).
# Usage: install_test.sh BUILD_DIR CASE MANIFEST
#   manifest      the installed files are exactly MANIFEST (and all are in install_manifest.txt)
#   uninstall     uninstall leaves the DESTDIR empty
#   keep-config   a second install keeps a changed /etc/hotseat/hotseat.toml; uninstall keeps it too
#   unit-path     the installed unit's ExecStart= is the installed hotseatd, for two prefixes
#   unit-verify   systemd-analyze verify accepts the installed unit and finds its man pages
#   dbus-files    the bus policy and the interface XML are installed and well-formed
set -euo pipefail
source "$(dirname "$0")/lib.sh"
build=$1 case=$2 manifest=${3:-}
need cmake cmake
make_scratch
dest=$scratch/dest

install_to() {  # DESTDIR PREFIX
  DESTDIR=$1 cmake --install "$build" --prefix "$2" >"$scratch/install.log" 2>&1 ||
    fail "cmake --install failed:"$'\n'"$(cat "$scratch/install.log")"
}
uninstall_from() {  # DESTDIR
  DESTDIR=$1 cmake --build "$build" --target uninstall >"$scratch/uninstall.log" 2>&1 ||
    fail "the uninstall target failed:"$'\n'"$(cat "$scratch/uninstall.log")"
}
# Files and symlinks below DESTDIR, relative, sorted. /lib, /bin and /sbin are /usr's on a
# merged-/usr system (Debian 12, NixOS), so a unit in /lib/systemd/system counts as usr/lib/...
listing() {
  (cd "$1" && find . ! -type d | sed -E 's|^\./||; s#^(lib|bin|sbin)/#usr/\1/#' | LC_ALL=C sort)
}
installed_unit() { find "$1" -name hotseatd.service -path '*/systemd/system/*' | head -1; }

case $case in
  manifest)
    [[ -f $manifest ]] || fail "no manifest $manifest"
    install_to "$dest" /usr
    diff -u <(grep -v '^#' "$manifest" | LC_ALL=C sort) <(listing "$dest") >"$scratch/diff" ||
      fail "installed files differ from $manifest (- expected, + installed):"$'\n'"$(cat "$scratch/diff")"
    recorded=$(sed -E 's#^/(lib|bin|sbin)/#/usr/\1/#; s|^/||' "$build/install_manifest.txt" | LC_ALL=C sort)
    diff -u <(listing "$dest") <(echo "$recorded") >"$scratch/diff" ||
      fail "install_manifest.txt (what uninstall removes) differs from what was installed:"$'\n'"$(cat "$scratch/diff")"
    echo "PASS: $(listing "$dest" | wc -l) files, as listed in $manifest" ;;
  uninstall)
    install_to "$dest" /usr
    uninstall_from "$dest"
    left=$(cd "$dest" && find . -mindepth 1)
    [[ -z $left ]] || fail "uninstall left behind:"$'\n'"$left"
    echo "PASS: uninstall removed every file and directory it installed" ;;
  keep-config)
    install_to "$dest" /usr
    config=$dest/etc/hotseat/hotseat.toml
    [[ -f $config ]] || fail "the first install did not create /etc/hotseat/hotseat.toml"
    [[ $(stat -c %a "$config") == 644 ]] || fail "/etc/hotseat/hotseat.toml is mode $(stat -c %a "$config"), expected 644"
    echo '# changed by the administrator' >>"$config"
    changed=$(sha256sum <"$config")
    install_to "$dest" /usr
    [[ $(sha256sum <"$config") == "$changed" ]] || fail "the second install overwrote the changed config"
    grep -q "Keeping existing: $config" "$scratch/install.log" || fail "the install did not say it kept the config"
    uninstall_from "$dest"
    [[ $(sha256sum <"$config") == "$changed" ]] || fail "uninstall removed or changed the changed config"
    left=$(cd "$dest" && find . ! -type d)
    [[ $left == ./etc/hotseat/hotseat.toml ]] || fail "uninstall left more than the changed config:"$'\n'"$left"
    echo "PASS: a changed /etc/hotseat/hotseat.toml survives install and uninstall" ;;
  unit-path)
    for prefix in /usr /opt/hotseat; do
      rm -rf "$dest"
      install_to "$dest" "$prefix"
      unit=$(installed_unit "$dest")
      [[ -n $unit ]] || fail "no hotseatd.service installed with prefix $prefix"
      for key in ExecStartPre ExecStart; do
        program=$(sed -nE "s/^$key=([^ ]+) .*/\1/p" "$unit" | head -1)
        [[ -x $dest$program ]] || fail "prefix $prefix: $key=$program, which the install did not put there"
      done
      echo "prefix $prefix: ExecStart=$program"
    done
    echo "PASS: ExecStart= follows the install prefix" ;;
  unit-verify)
    need systemd-analyze systemd
    need man man-db
    install_to "$dest" /usr
    unit=$(installed_unit "$dest")
    sed "s|=/usr/sbin/hotseatd|=$dest/usr/sbin/hotseatd|" "$unit" >"$scratch/hotseatd.service"
    out=$(cd "$scratch" && MANPATH="$dest/usr/share/man" systemd-analyze verify --man=yes hotseatd.service 2>&1) ||
      fail "systemd-analyze verify failed:"$'\n'"$out"
    [[ -z $out ]] || fail "systemd-analyze verify reported:"$'\n'"$out"
    echo "PASS: the installed unit verifies and its Documentation= pages are installed" ;;
  dbus-files)
    need xmllint libxml2-utils
    install_to "$dest" /usr
    policy=$dest/usr/share/dbus-1/system.d/org.hotseat.Supervisor1.conf
    interface=$dest/usr/share/dbus-1/interfaces/org.hotseat.Supervisor1.xml
    for file in "$policy" "$interface"; do
      [[ -f $file ]] || fail "${file#"$dest"} is not installed"
      xmllint --noout "$file" || fail "${file#"$dest"} is not well-formed XML"
    done
    grep -q 'own="org.hotseat.Supervisor1"' "$policy" || fail "the policy lets nobody own org.hotseat.Supervisor1"
    grep -q '<policy user="hotseat">' "$policy" || fail "the policy does not let user hotseat (the unit's User=) in"
    echo "PASS: bus policy and interface XML installed, well-formed, user hotseat may own the name" ;;
  *) fail "unknown case $case" ;;
esac
