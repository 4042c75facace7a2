# The simulation lens's benchmark (docs/performance-sim.md):
#   ./bench/sim_bench [SCENARIO [RUNS]]
add_executable(sim_bench ${CMAKE_CURRENT_SOURCE_DIR}/sim_bench.c)
target_link_libraries(sim_bench PRIVATE parley m)
target_compile_definitions(sim_bench PRIVATE
  PL_SIM_DEFAULT="${PROJECT_SOURCE_DIR}/tests/data/sim/war-mini.yaml")

# The MPI split, timed with 1 rank and with all in one launch (cli/sim.cmake
# decides PARLEY_MPI):
#   mpirun -np 2 ./bench/sim_mpi_bench [SCENARIO [RUNS [REPS]]]
if(PARLEY_MPI)
  find_package(MPI COMPONENTS C REQUIRED) # its targets are per directory
  add_executable(sim_mpi_bench ${CMAKE_CURRENT_SOURCE_DIR}/sim_mpi_bench.c
                               ${PROJECT_SOURCE_DIR}/cli/sim_mpi.c)
  target_include_directories(sim_mpi_bench PRIVATE ${PROJECT_SOURCE_DIR}/cli)
  target_compile_definitions(sim_mpi_bench PRIVATE PARLEY_HAVE_MPI=1
    PL_SIM_DEFAULT="${PROJECT_SOURCE_DIR}/tests/data/sim/war-mini.yaml")
  target_link_libraries(sim_mpi_bench PRIVATE parley MPI::MPI_C m)
endif()
