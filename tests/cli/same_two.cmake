# SPDX-License-Identifier: GPL-3.0-or-later
# Two invocations (ARGS_A, ARGS_B; '|' separates arguments) must print the same bytes.
cmake_minimum_required(VERSION 3.19)
string(REPLACE "|" ";" a "${ARGS_A}")
string(REPLACE "|" ";" b "${ARGS_B}")
execute_process(COMMAND "${PARLEY}" ${a} RESULT_VARIABLE ra OUTPUT_VARIABLE oa ERROR_VARIABLE ea)
execute_process(COMMAND "${PARLEY}" ${b} RESULT_VARIABLE rb OUTPUT_VARIABLE ob ERROR_VARIABLE eb)
if(NOT ra STREQUAL "0" OR NOT rb STREQUAL "0")
  message(FATAL_ERROR "exit codes ${ra} / ${rb}:\n${ea}\n${eb}")
endif()
if(NOT oa STREQUAL ob)
  message(FATAL_ERROR "parley ${ARGS_A} and parley ${ARGS_B} print different output")
endif()
