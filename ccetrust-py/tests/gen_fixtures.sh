#!/usr/bin/env bash
# Makes the Python tests' fixtures with the real tools (openssl 3, keytool 17) into "$1".
# conftest.py runs it once per test session; run it by hand to look at the files.
#   root CA (RSA 3072) -> intermediate (RSA 2048) -> leaf (RSA 2048, DNS+IP SANs)
#   an EC P-256 self-signed leaf, a CSR and the certificate issued for it,
#   the chain as PEM bundle, DER, PKCS#7 (DER and PEM),
#   keystores by keytool: JKS, JCEKS, PKCS12 trust stores holding the root;
#   slow.p12 by openssl: a key pair under 500,000 PBKDF iterations (the GIL tests).
set -euo pipefail
out=${1:?usage: gen_fixtures.sh OUTDIR}
mkdir -p "$out"
cd "$out"
days=3650
subj_root="/C=US/O=Example Corp/CN=Example Root CA"
subj_int="/C=US/O=Example Corp/OU=PKI/CN=Example Issuing CA 1"

cat > ext.cnf <<'CNF'
[req]
distinguished_name = dn
[dn]
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[int]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[leaf]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth, clientAuth
subjectAltName = DNS:rgra.example.com, DNS:rgra, IP:10.10.20.5
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
authorityInfoAccess = caIssuers;URI:http://pki.example.com/int.crt, OCSP;URI:http://ocsp.example.com
crlDistributionPoints = URI:http://pki.example.com/int.crl
[csr]
subjectAltName = DNS:cuic.example.com, DNS:cuic
CNF

q() { "$@" >/dev/null 2>&1; }
q openssl req -x509 -newkey rsa:3072 -nodes -keyout root.key -out root.pem -days $days \
  -subj "$subj_root" -extensions ca -config ext.cnf -set_serial 1
q openssl req -new -newkey rsa:2048 -nodes -keyout int.key -out int.csr -subj "$subj_int"
q openssl x509 -req -in int.csr -CA root.pem -CAkey root.key -out int.pem -days $days \
  -extfile ext.cnf -extensions int -set_serial 4096
q openssl req -new -newkey rsa:2048 -nodes -keyout leaf.key -out leaf.csr \
  -subj "/C=US/ST=North Carolina/L=Research Triangle Park/O=Example Corp/OU=Contact Center/CN=rgra.example.com"
q openssl x509 -req -in leaf.csr -CA int.pem -CAkey int.key -out leaf.pem -days 825 \
  -extfile ext.cnf -extensions leaf -set_serial 0x1f2e3d4c5b6a
q openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ec.key -out ec.pem \
  -days 365 -subj "/CN=finesse.example.com" -addext "subjectAltName=DNS:finesse.example.com"
# A CSR and a certificate issued for it whose SANs differ (the CA dropped "cuic", added one).
q openssl req -new -newkey rsa:2048 -nodes -keyout cuic.key -out cuic.csr \
  -subj "/O=Example Corp/CN=cuic.example.com" -addext "subjectAltName=DNS:cuic.example.com,DNS:cuic"
printf 'subjectAltName = DNS:cuic.example.com, DNS:cuic-pub.example.com\n' > cuic.ext
q openssl x509 -req -in cuic.csr -CA int.pem -CAkey int.key -out cuic.pem -days 825 \
  -extfile cuic.ext -set_serial 77

# A certificate with its host name only in the CN (what Java clients accept and browsers refuse).
q openssl req -x509 -newkey rsa:2048 -nodes -keyout cn-only.key -out cn-only.pem -days 365 \
  -subj "/O=Example Corp/CN=legacy.example.com" -addext "basicConstraints=critical,CA:FALSE" \
  -addext "extendedKeyUsage=serverAuth"

openssl x509 -in leaf.pem -outform DER -out leaf.der
openssl req -in leaf.csr -outform DER -out leaf.csr.der
cat leaf.pem int.pem root.pem > chain.pem
openssl crl2pkcs7 -nocrl -certfile chain.pem -outform DER -out chain.p7b
openssl crl2pkcs7 -nocrl -certfile chain.pem -out chain.p7b.pem
# Windows "Base-64 encoded X.509 (.CER)" with CRLF line ends.
sed 's/$/\r/' leaf.pem > leaf-crlf.cer
cat leaf.key leaf.pem > key-and-cert.pem

# A PKCS#12 with 500,000 PBKDF iterations for its MAC and its key (keytool 17 writes 10,000):
# loading and unlocking it take a noticeable time, for the tests that another Python thread
# runs meanwhile (the GIL is released around key derivation).
q openssl pkcs12 -export -in leaf.pem -inkey leaf.key -certfile int.pem -name rgra \
  -passout pass:changeit -iter 500000 -macalg sha256 -out slow.p12

if command -v keytool >/dev/null 2>&1; then
  for fmt in JKS JCEKS PKCS12; do
    lower=$(echo $fmt | tr A-Z a-z)
    q keytool -importcert -noprompt -alias example-root -file root.pem \
      -keystore "trust.$lower" -storetype $fmt -storepass changeit
  done
  # A key pair made by keytool (PrivateKeyEntry, self-signed), PKCS12 and JKS.
  q keytool -genkeypair -alias tomcat -keyalg RSA -keysize 2048 -validity 365 \
    -dname "CN=vvb.example.com, O=Example Corp" -ext "SAN=dns:vvb.example.com" \
    -keystore keypair.p12 -storetype PKCS12 -storepass changeit
  q keytool -genkeypair -alias tomcat -keyalg EC -groupname secp256r1 -validity 365 \
    -dname "CN=cvp.example.com, O=Example Corp" \
    -keystore keypair.jks -storetype JKS -storepass changeit -keypass keypass1
fi
echo ok
