# SPDX-License-Identifier: GPL-3.0-or-later
# Run parley on a malformed scenario and check the diagnostic against the
# file's first line, "# expect: LINE:COL: error: MESSAGE-SUBSTRING".
#
#   cmake -DPARLEY=path/to/parley -DFILE=bad.yaml [-DMODE=check|evaluate]
#         [-DOUT=path] -P expect_error.cmake
#
# check:    `parley check FILE` must exit 2, print nothing on stdout and print
#           "FILE:LINE:COL: error: ..." (containing MESSAGE) as its first line
#           on stderr.
# evaluate: the same for `parley evaluate FILE -o OUT`, and OUT must not exist
#           afterwards (nothing is written on error).
cmake_minimum_required(VERSION 3.19)

foreach(v PARLEY FILE)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "expect_error.cmake: -D${v}=... is required")
  endif()
endforeach()
if(NOT DEFINED MODE)
  set(MODE check)
endif()

# The expectation. file(READ) stops at a NUL byte, which is fine: the header is
# the first line and no test file has a NUL there.
file(READ "${FILE}" head LIMIT 1024)
if(NOT head MATCHES "^# expect: ([0-9]+):([0-9]+): error: ([^\n]+)")
  message(FATAL_ERROR "${FILE}: first line is not '# expect: LINE:COL: error: MESSAGE'")
endif()
set(exp_line "${CMAKE_MATCH_1}")
set(exp_col "${CMAKE_MATCH_2}")
set(exp_msg "${CMAKE_MATCH_3}")

if(MODE STREQUAL "check")
  set(cmd "${PARLEY}" check "${FILE}")
elseif(MODE STREQUAL "evaluate")
  if(NOT DEFINED OUT)
    message(FATAL_ERROR "expect_error.cmake: MODE=evaluate needs -DOUT=...")
  endif()
  file(REMOVE "${OUT}")
  get_filename_component(out_dir "${OUT}" DIRECTORY)
  file(MAKE_DIRECTORY "${out_dir}")
  set(cmd "${PARLEY}" evaluate "${FILE}" -o "${OUT}")
else()
  message(FATAL_ERROR "expect_error.cmake: unknown MODE '${MODE}'")
endif()

execute_process(COMMAND ${cmd}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)

set(failures "")
if(NOT rc STREQUAL "2")
  string(APPEND failures "  exit status: expected 2, got '${rc}'\n")
endif()
if(NOT out STREQUAL "")
  string(APPEND failures "  stdout should be empty, got:\n${out}\n")
endif()
string(FIND "${err}" "\n" nl)
if(nl GREATER_EQUAL 0)
  string(SUBSTRING "${err}" 0 ${nl} first)
else()
  set(first "${err}")
endif()
set(prefix "${FILE}:${exp_line}:${exp_col}: error: ")
string(LENGTH "${prefix}" plen)
string(SUBSTRING "${first}" 0 ${plen} got_prefix)
if(NOT got_prefix STREQUAL prefix)
  string(APPEND failures "  first line of stderr should start with '${prefix}'\n")
endif()
string(FIND "${first}" "${exp_msg}" at)
if(at LESS 0)
  string(APPEND failures "  first line of stderr should contain '${exp_msg}'\n")
endif()
if(MODE STREQUAL "evaluate")
  if(EXISTS "${OUT}")
    string(APPEND failures "  '${OUT}' was written although the scenario is invalid\n")
    file(REMOVE "${OUT}")
  endif()
  file(GLOB leftovers "${OUT}.tmp*")
  if(leftovers)
    string(APPEND failures "  temporary files left behind: ${leftovers}\n")
    file(REMOVE ${leftovers})
  endif()
endif()

if(NOT failures STREQUAL "")
  message(FATAL_ERROR "parley ${MODE} ${FILE}:\n${failures}  stderr was:\n${err}")
endif()
