#!/usr/bin/env bash
# Regenerates the keystore fixtures with the real tools (JDK 17 keytool, OpenSSL 3), and
# keytool's own listing of each (`*.keytool.txt`), which the tests compare against.
# Store and key password: changeit (ece.jks's key: keypass "tomcat-key").
set -euo pipefail
cd "$(dirname "$0")"
rm -f ./*.jks ./*.jceks ./*.p12 ./*.pem ./*.key ./*.srl ./*.csr ./*.keytool.txt
kt() { keytool -J-Duser.language=en -J-Duser.country=US "$@"; }
DN="O=Example Contact Center, C=US"

# CVP-like JCEKS: three RSA key pairs (keytool 17: PBEWithMD5AndTripleDES, 200,000
# iterations), a trusted CA and an AES secret key.
for a in callserver vxml ops; do
  kt -genkeypair -alias "$a" -keyalg RSA -keysize 2048 -dname "CN=cvp-$a.example.com, $DN" \
     -validity 3650 -keystore cvp.jceks -storetype JCEKS -storepass changeit -keypass changeit
done
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem \
  -subj "/CN=Example Root CA/O=Example Contact Center" -days 3650 2>/dev/null
kt -importcert -noprompt -alias "example root ca" -file ca.pem -keystore cvp.jceks -storetype JCEKS -storepass changeit
kt -genseckey -alias "cvp-aes" -keyalg AES -keysize 256 -keystore cvp.jceks -storetype JCEKS -storepass changeit -keypass changeit

# ECE-like JKS: one EC key pair with its own key password, and two trusted certificates.
kt -genkeypair -alias tomcat -keyalg EC -groupname secp256r1 -dname "CN=ece.example.com, $DN" \
   -validity 3650 -keystore ece.jks -storetype JKS -storepass changeit -keypass tomcat-key
kt -importcert -noprompt -alias "example root ca" -file ca.pem -keystore ece.jks -storetype JKS -storepass changeit
openssl req -x509 -newkey rsa:2048 -nodes -keyout ad.key -out ad.pem -subj "/CN=AD LDAPS/DC=example/DC=com" -days 3650 2>/dev/null
kt -importcert -noprompt -alias "ad ldaps" -file ad.pem -keystore ece.jks -storetype JKS -storepass changeit

# PKCS#12 from keytool, modern and legacy.
kt -importkeystore -srckeystore cvp.jceks -srcstoretype JCEKS -srcstorepass changeit \
   -destkeystore keytool-modern.p12 -deststoretype PKCS12 -deststorepass changeit -srcalias vxml -destkeypass changeit -noprompt
kt -importcert -noprompt -alias "example root ca" -file ca.pem -keystore keytool-modern.p12 -storetype PKCS12 -storepass changeit
kt -J-Dkeystore.pkcs12.legacy -importkeystore -srckeystore keytool-modern.p12 -srcstoretype PKCS12 -srcstorepass changeit \
   -destkeystore keytool-legacy.p12 -deststoretype PKCS12 -deststorepass changeit -noprompt

# PKCS#12 from openssl: a leaf signed by the CA, with the CA as chain.
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout leaf.key -out leaf.csr \
  -subj "/CN=finesse.example.com/O=Example Contact Center" 2>/dev/null
openssl x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out leaf.pem -days 3650 2>/dev/null
openssl pkcs12 -export -in leaf.pem -inkey leaf.key -certfile ca.pem -name finesse -out openssl-default.p12 -passout pass:changeit
openssl pkcs12 -export -legacy -in leaf.pem -inkey leaf.key -certfile ca.pem -name finesse -out openssl-legacy.p12 -passout pass:changeit
openssl pkcs12 -export -macalg sha512 -iter 1000 -in leaf.pem -inkey leaf.key -certfile ca.pem -name finesse -out openssl-sha512.p12 -passout pass:changeit

# No MAC and nothing encrypted (the fuzz corpus seed that lets the fuzzer reach the bags).
openssl pkcs12 -export -nomac -certpbe NONE -keypbe NONE -in leaf.pem -inkey leaf.key -out ../../../fuzz/corpus/pkcs12/nomac-plain.p12 -passout pass:changeit

# PEM: encrypted PKCS#8 key and its chain.
openssl pkcs8 -topk8 -in leaf.key -passout pass:changeit -v2 aes-256-cbc -out leaf-chain.pem
cat leaf.pem ca.pem >> leaf-chain.pem

for f in cvp.jceks ece.jks keytool-modern.p12 keytool-legacy.p12 openssl-default.p12 openssl-legacy.p12 openssl-sha512.p12; do
  kt -list -v -keystore "$f" -storepass changeit > "$f.keytool.txt"
done
rm -f ca.key ad.key leaf.key leaf.csr ca.srl ad.pem
