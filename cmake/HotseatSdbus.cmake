# sdbus-c++: 1.x (>= 1.2: Debian 12) or 2.x (Debian 13, Arch, nixpkgs' sdbus-cpp_2), chosen with
# HOTSEAT_SDBUS_MAJOR. sdbus-c++'s CMake package accepts only its own major version
# (SameMajorVersion), so each major is looked for on its own: one asked for and missing fails the
# configure instead of quietly taking the other one, and the version used is always printed.
# Defines the target hotseat_sdbus (the library plus HOTSEAT_SDBUS_MAJOR=1|2 for the two compat
# headers, supervisor/dbus/sdbus_compat.h and ctl/proxy_compat.h) and HOTSEAT_SDBUS_XML2CPP (the
# xml2cpp of the same version, which generates the glue in dbus/).

set(HOTSEAT_SDBUS_MAJOR "auto" CACHE STRING
    "sdbus-c++ major version to build against: 1 (>= 1.2), 2, or auto (2 if found, else 1)")
set_property(CACHE HOTSEAT_SDBUS_MAJOR PROPERTY STRINGS auto 1 2)

# (A changed choice in a configured tree works without help: find_package rejects a cached
# sdbus-c++_DIR of the other major and searches again; tests/deploy/sdbus_select_test.sh.)

set(_hotseat_sdbus_minimum_1 1.2)
set(_hotseat_sdbus_minimum_2 2.0)
if(HOTSEAT_SDBUS_MAJOR STREQUAL "auto")
  find_package(sdbus-c++ ${_hotseat_sdbus_minimum_2} QUIET)
  if(NOT sdbus-c++_FOUND)
    find_package(sdbus-c++ ${_hotseat_sdbus_minimum_1} QUIET)
  endif()
  if(NOT sdbus-c++_FOUND)
    message(FATAL_ERROR "sdbus-c++ not found: neither 2.x nor 1.x >= 1.2 (Debian: libsdbus-c++-dev "
                        "libsdbus-c++-bin; set CMAKE_PREFIX_PATH for one installed elsewhere)")
  endif()
elseif(HOTSEAT_SDBUS_MAJOR MATCHES "^[12]$")
  find_package(sdbus-c++ ${_hotseat_sdbus_minimum_${HOTSEAT_SDBUS_MAJOR}} QUIET)
  if(NOT sdbus-c++_FOUND)
    message(FATAL_ERROR "HOTSEAT_SDBUS_MAJOR=${HOTSEAT_SDBUS_MAJOR}, but no sdbus-c++ "
                        "${HOTSEAT_SDBUS_MAJOR}.x >= ${_hotseat_sdbus_minimum_${HOTSEAT_SDBUS_MAJOR}} was found "
                        "(set CMAKE_PREFIX_PATH to where it is installed, or HOTSEAT_SDBUS_MAJOR=auto)")
  endif()
else()
  message(FATAL_ERROR "HOTSEAT_SDBUS_MAJOR is '${HOTSEAT_SDBUS_MAJOR}'; expected 1, 2 or auto")
endif()
set(HOTSEAT_SDBUS_VERSION_MAJOR ${sdbus-c++_VERSION_MAJOR})

# The generator must be the library's own: 2.x glue does not compile against 1.x and back.
find_package(sdbus-c++-tools ${HOTSEAT_SDBUS_VERSION_MAJOR}.0 QUIET)
if(NOT sdbus-c++-tools_FOUND)
  message(FATAL_ERROR "sdbus-c++ ${sdbus-c++_VERSION} found in ${sdbus-c++_DIR}, but no sdbus-c++-xml2cpp "
                      "${HOTSEAT_SDBUS_VERSION_MAJOR}.x (sdbus-c++-tools; Debian: libsdbus-c++-bin)")
endif()
get_target_property(HOTSEAT_SDBUS_XML2CPP SDBusCpp::sdbus-c++-xml2cpp LOCATION)
message(STATUS "sdbus-c++ ${sdbus-c++_VERSION} (HOTSEAT_SDBUS_MAJOR=${HOTSEAT_SDBUS_MAJOR}) from "
               "${sdbus-c++_DIR}; xml2cpp ${sdbus-c++-tools_VERSION}: ${HOTSEAT_SDBUS_XML2CPP}")

add_library(hotseat_sdbus INTERFACE)
target_link_libraries(hotseat_sdbus INTERFACE SDBusCpp::sdbus-c++)
target_compile_definitions(hotseat_sdbus INTERFACE HOTSEAT_SDBUS_MAJOR=${HOTSEAT_SDBUS_VERSION_MAJOR})
