#!/usr/bin/env bash
# Builds the cachet image with podman. Where docker.io cannot be reached, it first makes a
# local Debian 12 base image with debootstrap (from the Debian mirror apt already uses) and
# builds on that.
#   deploy/build-image.sh [TAG]        (default tag: cachet)
set -euo pipefail
cd "$(dirname "$0")/.."
tag=${1:-cachet}
scripts/setup.sh podman
base=docker.io/library/debian:bookworm-slim
if ! podman image exists "$base" && ! timeout 60 podman pull -q "$base" >/dev/null 2>&1; then
    base=localhost/cachet-debian-base:bookworm
    if ! podman image exists "$base"; then
        scripts/setup.sh debootstrap
        rootfs=$(mktemp -d)
        trap 'rm -rf "$rootfs"' EXIT
        # The mirror apt uses (a URIs: line, or a deb line), else Debian's own.
        mirror=$(grep -rhE '^(URIs:|deb) ' /etc/apt/sources.list /etc/apt/sources.list.d/ \
                 2>/dev/null | grep -oE 'https?://[^ ]+/debian' | head -1 || true)
        mirror=${mirror:-http://deb.debian.org/debian}
        debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >/dev/null
        tar -C "$rootfs" -c . | podman import - "$base" >/dev/null
    fi
fi
# chroot isolation: RUN steps without an OCI runtime, which some hosts (cgroups in hybrid
# mode, nested sandboxes) cannot start; the image is the same.
isolation=${CACHET_BUILD_ISOLATION:-chroot}
podman build --isolation "$isolation" --build-arg BASE="$base" -f deploy/Containerfile -t "$tag" .
echo "built $tag on $base"
