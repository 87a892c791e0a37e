# Cross-compiles for 64-bit Windows with Debian's mingw-w64 (posix threads
# variant, which std::thread needs): g++-mingw-w64-x86-64. The results run
# under Wine (wine64), which the windows-cross preset uses as the emulator,
# so ctest and add_test run the .exe files on Linux.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

set(_sentry_sourcemaps_mingw x86_64-w64-mingw32)
find_program(CMAKE_C_COMPILER NAMES ${_sentry_sourcemaps_mingw}-gcc-posix
                                    ${_sentry_sourcemaps_mingw}-gcc REQUIRED)
find_program(CMAKE_CXX_COMPILER NAMES ${_sentry_sourcemaps_mingw}-g++-posix
                                      ${_sentry_sourcemaps_mingw}-g++ REQUIRED)
find_program(CMAKE_RC_COMPILER NAMES ${_sentry_sourcemaps_mingw}-windres)

set(CMAKE_FIND_ROOT_PATH /usr/${_sentry_sourcemaps_mingw})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# The MinGW runtime (libstdc++, libgcc, winpthread) linked in, so the .exe
# files run without DLLs next to them.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")
# zlib linked in too (CMake's platform files would prefer libz.dll.a).
set(ZLIB_USE_STATIC_LIBS ON)

find_program(_sentry_sourcemaps_wine NAMES wine64 wine HINTS /usr/lib/wine)
if(_sentry_sourcemaps_wine)
  # Through a script that keeps Wine quiet and its server alive between runs.
  set(CMAKE_CROSSCOMPILING_EMULATOR /bin/sh
    "${CMAKE_CURRENT_LIST_DIR}/wine-run.sh" "${_sentry_sourcemaps_wine}")
endif()
