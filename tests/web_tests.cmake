# SPDX-License-Identifier: GPL-3.0-or-later
# Issue #7: the HTML report, the web app's API and the browser end-to-end
# test. Outputs (report, screenshots, API summary) go to
# ${CMAKE_CURRENT_BINARY_DIR}/web-out/<test>.
set(PL_WEB_OUT ${CMAKE_CURRENT_BINARY_DIR}/web-out)
set(PL_WEB_SCN ${CMAKE_CURRENT_SOURCE_DIR}/data/good/mini.yaml)
# A small scenario with a war: section, for the simulation parts (fan and
# tornado charts, POST /api/simulate): fast whatever the reference scenario
# holds.
set(PL_WEB_WAR ${CMAKE_CURRENT_SOURCE_DIR}/data/sim/war-mini.yaml)
set(PL_E2E ${CMAKE_CURRENT_SOURCE_DIR}/e2e)

find_program(PL_XMLLINT xmllint)
if(PL_XMLLINT)
  add_test(NAME web.report
    COMMAND sh ${PL_E2E}/report_test.sh $<TARGET_FILE:parley-cli> ${PL_WEB_SCN}
            ${PL_WEB_OUT}/report ${PL_WEB_WAR}
            ${PROJECT_SOURCE_DIR}/scenarios/donbas-2025.yaml)
  set_tests_properties(web.report PROPERTIES TIMEOUT 300)
endif()

find_program(PL_PYTHON3 python3)
if(PL_PYTHON3)
  # Every endpoint, malformed requests, 10,000 loopback requests; the
  # background simulations on war-mini.
  add_test(NAME web.api
    COMMAND ${PL_PYTHON3} ${PL_E2E}/api_test.py $<TARGET_FILE:parley-cli> ${PL_WEB_SCN}
            ${PL_WEB_OUT}/api 10000 ${PL_WEB_WAR})
  set_tests_properties(web.api PROPERTIES TIMEOUT 400)
endif()

# The browser test skips itself (exit 77) when node, chromium or
# playwright-core (scripts/setup.sh installs it under tests/e2e/node_modules)
# is missing.
add_test(NAME web.e2e
  COMMAND sh ${PL_E2E}/run_e2e.sh $<TARGET_FILE:parley-cli> ${PL_WEB_SCN} ${PL_WEB_OUT}/e2e
          ${PL_WEB_WAR})
set_tests_properties(web.e2e PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300)

# The SQLite run store, including a run killed midway.
add_test(NAME web.runs
  COMMAND sh ${PL_E2E}/runs_test.sh $<TARGET_FILE:parley-cli> ${PL_WEB_SCN}
          ${PROJECT_SOURCE_DIR}/scenarios/donbas-2025.yaml ${PL_WEB_OUT}/runs)
set_tests_properties(web.runs PROPERTIES TIMEOUT 120)
