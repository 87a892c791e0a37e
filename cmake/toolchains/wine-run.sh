#!/bin/sh
# The cross build's CMAKE_CROSSCOMPILING_EMULATOR: runs a Windows program
# (ctest, gtest discovery, the CMake module's upload step) under the Wine
# named first: `wine-run.sh <wine64> <program.exe> <arguments...>`.
wine=$1
shift
# No "fixme:" lines in what the tests read, and no prompts to install Wine's
# Mono or Gecko (the uploader needs neither).
# One prefix for every run even when a test gives each run its own HOME
# (Wine makes a prefix in seconds, per HOME by default).
: "${WINEPREFIX:=${SENTRY_SOURCEMAPS_WINEPREFIX:-${HOME:-/tmp}/.wine}}"
: "${WINEDEBUG:=-all}"
: "${WINEDLLOVERRIDES:=mscoree,mshtml=}"
export WINEPREFIX WINEDEBUG WINEDLLOVERRIDES
# Each start of a wineserver costs seconds; one that stays 60 s after the
# last program makes a run cost a fraction of one (`-p60` refuses, exit 2,
# when one is already running). A new server also starts Wine's services
# (services.exe, winedevice.exe), which inherit the first program's
# standard streams and hold them for as long as the server lives: a caller
# reading the program's output would wait for the server to end. So the
# first program of a new server is an empty one with no streams to inherit.
server=$(dirname "$wine")/wineserver
if [ -x "$server" ] && "$server" -p60 >/dev/null 2>&1 </dev/null; then
  "$wine" cmd.exe /c exit 0 >/dev/null 2>&1 </dev/null
fi
exec "$wine" "$@"
