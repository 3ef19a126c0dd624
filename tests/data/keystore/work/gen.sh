#!/usr/bin/env bash
# PKCS#12 files whose key derivation asks for more work than keytool allows (OpenSSL 3).
# keytool refuses PBE and MAC iteration counts above 5,000,000 (OpenJDK PKCS12KeyStore
# MAX_ITERATION_COUNT: "iteration count too large"); ccetrust refuses them the same way,
# before deriving anything. Store password: changeit. Takes about a minute (openssl does
# the 9,999,999 iterations it writes). keytool's answer for each is kept in *.keytool.txt.
set -euo pipefail
cd "$(dirname "$0")"
rm -f ./*.p12 ./*.keytool.txt
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout k.key -out k.pem \
  -subj "/CN=work.example.com/O=Example Contact Center" -days 3650 2>/dev/null
# Key, certificates and MAC at 9,999,999 iterations: refused at the MAC.
openssl pkcs12 -export -iter 9999999 -in k.pem -inkey k.key -name hostile -out iter-9999999.p12 -passout pass:changeit
# The MAC at 1 iteration and the certificates in the clear: the file opens, the key at
# 9,999,999 iterations is refused when it is unlocked, by alias.
openssl pkcs12 -export -iter 9999999 -nomaciter -certpbe NONE -in k.pem -inkey k.key -name hostile \
  -out key-iter-9999999.p12 -passout pass:changeit
for f in iter-9999999.p12 key-iter-9999999.p12; do
  keytool -J-Duser.language=en -list -keystore "$f" -storetype PKCS12 -storepass changeit > "$f.keytool.txt" 2>&1 || true
done
rm -f k.key k.pem
