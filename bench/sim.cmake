# The simulation lens's benchmark (docs/performance-sim.md):
#   ./bench/sim_bench [SCENARIO [RUNS]]
add_executable(sim_bench ${CMAKE_CURRENT_SOURCE_DIR}/sim_bench.c)
target_link_libraries(sim_bench PRIVATE parley m)
target_compile_definitions(sim_bench PRIVATE
  PL_SIM_DEFAULT="${PROJECT_SOURCE_DIR}/tests/data/sim/war-mini.yaml")
