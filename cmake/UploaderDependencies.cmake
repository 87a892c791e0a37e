# The uploader's third-party libraries, found (or fetched) in one place so
# that a consumer's add_subdirectory()/FetchContent of this repository works
# on a machine that has only a compiler, CMake and libcurl:
#
#   HTTP      libcurl; on Windows without it, WinHTTP (part of the system)
#   JSON      nlohmann_json: find_package, else FetchContent (declared as
#             nlohmann_json, so FETCHCONTENT_SOURCE_DIR_NLOHMANN_JSON hands in
#             a local copy; SENTRY_SOURCEMAPS_FETCH_DEPENDENCIES=OFF forbids
#             the download)
#   SHA-1     OpenSSL's libcrypto, else the system's (CNG on Windows,
#             CommonCrypto on macOS), else the built-in implementation
#   DEFLATE   libdeflate, else zlib (one of the two is required)
#   DWARF     libdwarf, optional: without it `resolve` cannot map
#             WebAssembly frames (SENTRY_SOURCEMAPS_WITH_LIBDWARF=OFF skips
#             the search)
#
# Sets SENTRY_SOURCEMAPS_PLATFORM (posix|windows),
# SENTRY_SOURCEMAPS_HTTP_BACKEND (curl|winhttp),
# SENTRY_SOURCEMAPS_SHA1_BACKEND (openssl|cng|commoncrypto|portable) and
# SENTRY_SOURCEMAPS_DEFLATE_BACKEND (libdeflate|zlib) and
# SENTRY_SOURCEMAPS_DWARF_BACKEND (libdwarf|none) for uploader/, and
# prints one line naming every choice.

option(SENTRY_SOURCEMAPS_FETCH_DEPENDENCIES
  "Download nlohmann/json with FetchContent when it is not installed" ON)

# Stops configure with the install command of `what` on each platform.
function(_sentry_sourcemaps_missing what debian fedora brew vcpkg)
  message(FATAL_ERROR
    "SentrySourceMaps: ${what} was not found. Install it:\n"
    "  Debian/Ubuntu: sudo apt install ${debian}\n"
    "  Fedora:        sudo dnf install ${fedora}\n"
    "  Homebrew:      brew install ${brew}\n"
    "  vcpkg:         vcpkg install ${vcpkg}\n"
    "or point CMake at an installed copy with -DCMAKE_PREFIX_PATH=<prefix>.")
endfunction()

find_package(Threads REQUIRED)

if(WIN32)
  set(SENTRY_SOURCEMAPS_PLATFORM windows)
else()
  set(SENTRY_SOURCEMAPS_PLATFORM posix)
endif()

find_package(CURL 7.68)
if(CURL_FOUND)
  set(SENTRY_SOURCEMAPS_HTTP_BACKEND curl)
  set(_sentry_sourcemaps_http "libcurl ${CURL_VERSION_STRING}")
elseif(WIN32)
  set(SENTRY_SOURCEMAPS_HTTP_BACKEND winhttp)
  set(_sentry_sourcemaps_http "WinHTTP")
else()
  _sentry_sourcemaps_missing("libcurl 7.68 or newer (development files)"
    libcurl4-openssl-dev libcurl-devel curl curl)
endif()

# JSON: an installed copy first; FetchContent_MakeAvailable tries
# find_package itself because of FIND_PACKAGE_ARGS.
set(_sentry_sourcemaps_json_origin "installed")
if(SENTRY_SOURCEMAPS_FETCH_DEPENDENCIES)
  include(FetchContent)
  FetchContent_Declare(nlohmann_json
    URL https://github.com/nlohmann/json/releases/download/v3.11.3/json.tar.xz
    URL_HASH SHA256=d6c65aca6b1ed68e7a182f4757257b107ae403032760ed6ef121c9d55e81757d
    DOWNLOAD_EXTRACT_TIMESTAMP ON
    FIND_PACKAGE_ARGS 3.9)
  FetchContent_MakeAvailable(nlohmann_json)
  if(NOT nlohmann_json_FOUND)
    set(_sentry_sourcemaps_json_origin "fetched")
    if(FETCHCONTENT_SOURCE_DIR_NLOHMANN_JSON)
      set(_sentry_sourcemaps_json_origin "from ${FETCHCONTENT_SOURCE_DIR_NLOHMANN_JSON}")
    endif()
  endif()
