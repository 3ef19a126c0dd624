#!/usr/bin/env bash
# Makes chain-bench inputs with the OpenSSL 3 CLI: one RSA-2048 root, one RSA-2048 issuing
# CA, and COUNT RSA-2048 server certificates under it (SAN, serverAuth EKU, AKI), each with
# its own serial, name and signature. Leaves share a pool of 16 keys (a leaf's own key plays
# no part in verifying its chain; the issuer's signature over it does).
#
#   gen.sh                 100 leaves here (committed; `examples/profile_chain.rs` uses them)
#   gen.sh 10000 DIR       10,000 leaves in DIR (the criterion bench makes these under
#                          target/ on first run: about a minute on 2 cores)
set -euo pipefail
count=${1:-100}
out=${2:-$(dirname "$0")}
mkdir -p "$out"
cd "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rm -f root.pem ica.pem leaves.pem
openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 7300 -keyout "$work/root.key" -out root.pem \
  -subj "/O=Bench/CN=Bench Root" -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" -addext "subjectKeyIdentifier=hash" 2>/dev/null
openssl req -new -newkey rsa:2048 -nodes -keyout "$work/ica.key" -out "$work/ica.csr" \
  -subj "/O=Bench/CN=Bench Issuing CA" 2>/dev/null
printf 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n' > "$work/ica.cnf"
openssl x509 -req -in "$work/ica.csr" -CA root.pem -CAkey "$work/root.key" -set_serial 2 -days 7000 \
  -sha256 -extfile "$work/ica.cnf" -out ica.pem 2>/dev/null
for k in $(seq 0 15); do
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/leaf$k.key" 2>/dev/null
done
leaf() {
  local i=$1 work=$2 dir=$3
  openssl req -new -x509 -key "$work/leaf$((10#$i % 16)).key" -CA "$dir/ica.pem" -CAkey "$work/ica.key" \
    -subj "/O=Bench/CN=agent$i.example.local" -days 3650 -sha256 -set_serial "$((10#$i + 1000))" \
    -addext "basicConstraints=critical,CA:FALSE" \
    -addext "keyUsage=critical,digitalSignature,keyEncipherment" \
    -addext "extendedKeyUsage=serverAuth" -addext "subjectAltName=DNS:agent$i.example.local" \
    -out "$work/leaf-$i.pem" 2>/dev/null
}
export -f leaf
seq -w 1 "$count" | xargs -P "$(nproc 2>/dev/null || echo 2)" -I{} bash -c 'leaf "$@"' _ {} "$work" "$PWD"
for i in $(seq -w 1 "$count"); do cat "$work/leaf-$i.pem"; done > leaves.pem
grep -c BEGIN leaves.pem
