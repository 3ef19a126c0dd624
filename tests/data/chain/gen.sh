#!/usr/bin/env bash
# Regenerates the chain-validation fixtures with the real OpenSSL 3 CLI. Run from anywhere:
# bash tests/data/chain/gen.sh. Output (certificates only; keys are deleted) is committed.
# The tests verify at a time derived from the fixtures themselves (one day after
# issuing-old.pem expires), so regenerating never breaks them.
set -euo pipefail
cd "$(dirname "$0")"
rm -f ./*.pem ./*.key ./*.csr ./*.srl ./*.cnf
days=3650

ca_ext() { # name [pathlen]
  {
    echo "basicConstraints=critical,CA:TRUE${2:+,pathlen:$2}"
    echo "keyUsage=critical,keyCertSign,cRLSign"
    echo "subjectKeyIdentifier=hash"
    echo "authorityKeyIdentifier=keyid"
  } > "$1.cnf"
}
leaf_ext() { # name san [eku]
  {
    echo "basicConstraints=critical,CA:FALSE"
    echo "keyUsage=critical,digitalSignature,keyEncipherment"
    echo "extendedKeyUsage=${3:-serverAuth}"
    echo "subjectAltName=$2"
    echo "subjectKeyIdentifier=hash"
    echo "authorityKeyIdentifier=keyid"
  } > "$1.cnf"
}
csr() { # name subject [keyalg]
  openssl req -new -newkey "${3:-rsa:2048}" -nodes -keyout "$1.key" -out "$1.csr" -subj "$2" 2>/dev/null
}
sign() { # name issuer days [extra openssl x509 args...]
  local name=$1 issuer=$2 d=$3; shift 3
  openssl x509 -req -in "$name.csr" -CA "$issuer.pem" -CAkey "$issuer.key" -CAcreateserial \
    -days "$d" -extfile "$name.cnf" -out "$name.pem" "$@" 2>/dev/null
}

# Enterprise PKI: root -> "Issuing CA 2" (pathlen 0) -> ece.example.local
openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days $days -keyout root.key -out root.pem \
  -subj "/O=Example/CN=CCE Test Root CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -addext "subjectKeyIdentifier=hash" 2>/dev/null
csr issuing "/O=Example/CN=Issuing CA 2"
ca_ext issuing 0
sign issuing root $days -sha256
# The same CA (same name and key) certified once more, valid for one day only: the
# "old cross-certificate" a server still sends. Path building must skip it.
ca_ext issuing-old 0
cp issuing.csr issuing-old.csr
sign issuing-old root 1 -sha256

csr ece "/O=Example/CN=ece.example.local"
leaf_ext ece "DNS:ece.example.local,IP:10.10.20.40"
sign ece issuing 825 -sha256

# A SHA-1 signed server certificate (Java accepts it with a warning, browsers refuse).
csr sha1 "/O=Example/CN=legacy.example.local"
leaf_ext sha1 "DNS:legacy.example.local"
sign sha1 issuing 825 -sha1

# RSA-PSS signature.
csr pss "/O=Example/CN=pss.example.local"
leaf_ext pss "DNS:pss.example.local"
sign pss issuing 825 -sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32

# Client-only certificate (clientAuth EKU): not usable as a server certificate.
csr client "/O=Example/CN=agent.example.local"
leaf_ext client "DNS:agent.example.local" clientAuth
sign client issuing 825 -sha256

# A sub-CA under the pathlen-0 issuing CA: any leaf below it violates the path length.
csr sub "/O=Example/CN=Sub CA"
ca_ext sub
sign sub issuing $days -sha256
csr deep "/O=Example/CN=deep.example.local"
leaf_ext deep "DNS:deep.example.local"
sign deep sub 825 -sha256

# Name constraints: a CA permitted only example.local, one leaf inside and one outside.
csr constrained "/O=Example/CN=Constrained CA"
ca_ext constrained
echo "nameConstraints=critical,permitted;DNS:example.local" >> constrained.cnf
sign constrained root $days -sha256
csr nc-ok "/O=Example/CN=finesse.example.local"
leaf_ext nc-ok "DNS:finesse.example.local"
sign nc-ok constrained 825 -sha256
csr nc-bad "/O=Example/CN=finesse.example.com"
leaf_ext nc-bad "DNS:finesse.example.com"
sign nc-bad constrained 825 -sha256

# keytool-style self-signed server certificate (CVP, IIS): CN only, no SAN, no EKU.
openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days $days -keyout cvp.key -out cvp.pem \
  -subj "/O=Example/CN=cvp.example.local" 2>/dev/null

# VOS-style self-signed tomcat certificate (Finesse): SAN, serverAuth + clientAuth, not a CA.
# A browser trusts it once the administrator installs it among the trusted roots.
openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days $days -keyout vos-ss.key -out vos-ss.pem \
  -subj "/O=Example/CN=finesse.example.local" -addext "subjectAltName=DNS:finesse.example.local" \
  -addext "extendedKeyUsage=serverAuth,clientAuth" -addext "basicConstraints=critical,CA:FALSE" \
  -addext "keyUsage=critical,digitalSignature,keyEncipherment" 2>/dev/null

# EC: a P-384 root signing a P-256 leaf; Ed25519: root and leaf.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-384 -nodes -sha384 -days $days \
  -keyout ec-root.key -out ec-root.pem -subj "/O=Example/CN=EC Root" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign" \
  -addext "subjectKeyIdentifier=hash" 2>/dev/null
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ec-leaf.key \
  -out ec-leaf.csr -subj "/O=Example/CN=uccx.example.local" 2>/dev/null
leaf_ext ec-leaf "DNS:uccx.example.local"
sign ec-leaf ec-root 825 -sha384
openssl req -x509 -newkey ed25519 -nodes -days $days -keyout ed-root.key -out ed-root.pem \
  -subj "/O=Example/CN=Ed25519 Root" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign" \
  -addext "subjectKeyIdentifier=hash" 2>/dev/null
openssl req -new -newkey ed25519 -nodes -keyout ed-leaf.key -out ed-leaf.csr \
  -subj "/O=Example/CN=cuic.example.local" 2>/dev/null
leaf_ext ed-leaf "DNS:cuic.example.local"
sign ed-leaf ed-root 825

rm -f ./*.key ./*.csr ./*.srl ./*.cnf
ls
