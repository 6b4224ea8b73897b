#!/usr/bin/env bash
# `make prometheus`: make sure a Prometheus binary is available (Debian's package),
# and print its path. Idempotent: does nothing when `prometheus` is already on PATH
# or PROMETHEUS_BIN names an executable. Needs root (or sudo) only to install.
# The package's service is not started here: genload starts its own Prometheus
# on loopback with a temporary data dir (see deploy/README.md).
set -euo pipefail

if [ -n "${PROMETHEUS_BIN:-}" ] && [ -x "$PROMETHEUS_BIN" ]; then
  echo "$PROMETHEUS_BIN"
  exit 0
fi
if found="$(command -v prometheus)"; then
  echo "$found"
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then sudo=(); elif command -v sudo >/dev/null; then sudo=(sudo); else
  echo "prometheus: not installed, and installing it needs root; run: apt-get install -y prometheus" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null; then
  echo "prometheus: not installed and apt-get is missing; install Prometheus 2.x and put it on PATH (or set PROMETHEUS_BIN)" >&2
  exit 1
fi
echo "prometheus: installing Debian's package (once)" >&2
# policy-rc.d 101 keeps the package from starting its system service during the install
policy=/usr/sbin/policy-rc.d
own_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
  "${sudo[@]}" chmod +x "$policy"
  own_policy=1
fi
cleanup() { if [ "$own_policy" -eq 1 ]; then "${sudo[@]}" rm -f "$policy"; fi; }
trap cleanup EXIT
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq >&2
"${sudo[@]}" apt-get install -y -qq --no-install-recommends prometheus >&2
command -v prometheus
