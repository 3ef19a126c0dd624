#!/usr/bin/env bash
# 100 RSA-2048 contact-center leaf certificates signed by one issuing CA, as the inspect bench
# corpus (the bench varies their serials to make 10,000 distinct certificates). OpenSSL 3 CLI.
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 3650 -keyout "$tmp/ca.key" -out "$tmp/ca.pem" \
  -subj "/DC=local/DC=example/CN=Example Issuing CA" -addext "basicConstraints=critical,CA:TRUE" 2>/dev/null
openssl genrsa -out "$tmp/leaf.key" 2048 2>/dev/null
roles=(aw rgr pg cvp cvprpt finesse cuic ece vvb cucm)
: > leaves.pem
for i in $(seq 1 100); do
  role=${roles[$((i % 10))]}; side=$([ $((i % 2)) -eq 0 ] && echo a || echo b)
  fqdn="$role$i$side.cc.example.local"
  cat > "$tmp/ext.cnf" <<X
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth,clientAuth
subjectAltName=DNS:$fqdn,DNS:$role$i$side
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
authorityInfoAccess=caIssuers;URI:http://pki.example.local/issuing.crt
crlDistributionPoints=URI:http://pki.example.local/issuing.crl
X
  openssl req -new -key "$tmp/leaf.key" -subj "/C=US/O=Example/OU=Contact Center/CN=$fqdn" -out "$tmp/leaf.csr"
  openssl x509 -req -in "$tmp/leaf.csr" -CA "$tmp/ca.pem" -CAkey "$tmp/ca.key" -set_serial "$((100000 + i))" \
    -days 1095 -sha256 -extfile "$tmp/ext.cnf" 2>/dev/null >> leaves.pem
done
cp "$tmp/ca.pem" issuing-ca.pem
