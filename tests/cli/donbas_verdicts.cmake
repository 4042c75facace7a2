# SPDX-License-Identifier: GPL-3.0-or-later
# The verdicts issue #2 pins down on the reference scenario, read from
# `parley evaluate --json`: Russia rejects the 20-point framework over Donbas,
# Ukraine rejects the 28-point plan over its red line on Donbas, the reasons
# say so, and no proposal on the table is agreed by the three veto parties.
cmake_minimum_required(VERSION 3.19)
execute_process(COMMAND "${PARLEY}" evaluate "${FILE}" --json RESULT_VARIABLE rc
                OUTPUT_VARIABLE json ERROR_VARIABLE err)
if(NOT rc STREQUAL "0")
  message(FATAL_ERROR "evaluate failed (${rc}):\n${err}")
endif()

function(verdict proposal actor out_accept out_lines out_reasons)
  string(JSON n LENGTH "${json}" proposals)
  math(EXPR last "${n} - 1")
  foreach(k RANGE ${last})
    string(JSON id GET "${json}" proposals ${k} id)
    if(id STREQUAL proposal)
      string(JSON acc GET "${json}" proposals ${k} verdicts ${actor} accept)
      string(JSON lines GET "${json}" proposals ${k} verdicts ${actor} red_lines_broken)
      string(JSON reasons GET "${json}" proposals ${k} verdicts ${actor} reasons)
      set(${out_accept} "${acc}" PARENT_SCOPE)
      set(${out_lines} "${lines}" PARENT_SCOPE)
      set(${out_reasons} "${reasons}" PARENT_SCOPE)
      return()
    endif()
  endforeach()
  message(FATAL_ERROR "no proposal '${proposal}' in the evaluation")
endfunction()

verdict(ua_20pt ru acc lines reasons)
if(NOT acc STREQUAL "OFF" OR NOT lines MATCHES "donbas" OR NOT reasons MATCHES "donbas")
  message(FATAL_ERROR "Russia should reject the 20-point framework over Donbas: accept=${acc} "
                      "red lines=${lines} reasons=${reasons}")
endif()
verdict(us_28pt ua acc lines reasons)
if(NOT acc STREQUAL "OFF" OR NOT lines MATCHES "no_recognition_donbas"
   OR NOT reasons MATCHES "Donbas")
  message(FATAL_ERROR "Ukraine should reject the 28-point plan over recognition of Donbas: "
                      "accept=${acc} red lines=${lines} reasons=${reasons}")
endif()
verdict(stand_where_we_stand ua acc lines reasons)
if(NOT acc STREQUAL "ON")
  message(FATAL_ERROR "Ukraine should accept 'stand where we stand': ${reasons}")
endif()
verdict(ru_june2024 ru acc lines reasons)
if(NOT acc STREQUAL "ON")
  message(FATAL_ERROR "Russia should accept its own June 2024 terms: ${reasons}")
endif()

string(JSON n LENGTH "${json}" proposals)
math(EXPR last "${n} - 1")
foreach(k RANGE ${last})
  string(JSON agreed GET "${json}" proposals ${k} agreed)
  string(JSON id GET "${json}" proposals ${k} id)
  if(agreed STREQUAL "ON")
    message(FATAL_ERROR "proposal ${id} is agreed, but the talks are deadlocked")
  endif()
endforeach()
