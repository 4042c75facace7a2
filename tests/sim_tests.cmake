# SPDX-License-Identifier: GPL-3.0-or-later
# Tests of the simulation lens's command-line tool (docs/simulate.md), included
# by tests/CMakeLists.txt. The same file is also the comparison script the
# tests run (cmake -P): it runs two command lines and requires both to succeed
# with byte-identical standard output.
#
# sim.cli.threads     simulate with 1 and 3 threads: same bytes
# sim.cli.robust      robust with 1 and 2 threads: same bytes
# sim.cli.mpi2        mpirun -np 2 ... --mpi vs one process: same bytes (with MPI)
# sim.cli.mpi2_reference  the same on the reference, whose ranks share frontiers
# sim.cli.mpi3_reference, sim.cli.mpi3_machines  3 ranks, one machine's deal and
#                     the deal between machines
# sim.cli.mpi2_threads  2 ranks of 2 threads each
# sim.cli.*           errors: zero horizon, zero runs, more ranks than runs, no war
# sim.cli.game_*      the game with war-mini's sequencings (text, JSON, .efg) and
#                     on the reference scenario with its proposed war: section

if(CMAKE_SCRIPT_MODE_FILE)
  string(REPLACE "|" ";" a "${A}")
  string(REPLACE "|" ";" b "${B}")
  execute_process(COMMAND ${a} RESULT_VARIABLE ra OUTPUT_VARIABLE oa ERROR_VARIABLE ea)
  execute_process(COMMAND ${b} RESULT_VARIABLE rb OUTPUT_VARIABLE ob ERROR_VARIABLE eb)
  if(NOT ra EQUAL 0 OR NOT rb EQUAL 0)
    message(FATAL_ERROR "exit codes ${ra} and ${rb}\n${ea}\n${eb}")
  endif()
  if(oa STREQUAL "")
    message(FATAL_ERROR "no output from ${A}")
  endif()
  if(NOT oa STREQUAL ob)
    message(FATAL_ERROR "outputs differ:\n--- ${A}\n${oa}\n--- ${B}\n${ob}")
  endif()
  return()
endif()

set(PL_SIM_FILE ${CMAKE_CURRENT_SOURCE_DIR}/data/sim/war-mini.yaml)
set(PL_SIM_CMP ${CMAKE_CURRENT_SOURCE_DIR}/sim_tests.cmake)
set(PL_SIM_PARLEY $<TARGET_FILE:parley-cli>)
set(PL_SIM_ARGS simulate|${PL_SIM_FILE}|--runs|2000|--seed|17|--json)

add_test(NAME sim.cli.threads
         COMMAND ${CMAKE_COMMAND} "-DA=${PL_SIM_PARLEY}|${PL_SIM_ARGS}|--threads|1"
                 "-DB=${PL_SIM_PARLEY}|${PL_SIM_ARGS}|--threads|3" -P ${PL_SIM_CMP})
add_test(NAME sim.cli.robust
         COMMAND ${CMAKE_COMMAND}
                 "-DA=${PL_SIM_PARLEY}|robust|${PL_SIM_FILE}|--runs|300|--json|--threads|1"
                 "-DB=${PL_SIM_PARLEY}|robust|${PL_SIM_FILE}|--runs|300|--json|--threads|2"
                 -P ${PL_SIM_CMP})

add_test(NAME sim.cli.horizon_zero COMMAND ${PL_SIM_PARLEY} simulate ${PL_SIM_FILE} --horizon 0m)
set_tests_properties(sim.cli.horizon_zero PROPERTIES PASS_REGULAR_EXPRESSION
                     "error: --horizon is zero months")
add_test(NAME sim.cli.runs_zero COMMAND ${PL_SIM_PARLEY} simulate ${PL_SIM_FILE} --runs 0)
set_tests_properties(sim.cli.runs_zero PROPERTIES PASS_REGULAR_EXPRESSION
                     "error: --runs needs a whole number from 1")
add_test(NAME sim.cli.no_war
         COMMAND ${PL_SIM_PARLEY} simulate ${CMAKE_CURRENT_SOURCE_DIR}/data/good/mini.yaml)
set_tests_properties(sim.cli.no_war PROPERTIES PASS_REGULAR_EXPRESSION
                     "has no 'war:' section")

# war-mini: B would pocket A's settlement of the strip under withdrawal_first,
# so the equilibrium uses a self-enforcing sequencing.
add_test(NAME sim.cli.game_text COMMAND ${PL_SIM_PARLEY} game ${PL_SIM_FILE})
set_tests_properties(sim.cli.game_text PROPERTIES PASS_REGULAR_EXPRESSION
                     "withdrawal_first: first a; P\\(holds\\) 0.630; NOT self-enforcing")
