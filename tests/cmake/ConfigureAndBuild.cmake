# Configures and builds one mini-project, then runs a check on the result.
#
#   cmake -P ConfigureAndBuild.cmake -- SOURCE_DIR <dir> BINARY_DIR <dir>
#         [GENERATOR <gen>] [CONFIGURE_ARGS <-Dx=y>...] [TARGETS <t>...]
#         [ENV <NAME=value>...] [EXPECT_BUILD_FAILURE] [CHECK <command>...]
#
# BINARY_DIR is emptied first. Configure and build output is echoed (so
# PASS_REGULAR_EXPRESSION can match it) and kept in
# BINARY_DIR/{configure,build}-output.log for the check; configure's stderr is
# echoed once more unwrapped, for regexes over whole messages. ENV is set for the
# build only. A failed configure or build (unless expected) fails the test;
# CHECK gets BINARY_DIR appended and must exit 0.
cmake_minimum_required(VERSION 3.25)

set(args)
set(after_dashes FALSE)
math(EXPR last "${CMAKE_ARGC} - 1")
foreach(i RANGE 1 ${last})
  if(after_dashes)
    list(APPEND args "${CMAKE_ARGV${i}}")
  elseif(CMAKE_ARGV${i} STREQUAL "--")
    set(after_dashes TRUE)
  endif()
endforeach()
cmake_parse_arguments(arg "EXPECT_BUILD_FAILURE" "SOURCE_DIR;BINARY_DIR;GENERATOR"
  "CONFIGURE_ARGS;TARGETS;ENV;CHECK" ${args})
if(arg_UNPARSED_ARGUMENTS OR NOT arg_SOURCE_DIR OR NOT arg_BINARY_DIR)
  message(FATAL_ERROR "ConfigureAndBuild.cmake: bad arguments: ${args}")
endif()
if(NOT arg_GENERATOR)
  set(arg_GENERATOR Ninja)
endif()

file(REMOVE_RECURSE "${arg_BINARY_DIR}")
file(MAKE_DIRECTORY "${arg_BINARY_DIR}")

execute_process(
  COMMAND "${CMAKE_COMMAND}" -S "${arg_SOURCE_DIR}" -B "${arg_BINARY_DIR}"
          -G "${arg_GENERATOR}" ${arg_CONFIGURE_ARGS}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
file(WRITE "${arg_BINARY_DIR}/configure-output.log" "${out}${err}")
message("---- configure ----\n${out}${err}")
# CMake wraps diagnostics at 80 columns; PASS_REGULAR_EXPRESSION matches the
# text with every run of whitespace made one space.
string(REGEX REPLACE "[ \t\r\n]+" " " flat "${err}")
message("---- configure stderr, unwrapped ----\n${flat}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "configure failed (exit ${rc})")
endif()

set(build_cmd "${CMAKE_COMMAND}" --build "${arg_BINARY_DIR}")
if(arg_TARGETS)
  list(APPEND build_cmd --target ${arg_TARGETS})
endif()
execute_process(
  COMMAND "${CMAKE_COMMAND}" -E env ${arg_ENV} ${build_cmd}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
file(WRITE "${arg_BINARY_DIR}/build-output.log" "${out}${err}")
message("---- build ----\n${out}${err}")
if(arg_EXPECT_BUILD_FAILURE AND rc EQUAL 0)
  message(FATAL_ERROR "the build succeeded but was expected to fail")
elseif(NOT arg_EXPECT_BUILD_FAILURE AND NOT rc EQUAL 0)
  message(FATAL_ERROR "build failed (exit ${rc})")
endif()

if(arg_CHECK)
  execute_process(COMMAND ${arg_CHECK} "${arg_BINARY_DIR}"
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  message("---- check ----\n${out}${err}")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "check failed (exit ${rc})")
  endif()
endif()
message("ConfigureAndBuild: OK")
