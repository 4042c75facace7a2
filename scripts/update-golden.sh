#!/bin/sh
# Regenerate the golden outputs of tests/golden/ from a build in ./build (or the
# binary $PARLEY names), after an intended change of output. Review
# `git diff tests/golden` before committing.
set -eu
cd "$(dirname "$0")/.."
P=${PARLEY:-./build/cli/parley}
$P evaluate scenarios/donbas-2025.yaml --json > tests/golden/donbas-evaluate.json
$P solve scenarios/donbas-2025.yaml --json --as-of 2025-12-31 > tests/golden/donbas-solve-2025-12-31.json
