#!/bin/sh
# Install what parley needs to build and test, from Debian packages, if it is
# missing. Safe to run again: it installs nothing when everything is present.
# Needs root (or sudo) only when something must be installed.
set -eu

PACKAGES="build-essential cmake pkgconf git clang-14 libclang-rt-14-dev \
libfyaml-dev libjansson-dev libcmocka-dev libxml2-dev \
libgsl-dev libopenmpi-dev openmpi-bin \
libmicrohttpd-dev libsqlite3-dev libxml2-utils python3 chromium nodejs"

missing=""
for p in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
# npm: Debian's package, unless a Node.js build that bundles npm (e.g.
# NodeSource's, which conflicts with Debian's npm) is already there.
if ! command -v npm >/dev/null 2>&1; then
    missing="$missing npm"
fi
if [ -n "$missing" ]; then
    echo "parley setup: installing$missing" >&2
    SUDO=""
    if [ "$(id -u)" != 0 ]; then
        SUDO="sudo"
    fi
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    # shellcheck disable=SC2086
    $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

# The browser test drives Debian's chromium with playwright-core from npm,
# installed into the project (tests/e2e/node_modules, git-ignored) at the
# version pinned in tests/e2e/package-lock.json. playwright-core downloads no
# browser of its own.
E2E="$(cd "$(dirname "$0")/.." && pwd)/tests/e2e"
if [ -f "$E2E/package-lock.json" ] && [ ! -d "$E2E/node_modules/playwright-core" ] &&
    command -v npm >/dev/null 2>&1; then
    echo "parley setup: installing playwright-core into tests/e2e/node_modules" >&2
    (cd "$E2E" && npm ci --no-audit --no-fund --silent)
fi
