# `cpack -G DEB` and `cpack -G TGZ`: the uploader, the CMake module and its
# package files as one package, so that a CI image installs them instead of
# compiling the uploader in every consumer build. Included by the top-level
# CMakeLists.txt after the install() rules, when this is the top-level
# project and SENTRY_SOURCEMAPS_INSTALL is on. docs/installing.md says how to
# build and use the packages.
#
# The installed tree, under /usr for the .deb and under the archive's one
# top-level folder for the .tar.gz:
#
#   bin/sentry-sourcemaps
#   share/cmake/SentrySourceMaps/   the module, its package config and version
#   share/doc/sentry-sourcemaps/    README.md, docs/, copyright
#
# The package config finds everything relative to itself, so the archive
# works wherever it is unpacked.

set(SENTRY_SOURCEMAPS_PACKAGE_CONTACT
  "SentrySourceMaps maintainers <maintainers@example.invalid>" CACHE STRING
  "Maintainer of the sentry-sourcemaps package: \"Name <email>\"")
set(SENTRY_SOURCEMAPS_PACKAGE_HOMEPAGE "https://example.invalid/sentry-sourcemaps"
  CACHE STRING "Homepage field of the sentry-sourcemaps package")

# --- The docs, next to the files they explain: share/doc/sentry-sourcemaps/
# (Debian's /usr/share/doc/<package>/, with the copyright file it expects).
set(_sentry_sourcemaps_doc_dir "${CMAKE_INSTALL_DATAROOTDIR}/doc/sentry-sourcemaps")
install(FILES "${PROJECT_SOURCE_DIR}/README.md" DESTINATION "${_sentry_sourcemaps_doc_dir}")
install(FILES "${PROJECT_SOURCE_DIR}/docs/installing.md"
              "${PROJECT_SOURCE_DIR}/docs/compatibility.md"
              "${PROJECT_SOURCE_DIR}/docs/reliability.md"
        DESTINATION "${_sentry_sourcemaps_doc_dir}/docs")
# The license is the module's SPDX-License-Identifier, MIT.
file(CONFIGURE OUTPUT "${PROJECT_BINARY_DIR}/package/copyright" @ONLY CONTENT [=[
sentry-sourcemaps @PROJECT_VERSION@: the SentrySourceMaps uploader and CMake module.
Source: @SENTRY_SOURCEMAPS_PACKAGE_HOMEPAGE@

Copyright: the SentrySourceMaps contributors
License: MIT
 .
 Permission is hereby granted, free of charge, to any person obtaining a copy
 of this software and associated documentation files (the "Software"), to deal
 in the Software without restriction, including without limitation the rights
 to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
 copies of the Software, and to permit persons to whom the Software is
 furnished to do so, subject to the following conditions:
 .
 The above copyright notice and this permission notice shall be included in
 all copies or substantial portions of the Software.
 .
 THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
 IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
 FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
 AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
 LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
 OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
 SOFTWARE.
]=])
install(FILES "${PROJECT_BINARY_DIR}/package/copyright"
        DESTINATION "${_sentry_sourcemaps_doc_dir}")

# --- What every package says about itself.
set(CPACK_PACKAGE_NAME "sentry-sourcemaps")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_VENDOR "SentrySourceMaps")
set(CPACK_PACKAGE_CONTACT "${SENTRY_SOURCEMAPS_PACKAGE_CONTACT}")
set(CPACK_PACKAGE_HOMEPAGE_URL "${SENTRY_SOURCEMAPS_PACKAGE_HOMEPAGE}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
  "Upload JavaScript source maps to Sentry from CMake, then delete them")
set(CPACK_PACKAGE_DESCRIPTION
  "sentry-sourcemaps injects Sentry debug IDs into a JavaScript bundle, uploads\n"
  "its source maps as an artifact bundle, waits until Sentry confirmed them and\n"
  "only then deletes the maps and their sourceMappingURL comments. The CMake\n"
  "module makes this a build step: find_package(SentrySourceMaps) then\n"
  "sentry_sourcemaps_add_upload(). This package holds the uploader, the module\n"
  "and its CMake package files, so projects need not build the uploader.")
string(JOIN "" CPACK_PACKAGE_DESCRIPTION ${CPACK_PACKAGE_DESCRIPTION})
set(CPACK_GENERATOR "DEB;TGZ")
# Release builds carry no debug information worth shipping.
set(CPACK_STRIP_FILES ON)
set(CPACK_VERBATIM_VARIABLES ON)

# --- TGZ: one top-level folder, sentry-sourcemaps-<version>-Linux-<cpu>/,
# holding bin/ and share/; relocatable.
set(CPACK_SYSTEM_NAME "${CMAKE_SYSTEM_NAME}-${CMAKE_SYSTEM_PROCESSOR}")
set(CPACK_INCLUDE_TOPLEVEL_DIRECTORY ON)

