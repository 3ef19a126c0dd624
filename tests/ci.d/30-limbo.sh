#!/usr/bin/env bash
# x509-limbo conformance: run the whole suite through `ccetrust limbo`, score it, and fail on
# any accepted-bad (an invalid chain accepted) or on fewer passes than tests/limbo/floor.txt.
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