add_test(NAME sim.cli.game_json COMMAND ${PL_SIM_PARLEY} game ${PL_SIM_FILE} --json)
set_tests_properties(sim.cli.game_json PROPERTIES PASS_REGULAR_EXPRESSION
                     "\"sequencing\": \"simultaneous_snapback\"")
add_test(NAME sim.cli.game_efg
         COMMAND ${PL_SIM_PARLEY} game ${PL_SIM_FILE} --efg --rounds 2 --offers 2)
set_tests_properties(sim.cli.game_efg PROPERTIES PASS_REGULAR_EXPRESSION
                     "p \"temptation\" 2 [0-9]+ \"\" { \"comply\" \"renege\" }")

if(PARLEY_MPI AND MPIEXEC_EXECUTABLE)
  # --oversubscribe: CI machines may have fewer cores than ranks;
  # --allow-run-as-root: CI containers run as root.
  set(PL_SIM_MPIRUN ${MPIEXEC_EXECUTABLE}|--allow-run-as-root|--oversubscribe)
  add_test(NAME sim.cli.mpi2
           COMMAND ${CMAKE_COMMAND} "-DA=${PL_SIM_PARLEY}|${PL_SIM_ARGS}"
                   "-DB=${PL_SIM_MPIRUN}|-np|2|${PL_SIM_PARLEY}|${PL_SIM_ARGS}|--mpi"
                   -P ${PL_SIM_CMP})
  add_test(NAME sim.cli.mpi_more_ranks_than_runs
           COMMAND ${MPIEXEC_EXECUTABLE} --allow-run-as-root --oversubscribe -np 3
                   ${PL_SIM_PARLEY} simulate ${PL_SIM_FILE} --runs 2 --mpi)
  set_tests_properties(sim.cli.mpi_more_ranks_than_runs PROPERTIES PASS_REGULAR_EXPRESSION
                       "more MPI ranks \\(3\\) than runs \\(2\\)")
  # Open MPI keeps its own allocations (and those of the components it loads)
  # until exit; LeakSanitizer would report them against parley.
  # The reference: enough runs for the ranks to build frontiers, split
  # between them and exchanged (pl_sim_cache_prepare).
  set(PL_SIM_REF_ARGS
      simulate|${PROJECT_SOURCE_DIR}/scenarios/donbas-2025.yaml|--runs|3000|--seed|3|--json)
  # name: `mpirun <mpirun_args> parley simulate <reference> --mpi<extra>`
  # (both |-separated) against one process, byte for byte.
  function(pl_sim_mpi_ref name mpirun_args extra)
    add_test(NAME ${name}
             COMMAND ${CMAKE_COMMAND} "-DA=${PL_SIM_PARLEY}|${PL_SIM_REF_ARGS}"
                     "-DB=${PL_SIM_MPIRUN}|${mpirun_args}|${PL_SIM_PARLEY}|${PL_SIM_REF_ARGS}|--mpi${extra}"
                     -P ${PL_SIM_CMP})
  endfunction()
  pl_sim_mpi_ref(sim.cli.mpi2_reference "-np|2" "")
  # Three ranks: batches and builds dealt from the machine's shared
  # counter, and (PARLEY_MPI_NO_SHARED) in fixed shares as between machines.
  pl_sim_mpi_ref(sim.cli.mpi3_reference "-np|3" "")
  pl_sim_mpi_ref(sim.cli.mpi3_machines "-x|PARLEY_MPI_NO_SHARED=1|-np|3" "")
  # Two threads per rank: the claims come from both threads of each rank.
  pl_sim_mpi_ref(sim.cli.mpi2_threads "-np|2" "|--threads|2")
  set_tests_properties(sim.cli.mpi2 sim.cli.mpi2_reference sim.cli.mpi_more_ranks_than_runs
                       sim.cli.mpi3_reference sim.cli.mpi3_machines sim.cli.mpi2_threads
                       PROPERTIES ENVIRONMENT "ASAN_OPTIONS=detect_leaks=0")
endif()

# The reference scenario's war: section (it refers to the scenario's actors,
# issues, red lines and evidence).
set(PL_SIM_REF ${PROJECT_SOURCE_DIR}/scenarios/donbas-2025.yaml)
if(EXISTS ${PL_SIM_REF})
  set(PL_SIM_REF_WAR ${PL_SIM_REF})
  add_test(NAME sim.cli.donbas_war_loads
           COMMAND ${PL_SIM_PARLEY} check --strict ${PL_SIM_REF_WAR})
  # As of the scenario's last event Kyiv's red line keeps the ZOPA empty: no
  # agreement, but every sequencing's first movers and P(holds) are reported.
  add_test(NAME sim.cli.game_donbas COMMAND ${PL_SIM_PARLEY} game ${PL_SIM_REF_WAR} --json)
  set_tests_properties(sim.cli.game_donbas PROPERTIES PASS_REGULAR_EXPRESSION
                       "\"first\": \\[\n *\"us\"\n *\\],\n *\"id\": \"guarantees_first\"")
endif()
