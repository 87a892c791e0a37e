# Finds a Python 3 interpreter that can import pytest and makes it
# Python3::Interpreter. The python3 first on PATH is often a pyenv build
# without Debian's python3-pytest, so each candidate is probed; an explicit
# -DPython3_EXECUTABLE=... is tried first.
set(_candidates)
if(Python3_EXECUTABLE)
  list(APPEND _candidates "${Python3_EXECUTABLE}")
endif()
list(APPEND _candidates /usr/bin/python3)
find_program(_path_python3 NAMES python3 NO_CACHE)
if(_path_python3)
  list(APPEND _candidates "${_path_python3}")
endif()

set(_chosen "")
foreach(_candidate IN LISTS _candidates)
  if(EXISTS "${_candidate}")
    execute_process(COMMAND "${_candidate}" -c "import pytest"
      RESULT_VARIABLE _rc OUTPUT_QUIET ERROR_QUIET)
    if(_rc EQUAL 0)
      set(_chosen "${_candidate}")
      break()
    endif()
  endif()
endforeach()

if(NOT _chosen)
  message(FATAL_ERROR
    "No Python 3 interpreter with pytest found (tried: ${_candidates}). "
    "Install Debian's python3-pytest (tools/install-deps does) or pass "
    "-DPython3_EXECUTABLE=/path/to/python3 that has pytest, or configure "
    "with -DSENTRY_SOURCEMAPS_BUILD_TESTS=OFF.")
endif()
set(Python3_EXECUTABLE "${_chosen}" CACHE FILEPATH
    "Python 3 interpreter used for the tests (must have pytest)" FORCE)
find_package(Python3 3.9 REQUIRED COMPONENTS Interpreter)
message(STATUS "Tests use ${Python3_EXECUTABLE} (has pytest)")
