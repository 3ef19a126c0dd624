#!/usr/bin/env bash
# Regenerates the certificates the fetch tests serve with `openssl s_server` on 127.0.0.1.
# Run from anywhere: bash tests/data/fetch/gen.sh (OpenSSL 3).
#
#   root.pem            "CCE Test Root" (RSA 2048, self-signed CA)
#   intermediate.pem    "CCE Test Issuing CA" (RSA 2048, signed by the root)
#   leaf.pem/.key       "localhost" (RSA 2048, SAN DNS:localhost, IP:127.0.0.1, serverAuth),
#                       signed by the intermediate: the chain a CA-signed IIS presents
#   sni.pem/.key        "finesse.cce.test" (ECDSA P-256, self-signed): what the SNI-requiring
#                       server presents only to clients that ask for that name
#
# The private keys are test keys for loopback servers and nothing else.
set -euo pipefail
cd "$(dirname "$0")"
days=3650
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/root.key" -out root.pem -days $days \
  -subj "/O=ccetrust tests/CN=CCE Test Root" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"

openssl req -new -newkey rsa:2048 -nodes -keyout "$tmp/int.key" -out "$tmp/int.csr" \
  -subj "/O=ccetrust tests/CN=CCE Test Issuing CA"
openssl x509 -req -in "$tmp/int.csr" -CA root.pem -CAkey "$tmp/root.key" -CAcreateserial \
  -out intermediate.pem -days $days -sha256 \
  -extfile <(printf 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n')

openssl req -new -newkey rsa:2048 -nodes -keyout leaf.key -out "$tmp/leaf.csr" \
  -subj "/O=ccetrust tests/CN=localhost"
openssl x509 -req -in "$tmp/leaf.csr" -CA intermediate.pem -CAkey "$tmp/int.key" -CAcreateserial \
  -out leaf.pem -days $days -sha256 \
  -extfile <(printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n')

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout sni.key -out sni.pem \
  -days $days -subj "/CN=finesse.cce.test" -addext "subjectAltName=DNS:finesse.cce.test"

rm -f ./*.srl
