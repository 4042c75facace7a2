# The spatial forecast benchmark (bench/smp_bench.c): include() this file from
# bench/CMakeLists.txt. Run: ./build/bench/smp_bench [--threads T] [NxD ...]
add_executable(smp_bench ${CMAKE_CURRENT_LIST_DIR}/smp_bench.c)
target_include_directories(smp_bench PRIVATE ${PROJECT_SOURCE_DIR}/src)
target_link_libraries(smp_bench PRIVATE parley m)
