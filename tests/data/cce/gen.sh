#!/usr/bin/env bash
# Certificates for the contact-center audit tests (ccetrust-core/tests/cce_*.rs), made by
# openssl 3. Domain t.example.com. Each file is named after the host and service it stands for;
# the `bad-*` ones break exactly one rule of CCE-TRUST.md §3 for host bad.t.example.com.
#
#   bash tests/data/cce/gen.sh
set -euo pipefail
cd "$(dirname "$0")"
D=t.example.com
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
only=${1:-}   # empty: everything; or one self-contained set: short-root, renewed-root
if [ -z "$only" ]; then rm -rf ss ca csr; fi
mkdir -p ss ca csr

# root_and_leaf TAG CN DAYS HOST ROOT_OUT LEAF_OUT: a self-contained RSA-2048 root (its own
# key and config) valid for DAYS, and a two-year IIS certificate for HOST it issued directly.
root_and_leaf() {
  local tag=$1 cn=$2 days=$3 host=$4 root_out=$5 leaf_out=$6
  cat >"$TMP/$tag.cnf" <<EOF2
[req]
distinguished_name=dn
prompt=no
[dn]
CN=$cn
[root]
basicConstraints=critical,CA:TRUE
keyUsage=critical,keyCertSign,cRLSign
subjectKeyIdentifier=hash
[leaf]
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=DNS:$host.$D
authorityKeyIdentifier=keyid
EOF2
  openssl req -x509 -newkey rsa:2048 -sha256 -nodes -days "$days" -config "$TMP/$tag.cnf" -extensions root \
    -keyout "$TMP/$tag-root.key" -out "$root_out" 2>/dev/null
  openssl req -new -newkey rsa:2048 -nodes -subj "/CN=$host.$D" -keyout "$TMP/$tag-leaf.key" -out "$TMP/$tag-leaf.csr" 2>/dev/null
  openssl x509 -req -in "$TMP/$tag-leaf.csr" -CA "$root_out" -CAkey "$TMP/$tag-root.key" -CAserial "$TMP/$tag.srl" \
    -CAcreateserial -sha256 -days 730 -extfile "$TMP/$tag.cnf" -extensions leaf -out "$leaf_out" 2>/dev/null
}

# A root CA that expires 40 days after it was made, and a two-year IIS certificate for rgra it
# issued directly (openssl does not clamp a leaf to its issuer): the root in an importer's store
# expires long before the server's certificate, which the server does not send. Store hygiene
# (validity.* on a store entry the deployment relies on) is tested with it
# (`bash gen.sh short-root` makes it alone).
short_root() {
  root_and_leaf short "Test Short-lived Root CA" 40 rgra ca/short-root.pem ca/rgra-shortroot.pem
}

# A renewal of the test root with a new key and the same name (CN=Test Root CA), and an IIS
# certificate for pga it issued: while servers of both generations are in service, a store
# needs both roots, under two aliases (`bash gen.sh renewed-root`).
renewed_root() {
  root_and_leaf renewed "Test Root CA" 3650 pga ca/root-renewed.pem ca/pga-renewedroot.pem
}
# A third-party HTTPS server whose certificate's CN carries characters cmd.exe cannot quote
# (`&`): UCCX names its tomcat-trust upload after the CN, so the plan cannot print a command
# with it (store.unsafe-alias; `bash gen.sh unsafe-cn`). Defined after ss() below.
unsafe_cn() {
  ss web3p-unsafe-cn "web3p.$D & calc" "DNS:web3p.$D" serverAuth
}
case "$only" in
  "") ;;
  short-root) short_root; exit 0 ;;
  renewed-root) renewed_root; exit 0 ;;
  unsafe-cn) ;;
  *) echo "usage: bash gen.sh [short-root|renewed-root|unsafe-cn]" >&2; exit 2 ;;
esac


