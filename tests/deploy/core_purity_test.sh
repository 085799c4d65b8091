#!/usr/bin/env bash
# The functional core stays pure (supervisor/CMakeLists.txt): no adapter, no I/O, no clock.
# The build already refuses an adapter header by path ("udev/...", "libvirt/..." are not on the
# core's include path); system headers always are, so this test
#  1. greps the core's sources (supervisor/core, supervisor/config, include/hotseat) for the
#     includes of the adapters' libraries and of file, socket and device access, and
#  2. lists the undefined symbols of the built core library (nm -u): none may come from libvirt,
#     sd-bus/sd-event, libudev or sdbus-c++, none may open, read or write a file or socket or read
#     the clock, and from libevdev only its key-name lookups.
# The files of the hotseat_config_file library (reading the config file) are the exception to 1:
# they are passed after --file-access, each X.cpp also excusing its X.h.
# Usage: core_purity_test.sh SOURCE_DIR CORE_LIBRARY [--file-access FILE...]
set -euo pipefail
src=$1 lib=$2
shift 2
fail() { echo "FAIL: $*" >&2; exit 1; }
command -v nm >/dev/null || fail "'nm' is not installed (Debian package binutils)"

excused=()
if [[ ${1-} == --file-access ]]; then
  shift
  # CMake hands the library's SOURCES over as one ;-separated argument.
  for arg in "$@"; do
    IFS=';' read -r -a sources <<<"$arg"
    for f in "${sources[@]}"; do excused+=("$(realpath -m "$f")" "$(realpath -m "${f%.cpp}.h")"); done
  done
fi
is_excused() {
  local f
  for f in "${excused[@]}"; do [[ $f == "$1" ]] && return 0; done
  return 1
}

# Adapter libraries and directories, and file, socket, device and thread access. A quoted
# include starting with "../" could climb out of the core's include path.
forbidden='^\s*#\s*include\s*(<(libvirt/|systemd/|sdbus-c\+\+/|libudev\.h|libevdev/libevdev-uinput|linux/uinput|libxml/|fcntl\.h|unistd\.h|dirent\.h|poll\.h|sys/(stat|socket|ioctl|inotify|epoll|timerfd|signalfd|file|mman)\.h|fstream|filesystem|thread|ctime|time\.h)|"(\.\./|udev/|libvirt/|dbus/|input/|guest_channel/|pressure/|daemon/|guest/|log\.h|generated/))'

files=()
while IFS= read -r -d '' f; do files+=("$f"); done < <(
  find "$src/supervisor/core" "$src/supervisor/config" "$src/include/hotseat" \
       -type f \( -name '*.cpp' -o -name '*.h' \) -print0 | sort -z)
((${#files[@]} > 20)) || fail "found only ${#files[@]} core files under $src: the search is broken"

bad=0 checked=0
for f in "${files[@]}"; do
  is_excused "$(realpath "$f")" && continue
  checked=$((checked + 1))
  if hits=$(grep -nE "$forbidden" "$f"); then
    while IFS= read -r hit; do echo "FAIL: ${f#"$src"/}:$hit: the core includes an adapter or I/O header" >&2; done <<<"$hits"
    bad=1
  fi
done
echo "checked the includes of $checked core files (${#excused[@]} file-access names excused)"

[[ -f $lib ]] || fail "no core library at $lib (build the hotseat_core target)"
undefined=$(nm -u --format=posix "$lib" | awk 'NF >= 2 && $2 == "U" { print $1 }' | sort -u)
[[ -n $undefined ]] || fail "nm lists no undefined symbol in $lib: the check is broken"
allowed_evdev='^libevdev_event_code_(from_name|from_name_n|get_name)$'
forbidden_symbols='^(vir|sd_|udev_|_ZN5sdbus|libevdev_|libxml|xml)|^(open|open64|openat|openat64|fopen|fopen64|creat|read|pread|write|pwrite|socket|connect|ioctl|opendir|stat|fstat|lstat|__xstat|__fxstat|statx|readlink|clock_gettime|time|gettimeofday|poll|epoll_wait|inotify_init1)$'
while IFS= read -r sym; do
  [[ $sym =~ $allowed_evdev ]] && continue
  if [[ $sym =~ $forbidden_symbols ]]; then
    echo "FAIL: $(basename "$lib") uses $sym: the core calls an adapter library or does I/O" >&2
    bad=1
  fi
done <<<"$undefined"
echo "checked $(wc -l <<<"$undefined") undefined symbols of $(basename "$lib")"
((bad == 0)) || exit 1
echo "PASS: the core includes and calls no adapter and does no I/O"
