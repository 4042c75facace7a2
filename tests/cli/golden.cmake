# SPDX-License-Identifier: GPL-3.0-or-later
# `parley ARGS` must print exactly the bytes of GOLDEN. After an intended
# change, regenerate with scripts/update-golden.sh and review the diff.
cmake_minimum_required(VERSION 3.19)
string(REPLACE "|" ";" args "${ARGS}")
execute_process(COMMAND "${PARLEY}" ${args} RESULT_VARIABLE rc OUTPUT_VARIABLE out
                ERROR_VARIABLE err)
if(NOT rc STREQUAL "0")
  message(FATAL_ERROR "parley ${ARGS}: exit ${rc}\n${err}")
endif()
file(READ "${GOLDEN}" want)
if(NOT out STREQUAL want)
  file(WRITE "${GOLDEN}.actual" "${out}")
  message(FATAL_ERROR "parley ${ARGS} differs from ${GOLDEN}; got ${GOLDEN}.actual")
endif()