# conf NAME CN SAN EKU [extra ext lines] → $TMP/NAME.cnf
conf() {
  local name=$1 cn=$2 san=$3 eku=$4 extra=${5:-}
  local base="basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment"
  if [ -n "$eku" ]; then base="$base\nextendedKeyUsage=$eku"; fi
  if [ -n "$san" ]; then base="$base\nsubjectAltName=$san"; fi
  {
    echo "[req]"; echo "distinguished_name=dn"; echo "prompt=no"; echo "x509_extensions=ext"; echo "req_extensions=ext"
    echo "[dn]"; echo "CN=$cn"
    echo "[ext]"; printf '%b\n' "$base"
    # What a CA adds when it signs (authorityKeyIdentifier needs the issuer).
    echo "[sign]"; printf '%b\n' "$base"
    if [ -n "$extra" ]; then printf '%b\n' "$extra"; fi
  } >"$TMP/$name.cnf"
}

# ss NAME CN SAN EKU [key] [digest] [days] [extra]: a self-signed server certificate in ss/NAME.pem
ss() {
  local name=$1 cn=$2 san=$3 eku=$4 key=${5:-rsa:2048} md=${6:-sha256} days=${7:-1825} extra=${8:-}
  conf "$name" "$cn" "$san" "$eku" "$extra"
  local keyopt=(-newkey "$key")
  if [ "$key" = ec ]; then
    openssl ecparam -name prime256v1 -genkey -noout -out "$TMP/$name.key"
    keyopt=(-key "$TMP/$name.key")
  fi
  openssl req -x509 "${keyopt[@]}" "-$md" -nodes -days "$days" -config "$TMP/$name.cnf" \
    -keyout "$TMP/$name.key.out" -out "ss/$name.pem" 2>/dev/null
}

if [ "$only" = unsafe-cn ]; then unsafe_cn; exit 0; fi

for h in awa awb rgra pga cvpa eceweb fina finb cuica cuicb uccxa uccxb sm cucm vvb web3p; do
  eku=serverAuth
  case $h in fin*|cuic*|uccx*|sm|cucm|vvb) eku=serverAuth,clientAuth ;; esac
  ss "$h" "$h.$D" "DNS:$h.$D" "$eku"
done
ss rgra-dfp "rgra.$D" "DNS:rgra.$D" serverAuth
ss awa-old "awa.$D" "DNS:awa.$D" serverAuth                    # an earlier certificate of awa
# One broken rule each, for host bad.t.example.com:
ss bad-nosan "bad.$D" "" serverAuth
ss bad-cn-not-in-san "bad.$D" "DNS:alias.$D" serverAuth
ss bad-mismatch "old.$D" "DNS:old.$D" serverAuth
ss bad-short "bad" "DNS:bad" serverAuth
ss bad-rsa1024 "bad.$D" "DNS:bad.$D" serverAuth rsa:1024
ss bad-rsa4096 "bad.$D" "DNS:bad.$D" serverAuth rsa:4096
ss bad-ec "bad.$D" "DNS:bad.$D" serverAuth ec
ss bad-sha1 "bad.$D" "DNS:bad.$D" serverAuth rsa:2048 sha1
ss bad-30days "bad.$D" "DNS:bad.$D" serverAuth rsa:2048 sha256 30
ss bad-serveronly "bad.$D" "DNS:bad.$D" serverAuth
ss bad-critical-eku "cucm.$D" "DNS:cucm.$D" "critical,serverAuth,clientAuth"

# A CA: root → issuing; servers signed by the issuing CA.
cat >"$TMP/ca.cnf" <<EOF
[req]
distinguished_name=dn
prompt=no
[dn]
CN=Test Root CA
[root]
basicConstraints=critical,CA:TRUE
keyUsage=critical,keyCertSign,cRLSign
subjectKeyIdentifier=hash
[issuing]
basicConstraints=critical,CA:TRUE,pathlen:0
keyUsage=critical,keyCertSign,cRLSign
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
EOF
openssl req -x509 -newkey rsa:2048 -sha256 -nodes -days 3650 -config "$TMP/ca.cnf" -extensions root \
  -keyout "$TMP/root.key" -out ca/root.pem 2>/dev/null
openssl req -new -newkey rsa:2048 -nodes -subj "/CN=Test Issuing CA" -keyout "$TMP/iss.key" -out "$TMP/iss.csr" 2>/dev/null
openssl x509 -req -in "$TMP/iss.csr" -CA ca/root.pem -CAkey "$TMP/root.key" -CAserial "$TMP/root.srl" -CAcreateserial \
  -sha256 -days 3000 -extfile "$TMP/ca.cnf" -extensions issuing -out ca/issuing.pem 2>/dev/null

