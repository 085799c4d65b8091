# Where the system looks for systemd units, sysusers.d, tmpfiles.d and udev rules.
#
# With the prefix /usr the system's own answer is used (pkg-config systemd/udev variables, e.g.
# Debian's /lib/systemd/system). Any other prefix (/usr/local, a Nix store path) gets paths
# relative to it, which systemd and udev search too (/usr/local/lib/systemd/system, ...) and which
# follow `cmake --install --prefix`. Each is a cache variable, so a packager can override it.
include_guard(GLOBAL)

function(hotseat_system_dir var description relative pkg_module pkg_variable pkg_suffix)
  set(value "${relative}")
  if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
    pkg_get_variable(system_dir ${pkg_module} ${pkg_variable})
    if(system_dir)
      set(value "${system_dir}${pkg_suffix}")
    endif()
  endif()
  set(${var} "${value}" CACHE STRING "${description} (relative paths are below the install prefix)")
endfunction()

hotseat_system_dir(HOTSEAT_SYSTEMD_UNIT_DIR "systemd system units"
                   lib/systemd/system systemd systemdsystemunitdir "")
hotseat_system_dir(HOTSEAT_SYSUSERS_DIR "sysusers.d entries"
                   lib/sysusers.d systemd sysusersdir "")
hotseat_system_dir(HOTSEAT_TMPFILES_DIR "tmpfiles.d entries"
                   lib/tmpfiles.d systemd tmpfilesdir "")
hotseat_system_dir(HOTSEAT_UDEV_RULES_DIR "udev rules"
                   lib/udev/rules.d udev udevdir /rules.d)
