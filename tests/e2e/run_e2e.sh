#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Start `parley serve` on a free loopback port and run the browser test
# (e2e.mjs). Exits 77 (ctest: skipped) when node, Chromium or playwright-core
# is missing; scripts/setup.sh installs them. With WAR_SCENARIO (a scenario
# with a war: section), a second server on it is used to start a simulation
# in the app and watch it finish.
# Usage: run_e2e.sh PARLEY SCENARIO OUTDIR [WAR_SCENARIO]
set -u
PARLEY=$1 SCN=$2 OUT=$3
HERE=$(cd "$(dirname "$0")" && pwd)
CHROMIUM=${PARLEY_CHROMIUM:-/usr/bin/chromium}
if ! command -v node >/dev/null 2>&1; then echo "skip: node not installed"; exit 77; fi
if [ ! -x "$CHROMIUM" ]; then echo "skip: $CHROMIUM not installed"; exit 77; fi
if [ ! -d "$HERE/node_modules/playwright-core" ]; then
    echo "skip: playwright-core not installed (run scripts/setup.sh)"; exit 77
fi
mkdir -p "$OUT"
# start_server SCENARIO LOG: starts parley serve on a free port; sets PID, URL.
start_server() {
    "$PARLEY" serve "$1" --port 0 --max-seconds 240 > "$2" 2>&1 &
    PID=$!
    URL=""
    i=0
    while [ $i -lt 100 ] && [ -z "$URL" ]; do
        URL=$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$2")
        [ -n "$URL" ] || sleep 0.1
        i=$((i + 1))
    done
    if [ -z "$URL" ]; then cat "$2"; kill "$PID" 2>/dev/null; exit 1; fi
}
start_server "$SCN" "$OUT/serve.log"
PID1=$PID URL1=$URL
PID2="" URL2=""
if [ $# -ge 4 ]; then
    start_server "$4" "$OUT/serve-war.log"
    PID2=$PID URL2=$URL
fi
PARLEY_CHROMIUM=$CHROMIUM timeout 200 node "$HERE/e2e.mjs" "$URL1" "$OUT" $URL2
rc=$?
kill "$PID1" $PID2 2>/dev/null
wait "$PID1" $PID2 2>/dev/null
[ $rc -eq 0 ] && echo "screenshots: $OUT/app-before.png $OUT/app-after.png${URL2:+ $OUT/app-simulate.png}"
exit $rc
