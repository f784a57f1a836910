#!/usr/bin/env bash
# Installs the system programs the tests need when they are missing: Debian's Chromium for the
# Playwright tests, redis-server for the scale-out tests, nginx and HAProxy for the deployment
# tests (e2e/tests/deploy: they start them from deploy/ themselves, never as system services);
# also the color emoji font, without which headless Chromium draws the reactions as empty boxes
# in `pnpm screenshots` (not needed by any test, so only a warning where it cannot be installed).
# Needs root and apt (as on CI);
# elsewhere it says what to install instead.
set -euo pipefail

missing=()
if [ -z "${CHROMIUM_PATH:-}" ] && ! command -v chromium >/dev/null 2>&1; then missing+=(chromium); fi
if ! command -v redis-server >/dev/null 2>&1; then missing+=(redis-server); fi
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then missing+=(nginx); fi
if ! command -v haproxy >/dev/null 2>&1 && [ ! -x /usr/sbin/haproxy ]; then missing+=(haproxy); fi

if command -v fc-list >/dev/null 2>&1 && ! fc-list | grep -qi 'color emoji'; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    missing+=(fonts-noto-color-emoji)
  else
    echo "Note: no color emoji font; screenshots will show boxes (apt-get install fonts-noto-color-emoji)." >&2
  fi
fi
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing ${missing[*]} from apt…"
  apt-get update -qq
  # policy-rc.d exiting 101: do not start nginx or HAProxy as services on install (the tests start
  # their own). Only when there is no policy already, and removed again after.
  policy=/usr/sbin/policy-rc.d
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy"
    trap 'rm -f "$policy"' EXIT
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "Missing: ${missing[*]}." >&2
  echo "Chromium: apt-get install chromium, or set CHROMIUM_PATH, or run" >&2
  echo "  'pnpm --filter @cursorline/e2e exec playwright install chromium'." >&2
  echo "Redis: apt-get install redis-server (or your system's redis package)." >&2
  echo "nginx and HAProxy: apt-get install nginx haproxy (the tests start their own)." >&2
  exit 1
fi
