# SPDX-License-Identifier: GPL-3.0-or-later
# Command-line tests of `parley stability` (GMCR), included by tests/CMakeLists.txt.
#
# gmcr.stability.NAME[.SEM]  each classic conflict of ../shared/fixtures/gmcr:
#                            --format gmcr-json gives the equilibria listed in
#                            tests/data/gmcr/expected/ (sources in those files
#                            and in docs/gmcr.md, Validation)
# gmcr.stability.json.*      the same through --json and -o
# gmcr.elmira.*              the coalition MoE+Uniroyal and the path from the
#                            status quo (Kinsara 2014, sec. 5.2-5.3)
# gmcr.donbas.*              the reference scenario: equilibria and explanations
# gmcr.bad.*                 bad inputs: exit 2, "FILE:LINE:COL: error:" (for
#                            gmcr-json, at the offending value, the message
#                            starting with its JSON path), nothing on stdout,
#                            nothing written with -o

set(PL_GMCR_DATA ${CMAKE_CURRENT_SOURCE_DIR}/data/gmcr)
set(PL_GMCR_FIX ${PROJECT_SOURCE_DIR}/../shared/fixtures/gmcr)
set(PL_GMCR_CHECK ${PL_GMCR_DATA}/stability_check.cmake)
set(PL_GMCR_OUT ${CMAKE_CURRENT_BINARY_DIR}/gmcr-out)
set(PL_GMCR_PARLEY $<TARGET_FILE:parley-cli>)
set(PL_GMCR_DONBAS ${PROJECT_SOURCE_DIR}/scenarios/donbas-2025.yaml)

# pl_gmcr_test(NAME ARGS a|b|c [EXPECT_RC n] [EQUILIBRIA file] [PATHS p] [OUT f]
#              [STDOUT_HAS s] [STDERR_HAS s] [STDERR_REGEX r])
function(pl_gmcr_test name)
  cmake_parse_arguments(T ""
                        "ARGS;EXPECT_RC;EQUILIBRIA;PATHS;OUT;STDOUT_HAS;STDERR_HAS;STDERR_REGEX"
                        "" ${ARGN})
  set(defs -DPARLEY=${PL_GMCR_PARLEY} "-DARGS=${T_ARGS}")
  foreach(k EXPECT_RC EQUILIBRIA PATHS OUT STDOUT_HAS STDERR_HAS STDERR_REGEX)
    if(DEFINED T_${k})
      list(APPEND defs "-D${k}=${T_${k}}")
    endif()
  endforeach()
  add_test(NAME gmcr.${name} COMMAND ${CMAKE_COMMAND} ${defs} -P ${PL_GMCR_CHECK})
endfunction()

# ---- the classic conflicts ----------------------------------------------------
# The fixtures live beside the checkout (as for tests/unit/test_gmcr.c); without
# them these tests are not defined.
if(EXISTS ${PL_GMCR_FIX}/Prisoners.json)
  foreach(n Prisoners SyriaIraq MilkRiver Garrison Cuban Elmira SI_misp)
    pl_gmcr_test(stability.${n}
                 ARGS "stability|${PL_GMCR_FIX}/${n}.json|--format|gmcr-json"
                 EQUILIBRIA ${PL_GMCR_DATA}/expected/${n}.txt)
  endforeach()
  # GMCR+'s one-move sanctions reproduce its stored results for Garrison.
  pl_gmcr_test(stability.Garrison.single
               ARGS "stability|${PL_GMCR_FIX}/Garrison.json|--format|gmcr-json|--semantics|single"
               EQUILIBRIA ${PL_GMCR_DATA}/expected/Garrison.single.txt)
  # Through the full report and -o: same equilibria, file written.
  pl_gmcr_test(stability.json.Elmira
               ARGS "stability|${PL_GMCR_FIX}/Elmira.json|--json"
               OUT ${PL_GMCR_OUT}/Elmira.json
               EQUILIBRIA ${PL_GMCR_DATA}/expected/Elmira.txt)
  # A concept subset: only the concepts asked for appear.
  file(WRITE ${PL_GMCR_OUT}/Cuban.nash-seq.txt "nash: 6\nseq: 5 6 7\n")
  pl_gmcr_test(stability.concepts.Cuban
               ARGS "stability|${PL_GMCR_FIX}/Cuban.json|--format|gmcr-json|--concepts|nash,seq"
               EQUILIBRIA ${PL_GMCR_OUT}/Cuban.nash-seq.txt)
endif()

# ---- Elmira: coalition and status quo (Kinsara 2014, Figs. 29-32) -------------
pl_gmcr_test(elmira.coalition
             ARGS "stability|${PL_GMCR_DATA}/elmira-coalition.json|--coalitions|--format|gmcr-json"
             EQUILIBRIA ${PL_GMCR_DATA}/expected/Elmira.coalition.txt)
# From the status quo 1 (NYNNN): Local Government insists (7), then the
# coalition modifies and accepts (10); the other equilibria are out of reach.
pl_gmcr_test(elmira.paths.json
             ARGS "stability|${PL_GMCR_DATA}/elmira-coalition.json|--coalitions|--from-status-quo|--concepts|nash|--json"
             PATHS "10:2|5:0|6:0|9:0|11:0|12:0")
