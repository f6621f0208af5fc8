#!/usr/bin/env bash
# Installs what the registry tests (test/registry, test/helpers/registry-server.ts) need:
#   - docker-registry: CNCF distribution 2.8, the real registry the tests start on 127.0.0.1;
#   - openssl: makes the self-signed certificate of the Bearer token service.
# Idempotent: does nothing when both are present. Needs root (CI and dev machines run as root).
#
# The package's postinst would start a system registry on :5000. The tests never use it
# (each suite starts its own on a free port), so we forbid service starts during the
# install with a temporary policy-rc.d, and stop/disable the service if it runs anyway.
set -euo pipefail

need=()
[ -x /usr/bin/docker-registry ] || need+=(docker-registry)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
if [ ${#need[@]} -eq 0 ]; then
  echo "install-registry: docker-registry and openssl already present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

# Forbid service starts during the install (exit 101 = "action not allowed"), unless a
# policy already exists, which we then leave alone.
created_policy=""
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
  $SUDO chmod +x /usr/sbin/policy-rc.d
  created_policy=1
fi
cleanup() { if [ -n "$created_policy" ]; then $SUDO rm -f /usr/sbin/policy-rc.d; fi; }
trap cleanup EXIT

echo "install-registry: installing ${need[*]}"
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${need[@]}"

# If a systemd is running, make sure the packaged service is neither running nor enabled.
if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
  $SUDO systemctl disable --now docker-registry.service >/dev/null 2>&1 || true
fi

/usr/bin/docker-registry --version
