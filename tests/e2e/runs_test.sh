#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The run store: runs recorded with hash, as-of and result; list, show and
# diff; a run killed midway stays marked incomplete and the database stays
# consistent (SQLite integrity check).
# Usage: runs_test.sh PARLEY SCENARIO SLOW_SCENARIO OUTDIR
set -u
PARLEY=$1 SCN=$2 SLOW=$3 OUT=$4
fail() { echo "FAIL: $*" >&2; exit 1; }
rm -rf "$OUT"
mkdir -p "$OUT"
DB="$OUT/sub/dir/runs.db"   # parent directories are created

"$PARLEY" evaluate "$SCN" --json --db "$DB" > /dev/null || fail "evaluate 1"
"$PARLEY" evaluate "$SCN" --json --as-of 2025-02-01 --db "$DB" > /dev/null || fail "evaluate 2"
"$PARLEY" zopa /nonexistent.yaml --db "$DB" 2> /dev/null && fail "zopa should fail"
"$PARLEY" evaluate "$SCN" --no-db > /dev/null || fail "--no-db"
"$PARLEY" runs list --db "$DB" > "$OUT/list.txt" || fail "runs list"
cat "$OUT/list.txt"
[ "$(grep -c '^ *[0-9]' "$OUT/list.txt")" = 3 ] || fail "expected 3 runs"
grep -q ' failed ' "$OUT/list.txt" || fail "the failed run is not marked failed"
HASH=$("$PARLEY" check "$SCN" --json 2>/dev/null | sed -n 's/.*"hash": "\([0-9a-f]*\)".*/\1/p' | head -1)
[ -z "$HASH" ] || grep -q "$HASH" "$OUT/list.txt" || fail "scenario hash $HASH not recorded"
"$PARLEY" runs show 2 --db "$DB" > "$OUT/show.txt" || fail "runs show"
grep -q '^as_of *2025-02-01' "$OUT/show.txt" || fail "as_of not recorded"
grep -q '"proposals"' "$OUT/show.txt" || fail "result not recorded"
"$PARLEY" runs diff 1 2 --db "$DB" > "$OUT/diff.txt" || fail "runs diff"
cat "$OUT/diff.txt" | head -8
grep -q 'as_of' "$OUT/diff.txt" || fail "diff does not show as_of"
grep -q 'results differ' "$OUT/diff.txt" || fail "diff does not compare results"
"$PARLEY" runs show 99 --db "$DB" 2> /dev/null && fail "unknown id accepted"
"$PARLEY" runs bogus --db "$DB" 2> /dev/null && fail "unknown subcommand accepted"

# Kill a slow run midway: the exact ZOPA count of a synthetic space of 10^16
# packages (16 issues of 10 options, 4 parties) runs far longer than this.
if [ -n "$SLOW" ]; then
    SLOW="$OUT/slow.yaml"
    awk 'BEGIN {
        print "parley: 1"; print "scenario: {id: slow, name: Slow}"; print "actors:"
        for (p = 0; p < 4; p++) printf "  - {id: p%d, name: P%d, role: party, veto: true, reservation: 50}\n", p, p
        print "issues:"
        for (i = 0; i < 16; i++) {
            printf "  - {id: i%d, name: I%d, status_quo: o0, options: [", i, i
            for (o = 0; o < 10; o++) printf "%s{id: o%d, position: %d}", (o ? ", " : ""), o, o * 10
            print "]}"
        }
        print "preferences:"
        for (p = 0; p < 4; p++) {
            printf "  p%d:\n    weights: {", p
            for (i = 0; i < 16; i++) printf "%si%d: %d", (i ? ", " : ""), i, 1 + (i * 7 + p * 3) % 9
            print "}"; print "    scores:"
            for (i = 0; i < 16; i++) {
                printf "      i%d: [", i
                for (o = 0; o < 10; o++) printf "%s%d", (o ? ", " : ""), ((o * 37 + i * 11 + p * 53) % 101)
                print "]"
            }
        }
    }' > "$SLOW"
    "$PARLEY" zopa "$SLOW" --db "$DB" > /dev/null 2>&1 &
    PID=$!
    sleep 1.5
    kill -9 "$PID" 2> /dev/null
    wait "$PID" 2> /dev/null
    "$PARLEY" runs list --db "$DB" > "$OUT/list2.txt" || fail "runs list after kill"
    head -2 "$OUT/list2.txt"
    sed -n 2p "$OUT/list2.txt" | grep -q 'incomplete' || fail "the killed run is not incomplete"
    # The store still takes new runs.
    "$PARLEY" evaluate "$SCN" --db "$DB" > /dev/null || fail "evaluate after kill"
fi
if command -v sqlite3 > /dev/null; then
    [ "$(sqlite3 "$DB" 'PRAGMA integrity_check')" = ok ] || fail "integrity check"
    [ "$(sqlite3 "$DB" 'PRAGMA journal_mode')" = wal ] || fail "not in WAL mode"
elif command -v python3 > /dev/null; then
    python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); assert c.execute('PRAGMA integrity_check').fetchone()[0]=='ok'; assert c.execute('PRAGMA journal_mode').fetchone()[0]=='wal'" "$DB" || fail "integrity check"
fi
echo "runs ok"
