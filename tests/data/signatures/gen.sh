#!/usr/bin/env bash
# RSA signatures made by the real OpenSSL 3 CLI for the backend differential test
# (ccetrust-core/src/cert/backend/differential.rs, issue 17): bash tests/data/signatures/gen.sh.
# rsa.txt lines: `key NAME SPKI-HEX` and `sig NAME SCHEME MESSAGE-HEX SIGNATURE-HEX`, where
# SCHEME is pkcs1-HASH or pss-HASH-SALT. Keys of 1024 (ring refuses it: pure Rust answers),
# 2048, 3072 and 4096 bits, exponent 65537; 6 random messages of 0 to 200 bytes per key.
# The private keys are deleted.
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out=rsa.txt
: > "$out"
hex() { od -An -v -tx1 | tr -d ' \n'; }
for bits in 1024 2048 3072 4096; do
  name=rsa$bits
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:$bits -out "$tmp/$name.key" 2>/dev/null
  echo "key $name $(openssl pkey -in "$tmp/$name.key" -pubout -outform DER | hex)" >> "$out"
  for i in 0 1 2 3 4 5; do
    len=$(( (i * 37) % 201 ))
    head -c "$len" /dev/urandom > "$tmp/msg"
    m=$(hex < "$tmp/msg")
    for h in sha1 sha256 sha384 sha512; do
      s=$(openssl dgst -"$h" -sign "$tmp/$name.key" "$tmp/msg" | hex)
      echo "sig $name pkcs1-$h ${m:--} $s" >> "$out"
    done
    for hs in sha256:32 sha384:48 sha512:64 sha256:20 sha1:20; do
      h=${hs%%:*} salt=${hs##*:}
      # A 1024-bit key is too short for SHA-512 with a 64-byte salt (RFC 8017 §9.1.1).
      [ "$bits$hs" = "1024sha512:64" ] && continue
      s=$(openssl dgst -"$h" -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:"$salt" \
        -sigopt rsa_mgf1_md:"$h" -sign "$tmp/$name.key" "$tmp/msg" | hex)
      echo "sig $name pss-$h-$salt ${m:--} $s" >> "$out"
    done
  done
done
