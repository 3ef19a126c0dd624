#!/usr/bin/env bash
# x509-limbo conformance: run the whole suite through `ccetrust limbo`, score it, and fail on
# any accepted-bad (an invalid chain accepted) or on fewer passes than tests/limbo/floor.txt.
# The suite runs twice, once per signature backend (ring, the CLI's default, and pure Rust
# through CCETRUST_SIGNATURE_BACKEND=pure), and the two result files must be identical.
set -euo pipefail
suite=${LIMBO_JSON:-../shared/conformance/limbo.json}
scorer=${LIMBO_SCORE:-../shared/conformance/tools/limbo_score.py}
if [ ! -f "$suite" ]; then
  echo "limbo: $suite not found (shared/ must sit beside the repository)" >&2
  exit 1
fi
cargo build --release --locked -p ccetrust-core --bin ccetrust
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
start=$(date +%s.%N)
./target/release/ccetrust limbo "$suite" --output "$out/results.json"
end=$(date +%s.%N)
pstart=$(date +%s.%N)
CCETRUST_SIGNATURE_BACKEND=pure ./target/release/ccetrust limbo "$suite" --output "$out/results-pure.json"
pend=$(date +%s.%N)
if ! cmp -s "$out/results.json" "$out/results-pure.json"; then
  python3 - "$out/results.json" "$out/results-pure.json" <<'PY'
import json, sys
def load(p):
    d = json.load(open(p))
    rows = d.get("results", d) if isinstance(d, dict) else d
    return {r.get("id", i): r for i, r in enumerate(rows)} if isinstance(rows, list) else rows
a, b = load(sys.argv[1]), load(sys.argv[2])
diff = [k for k in a if a.get(k) != b.get(k)] + [k for k in b if k not in a]
print(f"limbo: ring and pure backends differ on {len(diff)} tests, first: {diff[:10]}")
PY
  echo "limbo: the two signature backends gave different results" >&2
  exit 1
fi
echo "limbo: ring and pure-Rust backends gave identical results ($(python3 -c "print(f'{$pend - $pstart:.1f}')") s for pure)"
python3 "$scorer" "$suite" "$out/results.json" --json > "$out/score.json"
python3 "$scorer" "$suite" "$out/results.json" --mismatches 50 > "$out/score.txt"
sed -n '1,16p;/^mismatches/,$p' "$out/score.txt"
python3 - "$out/score.json" tests/limbo/floor.txt "$start" "$end" <<'PY'
import json, sys
score = json.load(open(sys.argv[1]))
floor = int(open(sys.argv[2]).read().split()[0])
t = score.get("overall", score.get("total", score))
passed, bad = t["pass"], t["accepted_bad"]
print(f"limbo: pass {passed} (floor {floor}), accepted-bad {bad}, wall {float(sys.argv[4]) - float(sys.argv[3]):.1f} s")
if bad:
    sys.exit("limbo: accepted-bad results: an invalid chain was accepted")
if passed < floor:
    sys.exit(f"limbo: {passed} passes is below the floor of {floor}")
PY
