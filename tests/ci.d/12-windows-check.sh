#!/usr/bin/env bash
# Portability: the users' servers and jump hosts run Windows. Compile the library, the CLI
# and the tests for x86_64-pc-windows-gnu (cfg(windows) code paths, no Unix-only API), so a
# Unix-only call fails CI here rather than on a customer's AW server. The library alone needs
# only the target's standard library; the CLI's TLS stack (ring) also needs the MinGW C
# compiler, installed from Debian if missing.
set -euo pipefail
target=x86_64-pc-windows-gnu
if ! command -v rustup >/dev/null; then
  echo "windows-check: rustup not found; cannot add the $target standard library" >&2
  exit 1
fi
rustup target list --installed | grep -qx "$target" || rustup target add "$target"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target}/windows-check
echo "windows-check: library without default features"
cargo check --locked -q -p ccetrust-core --no-default-features --target "$target"
if ! command -v x86_64-w64-mingw32-gcc >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "windows-check: installing the MinGW C compiler (gcc-mingw-w64-x86-64) for ring"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q gcc-mingw-w64-x86-64 >/dev/null 2>&1 ||
      { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q gcc-mingw-w64-x86-64 >/dev/null; }
  else
    echo "windows-check: x86_64-w64-mingw32-gcc missing and cannot be installed here" >&2
    exit 1
  fi
fi
echo "windows-check: library, CLI (with fetch) and tests"
cargo check --locked -q -p ccetrust-core --all-targets --target "$target"
echo "windows-check: ok"
