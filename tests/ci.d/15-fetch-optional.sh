#!/usr/bin/env bash
# The network capture is optional: the library builds (and lints) without the `fetch` feature,
# and with `fetch` alone (no CLI). The fetch tests themselves run in 20-rust-tests
# (tests/fetch.rs starts openssl s_server and listeners on 127.0.0.1 only).
set -euo pipefail
cargo clippy -p ccetrust-core --lib --no-default-features --locked -- -D warnings
cargo clippy -p ccetrust-core --lib --no-default-features --features fetch --locked -- -D warnings
if cargo tree -p ccetrust-core --no-default-features -e normal --locked | grep -qE '^.*(rustls|ring) v'; then
  echo "rustls/ring is linked without the fetch feature" >&2
  exit 1
fi
