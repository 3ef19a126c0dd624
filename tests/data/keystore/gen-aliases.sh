#!/usr/bin/env bash
# PKCS#12 alias fixtures (issue 13): mixed-case friendly names and a key whose chain is also a
# trusted entry, written by JDK 17 keytool and by OpenSSL 3, with keytool's listing of each
# (`*.keytool.txt`). Store and key password: changeit. Run: bash tests/data/keystore/gen-aliases.sh
set -euo pipefail
cd "$(dirname "$0")"
rm -f jdk-chain.p12 openssl-chain.p12 jdk-chain.p12.keytool.txt openssl-chain.p12.keytool.txt
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
kt() { keytool -J-Duser.language=en -J-Duser.country=US "$@"; }
DN="O=Example Contact Center, C=US"

# A CA and a leaf it signs (keytool makes both), so the key entry's chain has two certificates.
kt -genkeypair -alias ca -keyalg EC -groupname secp256r1 -dname "CN=Lab Issuing CA, $DN" -ext bc:c \
   -validity 3650 -keystore "$tmp/ca.p12" -storetype PKCS12 -storepass changeit
kt -exportcert -rfc -alias ca -keystore "$tmp/ca.p12" -storepass changeit -file "$tmp/ca.pem"
# JDK-written: key "Tomcat" (stored friendlyName keeps the case), chain [leaf, CA]; the CA also
# imported as trusted entry "RootCA". keytool writes the chain's CA as an extra bag named after
# its subject.
kt -genkeypair -alias Tomcat -keyalg EC -groupname secp256r1 -dname "CN=ece.example.com, $DN" \
   -validity 3650 -keystore jdk-chain.p12 -storetype PKCS12 -storepass changeit
kt -certreq -alias Tomcat -keystore jdk-chain.p12 -storepass changeit -file "$tmp/leaf.csr"
kt -gencert -alias ca -keystore "$tmp/ca.p12" -storepass changeit -infile "$tmp/leaf.csr" \
   -outfile "$tmp/leaf.pem" -rfc -validity 3650 -ext san=dns:ece.example.com
kt -importcert -noprompt -alias RootCA -file "$tmp/ca.pem" -keystore jdk-chain.p12 -storepass changeit
kt -importcert -noprompt -alias Tomcat -file "$tmp/leaf.pem" -keystore jdk-chain.p12 -storepass changeit
# OpenSSL-written: the same leaf's key exported and re-packed with -name "Finesse" and the CA.
openssl pkcs12 -in jdk-chain.p12 -passin pass:changeit -nocerts -nodes -out "$tmp/leaf.key" 2>/dev/null
openssl pkcs12 -export -in "$tmp/leaf.pem" -inkey "$tmp/leaf.key" -certfile "$tmp/ca.pem" \
   -name Finesse -caname "Lab Issuing CA" -out openssl-chain.p12 -passout pass:changeit
for f in jdk-chain.p12 openssl-chain.p12; do
  kt -list -v -keystore "$f" -storepass changeit > "$f.keytool.txt"
done