else()
  find_package(nlohmann_json 3.9)
  if(NOT nlohmann_json_FOUND)
    _sentry_sourcemaps_missing("nlohmann/json 3.9 or newer (or allow the download: -DSENTRY_SOURCEMAPS_FETCH_DEPENDENCIES=ON)"
      nlohmann-json3-dev json-devel nlohmann-json nlohmann-json)
  endif()
endif()
if(NOT TARGET nlohmann_json::nlohmann_json)
  message(FATAL_ERROR "SentrySourceMaps: nlohmann_json (${_sentry_sourcemaps_json_origin}) "
    "defines no nlohmann_json::nlohmann_json target; hand in a copy of the "
    "nlohmann/json repository or release archive.")
endif()

find_package(OpenSSL 1.1 COMPONENTS Crypto)
if(OpenSSL_FOUND)
  set(SENTRY_SOURCEMAPS_SHA1_BACKEND openssl)
  set(_sentry_sourcemaps_sha1 "OpenSSL ${OPENSSL_VERSION}")
elseif(WIN32)
  set(SENTRY_SOURCEMAPS_SHA1_BACKEND cng)
  set(_sentry_sourcemaps_sha1 "CNG")
elseif(APPLE)
  set(SENTRY_SOURCEMAPS_SHA1_BACKEND commoncrypto)
  set(_sentry_sourcemaps_sha1 "CommonCrypto")
else()
  set(SENTRY_SOURCEMAPS_SHA1_BACKEND portable)
  set(_sentry_sourcemaps_sha1 "built-in")
endif()

find_package(libdeflate)
if(libdeflate_FOUND)
  set(SENTRY_SOURCEMAPS_DEFLATE_BACKEND libdeflate)
  set(_sentry_sourcemaps_deflate "libdeflate")
else()
  find_package(ZLIB)
  if(NOT ZLIB_FOUND)
    _sentry_sourcemaps_missing("libdeflate or zlib (development files)"
      "libdeflate-dev (or zlib1g-dev)" "libdeflate-devel (or zlib-devel)"
      "libdeflate (or zlib)" "libdeflate (or zlib)")
  endif()
  set(SENTRY_SOURCEMAPS_DEFLATE_BACKEND zlib)
  set(_sentry_sourcemaps_deflate "zlib ${ZLIB_VERSION_STRING}")
endif()

option(SENTRY_SOURCEMAPS_WITH_LIBDWARF
  "Use libdwarf, when found, so that resolve maps WebAssembly frames" ON)
set(SENTRY_SOURCEMAPS_DWARF_BACKEND none)
set(_sentry_sourcemaps_dwarf "none (resolve cannot map WebAssembly frames)")
if(SENTRY_SOURCEMAPS_WITH_LIBDWARF)
  find_package(libdwarf)
  if(libdwarf_FOUND)
    set(SENTRY_SOURCEMAPS_DWARF_BACKEND libdwarf)
    set(_sentry_sourcemaps_dwarf "libdwarf")
  elseif(libdwarf_API_MESSAGE)
    string(APPEND _sentry_sourcemaps_dwarf ": ${libdwarf_API_MESSAGE}")
  else()
    string(APPEND _sentry_sourcemaps_dwarf
      ": install libdwarf-dev for WebAssembly frames")
  endif()
endif()

message(STATUS "SentrySourceMaps: HTTP ${_sentry_sourcemaps_http}, "
  "SHA-1 ${_sentry_sourcemaps_sha1}, DEFLATE ${_sentry_sourcemaps_deflate}, "
  "DWARF ${_sentry_sourcemaps_dwarf}, "
  "JSON nlohmann_json (${_sentry_sourcemaps_json_origin})")
