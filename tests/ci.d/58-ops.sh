#!/usr/bin/env bash
# Operations outputs checked by the tools that read them: `audit --format prometheus` of every
# example through prometheus_client's reference parser (in the same venv 50-python makes), and
# `audit --format html` opened in a real headless Chromium (installed with apt-get when
# missing). Under CI=true a missing tool fails the stage; elsewhere it is skipped with a reason.
# The diff and `inspect --diff` proofs are Rust tests (cce_ops) run in 20-rust-tests.
set -euo pipefail
root=$(pwd)
venv=${CCETRUST_VENV:-$root/.venv}
py=${PYTHON:-python3}
cargo build -q -p ccetrust-core
bin=$root/target/debug/ccetrust

if [ ! -x "$venv/bin/python" ]; then
  if ! "$py" -m venv "$venv" 2>/dev/null; then
    rm -rf "$venv"
    "$py" -m venv --without-pip "$venv"
    "$py" -m pip --python "$venv/bin/python" install --quiet --disable-pip-version-check pip
  fi
fi
if ! "$venv/bin/python" -m pip install --quiet --disable-pip-version-check 'prometheus_client>=0.20'; then
  echo "ops: could not install prometheus_client into $venv" >&2
  [ "${CI:-}" = true ] && exit 1
fi
"$venv/bin/python" tests/ops/check_prometheus.py "$bin" examples

# Headless Chromium (Debian's package) for the HTML report.
if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1; then
    echo "ops: installing chromium with apt-get"
    { apt-get update -q && apt-get install -y -q chromium; } >/tmp/ccetrust-ops-apt.log 2>&1 \
      || echo "ops: apt-get install chromium failed (see /tmp/ccetrust-ops-apt.log)" >&2
  fi
fi
"$venv/bin/python" tests/ops/check_html.py "$bin" examples target/ops
echo "ops: screenshot of the 300-host report: target/ops/report-300.png"
