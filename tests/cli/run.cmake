# SPDX-License-Identifier: GPL-3.0-or-later
# Run parley once and check its exit status and output.
#
#   cmake -DPARLEY=path/to/parley -DARGS="check|file.yaml|--strict"
#         [-DEXPECT_RC=0] [-DSTDOUT_HAS="text"] [-DSTDERR_HAS="text"]
#         [-DSTDOUT_EMPTY=1] [-DSTDERR_EMPTY=1] [-DSTDERR_FIRST_LINE="exact"]
#         [-DSTDOUT_LACKS="text"] -P run.cmake
#
# ARGS separates arguments with '|' (a ';' would split the -D argument).
# STDOUT_HAS and STDERR_HAS may hold several substrings separated by '|'; each
# must occur. In STDERR_FIRST_LINE, write '<semi>' for ';'.
cmake_minimum_required(VERSION 3.19)

if(NOT DEFINED PARLEY)
  message(FATAL_ERROR "run.cmake: -DPARLEY=... is required")
endif()
if(NOT DEFINED EXPECT_RC)
  set(EXPECT_RC 0)
endif()
set(args "")
if(DEFINED ARGS AND NOT ARGS STREQUAL "")
  string(REPLACE "|" ";" args "${ARGS}")
endif()

execute_process(COMMAND "${PARLEY}" ${args}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)

set(failures "")
if(NOT rc STREQUAL "${EXPECT_RC}")
  string(APPEND failures "  exit status: expected ${EXPECT_RC}, got '${rc}'\n")
endif()
foreach(stream out err)
  if(stream STREQUAL "out")
    set(name STDOUT)
  else()
    set(name STDERR)
  endif()
  if(DEFINED ${name}_HAS)
    string(REPLACE "|" ";" wants "${${name}_HAS}")
    foreach(w IN LISTS wants)
      string(FIND "${${stream}}" "${w}" at)
      if(at LESS 0)
        string(APPEND failures "  ${name} should contain '${w}'\n")
      endif()
    endforeach()
  endif()
  if(DEFINED ${name}_LACKS)
    string(FIND "${${stream}}" "${${name}_LACKS}" at)
    if(at GREATER_EQUAL 0)
      string(APPEND failures "  ${name} should not contain '${${name}_LACKS}'\n")
    endif()
  endif()
  if(${name}_EMPTY AND NOT "${${stream}}" STREQUAL "")
    string(APPEND failures "  ${name} should be empty\n")
  endif()
endforeach()
if(DEFINED STDERR_FIRST_LINE)
  string(FIND "${err}" "\n" nl)
  if(nl GREATER_EQUAL 0)
    string(SUBSTRING "${err}" 0 ${nl} first)
  else()
    set(first "${err}")
  endif()
  string(REPLACE "<semi>" ";" want_first "${STDERR_FIRST_LINE}")
  if(NOT first STREQUAL want_first)
    string(APPEND failures "  first line of stderr should be '${want_first}'\n")
  endif()
endif()

if(NOT failures STREQUAL "")
  string(REPLACE ";" " " shown "${args}")
  message(FATAL_ERROR "parley ${shown}:\n${failures}"
                      "  stdout was:\n${out}\n  stderr was:\n${err}")
endif()
