#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The HTML report: written, well-formed XML (it is polyglot HTML), every SVG
# parsed on its own, the expected charts and captions present, nothing loaded
# from the network, deterministic; and, where Chromium is installed, a
# headless screenshot of it in the test's output directory. With WAR_SCENARIO
# (a war: section) the fan and tornado charts are checked, with
# CONFLICT_SCENARIO (a conflict: section) the GMCR state graph.
# Usage: report_test.sh PARLEY SCENARIO OUTDIR [WAR_SCENARIO [CONFLICT_SCENARIO]]
set -eu
PARLEY=$1 SCN=$2 OUT=$3 WAR=${4:-} CONFLICT=${5:-}
mkdir -p "$OUT"
fail() { echo "FAIL: $*" >&2; exit 1; }

# svg_ok FILE PREFIX: FILE is well-formed and so is each of its SVGs on its
# own (written to PREFIX-N.svg); prints the number of SVGs.
svg_ok() {
    xmllint --noout "$1" || fail "$1 is not well-formed"
    c=$(xmllint --xpath "count(//*[local-name()='svg'])" "$1")
    k=1
    while [ "$k" -le "$c" ]; do
        xmllint --xpath "(//*[local-name()='svg'])[$k]" "$1" > "$2-$k.svg"
        xmllint --noout "$2-$k.svg" || fail "SVG $k of $1 does not parse"
        k=$((k + 1))
    done
    echo "$c"
}
# section_svg FILE ID: the number of SVGs inside <section id="ID">.
section_svg() {
    xmllint --xpath "count(//*[local-name()='section'][@id='$2']//*[local-name()='svg'])" "$1"
}

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

# The fan and tornado charts, on a small scenario with a war: section.
if [ -n "$WAR" ]; then
    "$PARLEY" report "$WAR" --runs 120 --tornado-runs 30 --seed 3 -o "$OUT/war.html" ||
        fail "parley report on $WAR exited $?"
    nw=$(svg_ok "$OUT/war.html" "$OUT/war")
    [ "$(section_svg "$OUT/war.html" deal)" -eq 1 ] || fail "no fan chart"
    [ "$(section_svg "$OUT/war.html" tornado)" -eq 1 ] || fail "no tornado chart"
    for want in '120 runs' 'seed 3' 'parley simulate --runs 120 --seed 3' \
                'parley sensitivity --runs 30 --seed 3' 'href="#ev-' 'P(lasting deal' \
                '50% interval' 'Wilson'; do
        grep -qF "$want" "$OUT/war.html" || fail "war report: missing $want"
    done
    "$PARLEY" report "$WAR" --runs 120 --tornado-runs 30 --seed 3 --threads 2 -o "$OUT/war2.html"
    cmp -s "$OUT/war.html" "$OUT/war2.html" || fail "war report: threads change the bytes"
    "$PARLEY" report "$WAR" --no-war -o "$OUT/nowar.html"
    ! grep -q 'id="deal"' "$OUT/nowar.html" || fail "--no-war still draws the fan chart"
    for bad in "--runs 0" "--runs x" "--tornado-runs 0" "--tornado-runs" "--seed -1" \
               "--max-states 0"; do
        # shellcheck disable=SC2086
        if "$PARLEY" report "$WAR" $bad -o "$OUT/bad.html" 2>/dev/null; then
            fail "report $bad: no error"
        fi
        [ ! -e "$OUT/bad.html" ] || fail "report $bad wrote output"
    done
    echo "war report ok: $OUT/war.html ($nw charts)"
fi
# The GMCR state graph, on a scenario with a conflict: section (its
# simulation, if any, skipped: it is checked above).
if [ -n "$CONFLICT" ]; then
    "$PARLEY" report "$CONFLICT" --no-war --no-timeline -o "$OUT/gmcr.html" ||
        fail "parley report on $CONFLICT exited $?"
    ng=$(svg_ok "$OUT/gmcr.html" "$OUT/gmcr")
    [ "$(section_svg "$OUT/gmcr.html" gmcr)" -eq 1 ] || fail "no GMCR state graph"
    for want in 'class="gm-state"' 'status quo' 'Nash' 'SEQ&amp;SIM' 'marker-end="url(#gm-arrow-' \
                'parley stability' 'are drawn'; do
        grep -qF "$want" "$OUT/gmcr.html" || fail "gmcr report: missing $want"
    done
    nodes=$(grep -o 'class="gm-state"' "$OUT/gmcr.html" | wc -l)
    [ "$nodes" -ge 2 ] && [ "$nodes" -le 24 ] || fail "gmcr report: $nodes states drawn"
    "$PARLEY" report "$CONFLICT" --no-war --no-timeline --max-states 8 -o "$OUT/gmcr8.html"
    nodes=$(grep -o 'class="gm-state"' "$OUT/gmcr8.html" | wc -l)
    [ "$nodes" -le 8 ] || fail "--max-states 8 drew $nodes states"
    "$PARLEY" report "$CONFLICT" --no-war --no-timeline --no-gmcr -o "$OUT/nogmcr.html"
    ! grep -q 'id="gmcr"' "$OUT/nogmcr.html" || fail "--no-gmcr still draws the graph"
    echo "gmcr report ok: $OUT/gmcr.html ($ng charts)"
fi

CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -n "$CHROMIUM" ]; then
    prof=$(mktemp -d)
    timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$prof" --window-size=1400,1800 \
        --screenshot="$OUT/report.png" "file://$OUT/report.html" >/dev/null 2>&1 || true
    test -s "$OUT/report.png" || fail "no screenshot"
    echo "screenshot: $OUT/report.png"
    for r in war gmcr; do
        [ -s "$OUT/$r.html" ] || continue
        timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic \
            --no-first-run --disable-background-networking --disable-component-update \
            --disable-sync --user-data-dir="$prof" --window-size=1400,4000 \
            --screenshot="$OUT/$r.png" "file://$OUT/$r.html" >/dev/null 2>&1 || true
        test -s "$OUT/$r.png" || fail "no screenshot of $r.html"
        echo "screenshot: $OUT/$r.png"
    done
    rm -rf "$prof"
else
    echo "chromium not installed: screenshot skipped"
fi
echo "report ok: $OUT/report.html ($n charts)"
