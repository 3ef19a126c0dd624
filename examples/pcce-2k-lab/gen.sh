#!/usr/bin/env bash
# Builds the PCCE 12.5 2000-agent lab of this folder with the real tools: every certificate by
# openssl (IIS, DFP, VOS tomcat, the AD CA) or keytool (CVP's JCEKS key pairs), every store by
# keytool (JKS cacerts, the CVP JCEKS keystore, the ECE LDAPS JKS) or as the folder of .pem files
# a VOS tomcat-trust download gives. The lab is healthy except for the problems listed in
# README.md, which are made here on purpose, the way they happen in the field.
#
# Run from anywhere: bash examples/pcce-2k-lab/gen.sh   (needs openssl 3 and keytool 17)
set -euo pipefail
cd "$(dirname "$0")"
D=lab.example.com
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
rm -rf presented stores ca
mkdir -p presented stores ca

# A self-signed server certificate: name, CN, SAN list ("" for none), EKU, days, start offset.
selfsigned() {
  local name=$1 cn=$2 san=$3 eku=$4 days=${5:-1825}
  {
    echo "[req]"; echo "distinguished_name=dn"; echo "prompt=no"; echo "x509_extensions=ext"
    echo "[dn]"; echo "CN=$cn"
    echo "[ext]"
    echo "basicConstraints=critical,CA:FALSE"
    echo "keyUsage=critical,digitalSignature,keyEncipherment"
    echo "extendedKeyUsage=$eku"
    echo "subjectKeyIdentifier=hash"
    if [ -n "$san" ]; then echo "subjectAltName=$san"; fi
  } >"$TMP/$name.cnf"
  openssl req -x509 -newkey rsa:2048 -sha256 -nodes -days "$days" -config "$TMP/$name.cnf" \
    -keyout "$TMP/$name.key" -out "presented/$name.pem" 2>/dev/null
}

import() { # store type password alias file
  keytool -importcert -noprompt -storetype "$2" -keystore "$1" -storepass "$3" -alias "$4" -file "$5" >/dev/null 2>&1
}

# --- Windows CCE servers: IIS and Diagnostic Portico, self-signed (the 12.5 default) ----------
for h in awa awb rgra rgrb pga pgb; do
  selfsigned "$h-iis" "$h.$D" "DNS:$h.$D" serverAuth
  selfsigned "$h-dfp" "$h.$D" "DNS:$h.$D" serverAuth
done
# Problem: rgrb's IIS certificate still names the server's old host name.
selfsigned rgrb-iis "rgrb-old.$D" "DNS:rgrb-old.$D" serverAuth
# Problem: pgb's DFP certificate was regenerated after the AWs imported the first one.
cp presented/pgb-dfp.pem "$TMP/pgb-dfp-old.pem"
selfsigned pgb-dfp "pgb.$D" "DNS:pgb.$D" serverAuth

# --- ECE web server: IIS certificate made without a SAN (CN only) ---------------------------
selfsigned eceweb-iis "eceweb.$D" "" serverAuth

# --- VOS: Finesse and CUIC publisher/subscriber, self-signed tomcat (client+server EKU) -------
for h in fina finb cuica cuicb; do
  selfsigned "$h-tomcat" "$h.$D" "DNS:$h.$D" serverAuth,clientAuth
done

# --- AD global catalog: LDAPS certificate from the enterprise CA (root → issuing → dc1) -------
cat >"$TMP/ca.cnf" <<EOF
[req]
distinguished_name=dn
prompt=no
[dn]
CN=LAB Root CA
O=Lab
[root]
basicConstraints=critical,CA:TRUE
keyUsage=critical,keyCertSign,cRLSign
subjectKeyIdentifier=hash
[issuing]
basicConstraints=critical,CA:TRUE,pathlen:0
keyUsage=critical,keyCertSign,cRLSign
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
[server]
basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=DNS:dc1.$D,DNS:$D
authorityKeyIdentifier=keyid
EOF
openssl req -x509 -newkey rsa:2048 -sha256 -nodes -days 3650 -config "$TMP/ca.cnf" -extensions root \
  -keyout "$TMP/root.key" -out ca/lab-root-ca.pem 2>/dev/null
openssl req -new -newkey rsa:2048 -nodes -subj "/O=Lab/CN=LAB Issuing CA" -keyout "$TMP/iss.key" -out "$TMP/iss.csr" 2>/dev/null
openssl x509 -req -in "$TMP/iss.csr" -CA ca/lab-root-ca.pem -CAkey "$TMP/root.key" -CAserial "$TMP/root.srl" -CAcreateserial \
  -sha256 -days 3000 -extfile "$TMP/ca.cnf" -extensions issuing -out "$TMP/issuing.pem" 2>/dev/null
openssl req -new -newkey rsa:2048 -nodes -subj "/CN=dc1.$D" -keyout "$TMP/dc1.key" -out "$TMP/dc1.csr" 2>/dev/null
openssl x509 -req -in "$TMP/dc1.csr" -CA "$TMP/issuing.pem" -CAkey "$TMP/iss.key" -CAserial "$TMP/iss.srl" -CAcreateserial \
  -sha256 -days 730 -extfile "$TMP/ca.cnf" -extensions server -out "$TMP/dc1.pem" 2>/dev/null
# A domain controller sends its certificate and the issuing CA, not the root.
cat "$TMP/dc1.pem" "$TMP/issuing.pem" >presented/dc1-ldaps.pem

