#!/usr/bin/env bash
# The audit's network collection for `fetch = true` hosts. Built without the `fetch` feature,
# the library must still plan the connections and report the hosts as evidence.not-collected
# (saying the build lacks the feature) instead of connecting: the cce unit tests run in that
# build here. The loopback tests against openssl s_server (ccetrust-core/tests/cce_fetch.rs)
# run with the default features in 20-rust-tests.
set -euo pipefail
cargo test -p ccetrust-core --no-default-features --locked --lib cce::