pl_gmcr_test(elmira.paths.text
             ARGS "stability|${PL_GMCR_DATA}/elmira-coalition.json|--coalitions|--from-status-quo|--concepts|nash"
             STDOUT_HAS "paths of unilateral improvements from the status quo|to 10 (YNYNY, nash equilibrium): Local Government -> 7 (NYNNY), MoE+Uniroyal -> 10 (YNYNY)|5 other equilibria cannot be reached")
# Without the coalition, the status quo leads only to the deadlock at 7.
pl_gmcr_test(elmira.paths.individual
             ARGS "stability|${PL_GMCR_DATA}/elmira-coalition.json|--from-status-quo|--concepts|nash"
             STDOUT_HAS "to 7 (NYNNY, nash equilibrium): Local Government -> 7 (NYNNY)|5 other equilibria cannot be reached")

# ---- the reference scenario -----------------------------------------------------
pl_gmcr_test(donbas.equilibria
             ARGS "stability|${PL_GMCR_DONBAS}"
             STDOUT_HAS "equilibria (states stable for every decision maker):|nash    5: 1 (NNNNNNN)|seq     14: 1 (NNNNNNN)|state 1 (NNNNNNN), the status quo|Russia has no unilateral improvement: stable under every concept")
# The withdrawal-for-halt state: GMR and SEQ stable but not Nash, and why.
pl_gmcr_test(donbas.explain
             ARGS "stability|${PL_GMCR_DONBAS}|--explain|NNYNYNN|--concepts|nash,gmr,seq"
             STDOUT_HAS "state 21 (NNYNYNN)|=> unstable under nash.|=> stable under gmr.|deterred by Ukraine moving to state 18 (YNNNYNN)|Ukraine has 2 unilateral improvements under nash|deterred by Russia")
pl_gmcr_test(donbas.paths
             ARGS "stability|${PL_GMCR_DONBAS}|--from-status-quo|--concepts|nash"
             STDOUT_HAS "paths of unilateral improvements from the status quo|to 1 (NNNNNNN, nash equilibrium)")
pl_gmcr_test(donbas.json
             ARGS "stability|${PL_GMCR_DONBAS}|--json|--concepts|nash,gmr"
             OUT ${PL_GMCR_OUT}/donbas.json
             STDOUT_HAS "\"explanations\"|\"improvements\"|\"evidence\"|\"status_quo\": 1")

# ---- bad input ------------------------------------------------------------------
set(PL_GMCR_POS "^[^\n]*:[0-9]+:[0-9]+: error: ")
pl_gmcr_test(bad.missing_file
             ARGS "stability|${PL_GMCR_OUT}/no-such-conflict.json"
             OUT ${PL_GMCR_OUT}/bad/missing.out EXPECT_RC 2
             STDERR_HAS "no-such-conflict.json: error: cannot open")
foreach(case
    "no-controller|17:7|option 'b_yield' is controlled by no one"
    "unknown-option|20:34|in the preference statement: unknown option 'a_atack' (did you mean 'a_attack'?)"
    "infeasible-sq|20:15|the status quo YY is infeasible"
    "all-infeasible|14:3|every state of the conflict is infeasible")
  string(REPLACE "|" ";" case "${case}")
  list(GET case 0 n)
  list(GET case 1 pos)
  list(GET case 2 msg)
  pl_gmcr_test(bad.${n}
               ARGS "stability|${PL_GMCR_DATA}/bad-${n}.yaml"
               OUT ${PL_GMCR_OUT}/bad/${n}.out EXPECT_RC 2
               STDERR_REGEX "${PL_GMCR_POS}"
               STDERR_HAS "bad-${n}.yaml:${pos}: error: ${msg}")
endforeach()
# gmcr-json: the position is that of the offending value (looked up by its JSON
# path, which the message also names): the option's "dm", the "status_quo",
# the "infeasible" list. Split at the first two '|' only: messages may hold one.
foreach(case
    "no-controller|2:58|options[1] ('b'): \"dm\" must index decision_makers (0..0): the option is controlled by no decision maker"
    "infeasible-sq|7:16|the status quo YY is infeasible"
    "all-infeasible|6:16|every state of the conflict is infeasible")
  string(FIND "${case}" "|" bar)
  string(SUBSTRING "${case}" 0 ${bar} n)
  math(EXPR bar "${bar} + 1")
  string(SUBSTRING "${case}" ${bar} -1 rest)
  string(FIND "${rest}" "|" bar)
  string(SUBSTRING "${rest}" 0 ${bar} pos)
  math(EXPR bar "${bar} + 1")
  string(SUBSTRING "${rest}" ${bar} -1 msg)
  pl_gmcr_test(bad.json.${n}
               ARGS "stability|${PL_GMCR_DATA}/bad-${n}.json"
               OUT ${PL_GMCR_OUT}/bad/json-${n}.out EXPECT_RC 2
               STDERR_REGEX "${PL_GMCR_POS}"
               STDERR_HAS "bad-${n}.json:${pos}: error: ${msg}")
endforeach()
