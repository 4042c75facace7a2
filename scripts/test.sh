#!/bin/sh
# Set up, build and run the whole test suite, the way CI does:
#   1. gcc 12, warnings as errors: unit, golden, CLI and bad-input tests
#   2. clang 14, the same
#   3. AddressSanitizer + UndefinedBehaviorSanitizer build, the same tests
#   4. libFuzzer targets (clang 14) on their seed corpora, time-boxed
# Set PARLEY_FUZZ_SECONDS to change the fuzzing time per target (default 60).
set -eu
cd "$(dirname "$0")/.."
sh scripts/setup.sh
JOBS=$(nproc)
# libfyaml's own leak (fuzz/lsan.supp) must not fail parley's runs.
export LSAN_OPTIONS="suppressions=$(pwd)/fuzz/lsan.supp:print_suppressions=0"

# The loader's fuzzer runs at least 60 s; the other readers half as long.
FUZZ_SECONDS=${PARLEY_FUZZ_SECONDS:-60}

step() { printf '\n== %s\n' "$*"; }

run_suite() { # name, cmake args...
    name=$1; shift
    step "$name: configure and build"
    cmake -S . -B "build-test/$name" -DPARLEY_BENCH=ON "$@" >/dev/null
    cmake --build "build-test/$name" -j"$JOBS" >/dev/null
    step "$name: ctest"
    log="build-test/$name.ctest.log"
    if ! ctest --test-dir "build-test/$name" -j"$JOBS" --output-on-failure > "$log" 2>&1; then
        cat "$log"
        echo "$name: tests failed" >&2
        exit 1
    fi
    cat "$log"
    n=$(sed -n 's/.* tests failed out of \([0-9]*\)$/\1/p' "$log" | tail -n 1)
    k=$(grep -c '(Skipped)' "$log" || true)
    TOTAL=$((TOTAL + ${n:-0} - ${k:-0}))
    SKIPPED=$((SKIPPED + ${k:-0}))
}
TOTAL=0
SKIPPED=0

CC=gcc-12 run_suite gcc -DCMAKE_BUILD_TYPE=RelWithDebInfo
CC=clang-14 run_suite clang -DCMAKE_BUILD_TYPE=RelWithDebInfo
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    CC=clang-14 run_suite sanitize -DCMAKE_BUILD_TYPE=Debug -DPARLEY_SANITIZE=ON

if [ "$FUZZ_SECONDS" -gt 0 ]; then
    step "fuzz: build"
    CC=clang-14 cmake -S . -B build-test/fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPARLEY_FUZZ=ON \
        -DPARLEY_SANITIZE=ON -DPARLEY_TESTS=OFF -DPARLEY_BENCH=OFF >/dev/null
    cmake --build build-test/fuzz -j"$JOBS" >/dev/null
    for f in build-test/fuzz/fuzz/fuzz_*; do
        [ -x "$f" ] || continue
        t=$(basename "$f")
        corpus=fuzz/corpus/${t#fuzz_}
        work=build-test/fuzz/corpus-${t#fuzz_}
        rm -rf "$work"; mkdir -p "$work"
        dict=""
        [ -f "fuzz/${t#fuzz_}.dict" ] && dict="-dict=fuzz/${t#fuzz_}.dict"
        secs=$FUZZ_SECONDS
        [ "$t" = fuzz_load ] || secs=$(( (FUZZ_SECONDS + 1) / 2 ))
        step "fuzz: $t for ${secs}s"
        log=build-test/fuzz/$t.log
        # shellcheck disable=SC2086
        if ! "$f" -max_total_time="$secs" -max_len=16384 -timeout=10 -rss_limit_mb=2048 \
            -print_final_stats=1 -artifact_prefix=build-test/fuzz/ $dict "$work" "$corpus" \
            >"$log" 2>&1; then
            tail -n 60 "$log"
            echo "fuzz: $t FAILED (reproducer in build-test/fuzz/)" >&2
            exit 1
        fi
        tail -n 8 "$log"
    done
fi
step "all tests passed"
# One plain summary line for whoever reads the end of the log.
echo "tests: $TOTAL passed, 0 failed, $SKIPPED skipped"