# --- CVP: key pairs in the JCEKS keystore, made by keytool as CVP's installer does -----------
CVP_PW=Cvp-Lab-Keystore-1
for h in cvpa cvpb cvprpt; do
  mkdir -p "stores/$h"
  ks="stores/$h/keystore"
  aliases="wsm_certificate callserver_certificate"
  [ "$h" != cvprpt ] && aliases="$aliases vxml_certificate"
  for a in $aliases; do
    extra=()
    # Problem: cvpb's WSM certificate was made two years ago for two years: it has expired.
    [ "$h" = cvpb ] && [ "$a" = wsm_certificate ] && extra=(-startdate -800d -validity 730)
    [ ${#extra[@]} -eq 0 ] && extra=(-validity 1825)
    keytool -genkeypair -storetype JCEKS -keystore "$ks" -storepass "$CVP_PW" -keypass "$CVP_PW" \
      -alias "$a" -keyalg RSA -keysize 2048 -sigalg SHA256withRSA "${extra[@]}" \
      -dname "CN=$h.$D" -ext "SAN=dns:$h.$D" >/dev/null 2>&1
  done
  keytool -exportcert -rfc -storetype JCEKS -keystore "$ks" -storepass "$CVP_PW" -alias wsm_certificate \
    -file "presented/$h-wsm.pem" >/dev/null 2>&1
  keytool -exportcert -rfc -storetype JCEKS -keystore "$ks" -storepass "$CVP_PW" -alias callserver_certificate \
    -file "presented/$h-callserver.pem" >/dev/null 2>&1
  [ "$h" != cvprpt ] && keytool -exportcert -rfc -storetype JCEKS -keystore "$ks" -storepass "$CVP_PW" \
    -alias vxml_certificate -file "presented/$h-vxml.pem" >/dev/null 2>&1
  # CVP keeps the keystore password in security.properties.
  printf 'Security.keystorePW = %s\n' "$CVP_PW" >"stores/$h/security.properties"
done

# --- AW/ADS cacerts: a JKS with a few public roots (as the JRE ships) plus the lab ------------
SYS=/etc/ssl/certs/java/cacerts
for h in awa awb rgra rgrb; do
  mkdir -p "stores/$h"
  for pub in digicert_global_root_g2 isrg_root_x1; do
    keytool -exportcert -rfc -keystore "$SYS" -storepass changeit -alias "debian:$pub.pem" -file "$TMP/$pub.pem" >/dev/null 2>&1
    import "stores/$h/cacerts" JKS changeit "$pub [jdk]" "$TMP/$pub.pem"
done
done
for aw in awa awb; do
  ks=stores/$aw/cacerts
  for h in awa awb rgra rgrb pga pgb; do
    [ "$h" = "$aw" ] && continue
    import "$ks" JKS changeit "$h.${D}_IIS" "presented/$h-iis.pem"
    if [ "$aw" = awb ] && [ "$h" = pgb ]; then
      import "$ks" JKS changeit "$h.${D}_DFP" "$TMP/pgb-dfp-old.pem"   # stale: imported before pgb regenerated it
    else
      import "$ks" JKS changeit "$h.${D}_DFP" "presented/$h-dfp.pem"
    fi
  done
  for h in cvpa cvpb cvprpt; do
    # Problem: awb never got cvpa's WSM certificate.
    [ "$aw" = awb ] && [ "$h" = cvpa ] && continue
    import "$ks" JKS changeit "$h.$D" "presented/$h-wsm.pem"
  done
  for h in fina finb cuica cuicb; do import "$ks" JKS changeit "$h.$D" "presented/$h-tomcat.pem"; done
  import "$ks" JKS changeit "eceweb.$D" presented/eceweb-iis.pem
done
# Problem: on awa someone imported rgra's IIS certificate a second time under another alias.
import stores/awa/cacerts JKS changeit rgra_iis_old presented/rgra-iis.pem
for r in rgra rgrb; do
  for aw in awa awb; do import "stores/$r/cacerts" JKS changeit "$aw.${D}_IIS" "presented/$aw-iis.pem"; done
done

# --- CVP keystores trust the ADS IIS certificates -------------------------------------------
for h in cvpa cvpb cvprpt; do
  for aw in awa awb; do
    # Problem: cvpa is missing awb's IIS certificate.
    [ "$h" = cvpa ] && [ "$aw" = awb ] && continue
    keytool -importcert -noprompt -trustcacerts -storetype JCEKS -keystore "stores/$h/keystore" \
      -storepass "$CVP_PW" -alias "$aw.$D" -file "presented/$aw-iis.pem" >/dev/null 2>&1
  done
done

# --- VOS tomcat-trust, as downloaded from OS Administration (one .pem per certificate) --------
mkdir -p stores/fina/tomcat-trust stores/cuica/tomcat-trust
cp presented/cuica-tomcat.pem "stores/fina/tomcat-trust/cuica.$D.pem"
# Problem: cuicb's tomcat certificate was never uploaded to the Finesse publisher.
for h in fina finb; do cp "presented/$h-tomcat.pem" "stores/cuica/tomcat-trust/$h.$D.pem"; done

# --- ECE application server: the LDAPS JKS, made before the AD CA was known ------------------
mkdir -p stores/eceapp
ECE_PW=Ece-Ldaps-1
printf '%s\n' "$ECE_PW" >stores/eceapp/mydomain.jks.password
# Problem: it holds only the old, self-signed certificate of another DC; the LAB Root CA is missing.
selfsigned olddc "dc0.$D" "DNS:dc0.$D" serverAuth
import stores/eceapp/mydomain.jks JKS "$ECE_PW" dc0 presented/olddc.pem
rm presented/olddc.pem

date -u +%Y-%m-%dT%H:%M:%SZ >GENERATED_AT
echo "pcce-2k-lab generated: $(ls presented | wc -l) presented chains, stores under stores/"
