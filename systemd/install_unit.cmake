# Runs at install time (install(CODE) in CMakeLists.txt): installs hotseatd.service with its
# /usr/sbin/hotseatd paths pointing at where this install puts the binary. Done here rather than
# at configure time so that `cmake --install --prefix P` and Nix's $out are honoured.
# In: HOTSEAT_UNIT_SOURCE, HOTSEAT_UNIT_STAGING (a build-tree file), HOTSEAT_UNIT_DIR,
#     HOTSEAT_SBINDIR (each directory relative to CMAKE_INSTALL_PREFIX unless absolute).
foreach(dir HOTSEAT_UNIT_DIR HOTSEAT_SBINDIR)
  if(NOT IS_ABSOLUTE "${${dir}}")
    set(${dir} "${CMAKE_INSTALL_PREFIX}/${${dir}}")
  endif()
endforeach()

file(READ "${HOTSEAT_UNIT_SOURCE}" unit)
string(REPLACE "/usr/sbin/hotseatd" "${HOTSEAT_SBINDIR}/hotseatd" unit "${unit}")
file(WRITE "${HOTSEAT_UNIT_STAGING}" "${unit}")
# file(INSTALL) adds DESTDIR and records the file in install_manifest.txt.
file(INSTALL DESTINATION "${HOTSEAT_UNIT_DIR}" TYPE FILE FILES "${HOTSEAT_UNIT_STAGING}")
