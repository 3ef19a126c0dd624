#!/usr/bin/env bash
# A short run of every fuzz target (cargo-fuzz on stable, no sanitizer), seeded with the corpus.
set -euo pipefail
if ! command -v cargo-fuzz >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked --version 0.13.1 >/dev/null 2>&1 || cargo install cargo-fuzz --locked
fi
secs=${FUZZ_SECONDS:-15}
cd fuzz
for target in $(cargo fuzz list); do
  mkdir -p "corpus/$target"
  echo "fuzz: $target for ${secs}s"
  cargo fuzz run -s none "$target" "corpus/$target" -- -max_total_time="$secs" -rss_limit_mb=2048 2>&1 | tail -n 3
done
