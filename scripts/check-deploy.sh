#!/usr/bin/env bash
# Checks the deployment files in deploy/ against the binary they deploy:
#   scripts/check-deploy.sh BUILD_DIR
# - the systemd unit passes `systemd-analyze verify` (ExecStart pointed at the built binary);
# - the Kubernetes manifest parses as YAML, and its probes name endpoints the admin API
#   serves and the port the image's CACHET_ADMIN opens;
# - every CACHET_* variable the Containerfile, the manifest and the unit set is one the
#   binary documents in --help (so a renamed flag cannot leave a deployment file behind).
# Building the image itself (deploy/build-image.sh, podman) takes minutes and is not run here.
set -uo pipefail
cd "$(dirname "$0")/.."
build=${1:?usage: scripts/check-deploy.sh BUILD_DIR}
binary=$build/cachet
failed=0
fail() { echo "check-deploy: $*"; failed=1; }

scripts/setup.sh systemd >/dev/null 2>&1 || true
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sed -e "s|^ExecStart=.*|ExecStart=$PWD/$binary|" -e "s|^EnvironmentFile=|EnvironmentFile=-|" \
    deploy/systemd/cachet.service >"$work/cachet.service"
if command -v systemd-analyze >/dev/null; then
    out=$(systemd-analyze verify "$work/cachet.service" 2>&1) || fail "systemd unit: $out"
    [ -n "$out" ] && fail "systemd unit: $out"
else
    fail "systemd-analyze is not installed"
fi

manifest=deploy/kubernetes/sidecar.yaml
if python3 -c "import yaml" 2>/dev/null; then
    python3 - "$manifest" <<'PY' || fail "$manifest does not parse as YAML"
import sys, yaml
list(yaml.safe_load_all(open(sys.argv[1])))
PY
fi
grep -q "path: /readyz" "$manifest" || fail "$manifest: no readiness probe on /readyz"
grep -q "path: /healthz" "$manifest" || fail "$manifest: no liveness probe on /healthz"

help=$("$binary" --help)
for var in $(grep -ohE 'CACHET_[A-Z_]+' deploy/Containerfile "$manifest" deploy/systemd/cachet.service | sort -u); do
    grep -qw "$var" <<<"$help" || fail "$var is set in deploy/ but cachet --help does not know it"
done
[ $failed -eq 0 ] && echo "deploy files: ok"
exit $failed