# casigned NAME CN EKU [extra SAN]: ca/NAME.pem = leaf + issuing (what the server sends),
# ca/NAME-leaf.pem = the leaf alone.
casigned() {
  local name=$1 cn=$2 eku=$3 extra_san=${4:-}
  local san="DNS:$cn"
  [ -n "$extra_san" ] && san="$san,$extra_san"
  conf "$name" "$cn" "$san" "$eku" "authorityKeyIdentifier=keyid"
  openssl req -new -newkey rsa:2048 -nodes -config "$TMP/$name.cnf" -keyout "$TMP/$name.key" -out "$TMP/$name.csr" 2>/dev/null
  openssl x509 -req -in "$TMP/$name.csr" -CA ca/issuing.pem -CAkey "$TMP/iss.key" -CAserial "$TMP/iss.srl" -CAcreateserial \
    -sha256 -days 730 -extfile "$TMP/$name.cnf" -extensions sign -out "ca/$name-leaf.pem" 2>/dev/null
  cat "ca/$name-leaf.pem" ca/issuing.pem >"ca/$name.pem"
}
for h in fina finb cuica cuicb; do casigned "$h" "$h.$D" serverAuth,clientAuth; done
casigned pga-cti "pga.$D" serverAuth,clientAuth
casigned pgb-cti-serveronly "pgb.$D" serverAuth
casigned dc1 "dc1.$D" serverAuth
casigned awa "awa.$D" serverAuth
casigned rgra "rgra.$D" serverAuth

# CSR checks as VOS makes them at upload: a CSR for uccxa's tomcat; the CA's certificate for it
# with an extra SAN it added; and a certificate with another key.
conf uccxa-csr "uccxa.$D" "DNS:uccxa.$D" serverAuth,clientAuth
openssl req -new -newkey rsa:2048 -nodes -config "$TMP/uccxa-csr.cnf" -keyout "$TMP/uccxa.key" -out csr/uccxa-tomcat.csr 2>/dev/null
conf uccxa-ca-added "uccxa.$D" "DNS:uccxa.$D,DNS:www.uccxa.$D" serverAuth,clientAuth "authorityKeyIdentifier=keyid"
openssl x509 -req -in csr/uccxa-tomcat.csr -CA ca/issuing.pem -CAkey "$TMP/iss.key" -CAserial "$TMP/iss.srl" -CAcreateserial \
  -sha256 -days 730 -extfile "$TMP/uccxa-ca-added.cnf" -extensions sign -out csr/uccxa-san-added.pem 2>/dev/null
conf uccxa-exact "uccxa.$D" "DNS:uccxa.$D" serverAuth,clientAuth "authorityKeyIdentifier=keyid"
openssl x509 -req -in csr/uccxa-tomcat.csr -CA ca/issuing.pem -CAkey "$TMP/iss.key" -CAserial "$TMP/iss.srl" -CAcreateserial \
  -sha256 -days 730 -extfile "$TMP/uccxa-exact.cnf" -extensions sign -out csr/uccxa-exact.pem 2>/dev/null
cat csr/uccxa-exact.pem ca/issuing.pem >csr/uccxa-exact-chain.pem
cat csr/uccxa-san-added.pem ca/issuing.pem >csr/uccxa-san-added-chain.pem



# An ECE web server's shared certificate exported as PFX with and without its private key.
openssl req -x509 -newkey rsa:2048 -sha256 -nodes -days 730 -subj "/CN=ece.$D" -addext "subjectAltName=DNS:ece.$D" \
  -keyout "$TMP/ece.key" -out "$TMP/ece.pem" 2>/dev/null
openssl pkcs12 -export -in "$TMP/ece.pem" -inkey "$TMP/ece.key" -passout pass:changeit -name ece -out csr/ece-shared.pfx
openssl pkcs12 -export -in "$TMP/ece.pem" -nokeys -passout pass:changeit -out csr/ece-shared-nokey.pfx
short_root
renewed_root
unsafe_cn

echo "tests/data/cce: $(ls ss | wc -l) self-signed, $(ls ca | wc -l) CA files, $(ls csr | wc -l) CSR/PFX files"
