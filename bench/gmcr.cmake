# GMCR stability benchmark (docs/performance.md, GMCR section). Include from
# bench/CMakeLists.txt:  include(${CMAKE_CURRENT_SOURCE_DIR}/gmcr.cmake)
add_executable(gmcr_bench ${CMAKE_CURRENT_LIST_DIR}/gmcr_bench.c)
target_include_directories(gmcr_bench PRIVATE ${PROJECT_SOURCE_DIR}/src)
target_link_libraries(gmcr_bench PRIVATE parley m)
