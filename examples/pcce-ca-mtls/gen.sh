#!/usr/bin/env bash
# PCCE 12.6(1) with CA-signed certificates (Corp Root CA → Corp Issuing CA 1), Finesse and CUIC
# clusters (publisher + subscriber, each subscriber's tomcat-trust collected on its own), CTI
# servers in mutual TLS with Finesse, AWs that reach their own IIS and Diagnostic Portico, and
# one evidence file that is not a certificate. Made with openssl and keytool; the problems made
# on purpose are in README.md.   bash examples/pcce-ca-mtls/gen.sh
set -euo pipefail
cd "$(dirname "$0")"
D=corp.example.com
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
rm -rf presented stores ca
mkdir -p presented stores ca

cat >"$TMP/ca.cnf" <<EOF
[req]
distinguished_name=dn
prompt=no
[dn]
CN=Corp Root CA
O=Corp
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
  -keyout "$TMP/root.key" -out ca/corp-root-ca.pem 2>/dev/null
openssl req -new -newkey rsa:2048 -nodes -subj "/O=Corp/CN=Corp Issuing CA 1" -keyout "$TMP/iss.key" -out "$TMP/iss.csr" 2>/dev/null
openssl x509 -req -in "$TMP/iss.csr" -CA ca/corp-root-ca.pem -CAkey "$TMP/root.key" -CAserial "$TMP/root.srl" -CAcreateserial \
  -sha256 -days 3000 -extfile "$TMP/ca.cnf" -extensions issuing -out ca/corp-issuing-ca-1.pem 2>/dev/null
# A partner's root that the Finesse publisher trusts for a third-party gadget (not in a chain here).
openssl req -x509 -newkey rsa:2048 -sha256 -nodes -days 3650 -subj "/O=Partner/CN=Partner Root CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -keyout "$TMP/partner.key" -out "$TMP/partner-root-ca.pem" 2>/dev/null

# issue NAME FQDN EKU [KEY]: a server certificate from the issuing CA, sent with the issuing CA
# (what IIS, the Portico, VOS tomcat and the CTI server send).
issue() {
  local name=$1 fqdn=$2 eku=$3 key=${4:-rsa:2048}
  printf '[s]\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=%s\nsubjectAltName=DNS:%s\nauthorityKeyIdentifier=keyid\n' "$eku" "$fqdn" >"$TMP/$name.cnf"
  if [ "$key" = ec ]; then
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$fqdn" -keyout "$TMP/$name.key" -out "$TMP/$name.csr" 2>/dev/null
    sed -i 's/digitalSignature,keyEncipherment/digitalSignature/' "$TMP/$name.cnf"
  else
    openssl req -new -newkey "$key" -nodes -subj "/CN=$fqdn" -keyout "$TMP/$name.key" -out "$TMP/$name.csr" 2>/dev/null
  fi
  openssl x509 -req -in "$TMP/$name.csr" -CA ca/corp-issuing-ca-1.pem -CAkey "$TMP/iss.key" -CAserial "$TMP/iss.srl" -CAcreateserial \
    -sha256 -days 730 -extfile "$TMP/$name.cnf" -extensions s -out "$TMP/$name.pem" 2>/dev/null
  cat "$TMP/$name.pem" ca/corp-issuing-ca-1.pem >"presented/$name.pem"
}
for h in awa rgra pga pgb; do issue "$h-iis" "$h.$D" serverAuth; done
for h in awa awb pga pgb; do issue "$h-dfp" "$h.$D" serverAuth; done
issue awb-iis "awb.$D" serverAuth
# CTI servers and Finesse authenticate each other: client + server template (CCE 12 CTI TLS).
for h in pga pgb; do issue "$h-cti" "$h.$D" serverAuth,clientAuth; done
for h in fina finb cuica; do issue "$h-tomcat" "$h.$D" serverAuth,clientAuth; done
# 12.6 supports ECDSA on CUIC (Security Guide 12.6(1)): the CUIC subscriber's tomcat is P-256.
issue cuicb-tomcat "cuicb.$D" serverAuth,clientAuth ec
# awb's Diagnostic Portico still has the self-signed certificate the Diagnostic Framework
# Cert Utility made: CN and DNS SAN = the FQDN, serverAuth, not a CA.
openssl req -x509 -newkey rsa:2048 -sha256 -nodes -days 1825 -subj "/CN=awb.$D" \
  -addext "subjectAltName=DNS:awb.$D" -addext "extendedKeyUsage=serverAuth" \
  -addext "basicConstraints=critical,CA:FALSE" -addext "keyUsage=critical,digitalSignature,keyEncipherment" \
  -keyout "$TMP/awb-dfp.key" -out presented/awb-dfp.pem 2>/dev/null
# Problem: rgra's Portico export was saved from the browser's error page, not the certificate.
printf '%s\n' '<!DOCTYPE html>' '<html><head><title>Certificate error</title></head>' \
  '<body><h1>There is a problem with this website'"'"'s security certificate.</h1></body></html>' >presented/rgra-dfp.pem

imp() { keytool -importcert -noprompt -trustcacerts -storetype JKS -keystore "$1" -storepass changeit -alias "$2" -file "$3" >/dev/null 2>&1; }
mkdir -p stores/awa stores/awb stores/rgra
imp stores/awa/cacerts corp-root-ca ca/corp-root-ca.pem
imp stores/awa/cacerts "awb.${D}_DFP" presented/awb-dfp.pem
# Problem: awb imported its peer's certificates but never its own self-signed DFP certificate.
imp stores/awb/cacerts corp-root-ca ca/corp-root-ca.pem
imp stores/rgra/cacerts corp-root-ca ca/corp-root-ca.pem

# CiscoCertUtil folders (C:\icm\ssl\certs): the host's own certificate, and the root on pga only.
mkdir -p stores/pga/certs stores/pgb/certs
for h in pga pgb; do openssl x509 -in "presented/$h-cti.pem" -out "stores/$h/certs/host.pem"; done
cp ca/corp-root-ca.pem stores/pga/certs/corp-root-ca.pem
# Problem: pgb's CiscoCertUtil /install of the root was never run: it cannot authenticate Finesse.

# VOS tomcat-trust as collected from each node's OS Administration (one .pem per certificate).
mkdir -p stores/fina/tomcat-trust stores/finb/tomcat-trust stores/cuica/tomcat-trust stores/cuicb/tomcat-trust
for n in fina finb cuica; do cp ca/corp-root-ca.pem "stores/$n/tomcat-trust/Corp_Root_CA.pem"; done
# Drift that breaks nothing: the partner root reached the Finesse publisher only.
cp "$TMP/partner-root-ca.pem" stores/fina/tomcat-trust/Partner_Root_CA.pem
# Problem: replication never carried the corporate root to the CUIC subscriber. git keeps no
# empty folder: a note keeps it.
printf '%s\n' "CUIC subscriber's tomcat-trust, as collected: empty (one of the example's deliberate problems:" \
  "replication from the publisher did not carry Corp Root CA). Only .pem/.cer/.crt/.der files here" \
  "count as certificates; this note keeps the empty folder in git." >stores/cuicb/tomcat-trust/README.txt

date -u +%Y-%m-%dT%H:%M:%SZ >GENERATED_AT
echo "pcce-ca-mtls generated"
