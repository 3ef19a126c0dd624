#!/usr/bin/env bash
# The command-line tools the tests run that a fresh machine lacks: Graphviz (`dot`, the DOT
# render check in cce_cli and 55-cce). Installed from Debian's packages when missing; under
# CI=true the tests that need a missing tool fail, so a failed install shows there.
# (MinGW is installed by 12-windows-check, Chromium by 58-ops, Python packages by 50-python.)
set -euo pipefail
need=()
command -v dot >/dev/null 2>&1 || need+=(graphviz)
if [ ${#need[@]} -eq 0 ]; then
  echo "tools: graphviz present"
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "tools: installing ${need[*]} with apt-get"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >/tmp/ccetrust-tools-apt.log 2>&1 ||
    { apt-get update -q >>/tmp/ccetrust-tools-apt.log 2>&1 &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >>/tmp/ccetrust-tools-apt.log 2>&1; } ||
    echo "tools: apt-get install ${need[*]} failed (see /tmp/ccetrust-tools-apt.log)" >&2
else
  echo "tools: ${need[*]} missing and cannot be installed here (not root or no apt-get)" >&2
fi
