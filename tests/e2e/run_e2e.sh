#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Start `parley serve` on a free loopback port and run the browser test
# (e2e.mjs). Exits 77 (ctest: skipped) when node, Chromium or playwright-core
# is missing; scripts/setup.sh installs them.
# Usage: run_e2e.sh PARLEY SCENARIO OUTDIR
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
LOG="$OUT/serve.log"
"$PARLEY" serve "$SCN" --port 0 --max-seconds 240 > "$LOG" 2>&1 &
PID=$!
URL=""
i=0
while [ $i -lt 100 ] && [ -z "$URL" ]; do
    URL=$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$LOG")
    [ -n "$URL" ] || sleep 0.1
    i=$((i + 1))
done
if [ -z "$URL" ]; then cat "$LOG"; kill "$PID" 2>/dev/null; exit 1; fi
PARLEY_CHROMIUM=$CHROMIUM timeout 200 node "$HERE/e2e.mjs" "$URL" "$OUT"
rc=$?
kill "$PID" 2>/dev/null
wait "$PID" 2>/dev/null
[ $rc -eq 0 ] && echo "screenshots: $OUT/app-before.png $OUT/app-after.png"
exit $rc
