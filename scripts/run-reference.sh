#!/bin/sh
# Set up, build, and run parley's main job on the bundled reference scenario
# (the 2025-26 US-Ukraine-Russia talks over Donbas): every proposal on the
# table, every party's verdict and the reasons. Extra arguments are passed on,
# e.g. scripts/run-reference.sh --json, or --as-of 2025-12-31.
set -eu
cd "$(dirname "$0")/.."
sh scripts/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DPARLEY_TESTS=OFF -DPARLEY_BENCH=OFF >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
exec ./build/cli/parley evaluate scenarios/donbas-2025.yaml "$@"
