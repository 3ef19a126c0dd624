#!/usr/bin/env bash
# Regenerates the chain-bench inputs with the OpenSSL 3 CLI: one RSA-2048 root, one RSA-2048
# intermediate, and 100 RSA-2048 server certificates (each its own key) under it. The bench
# verifies leaf + intermediate against the root, 10,000 times over these 100 chains.
set -euo pipefail
cd "$(dirname "$0")"
rm -f ./*.pem ./*.key ./*.csr ./*.srl ./*.cnf
openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 7300 -keyout root.key -out root.pem \
  -subj "/O=Bench/CN=Bench Root" -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" -addext "subjectKeyIdentifier=hash" 2>/dev/null
openssl req -new -newkey rsa:2048 -nodes -keyout ica.key -out ica.csr -subj "/O=Bench/CN=Bench Issuing CA" 2>/dev/null
printf 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n' > ica.cnf
openssl x509 -req -in ica.csr -CA root.pem -CAkey root.key -CAcreateserial -days 7000 -sha256 \
  -extfile ica.cnf -out ica.pem 2>/dev/null
: > leaves.pem
for i in $(seq -w 1 100); do
  openssl req -new -newkey rsa:2048 -nodes -keyout leaf.key -out leaf.csr \
    -subj "/O=Bench/CN=agent$i.example.local" 2>/dev/null
  printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:agent%s.example.local\nauthorityKeyIdentifier=keyid\n' "$i" > leaf.cnf
  openssl x509 -req -in leaf.csr -CA ica.pem -CAkey ica.key -CAcreateserial -days 3650 -sha256 \
    -extfile leaf.cnf 2>/dev/null >> leaves.pem
done
rm -f ./*.key ./*.csr ./*.srl ./*.cnf
grep -c BEGIN leaves.pem
