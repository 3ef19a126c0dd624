#!/usr/bin/env bash
# Every test of ccetrust, from a fresh machine (Rust stable, Python 3.11 + pip, JDK 17, OpenSSL 3).
# Each stage is a script in tests/ci.d/, run in name order; the first failure stops the run.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never
# One-shot builds gain nothing from incremental state (4 GB in target/debug/incremental).
export CARGO_INCREMENTAL=0
start=$(date +%s)
for stage in tests/ci.d/*.sh; do
  echo "=== $(basename "$stage") ($(( $(date +%s) - start ))s) ==="
  bash "$stage"
done
echo "=== all stages passed in $(( $(date +%s) - start ))s ==="
