#!/usr/bin/env bash
# Fixtures of `ccetrust inspect --diff` (ccetrust-core/tests/cce_ops.rs): a lab CA, a CVP
# server's certificate it issued, and that certificate's renewal a year later as a CA renews:
# a new key, one more SAN, clientAuth added to the EKU, a new validity, the same issuer and
# subject. `chain-*.pem` hold the leaf then the CA, as a server sends them. Run from this folder.
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/ca.key" -out ca.pem -days 3650 \
  -subj "/O=Lab/CN=LAB Issuing CA" -sha256 \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
issue() { # name key days san eku
  openssl req -new -key "$tmp/$2" -subj "/O=Lab/CN=cvpa.lab.example.com" -out "$tmp/$1.csr"
  printf 'subjectAltName=%s\nextendedKeyUsage=%s\nkeyUsage=critical,digitalSignature,keyEncipherment\n' "$4" "$5" >"$tmp/$1.ext"
  openssl x509 -req -in "$tmp/$1.csr" -CA ca.pem -CAkey "$tmp/ca.key" -CAcreateserial \
    -days "$3" -sha256 -extfile "$tmp/$1.ext" -out "$1.pem" 2>/dev/null
  cat "$1.pem" ca.pem >"chain-$1.pem"
}
openssl genrsa -out "$tmp/old.key" 2048 2>/dev/null
openssl genrsa -out "$tmp/new.key" 2048 2>/dev/null
issue cvpa-2025 old.key 365 "DNS:cvpa.lab.example.com" "serverAuth"
issue cvpa-2026 new.key 730 "DNS:cvpa.lab.example.com,DNS:cvpa" "serverAuth,clientAuth"
rm -f ca.srl
