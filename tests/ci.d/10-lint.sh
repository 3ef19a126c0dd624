#!/usr/bin/env bash
# Formatting and lints: cargo fmt, clippy with -D warnings on every target.
set -euo pipefail
rustup component add rustfmt clippy >/dev/null 2>&1 || true
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings
