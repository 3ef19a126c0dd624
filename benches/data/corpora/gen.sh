#!/usr/bin/env bash
# The two corpora of issue 17's inspect figures, made with the OpenSSL 3 CLI and keytool:
#
#   gen.sh COUNT DIR   DIR/leaves.pem: COUNT RSA-2048 server certificates of about 1,278 bytes
#                      (five-attribute subject, three DNS SANs and an IP, AIA, CRL DP,
#                      certificate policy, EKU) under DIR/ica.pem (RSA-2048) under
#                      DIR/root.pem (RSA-4096); leaves share a pool of 16 keys.
#                      DIR/roots.pem: certifi's bundle (python3 -m certifi) followed by the
#                      JDK's cacerts (keytool -list -rfc, password changeit).
#
# `benches/benches/inspect_corpora.rs` runs it into target/bench-data/ on first use (about a
# minute for 10,000 leaves on 2 cores).
set -euo pipefail
count=${1:-100}
out=${2:-.}
mkdir -p "$out"
cd "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
openssl req -x509 -newkey rsa:4096 -nodes -sha256 -days 7300 -keyout "$work/root.key" -out root.pem \
  -subj "/C=US/O=Example Corp/CN=Example Root CA 2026" -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" -addext "subjectKeyIdentifier=hash" 2>/dev/null
openssl req -new -newkey rsa:2048 -nodes -keyout "$work/ica.key" -out "$work/ica.csr" \
  -subj "/C=US/O=Example Corp/OU=PKI/CN=Example Issuing CA 2" 2>/dev/null
printf 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n' > "$work/ica.cnf"
openssl x509 -req -in "$work/ica.csr" -CA root.pem -CAkey "$work/root.key" -set_serial 2 -days 7000 \
  -sha256 -extfile "$work/ica.cnf" -out ica.pem 2>/dev/null
for k in $(seq 0 15); do
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/leaf$k.key" 2>/dev/null
done
leaf() {
  local i=$1 work=$2 dir=$3 n=$((10#$1))
  local host="agent$i.cc.example.local"
  openssl req -new -x509 -key "$work/leaf$((n % 16)).key" -CA "$dir/ica.pem" -CAkey "$work/ica.key" \
    -subj "/C=US/L=Boston/O=Example Corp/OU=Contact Center Operations/CN=$host" \
    -days 825 -sha256 -set_serial "$((n + 0x10000000))" \
    -addext "basicConstraints=critical,CA:FALSE" \
    -addext "keyUsage=critical,digitalSignature,keyEncipherment" \
    -addext "extendedKeyUsage=serverAuth,clientAuth" \
    -addext "subjectAltName=DNS:$host,DNS:finesse$i.cc.example.local,DNS:cuic$i.cc.example.local,IP:10.20.$((n / 250 % 250)).$((n % 250 + 1))" \
    -addext "authorityInfoAccess=caIssuers;URI:http://pki.example.local/issuing-ca-2.crt,OCSP;URI:http://ocsp.example/" \
    -addext "crlDistributionPoints=URI:http://pki.example.local/crl/issuing-ca-2.crl" \
    -addext "certificatePolicies=1.3.6.1.4.1.99999.1.2.3" \
    -out "$work/leaf-$i.pem" 2>/dev/null
}
export -f leaf
seq -w 1 "$count" | xargs -P "$(nproc 2>/dev/null || echo 2)" -I{} bash -c 'leaf "$@"' _ {} "$work" "$PWD"
for i in $(seq -w 1 "$count"); do cat "$work/leaf-$i.pem"; done > leaves.pem
bundle=$(python3 -m certifi)
cat "$bundle" > roots.pem
keytool -list -rfc -keystore "${JDK_CACERTS:-/etc/ssl/certs/java/cacerts}" -storepass changeit 2>/dev/null \
  | sed -n '/-----BEGIN CERTIFICATE-----/,/-----END CERTIFICATE-----/p' >> roots.pem
echo "leaves: $(grep -c BEGIN leaves.pem), roots: $(grep -c BEGIN roots.pem)"
