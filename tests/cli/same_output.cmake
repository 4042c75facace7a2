# SPDX-License-Identifier: GPL-3.0-or-later
# Byte-for-byte comparisons of parley's output.
#
#   cmake -DPARLEY=parley -DARGS="evaluate|f.yaml|--json" -DOUT=path -DMODE=file
#         -P same_output.cmake
#
# MODE=file:   `parley ARGS -o OUT` writes exactly what `parley ARGS` prints,
#              prints nothing itself, and leaves no temporary file behind.
# MODE=repeat: two runs of `parley ARGS` print identical bytes (determinism).
# ARGS separates arguments with '|'.
cmake_minimum_required(VERSION 3.19)

string(REPLACE "|" ";" args "${ARGS}")
execute_process(COMMAND "${PARLEY}" ${args}
                RESULT_VARIABLE rc1 OUTPUT_VARIABLE out1 ERROR_VARIABLE err1)
if(NOT rc1 STREQUAL "0" OR out1 STREQUAL "")
  message(FATAL_ERROR "parley ${ARGS}: exit '${rc1}', stdout empty or error:\n${err1}")
endif()

if(MODE STREQUAL "file")
  file(REMOVE "${OUT}")
  get_filename_component(dir "${OUT}" DIRECTORY)
  file(MAKE_DIRECTORY "${dir}")
  execute_process(COMMAND "${PARLEY}" ${args} -o "${OUT}"
                  RESULT_VARIABLE rc2 OUTPUT_VARIABLE out2 ERROR_VARIABLE err2)
  if(NOT rc2 STREQUAL "0")
    message(FATAL_ERROR "parley ${ARGS} -o ${OUT}: exit '${rc2}':\n${err2}")
  endif()
  if(NOT out2 STREQUAL "")
    message(FATAL_ERROR "parley ${ARGS} -o ${OUT} also printed to stdout:\n${out2}")
  endif()
  if(NOT EXISTS "${OUT}")
    message(FATAL_ERROR "parley ${ARGS} -o ${OUT} did not create the file")
  endif()
  file(READ "${OUT}" written)
  file(SIZE "${OUT}" size)
  string(LENGTH "${out1}" len1)
  if(NOT written STREQUAL out1 OR NOT size EQUAL len1)
    message(FATAL_ERROR "parley ${ARGS}: -o wrote ${size} bytes that differ from the "
                        "${len1} bytes printed on stdout")
  endif()
  file(GLOB leftovers "${OUT}.tmp*")
  if(leftovers)
    message(FATAL_ERROR "temporary files left behind: ${leftovers}")
  endif()
  file(REMOVE "${OUT}")
elseif(MODE STREQUAL "repeat")
  execute_process(COMMAND "${PARLEY}" ${args}
                  RESULT_VARIABLE rc2 OUTPUT_VARIABLE out2 ERROR_VARIABLE err2)
  if(NOT rc2 STREQUAL rc1 OR NOT out2 STREQUAL out1 OR NOT err2 STREQUAL err1)
    message(FATAL_ERROR "parley ${ARGS}: two runs gave different output")
  endif()
else()
  message(FATAL_ERROR "same_output.cmake: unknown MODE '${MODE}'")
endif()
