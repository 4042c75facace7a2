# SPDX-License-Identifier: GPL-3.0-or-later
# Command-line tests, included by tests/CMakeLists.txt.
#
# bad.check.NNN-*     every tests/data/bad/*.yaml: `parley check` exits 2 with the
#                     diagnostic named on the file's first line, nothing on stdout
# bad.evaluate.NNN-*  the same file under `parley evaluate -o OUT`: exit 2 and
#                     OUT is never written
# cli.*               options, help, errors, JSON, -o and determinism

set(PL_CLI_DIR ${CMAKE_CURRENT_SOURCE_DIR}/cli)
set(PL_MINI ${CMAKE_CURRENT_SOURCE_DIR}/data/good/mini.yaml)
set(PL_CLI_OUT ${CMAKE_CURRENT_BINARY_DIR}/cli-out)
set(PL_PARLEY $<TARGET_FILE:parley-cli>)

# ---- malformed scenarios ----------------------------------------------------
file(GLOB PL_BAD_FILES CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/data/bad/*.yaml)
foreach(f ${PL_BAD_FILES})
  get_filename_component(n ${f} NAME_WE)
  add_test(NAME bad.check.${n}
           COMMAND ${CMAKE_COMMAND} -DPARLEY=${PL_PARLEY} -DFILE=${f} -DMODE=check
                   -P ${PL_CLI_DIR}/expect_error.cmake)
  add_test(NAME bad.evaluate.${n}
           COMMAND ${CMAKE_COMMAND} -DPARLEY=${PL_PARLEY} -DFILE=${f} -DMODE=evaluate
                   -DOUT=${PL_CLI_OUT}/bad/${n}.out -P ${PL_CLI_DIR}/expect_error.cmake)
endforeach()

# ---- behaviour of the tool --------------------------------------------------
# pl_cli_test(NAME ARGS a|b|c [EXPECT_RC n] [STDOUT_HAS s] [STDERR_HAS s] ...)
function(pl_cli_test name)
  cmake_parse_arguments(T "STDOUT_EMPTY;STDERR_EMPTY"
                        "ARGS;EXPECT_RC;STDOUT_HAS;STDERR_HAS;STDOUT_LACKS;STDERR_FIRST_LINE" ""
                        ${ARGN})
  set(defs -DPARLEY=${PL_PARLEY} "-DARGS=${T_ARGS}")
  if(DEFINED T_EXPECT_RC)
    list(APPEND defs -DEXPECT_RC=${T_EXPECT_RC})
  endif()
  foreach(k STDOUT_HAS STDERR_HAS STDOUT_LACKS STDERR_FIRST_LINE)
    if(DEFINED T_${k})
      list(APPEND defs "-D${k}=${T_${k}}")
    endif()
  endforeach()
  foreach(k STDOUT_EMPTY STDERR_EMPTY)
    if(T_${k})
      list(APPEND defs -D${k}=1)
    endif()
  endforeach()
  add_test(NAME cli.${name} COMMAND ${CMAKE_COMMAND} ${defs} -P ${PL_CLI_DIR}/run.cmake)
endfunction()

pl_cli_test(help ARGS "--help" STDOUT_HAS "Usage: parley [COMMAND]|evaluate FILE" STDERR_EMPTY)
pl_cli_test(help_short ARGS "-h" STDOUT_HAS "Usage: parley [COMMAND]" STDERR_EMPTY)
pl_cli_test(help_evaluate ARGS "help|evaluate"
            STDOUT_HAS "Usage: parley evaluate|--proposal ID" STDERR_EMPTY)
pl_cli_test(help_check ARGS "help|check" STDOUT_HAS "Usage: parley check|--strict" STDERR_EMPTY)
pl_cli_test(evaluate_dash_help ARGS "evaluate|--help" STDOUT_HAS "Usage: parley evaluate")
pl_cli_test(help_nosuch ARGS "help|nosuch" EXPECT_RC 2 STDOUT_EMPTY
            STDERR_FIRST_LINE "parley: error: no such command 'nosuch'<semi> try 'parley --help'")
pl_cli_test(version ARGS "--version" STDOUT_HAS "parley 0.1.0")
pl_cli_test(unknown_command ARGS "frobnicate" EXPECT_RC 2 STDOUT_EMPTY
            STDERR_HAS "unknown command 'frobnicate'")
pl_cli_test(unknown_long_option ARGS "check|--frobnicate|${PL_MINI}" EXPECT_RC 2 STDOUT_EMPTY
            STDERR_HAS "'--frobnicate'")
pl_cli_test(unknown_short_option ARGS "evaluate|-x|${PL_MINI}" EXPECT_RC 2 STDOUT_EMPTY
            STDERR_HAS "unknown option '-x'")
# A missing value is not an unknown option.
pl_cli_test(option_needs_value ARGS "check|${PL_MINI}|-o" EXPECT_RC 2 STDOUT_EMPTY
            STDERR_HAS "needs a value")
pl_cli_test(as_of_needs_value ARGS "check|${PL_MINI}|--as-of" EXPECT_RC 2 STDOUT_EMPTY
            STDERR_HAS "needs a value")
pl_cli_test(extra_argument ARGS "check|${PL_MINI}|other.yaml" EXPECT_RC 2 STDOUT_EMPTY
            STDERR_HAS "unexpected argument 'other.yaml'")
pl_cli_test(strict_only_for_check ARGS "evaluate|--strict|${PL_MINI}" EXPECT_RC 2 STDOUT_EMPTY
            STDERR_HAS "has no option --strict")
pl_cli_test(missing_file ARGS "check|${PL_CLI_OUT}/no-such-file.yaml" EXPECT_RC 2 STDOUT_EMPTY
            STDERR_FIRST_LINE "${PL_CLI_OUT}/no-such-file.yaml: error: cannot open: No such file or directory")
pl_cli_test(missing_file_evaluate ARGS "evaluate|${PL_CLI_OUT}/no-such-file.yaml" EXPECT_RC 2
            STDOUT_EMPTY STDERR_HAS "no-such-file.yaml")
# A truly empty file cannot carry an "# expect:" line, so it is made here.
file(WRITE ${PL_CLI_OUT}/empty.yaml "")
pl_cli_test(empty_file ARGS "check|${PL_CLI_OUT}/empty.yaml" EXPECT_RC 2 STDOUT_EMPTY
            STDERR_FIRST_LINE "${PL_CLI_OUT}/empty.yaml:1:1: error: the file holds no YAML document")
pl_cli_test(bad_as_of ARGS "evaluate|${PL_MINI}|--as-of|2025-13-01" EXPECT_RC 2 STDOUT_EMPTY
            STDERR_HAS "invalid date '2025-13-01'")
pl_cli_test(bad_as_of_feb29 ARGS "check|${PL_MINI}|--as-of|2025-02-29" EXPECT_RC 2 STDOUT_EMPTY
            STDERR_HAS "invalid date '2025-02-29'")
pl_cli_test(proposal_nosuch ARGS "evaluate|${PL_MINI}|--proposal|nosuch" EXPECT_RC 2 STDOUT_EMPTY
            STDERR_HAS "no proposal 'nosuch'|p_share p_b p_open")
pl_cli_test(check_mini ARGS "check|${PL_MINI}" STDERR_EMPTY
            STDOUT_HAS "ok: 'Mini border talks' (mini): 3 actors, 3 issues, 9 options, 3 proposals, 3 evidence, 2 events; 27 packages")
pl_cli_test(check_json ARGS "check|--json|${PL_MINI}"
            STDOUT_HAS "\"ok\": true|\"actors\": 3|\"uncited\": 13|\"id\": \"mini\"")
# The JSON summary should name the file it checked.
pl_cli_test(check_json_names_file ARGS "check|--json|${PL_MINI}" STDOUT_HAS "mini.yaml")
# mini.yaml leaves 13 numbers and rules of actor b uncited, so --strict fails on
# it, listing each with its position (and prints nothing on stdout).
pl_cli_test(strict_mini ARGS "check|--strict|${PL_MINI}" EXPECT_RC 2 STDOUT_EMPTY
            STDERR_HAS "13 numbers or rules cite no evidence|preferences.b.weights.strip (${PL_MINI}:88:22)|red line no_strong of b")
pl_cli_test(strict_uncited ARGS "check|--strict|${PL_CLI_DIR}/data/uncited.yaml" EXPECT_RC 2
            STDOUT_EMPTY STDERR_HAS "actors.b.reservation (${PL_CLI_DIR}/data/uncited.yaml:17:18)"
            STDERR_FIRST_LINE "${PL_CLI_DIR}/data/uncited.yaml: error: 1 number or rule cites no evidence and carries no 'assume:' rationale:")
pl_cli_test(nonstrict_uncited ARGS "check|${PL_CLI_DIR}/data/uncited.yaml" STDERR_EMPTY STDOUT_HAS "ok:")
pl_cli_test(strict_cited ARGS "check|--strict|${PL_CLI_DIR}/data/cited.yaml" STDERR_EMPTY
            STDOUT_HAS "ok: 'Fully cited'")
pl_cli_test(evaluate_text ARGS "evaluate|${PL_MINI}" STDERR_EMPTY
            STDOUT_HAS "2 proposals evaluated (latest, 2 of 2 events applied)|crosses red line 'want_guarantee'|0 of 2 proposals agreed")
# Before B's demand is withdrawn (2025-03-10) and before A hardens (2025-02-15).
pl_cli_test(evaluate_as_of ARGS "evaluate|${PL_MINI}|--as-of|2025-02-12" STDERR_EMPTY
            STDOUT_HAS "(2025-02-12, 0 of 2 events applied)|B's demand|[p_b, 2025-02-10, by b]"
            STDOUT_LACKS "Strip only")
pl_cli_test(evaluate_one_proposal ARGS "evaluate|${PL_MINI}|--proposal|p_b" STDERR_EMPTY
            STDOUT_HAS "1 proposal evaluated|B's demand" STDOUT_LACKS "Shared strip")
pl_cli_test(default_file_argument ARGS "${PL_MINI}" STDERR_EMPTY STDOUT_HAS "proposals evaluated")
pl_cli_test(bundled ARGS "" STDERR_EMPTY STDOUT_HAS "evaluated")
pl_cli_test(show ARGS "show|${PL_MINI}" STDERR_EMPTY
            STDOUT_HAS "Mini border talks|want_guarantee|Timeline")
pl_cli_test(show_json ARGS "show|--json|${PL_MINI}" STDERR_EMPTY STDOUT_HAS "\"id\": \"mini\"")
pl_cli_test(output_unwritable ARGS "evaluate|${PL_MINI}|-o|${PL_CLI_OUT}/no/such/dir/x.json"
            EXPECT_RC 2 STDOUT_EMPTY STDERR_HAS "cannot create")

add_test(NAME cli.evaluate_json
         COMMAND ${CMAKE_COMMAND} -DPARLEY=${PL_PARLEY} -DFILE=${PL_MINI} -DMINI=1
                 -P ${PL_CLI_DIR}/json_evaluate.cmake)
add_test(NAME cli.evaluate_json_cited
         COMMAND ${CMAKE_COMMAND} -DPARLEY=${PL_PARLEY} -DFILE=${PL_CLI_DIR}/data/cited.yaml
                 -P ${PL_CLI_DIR}/json_evaluate.cmake)
set(k 0)
foreach(args "evaluate|--json|${PL_MINI}" "evaluate|${PL_MINI}" "show|--json|${PL_MINI}"
             "check|${PL_MINI}" "evaluate|--json|--as-of|2025-02-20|${PL_MINI}")
  math(EXPR k "${k} + 1")
  add_test(NAME cli.output_file_${k}
           COMMAND ${CMAKE_COMMAND} -DPARLEY=${PL_PARLEY} "-DARGS=${args}" -DMODE=file
                   -DOUT=${PL_CLI_OUT}/output_file_${k}.txt -P ${PL_CLI_DIR}/same_output.cmake)
  add_test(NAME cli.deterministic_${k}
           COMMAND ${CMAKE_COMMAND} -DPARLEY=${PL_PARLEY} "-DARGS=${args}" -DMODE=repeat
                   -P ${PL_CLI_DIR}/same_output.cmake)
endforeach()

# The valid seeds of the loader's fuzz corpus stay valid and evaluate.
file(GLOB PL_VALID_SEEDS CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/fuzz/corpus/load/valid-*.yaml)
foreach(f ${PL_VALID_SEEDS})
  get_filename_component(n ${f} NAME_WE)
  pl_cli_test(seed.check.${n} ARGS "check|${f}" STDERR_EMPTY STDOUT_HAS ": ok: ")
  pl_cli_test(seed.evaluate.${n} ARGS "evaluate|--json|${f}" STDERR_EMPTY STDOUT_HAS "\"proposals\"")
endforeach()
