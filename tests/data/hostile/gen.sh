#!/bin/sh
# Hostile values for the "printed text is safe" tests (issue 12): what an attacker who can name a
# certificate or a store entry would put there. Made with openssl and keytool; run from this
# folder to regenerate (the tests read the files, they do not depend on their exact bytes).
#
#   esc-subject.pem    self-signed, 20 years; the subject holds ESC sequences (clear screen,
#                      set the terminal title) and a BEL: `inspect`, `verify` and `keystore list`
#                      must show them as \u{1b} and \u{7}, never send them to the terminal.
#   changeit.txt       the store password of hostile-alias.jks.
#   hostile-alias.jks  JKS (password changeit) with esc-subject.pem under the alias
#                      `old rgra" & calc.exe & "x<ESC>[31m`: a cmd.exe injection and an ANSI
#                      escape in one alias.
set -eu
ESC=$(printf '\033')
BEL=$(printf '\007')
rm -f esc-subject.pem hostile-alias.jks key.tmp
echo changeit > changeit.txt
openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 7300 -keyout key.tmp -out esc-subject.pem \
  -subj "/CN=evil${ESC}[2J.example.com/O=ACME${ESC}]0;owned${BEL}" \
  -addext "subjectAltName=DNS:evil.example.com"
rm -f key.tmp
keytool -importcert -noprompt -storetype JKS -keystore hostile-alias.jks -storepass changeit \
  -alias "old rgra\" & calc.exe & \"x${ESC}[31m" -file esc-subject.pem