# --- DEB: installs under /usr; file name sentry-sourcemaps_<version>_<arch>.deb.
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION "devel")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# CPack asks `dpkg --print-architecture`, which names the build machine; a
# cross build (cmake/toolchains/) names the target's.
if(CMAKE_CROSSCOMPILING)
  set(_sentry_sourcemaps_deb_arch_of_x86_64 amd64)
  set(_sentry_sourcemaps_deb_arch_of_AMD64 amd64)
  set(_sentry_sourcemaps_deb_arch_of_aarch64 arm64)
  set(_sentry_sourcemaps_deb_arch_of_arm64 arm64)
  set(_sentry_sourcemaps_deb_arch_of_armv7l armhf)
  set(_sentry_sourcemaps_deb_arch_of_i686 i386)
  set(_sentry_sourcemaps_deb_arch_of_ppc64le ppc64el)
  set(_sentry_sourcemaps_deb_arch_of_riscv64 riscv64)
  set(_sentry_sourcemaps_deb_arch_of_s390x s390x)
  if(DEFINED _sentry_sourcemaps_deb_arch_of_${CMAKE_SYSTEM_PROCESSOR})
    set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE
      "${_sentry_sourcemaps_deb_arch_of_${CMAKE_SYSTEM_PROCESSOR}}")
  endif()
endif()

# Depends: computed by dpkg-shlibdeps (Debian package dpkg-dev) from the
# shared libraries the packaged executable needs. Without it, the packages
# that provide what the backends in cmake/UploaderDependencies.cmake link
# (`objdump -p sentry-sourcemaps | grep NEEDED`), by their Debian 12 /
# Ubuntu 22.04 names; tests/cmake/e2e/test_package.py checks that both give
# the same packages.
find_program(SENTRY_SOURCEMAPS_DPKG_SHLIBDEPS dpkg-shlibdeps)
mark_as_advanced(SENTRY_SOURCEMAPS_DPKG_SHLIBDEPS)
if(SENTRY_SOURCEMAPS_DPKG_SHLIBDEPS)
  set(_sentry_sourcemaps_shlibdeps_default ON)
else()
  set(_sentry_sourcemaps_shlibdeps_default OFF)
endif()
option(SENTRY_SOURCEMAPS_DEB_SHLIBDEPS
  "Compute the .deb's Depends with dpkg-shlibdeps (else a fixed list)"
  ${_sentry_sourcemaps_shlibdeps_default})
if(SENTRY_SOURCEMAPS_DEB_SHLIBDEPS)
  if(NOT SENTRY_SOURCEMAPS_DPKG_SHLIBDEPS)
    message(FATAL_ERROR "SENTRY_SOURCEMAPS_DEB_SHLIBDEPS is ON but dpkg-shlibdeps "
      "was not found. Install it (sudo apt install dpkg-dev) or configure with "
      "-DSENTRY_SOURCEMAPS_DEB_SHLIBDEPS=OFF for a fixed Depends list.")
  endif()
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
else()
  set(_sentry_sourcemaps_depends "")
  if(SENTRY_SOURCEMAPS_HTTP_BACKEND STREQUAL "curl")
    list(APPEND _sentry_sourcemaps_depends "libcurl4 (>= 7.68.0)")
  endif()
  if(SENTRY_SOURCEMAPS_SHA1_BACKEND STREQUAL "openssl")
    # libcrypto.so.3 is in libssl3, libcrypto.so.1.1 in libssl1.1.
    string(REGEX MATCH "^(1\\.[0-9]+|[0-9]+)" _sentry_sourcemaps_ssl_abi "${OPENSSL_VERSION}")
    list(APPEND _sentry_sourcemaps_depends "libssl${_sentry_sourcemaps_ssl_abi}")
  endif()
  if(SENTRY_SOURCEMAPS_DEFLATE_BACKEND STREQUAL "libdeflate")
    list(APPEND _sentry_sourcemaps_depends "libdeflate0")
  else()
    list(APPEND _sentry_sourcemaps_depends "zlib1g")
  endif()
  if(SENTRY_SOURCEMAPS_DWARF_BACKEND STREQUAL "libdwarf")
    list(APPEND _sentry_sourcemaps_depends "libdwarf1")
  endif()
  # The C++ runtime: libstdc++.so.6, libgcc_s.so.1, libm.so.6 and libc.so.6.
  list(APPEND _sentry_sourcemaps_depends libstdc++6 libgcc-s1 libc6)
  list(JOIN _sentry_sourcemaps_depends ", " CPACK_DEBIAN_PACKAGE_DEPENDS)
endif()

# A build with the uploader's test hooks (SENTRY_SOURCEMAPS_TEST_HOOKS, on
# whenever the tests are built) is not shipped: cpack reads this file before
# it installs anything, and stops with the fix.
set(CPACK_PROJECT_CONFIG_FILE "${PROJECT_BINARY_DIR}/CPackProjectConfig.cmake")
if(SENTRY_SOURCEMAPS_TEST_HOOKS)
  file(CONFIGURE OUTPUT "${CPACK_PROJECT_CONFIG_FILE}" CONTENT [=[
message(FATAL_ERROR "This build of sentry-sourcemaps has the test hooks "
  "compiled in (SENTRY_SOURCEMAPS_TEST_HOOKS), which a package must not ship. "
  "Package a fresh build tree configured with -DSENTRY_SOURCEMAPS_BUILD_TESTS=OFF, "
  "or reconfigure this one with -DSENTRY_SOURCEMAPS_BUILD_TESTS=OFF "
  "-DSENTRY_SOURCEMAPS_TEST_HOOKS=OFF (see docs/installing.md).")
]=])
else()
  file(CONFIGURE OUTPUT "${CPACK_PROJECT_CONFIG_FILE}"
    CONTENT "# No checks: this build has no test hooks.\n")
endif()

# `cpack --config CPackSourceConfig.cmake`: the sources without build trees.
set(CPACK_SOURCE_IGNORE_FILES "/\\.git/" "/build/" "/node_modules/" "/__pycache__/")

include(CPack)
