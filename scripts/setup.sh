#!/bin/sh
# Install what parley needs to build and test, from Debian packages, if it is
# missing. Safe to run again: it installs nothing when everything is present.
# Needs root (or sudo) only when something must be installed.
set -eu

PACKAGES="build-essential cmake pkgconf git clang-14 libclang-rt-14-dev \
libfyaml-dev libjansson-dev libcmocka-dev"

missing=""
for p in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
if [ -z "$missing" ]; then
    exit 0
fi
echo "parley setup: installing$missing" >&2
SUDO=""
if [ "$(id -u)" != 0 ]; then
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
