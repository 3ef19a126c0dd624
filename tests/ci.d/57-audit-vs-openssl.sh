#!/usr/bin/env bash
# Every relationship of every example's audit judged again by `openssl verify` on the same
# files (stores extracted with keytool or read as files, never by ccetrust): trusted <=> openssl
# says OK, documented disagreements named per edge (tests/audit_vs_openssl.py). Under CI=true a
# missing openssl or keytool fails the stage.
set -euo pipefail
cargo build --release -q -p ccetrust-core --bin ccetrust
python3 tests/audit_vs_openssl.py ./target/release/ccetrust examples
