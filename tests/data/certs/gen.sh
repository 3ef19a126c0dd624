#!/usr/bin/env bash
# Regenerates the certificate fixtures of the certificate-model tests with the real OpenSSL 3 CLI.
# Run from this folder: bash gen.sh. Output is committed; tests compare our reading of these files
# with what `openssl` itself prints for them (at test time), never with copied output.
set -euo pipefail
cd "$(dirname "$0")"
rm -f ./*.pem ./*.der ./*.cer ./*.p7b ./*.csr ./*.key ./*.srl ./*.cnf
days=3650

# A two-level CA as an enterprise PKI would have it.
openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days $days -keyout root.key -out root.pem \
  -subj "/DC=local/DC=example/CN=Example Root CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
openssl req -new -newkey rsa:2048 -nodes -keyout issuing.key -out issuing.csr \
  -subj "/DC=local/DC=example/CN=Example Issuing CA 2"
cat > issuing.cnf <<'X'
basicConstraints=critical,CA:TRUE,pathlen:0
keyUsage=critical,keyCertSign,cRLSign
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
authorityInfoAccess=caIssuers;URI:http://pki.example.local/root.crt,OCSP;URI:http://ocsp.example.local
crlDistributionPoints=URI:http://pki.example.local/root.crl
certificatePolicies=2.5.29.32.0
X
openssl x509 -req -in issuing.csr -CA root.pem -CAkey root.key -CAcreateserial -days $days -sha256 \
  -extfile issuing.cnf -out issuing.pem

# A CA-signed Finesse-style leaf: client+server EKU, SANs of every kind, an unknown extension.
openssl req -new -newkey rsa:2048 -nodes -keyout finesse.key -out finesse.csr \
  -subj "/C=US/ST=North Carolina/L=RTP/O=Example, Inc./OU=Contact Center/CN=finesse-a.example.local" \
  -addext "subjectAltName=DNS:finesse-a.example.local,DNS:finesse-a"
cat > finesse.cnf <<'X'
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth,clientAuth
subjectAltName=DNS:finesse-a.example.local,DNS:finesse-a,DNS:www.finesse-a.example.local,IP:10.10.20.31,IP:fd00::31,email:uccx-admin@example.local,URI:https://finesse-a.example.local:8445/desktop
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
1.3.6.1.4.1.311.20.2=ASN1:BMPSTRING:WebServer
X
openssl x509 -req -in finesse.csr -CA issuing.pem -CAkey issuing.key -CAcreateserial -days 825 -sha256 \
  -extfile finesse.cnf -out finesse.pem

# A keytool-style self-signed IIS certificate (no SAN; CN only) and an EC P-256 and P-384 one.
openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 730 -keyout iis.key -out iis.pem \
  -subj "/CN=rgra.example.local"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -sha256 -days 365 \
  -keyout ec256.key -out ec256.pem -subj "/CN=uccx-a.example.local" \
  -addext "subjectAltName=DNS:uccx-a.example.local"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-384 -nodes -sha384 -days 365 \
  -keyout ec384.key -out ec384.pem -subj "/CN=socialminer.example.local" \
  -addext "subjectAltName=DNS:socialminer.example.local"
# RSA-PSS signature, a weak 1024-bit SHA-1 certificate, Ed25519, and a critical unknown extension.
openssl req -x509 -newkey rsa:2048 -nodes -sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32 \
  -days 365 -keyout pss.key -out pss.pem -subj "/CN=pss.example.local"
openssl req -x509 -newkey rsa:1024 -nodes -sha1 -days 365 -keyout weak.key -out weak.pem \
  -subj "/CN=old-cvp.example.local"
openssl req -x509 -newkey ed25519 -nodes -days 365 -keyout ed25519.key -out ed25519.pem \
  -subj "/CN=ed.example.local"
openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 365 -keyout critical.key -out critical.pem \
  -subj "/CN=cucm-pub.example.local" -addext "1.2.3.4.5.6=critical,DER:05:00" \
  -addext "subjectAltName=DNS:cucm-pub.example.local"
# A UTF-8 subject with characters RFC 4514 escapes.
openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 365 -keyout utf8.key -out utf8.pem -utf8 \
  -subj "/O=Société Générale+OU=Contact Center/CN=#ece web \"lab\"; <1>"

# The many shapes an administrator is handed.
openssl x509 -in finesse.pem -outform der -out finesse.der
sed 's/$/\r/' finesse.pem > finesse-crlf.cer                    # Windows "Base-64 encoded X.509 (.CER)"
cat finesse.pem issuing.pem root.pem > chain.pem
openssl crl2pkcs7 -nocrl -certfile chain.pem -outform der -out chain.p7b
openssl crl2pkcs7 -nocrl -certfile chain.pem -out chain-pem.p7b
openssl x509 -in root.pem -trustout -addtrust serverAuth -out root-trusted.pem   # TRUSTED CERTIFICATE
sed 's/BEGIN CERTIFICATE/BEGIN X509 CERTIFICATE/; s/END CERTIFICATE/END X509 CERTIFICATE/' iis.pem > iis-x509-label.pem
openssl pkcs12 -export -in finesse.pem -inkey finesse.key -certfile issuing.pem -passout pass:changeit \
  -name finesse -out finesse.p12
openssl pkcs12 -in finesse.p12 -nokeys -passin pass:changeit -out bag-attributes.pem   # Bag Attributes text
{ echo "subject=CN = rgra.example.local"; echo "issuer=CN = rgra.example.local"; cat iis.pem; echo "trailing notes"; } > subject-lines.pem
openssl req -in finesse.csr -outform der -out finesse-csr.der
# A CSR whose certificate the CA issued with an extra SAN (www.) — the VOS upload failure.
cp finesse.csr vos-upload.csr
rm -f ./*.srl ./*.cnf finesse.p12 issuing.csr root.key issuing.key ec256.key ec384.key pss.key weak.key ed25519.key critical.key utf8.key
