#!/usr/bin/env bash
# A PCCE 12.5 deployment with CA-signed certificates (root → issuing CA → servers), made with
# openssl and keytool. With CA-signed certificates the trust matrix collapses: each store needs
# the root (and any intermediate the servers do not send) once. Problems made on purpose are in
# README.md.   bash examples/ca-signed/gen.sh
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

# issue NAME FQDN EKU [leaf-only]: a server certificate from the issuing CA, as the server sends it.
issue() {
  local name=$1 fqdn=$2 eku=$3 only=${4:-}
  printf '[s]\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=%s\nsubjectAltName=DNS:%s\nauthorityKeyIdentifier=keyid\n' "$eku" "$fqdn" >"$TMP/$name.cnf"
  openssl req -new -newkey rsa:2048 -nodes -subj "/CN=$fqdn" -keyout "$TMP/$name.key" -out "$TMP/$name.csr" 2>/dev/null
  openssl x509 -req -in "$TMP/$name.csr" -CA ca/corp-issuing-ca-1.pem -CAkey "$TMP/iss.key" -CAserial "$TMP/iss.srl" -CAcreateserial \
    -sha256 -days 730 -extfile "$TMP/$name.cnf" -extensions s -out "$TMP/$name.pem" 2>/dev/null
  if [ -n "$only" ]; then cp "$TMP/$name.pem" "presented/$name.pem"; else cat "$TMP/$name.pem" ca/corp-issuing-ca-1.pem >"presented/$name.pem"; fi
}
for h in awa awb rgra rgrb; do issue "$h-iis" "$h.$D" serverAuth; issue "$h-dfp" "$h.$D" serverAuth; done
for h in fina finb cuica cuicb; do issue "$h-tomcat" "$h.$D" serverAuth,clientAuth; done
issue pga-cti "pga.$D" serverAuth                    # Problem: a web-server template, no clientAuth
issue eceweb-iis "eceweb.$D" serverAuth only         # Problem: IIS sends its leaf without the issuing CA

imp() { keytool -importcert -noprompt -trustcacerts -storetype JKS -keystore "$1" -storepass changeit -alias "$2" -file "$3" >/dev/null 2>&1; }
mkdir -p stores/awa stores/awb stores/rgra stores/rgrb
imp stores/awa/cacerts corp-root-ca ca/corp-root-ca.pem
# Problem: awb's cacerts was rebuilt by a JRE update and lost the corporate root.
keytool -exportcert -rfc -keystore /etc/ssl/certs/java/cacerts -storepass changeit -alias debian:isrg_root_x1.pem -file "$TMP/isrg.pem" >/dev/null 2>&1
imp stores/awb/cacerts "isrg_root_x1 [jdk]" "$TMP/isrg.pem"
for h in rgra rgrb; do imp "stores/$h/cacerts" corp-root-ca ca/corp-root-ca.pem; done
# VOS tomcat-trust on the publishers: Finesse has the root; CUIC does not yet.
mkdir -p stores/fina/tomcat-trust stores/cuica/tomcat-trust stores/pga/certs
# git keeps no empty folder: a note keeps the (deliberately empty) CUIC tomcat-trust.
printf '%s\n' "CUIC publisher's tomcat-trust, as collected: it holds no certificate yet (one of the example's" \
  "deliberate problems: CUIC does not trust the Finesse CA). Only .pem/.cer/.crt/.der files here" \
  "count as certificates; this note keeps the empty folder in git." > stores/cuica/tomcat-trust/README.txt
cp ca/corp-root-ca.pem stores/fina/tomcat-trust/Corp_Root_CA.pem
cp ca/corp-issuing-ca-1.pem stores/fina/tomcat-trust/Corp_Issuing_CA_1.pem
# The CTI server's CiscoCertUtil folder holds the root already.
cp ca/corp-root-ca.pem stores/pga/certs/corp-root-ca.pem

date -u +%Y-%m-%dT%H:%M:%SZ >GENERATED_AT
echo "ca-signed generated"
