#!/bin/sh
# Set up, build, write the HTML report of the reference scenario to
# report.html, and open the local web app on it at http://127.0.0.1:8080/
# (Ctrl-C stops it). Extra arguments go to `parley serve`, e.g. --port 9000.
set -eu
cd "$(dirname "$0")/.."
sh scripts/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DPARLEY_TESTS=OFF -DPARLEY_BENCH=OFF >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
./build/cli/parley report scenarios/donbas-2025.yaml -o report.html
echo "wrote report.html"
exec ./build/cli/parley serve scenarios/donbas-2025.yaml "$@"
