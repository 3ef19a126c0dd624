"""`ccetrust audit --format prometheus` read by the reference parser.

For every example: the exposition parses with prometheus_client's
`text_string_to_metric_families` (the parser Prometheus' own Python client ships), every family
has HELP and TYPE, there is one `ccetrust_x509_cert_not_after` sample per certificate the audit
JSON lists (`certificates`), with the JSON's value; one relationship sample per edge whose value
says trusted; one findings count per (code, severity) equal to the JSON's findings.

Usage: check_prometheus.py CCETRUST_BIN EXAMPLES_DIR
"""

import collections
import datetime
import json
import os
import subprocess
import sys

try:
    from prometheus_client.parser import text_string_to_metric_families
except ImportError:
    if os.environ.get("CI") == "true":
        sys.exit("prometheus: prometheus_client is not installed (CI=true: failing, not skipping)")
    print("prometheus: SKIPPED, prometheus_client is not installed (pip install prometheus_client)")
    sys.exit(0)


def at_of(example):
    with open(os.path.join(example, "GENERATED_AT")) as f:
        t = datetime.datetime.fromisoformat(f.read().strip().replace("Z", "+00:00"))
    return (t + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")


def run(binary, *args):
    return subprocess.run([binary, *args], check=True, capture_output=True, text=True).stdout


def cert_key(labels):
    return (labels["host"], labels["source"], labels["service"], labels["chain_index"],
            labels["store"], labels["alias"], labels["sha256"])


def json_cert_key(c):
    idx = "" if c["chain_index"] is None else str(c["chain_index"])
    return (c["host"], c["source"], c["service"] or "", idx, c["store"] or "", c["alias"] or "",
            c["sha256"])


def check(binary, example):
    inv = os.path.join(example, "inventory.toml")
    at = at_of(example)
    text = run(binary, "audit", "--format", "prometheus", "--at", at, inv)
    doc = json.loads(run(binary, "audit", "--json", "--at", at, inv))
    families = {f.name: f for f in text_string_to_metric_families(text)}
    for line in text.splitlines():
        if line.startswith("# TYPE "):
            name = line.split()[2]
            assert f"# HELP {name} " in text, f"{name} has no HELP"
    # The parser strips nothing from gauges: names as written.
    not_after = families["ccetrust_x509_cert_not_after"]
    assert not_after.type == "gauge", not_after.type
    samples = {cert_key(s.labels): s.value for s in not_after.samples}
    assert len(not_after.samples) == len(samples), "a not_after series is written twice"
    certs = doc["certificates"]
    assert certs, f"{example}: the JSON lists no certificate"
    want = {json_cert_key(c): c for c in certs}
    assert set(samples) == set(want), (
        f"{example}: samples and JSON certificates differ: "
        f"{sorted(set(samples) ^ set(want))[:5]}")
    for k, c in want.items():
        iso = datetime.datetime.fromisoformat(c["not_after"].replace("Z", "+00:00"))
        assert samples[k] == c["not_after_unix"] == iso.timestamp(), (k, samples[k], c["not_after"])
    rel = families["ccetrust_trust_relationship_trusted"]
    assert len(rel.samples) == len(doc["edges"]), (len(rel.samples), len(doc["edges"]))
    for s in rel.samples:
        assert s.value == (1.0 if s.labels["status"] == "trusted" else 0.0), s
    by_code = collections.Counter((f["code"], f["severity"]) for f in doc["findings"])
    got = {(s.labels["code"], s.labels["severity"]): s.value
           for s in families["ccetrust_findings"].samples}
    assert got == {k: float(v) for k, v in by_code.items()}, (got, by_code)
    sev = {s.labels["severity"]: s.value for s in families["ccetrust_findings_by_severity"].samples}
    want_sev = collections.Counter(f["severity"] for f in doc["findings"])
    assert sev == {k: float(want_sev.get(k, 0)) for k in ("error", "warning", "info")}, sev
    ts = families["ccetrust_audit_timestamp_seconds"].samples[0].value
    assert ts == datetime.datetime.fromisoformat(doc["at"].replace("Z", "+00:00")).timestamp()
    assert "ccetrust_audit_duration_seconds" in families
    assert "ccetrust_evidence_read_errors" in families
    print(f"prometheus: {os.path.basename(example)}: {len(certs)} certificates, "
          f"{len(rel.samples)} relationships, {len(families)} families: ok")


def main():
    binary, examples = sys.argv[1], sys.argv[2]
    for name in sorted(os.listdir(examples)):
        if os.path.exists(os.path.join(examples, name, "inventory.toml")):
            check(binary, os.path.join(examples, name))


if __name__ == "__main__":
    main()
