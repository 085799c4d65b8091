#!/usr/bin/env bash
# cmake/HotseatSdbus.cmake choosing between sdbus-c++ 1.x and 2.x, against fake installs of both
# (CMake package files as sdbus-c++ ships them: SameMajorVersion, SDBusCpp:: targets) and nothing
# from the system: the major asked for or a failed configure, never the other one.
# Usage: sdbus_select_test.sh SOURCE_DIR CASE
#   both          1.2 and 2.1 installed (in either order): 1 -> 1.2, 2 -> 2.1, auto -> 2.1
#   missing       only 1.2: 2 fails; only 2.1: 1 fails; 3 fails; a 2.1 without its xml2cpp fails
#   reconfigure   one build tree configured with 1, then with 2: takes 2.1
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source_dir=$1 case=$2
need cmake cmake
need ninja ninja-build
make_scratch

# fake_install PREFIX VERSION [no-tools]
fake_install() {
  local prefix=$1 version=$2
  mkdir -p "$prefix/lib/cmake/sdbus-c++" "$prefix/lib/cmake/sdbus-c++-tools" "$prefix/bin"
  printf '#!/bin/sh\n' >"$prefix/bin/sdbus-c++-xml2cpp"
  chmod +x "$prefix/bin/sdbus-c++-xml2cpp"
  cat >"$prefix/lib/cmake/sdbus-c++/sdbus-c++-config.cmake" <<'EOF'
if(NOT TARGET SDBusCpp::sdbus-c++)
  add_library(SDBusCpp::sdbus-c++ INTERFACE IMPORTED)
endif()
EOF
  cat >"$prefix/lib/cmake/sdbus-c++-tools/sdbus-c++-tools-config.cmake" <<'EOF'
if(NOT TARGET SDBusCpp::sdbus-c++-xml2cpp)
  add_executable(SDBusCpp::sdbus-c++-xml2cpp IMPORTED)
  set_target_properties(SDBusCpp::sdbus-c++-xml2cpp PROPERTIES
    IMPORTED_LOCATION "${CMAKE_CURRENT_LIST_DIR}/../../../bin/sdbus-c++-xml2cpp")
endif()
EOF
  cat >"$scratch/version.cmake" <<EOF
include(CMakePackageConfigHelpers)
foreach(package sdbus-c++ sdbus-c++-tools)
  write_basic_package_version_file("$prefix/lib/cmake/\${package}/\${package}-config-version.cmake"
    VERSION $version COMPATIBILITY SameMajorVersion)
endforeach()
EOF
  cmake -P "$scratch/version.cmake"
  [[ ${3:-} != no-tools ]] || rm -r "$prefix/lib/cmake/sdbus-c++-tools"
}

mkdir -p "$scratch/project"
cat >"$scratch/project/CMakeLists.txt" <<EOF
cmake_minimum_required(VERSION 3.25)
project(select NONE)
list(APPEND CMAKE_MODULE_PATH "$source_dir/cmake")
include(HotseatSdbus)
get_target_property(definitions hotseat_sdbus INTERFACE_COMPILE_DEFINITIONS)
file(WRITE "\${CMAKE_BINARY_DIR}/chosen.txt" "\${sdbus-c++_VERSION} \${definitions} \${HOTSEAT_SDBUS_XML2CPP}")
EOF

