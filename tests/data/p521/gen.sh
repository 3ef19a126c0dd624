#!/usr/bin/env bash
# ECDSA P-521 fixtures (issue 17) made with the real OpenSSL 3 CLI: bash tests/data/p521/gen.sh.
# root.pem: a self-signed P-521 root signed with ecdsa-with-SHA512 (as certifi's P-521 roots);
# leaf.pem: a P-256 server certificate that root signs (SHA-512); leaf384.pem: the same root
# signing with SHA-384. Keys are deleted; only certificates are committed.
# certifi-p521.pem is not made here: it is copied from certifi's cacert.pem (the one root of
# certifi 2026.5.20 on secp521r1, "e-Szigno TLS Root CA 2023"), see README.md beside it.
set -euo pipefail
cd "$(dirname "$0")"
rm -f root.pem leaf.pem leaf384.pem ./*.key ./*.csr ./*.cnf ./*.srl
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-521 -nodes -sha512 -days 7300 \
  -keyout root.key -out root.pem -subj "/O=Example/CN=CCE Test P-521 Root" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -addext "subjectKeyIdentifier=hash" 2>/dev/null
printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" \
  "extendedKeyUsage=serverAuth" "subjectAltName=DNS:p521.example.local" \
  "subjectKeyIdentifier=hash" "authorityKeyIdentifier=keyid" > leaf.cnf
for pair in "leaf sha512" "leaf384 sha384"; do
  set -- $pair
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$1.key" \
    -out "$1.csr" -subj "/O=Example/CN=p521.example.local" 2>/dev/null
  openssl x509 -req -in "$1.csr" -CA root.pem -CAkey root.key -CAcreateserial -days 3650 \
    -"$2" -extfile leaf.cnf -out "$1.pem" 2>/dev/null
done
rm -f ./*.key ./*.csr ./*.cnf ./*.srl
