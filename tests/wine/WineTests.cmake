# The Windows uploader, run by the Linux test harness through the cross
# build's emulator (Wine): a wrapper script stands where the tests expect
# the executable, so tests/wine drives sentry-sourcemaps.exe exactly as the
# other suites drive the native one.
if(NOT CMAKE_CROSSCOMPILING_EMULATOR)
  message(STATUS "No CMAKE_CROSSCOMPILING_EMULATOR: the Wine suite is not registered")
  return()
endif()

list(JOIN CMAKE_CROSSCOMPILING_EMULATOR " " _sentry_sourcemaps_emulator)
file(GENERATE OUTPUT "${PROJECT_BINARY_DIR}/sentry-sourcemaps-emulated"
  CONTENT "#!/bin/sh
# Runs the cross-built uploader under ${_sentry_sourcemaps_emulator}.
# Tests give each run its own HOME: the Wine prefix stays in the build tree.
SENTRY_SOURCEMAPS_WINEPREFIX=\${SENTRY_SOURCEMAPS_WINEPREFIX:-${PROJECT_BINARY_DIR}/wine-prefix} \\
  exec ${_sentry_sourcemaps_emulator} \"$<TARGET_FILE:sentry-sourcemaps>\" \"$@\"
"
  FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ
                   GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)

add_test(NAME pytest.wine
  COMMAND "${Python3_EXECUTABLE}" -m pytest "${CMAKE_CURRENT_SOURCE_DIR}/wine"
          -q -p no:cacheprovider -c "${CMAKE_CURRENT_SOURCE_DIR}/pytest.ini"
          --rootdir "${CMAKE_CURRENT_SOURCE_DIR}"
          "--uploader=${PROJECT_BINARY_DIR}/sentry-sourcemaps-emulated"
          "--build-dir=${PROJECT_BINARY_DIR}")
set_tests_properties(pytest.wine PROPERTIES
  TIMEOUT 900 LABELS "pytest;wine"
  ENVIRONMENT "PYTHONDONTWRITEBYTECODE=1")
