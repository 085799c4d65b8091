# `cmake --build <build> --target uninstall` (honours DESTDIR like the install did): removes every
# file listed in install_manifest.txt, then the directories the install left empty.
#
# Configuration files are the administrator's: one listed in HOTSEAT_CONFFILES
# ("installed-path=pristine-source|...") is removed only while it still equals what was shipped.
#
# Directories: in a DESTDIR staging tree everything was created by the install, so empty
# directories are removed up to DESTDIR. On a live system (no DESTDIR) only hotseat's own
# directories (a path component named hotseat: /etc/hotseat, share/doc/hotseat,
# libexec/hotseat) are removed; shared ones such as /usr/lib/sysusers.d or /usr/local/sbin belong
# to the system even when they happen to be empty.
# In: HOTSEAT_MANIFEST, HOTSEAT_CONFFILES.
if(NOT EXISTS "${HOTSEAT_MANIFEST}")
  message(FATAL_ERROR "uninstall: ${HOTSEAT_MANIFEST} does not exist; run the install first")
endif()

set(destdir "$ENV{DESTDIR}")
string(REGEX REPLACE "/+$" "" destdir "${destdir}")

function(pristine_source_of path out)
  set(${out} "" PARENT_SCOPE)
  string(REPLACE "|" ";" pairs "${HOTSEAT_CONFFILES}")
  foreach(pair IN LISTS pairs)
    string(FIND "${pair}" "=" eq)
    string(SUBSTRING "${pair}" 0 ${eq} installed)
    math(EXPR after "${eq} + 1")
    string(SUBSTRING "${pair}" ${after} -1 source)
    if(installed STREQUAL path)
      set(${out} "${source}" PARENT_SCOPE)
    endif()
  endforeach()
endfunction()

function(may_remove_directory dir out)
  set(${out} FALSE PARENT_SCOPE)
  if(destdir)
    string(LENGTH "${destdir}" length)
    string(SUBSTRING "${dir}" 0 ${length} head)
    if(head STREQUAL destdir AND NOT dir STREQUAL destdir)
      set(${out} TRUE PARENT_SCOPE)
    endif()
  elseif(dir MATCHES "/hotseat(/|$)")
    set(${out} TRUE PARENT_SCOPE)
  endif()
endfunction()

function(remove_empty_parents path)
  get_filename_component(dir "${path}" DIRECTORY)
  while(IS_DIRECTORY "${dir}" AND NOT IS_SYMLINK "${dir}")
    may_remove_directory("${dir}" allowed)
    file(GLOB entries "${dir}/*" "${dir}/.*")
    if(NOT allowed OR entries)
      break()
    endif()
    message(STATUS "Removing empty directory: ${dir}")
    file(REMOVE_RECURSE "${dir}")  # empty: REMOVE_RECURSE is the only way to remove a directory
    get_filename_component(dir "${dir}" DIRECTORY)
  endwhile()
endfunction()

file(STRINGS "${HOTSEAT_MANIFEST}" installed_files)
set(removed "")
foreach(path IN LISTS installed_files)
  set(file "${destdir}${path}")
  if(NOT EXISTS "${file}" AND NOT IS_SYMLINK "${file}")
    message(STATUS "Already gone: ${file}")
    continue()
  endif()
  pristine_source_of("${path}" pristine)
  if(pristine AND NOT IS_SYMLINK "${file}")
    file(SHA256 "${file}" now)
    file(SHA256 "${pristine}" shipped)
    if(NOT now STREQUAL shipped)
      message(STATUS "Keeping changed configuration: ${file}")
      continue()
    endif()
  endif()
  message(STATUS "Removing: ${file}")
  file(REMOVE "${file}")
  list(APPEND removed "${file}")
endforeach()
foreach(file IN LISTS removed)
  remove_empty_parents("${file}")
endforeach()
