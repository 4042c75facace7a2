# SPDX-License-Identifier: GPL-3.0-or-later
# The agreement-space commands through the tool (the algorithms themselves are
# checked against brute force in unit/test_space.c).
set(PL_DONBAS ${PROJECT_SOURCE_DIR}/scenarios/donbas-2025.yaml)

foreach(cmd zopa pareto solve bridge timeline)
  add_test(NAME space.${cmd}.deterministic
           COMMAND ${CMAKE_COMMAND} -DPARLEY=${PL_PARLEY} "-DARGS=${cmd}|${PL_DONBAS}|--json"
                   -DMODE=repeat -P ${PL_CLI_DIR}/same_output.cmake)
  add_test(NAME space.${cmd}.to_file
           COMMAND ${CMAKE_COMMAND} -DPARLEY=${PL_PARLEY} "-DARGS=${cmd}|${PL_MINI}|--json"
                   -DOUT=${PL_CLI_OUT}/space/${cmd}.json -DMODE=file
                   -P ${PL_CLI_DIR}/same_output.cmake)
endforeach()

# Thread counts never change an answer.
add_test(NAME space.zopa.threads
         COMMAND ${CMAKE_COMMAND} -DPARLEY=${PL_PARLEY}
                 "-DARGS_A=zopa|${PL_DONBAS}|--json|--threads|1"
                 "-DARGS_B=zopa|${PL_DONBAS}|--json|--threads|2"
                 -P ${CMAKE_CURRENT_SOURCE_DIR}/cli/same_two.cmake)

pl_cli_test(space_zopa_mini ARGS "zopa|${PL_MINI}" STDERR_EMPTY
            STDOUT_HAS "ZOPA: 3 packages acceptable to every veto actor")
pl_cli_test(space_solve_bad_rule ARGS "solve|${PL_MINI}|--rule|median" EXPECT_RC 2 STDOUT_EMPTY
            STDERR_HAS "unknown rule 'median'")
pl_cli_test(space_zopa_by_actor ARGS "zopa|${PL_MINI}|--by|b|--top|1" STDERR_EMPTY
            STDOUT_HAS "top 1 by b")
pl_cli_test(space_zopa_bad_top ARGS "zopa|${PL_MINI}|--top|-3" EXPECT_RC 2 STDOUT_EMPTY
            STDERR_HAS "--top needs a whole number")
pl_cli_test(space_threads_range ARGS "zopa|${PL_MINI}|--threads|9" EXPECT_RC 2 STDOUT_EMPTY)
pl_cli_test(space_timeline_as_of ARGS "timeline|${PL_MINI}|--as-of|2025-02-01" EXPECT_RC 2
            STDOUT_EMPTY STDERR_HAS "--as-of does not apply")
pl_cli_test(space_bridge_donbas ARGS "bridge|${PL_DONBAS}" STDERR_EMPTY
            STDOUT_HAS "no_recognition_donbas|donbas_to_russia")
# --quick finds the same bridges without counting the zones they open.
pl_cli_test(space_bridge_donbas_quick ARGS "bridge|${PL_DONBAS}|--quick" STDERR_EMPTY
            STDOUT_HAS "no_recognition_donbas|donbas_to_russia|(not counted)"
            STDOUT_LACKS "17482302")
pl_cli_test(space_bridge_donbas_quick_json ARGS "bridge|${PL_DONBAS}|--quick|--json" STDERR_EMPTY
            STDOUT_HAS "\"zopa_count\": null|\"zopa_count\": 0")
pl_cli_test(space_quick_not_zopa ARGS "zopa|${PL_MINI}|--quick" EXPECT_RC 2 STDOUT_EMPTY
            STDERR_HAS "has no option --quick")
pl_cli_test(space_pareto_donbas ARGS "pareto|${PL_DONBAS}|--top|1" STDERR_EMPTY
            STDOUT_HAS "The ZOPA is empty. Pareto frontier of the feasible space")
pl_cli_test(space_timeline_donbas ARGS "timeline|${PL_DONBAS}" STDERR_EMPTY
            STDOUT_HAS "ua:no_recognition_donbas ru:donbas_to_russia")

# The reference scenario's verdicts that the issue pins down (#2), read from
# `evaluate --json`.
add_test(NAME golden.donbas.verdicts
         COMMAND ${CMAKE_COMMAND} -DPARLEY=${PL_PARLEY} -DFILE=${PL_DONBAS}
                 -P ${CMAKE_CURRENT_SOURCE_DIR}/cli/donbas_verdicts.cmake)
# Golden output: the bundled scenario's evaluate JSON, byte for byte.
add_test(NAME golden.donbas.evaluate_json
         COMMAND ${CMAKE_COMMAND} -DPARLEY=${PL_PARLEY}
                 "-DARGS=evaluate|${PL_DONBAS}|--json"
                 -DGOLDEN=${CMAKE_CURRENT_SOURCE_DIR}/golden/donbas-evaluate.json
                 -P ${CMAKE_CURRENT_SOURCE_DIR}/cli/golden.cmake)
add_test(NAME golden.donbas.zopa_json
         COMMAND ${CMAKE_COMMAND} -DPARLEY=${PL_PARLEY}
                 "-DARGS=solve|${PL_DONBAS}|--json|--as-of|2025-12-31"
                 -DGOLDEN=${CMAKE_CURRENT_SOURCE_DIR}/golden/donbas-solve-2025-12-31.json
                 -P ${CMAKE_CURRENT_SOURCE_DIR}/cli/golden.cmake)