# configure BUILD_DIR PREFIXES MAJOR: prints "VERSION HOTSEAT_SDBUS_MAJOR=N XML2CPP", or fails.
configure() {
  local build=$1 prefixes=$2 major=$3
  # Nothing from the system (its own sdbus-c++ would be found otherwise); so name the generator.
  cmake -S "$scratch/project" -B "$build" -G Ninja -DCMAKE_MAKE_PROGRAM="$(command -v ninja)" \
    -DCMAKE_PREFIX_PATH="$prefixes" -DHOTSEAT_SDBUS_MAJOR="$major" \
    -DCMAKE_FIND_USE_CMAKE_SYSTEM_PATH=OFF -DCMAKE_FIND_USE_SYSTEM_ENVIRONMENT_PATH=OFF \
    -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF >"$build.log" 2>&1 || return 1
  grep -q "^-- sdbus-c++ .* (HOTSEAT_SDBUS_MAJOR=$major) from " "$build.log" ||
    fail "configure did not print the version it took:"$'\n'"$(cat "$build.log")"
  cat "$build/chosen.txt"
}
expect() {  # WHAT GOT WANT-PREFIX
  [[ $2 == "$3"* ]] || fail "$1: took '$2', expected '$3...'"
  echo "ok: $1: $2"
}
expect_failure() {  # WHAT BUILD PREFIXES MAJOR MESSAGE
  if configure "$2" "$3" "$4" >/dev/null; then fail "$1: configure succeeded: $(cat "$2/chosen.txt")"; fi
  # CMake wraps long messages: compare with the lines joined.
  tr -s ' \n' '  ' <"$2.log" | grep -qF "$5" || fail "$1: configure failed without saying '$5':"$'\n'"$(cat "$2.log")"
  echo "ok: $1: refused"
}

v1=$scratch/sdbus-1.2 v2=$scratch/sdbus-2.1
case $case in
  both)
    fake_install "$v1" 1.2.0
    fake_install "$v2" 2.1.0
    n=0
    for order in "$v1;$v2" "$v2;$v1"; do
      n=$((n + 1))
      expect "both installed ($order), 1" "$(configure "$scratch/b1-$n" "$order" 1)" \
        "1.2.0 HOTSEAT_SDBUS_MAJOR=1 $v1/"
      expect "both installed ($order), 2" "$(configure "$scratch/b2-$n" "$order" 2)" \
        "2.1.0 HOTSEAT_SDBUS_MAJOR=2 $v2/"
      expect "both installed ($order), auto" "$(configure "$scratch/ba-$n" "$order" auto)" \
        "2.1.0 HOTSEAT_SDBUS_MAJOR=2 $v2/"
    done
    echo "PASS: with 1.x and 2.x installed, each configure took the major asked for" ;;
  missing)
    fake_install "$v1" 1.2.0
    fake_install "$v2" 2.1.0
    fake_install "$scratch/lib-only-2.1" 2.1.0 no-tools
    expect_failure "only 1.2, 2 asked for" "$scratch/m1" "$v1" 2 "HOTSEAT_SDBUS_MAJOR=2, but no sdbus-c++ 2.x"
    expect_failure "only 2.1, 1 asked for" "$scratch/m2" "$v2" 1 "HOTSEAT_SDBUS_MAJOR=1, but no sdbus-c++ 1.x"
    expect_failure "3 asked for" "$scratch/m3" "$v1;$v2" 3 "expected 1, 2 or auto"
    expect_failure "2.1 without its xml2cpp, 1.2 tools there" "$scratch/m4" "$scratch/lib-only-2.1;$v1" 2 \
      "no sdbus-c++-xml2cpp 2.x"
    expect "only 1.2, auto" "$(configure "$scratch/m5" "$v1" auto)" "1.2.0 HOTSEAT_SDBUS_MAJOR=1"
    echo "PASS: a major asked for and missing fails the configure" ;;
  reconfigure)
    fake_install "$v1" 1.2.0
    fake_install "$v2" 2.1.0
    expect "first configure, 1" "$(configure "$scratch/r" "$v1;$v2" 1)" "1.2.0 HOTSEAT_SDBUS_MAJOR=1 $v1/"
    expect "same tree, 2" "$(configure "$scratch/r" "$v1;$v2" 2)" "2.1.0 HOTSEAT_SDBUS_MAJOR=2 $v2/"
    echo "PASS: changing HOTSEAT_SDBUS_MAJOR in a configured tree searches again" ;;
  *) fail "unknown case $case" ;;
esac
