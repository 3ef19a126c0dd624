#!/usr/bin/env bash
# Every Rust test of the workspace (unit, integration against openssl/keytool, proptest).
set -euo pipefail
cargo test --workspace --locked
