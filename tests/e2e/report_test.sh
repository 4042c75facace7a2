#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The HTML report: written, well-formed XML (it is polyglot HTML), every SVG
# parsed on its own, the expected charts and captions present, nothing loaded
# from the network, deterministic; and, where Chromium is installed, a
# headless screenshot of it in the test's output directory.
# Usage: report_test.sh PARLEY SCENARIO OUTDIR
set -eu
PARLEY=$1 SCN=$2 OUT=$3
mkdir -p "$OUT"
fail() { echo "FAIL: $*" >&2; exit 1; }

"$PARLEY" report "$SCN" -o "$OUT/report.html" || fail "parley report exited $?"
test -s "$OUT/report.html" || fail "empty report"
xmllint --noout "$OUT/report.html" || fail "the report is not well-formed"
n=$(xmllint --xpath "count(//*[local-name()='svg'])" "$OUT/report.html")
[ "$n" -ge 2 ] || fail "expected at least 2 SVG charts, got $n"
i=1
while [ "$i" -le "$n" ]; do
    xmllint --xpath "(//*[local-name()='svg'])[$i]" "$OUT/report.html" > "$OUT/chart-$i.svg"
    xmllint --noout "$OUT/chart-$i.svg" || fail "SVG $i does not parse"
    i=$((i + 1))
done
for want in 'id="matrix"' 'id="space"' 'id="bridges"' 'id="evidence"' '<figcaption>' \
            'Source: <code>parley evaluate</code>' '@media print' '<title>'; do
    grep -qF "$want" "$OUT/report.html" || fail "missing $want"
done
# Self-contained: no scripts, no external stylesheets, fonts or images.
if grep -qiE '<script|<link |@import|url\(http|src="http' "$OUT/report.html"; then
    fail "the report loads something from outside"
fi
# Deterministic.
"$PARLEY" report "$SCN" -o "$OUT/report2.html"
cmp -s "$OUT/report.html" "$OUT/report2.html" || fail "two runs differ"
# Errors: a missing file is exit 2 and writes nothing.
if "$PARLEY" report /nonexistent.yaml -o "$OUT/none.html" 2>/dev/null; then fail "no error"; fi
[ ! -e "$OUT/none.html" ] || fail "wrote output on error"

CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -n "$CHROMIUM" ]; then
    prof=$(mktemp -d)
    timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$prof" --window-size=1400,1800 \
        --screenshot="$OUT/report.png" "file://$OUT/report.html" >/dev/null 2>&1 || true
    rm -rf "$prof"
    test -s "$OUT/report.png" || fail "no screenshot"
    echo "screenshot: $OUT/report.png"
else
    echo "chromium not installed: screenshot skipped"
fi
echo "report ok: $OUT/report.html ($n charts)"
