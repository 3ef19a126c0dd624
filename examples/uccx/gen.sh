#!/usr/bin/env bash
# A UCCX 12.5 deployment: UCCX publisher + subscriber, SocialMiner/CCP, the CUCM publisher, a
# third-party HTTPS server that UCCX scripts call, and an agent desktop. Self-signed VOS tomcat
# certificates made with openssl; stores are VOS tomcat-trust downloads (folders of .pem) and the
# desktop's trusted roots. Problems made on purpose are in README.md.
#   bash examples/uccx/gen.sh
set -euo pipefail
cd "$(dirname "$0")"
D=cc.example.com
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
rm -rf presented stores
mkdir -p presented stores

# tomcat NAME FQDN [EKU-critical] : a VOS self-signed tomcat certificate (RSA 2048, SHA-256).
tomcat() {
  local name=$1 fqdn=$2 crit=${3:-}
  printf '[req]\ndistinguished_name=dn\nprompt=no\nx509_extensions=ext\n[dn]\nCN=%s\nO=Cisco\nOU=UCCX\n[ext]\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment,dataEncipherment,keyAgreement\nextendedKeyUsage=%sserverAuth,clientAuth\nsubjectAltName=DNS:%s\nsubjectKeyIdentifier=hash\n' \
    "$fqdn" "$crit" "$fqdn" >"$TMP/$name.cnf"
  openssl req -x509 -newkey rsa:2048 -sha256 -nodes -days 1825 -config "$TMP/$name.cnf" \
    -keyout "$TMP/$name.key" -out "presented/$name.pem" 2>/dev/null
}
tomcat uccxa "uccxa.$D"
tomcat uccxb "uccxb.$D"
tomcat sm "sm.$D"
# Problem: this CUCM's tomcat certificate marks extendedKeyUsage critical (UCCX refuses it).
tomcat cucm "cucm.$D" critical,
tomcat api "api.$D"

mkdir -p stores/uccxa/tomcat-trust stores/sm/tomcat-trust stores/agent-pc/roots
# UCCX publisher: has CUCM and the third-party API, but (problem) not SocialMiner.
cp presented/cucm.pem "stores/uccxa/tomcat-trust/cucm.$D.pem"
cp presented/api.pem "stores/uccxa/tomcat-trust/api.$D.pem"
# SocialMiner: has the UCCX publisher but (problem) not the subscriber.
cp presented/uccxa.pem "stores/sm/tomcat-trust/uccxa.$D.pem"
# The agent desktop accepted uccxa and SocialMiner in the browser, (problem) never uccxb.
cp presented/uccxa.pem "stores/agent-pc/roots/uccxa.$D.pem"
cp presented/sm.pem "stores/agent-pc/roots/sm.$D.pem"

date -u +%Y-%m-%dT%H:%M:%SZ >GENERATED_AT
echo "uccx generated"
