#!/usr/bin/env bash
# Installs the Debian packages cachet needs to build and test, only those missing.
# Usage: scripts/setup.sh [extra-package ...]
set -euo pipefail

packages=(g++ meson ninja-build pkg-config libuv1-dev node-llhttp libsimdjson-dev
          libxxhash-dev libjemalloc-dev doctest-dev libexpected-dev libssl-dev openssl
          ca-certificates "$@")

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "setup: installing ${missing[*]}" >&2
sudo_cmd=()
[ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
