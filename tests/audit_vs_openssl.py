#!/usr/bin/env python3
"""Every trust relationship of every example's audit, judged again by `openssl verify`.

Why: an administrator acts on `ccetrust audit` without a second opinion, so each edge's verdict
(trusted or not) is checked against an independent implementation on the same files. For each
edge of `ccetrust audit --format json examples/*/inventory.toml` (docs/audit-schema.md):

  -CAfile      the importer store's certificates, extracted with real tools: `keytool -list
               -rfc` for JKS/JCEKS/PKCS#12 files, the files themselves (through `openssl x509`)
               for folder stores and PEM bundles; never ccetrust's own reader. A subscriber
               without a collected store uses its publisher's (replicated tomcat-trust, as
               docs/inventory.md says).
  -untrusted   the rest of the chain the exporter presents (its [host.presents] file).
  -attime      the audit's `at`.
  -purpose     sslserver, or sslclient where the exporter is the TLS client (CLIENT_EDGES).
  -verify_hostname  the exporter's FQDN, for server relationships only.

and asserts trusted <=> openssl says OK. Edges whose status is `unknown` are skipped and
counted. Where ccetrust and openssl disagree for a documented reason (a rule one of the two
clients has and openssl does not), the edge and the reason are in DISAGREEMENTS; an entry that
no longer disagrees fails the run too, so the table cannot hide anything.

Usage: audit_vs_openssl.py CCETRUST_BINARY [EXAMPLES_DIR]. Under CI=true a missing openssl or
keytool fails the run; elsewhere it is reported and the run is skipped (exit 0).
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from datetime import datetime
from pathlib import Path

# Requirements whose exporter is the TLS *client*: the importer checks the chain, validity and
# clientAuth, never a host name (issue 11 point 3). CCE 12 CTI: Finesse connects to the CTI
# server's secure port and presents its tomcat certificate.
CLIENT_EDGES = {"cti.trusts.finesse"}

# (example, requirement, importer, exporter, service) -> why ccetrust and openssl differ.
# Each reason names the client rule openssl does not have (or the reverse).
UCCX_CRITICAL = (
    "UCCX-only rule (ext.critical-unsupported): UCCX's Java client refuses a CUCM chain that marks "
    "anything but keyUsage and basicConstraints critical (here extendedKeyUsage, which openssl "
    "understands and accepts)"
)
DISAGREEMENTS: dict[tuple[str, str, str, str, str], str] = {
    **{
        ("uccx", "uccx.trusts.cucm", f"{node}.cc.example.com", "cucm.cc.example.com", "tomcat"): UCCX_CRITICAL
        for node in ["uccxa", "uccxb"]  # the publisher and, with its replicated store, the subscriber
    },
}

# Extensions of files in a folder store that count as certificates (docs/inventory.md).
CERT_EXTS = {".pem", ".cer", ".crt", ".der"}
PEM_RE = re.compile(
    rb"-----BEGIN CERTIFICATE-----\s+.*?-----END CERTIFICATE-----", re.DOTALL
)


class Skip(Exception):
    """An edge that cannot be judged by openssl (its evidence is not a file)."""


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, **kw)


def to_pem_certs(path: Path) -> list[bytes]:
    """Every certificate in a file (PEM, DER or PKCS#7), as PEM, converted by openssl."""
    data = path.read_bytes()
    if b"-----BEGIN CERTIFICATE-----" in data:
        blocks = PEM_RE.findall(data)
    elif b"-----BEGIN PKCS7-----" in data or path.suffix.lower() == ".p7b":
        inform = "PEM" if b"-----BEGIN PKCS7-----" in data else "DER"
        out = run(["openssl", "pkcs7", "-inform", inform, "-print_certs", "-in", str(path)])
        if out.returncode != 0:
            raise RuntimeError(f"openssl pkcs7 cannot read {path}: {out.stderr.decode()}")
        blocks = PEM_RE.findall(out.stdout)
    else:
        out = run(["openssl", "x509", "-inform", "DER", "-in", str(path)])
        if out.returncode != 0:
            raise RuntimeError(f"openssl x509 cannot read {path}: {out.stderr.decode()}")
        blocks = PEM_RE.findall(out.stdout)
    # Re-encode each through openssl so that what openssl reads is what it verified.
    certs = []
    for b in blocks:
        out = run(["openssl", "x509"], input=b + b"\n")
        if out.returncode != 0:
            raise RuntimeError(f"openssl x509 cannot read a certificate of {path}")
        certs.append(out.stdout)
    return certs


def store_password(store: dict, base: Path) -> str:
    if "password_env" in store:
        value = os.environ.get(store["password_env"])
        if value is None:
            raise RuntimeError(f"environment variable {store['password_env']} is not set")
        return value
    if "password_file" in store:
        text = (base / store["password_file"]).read_text()
        for line in text.splitlines():
            key, sep, value = line.partition("=")
            if sep and key.strip() == "Security.keystorePW":  # a CVP security.properties
                return value.strip()
        return text.strip()
    return "changeit"  # the JRE default for cacerts (docs/inventory.md)


def keystore_certs(path: Path, store: dict, base: Path) -> list[bytes]:
    """What keytool lists in a JKS, JCEKS or PKCS#12 file (every certificate, as PEM)."""
    data = path.read_bytes()
    if b"-----BEGIN CERTIFICATE-----" in data:
        return to_pem_certs(path)  # a PEM bundle used as a store
    cmd = ["keytool", "-list", "-rfc", "-keystore", str(path), "-storepass", store_password(store, base)]
    fmt = store.get("format")
    if fmt in ("jks", "jceks", "pkcs12"):
        cmd += ["-storetype", fmt.upper()]
    out = run(cmd)
    if out.returncode != 0:
        raise RuntimeError(f"keytool cannot list {path}: {out.stdout.decode()}{out.stderr.decode()}")
    return [b + b"\n" for b in PEM_RE.findall(out.stdout)]


def store_certs(store: dict, base: Path) -> list[bytes]:
    path = base / store["path"]
    if path.is_dir():
        certs = []
        for f in sorted(path.iterdir()):
            if f.is_file() and f.suffix.lower() in CERT_EXTS:
                certs += to_pem_certs(f)
        return certs
    return keystore_certs(path, store, base)


def find_store(hosts: dict, importer: str, kind: str) -> dict | None:
    host = hosts[importer]
    for s in host.get("store", []):
        if s["kind"] == kind:
            return s
    if host.get("node") == "subscriber":
        for other in hosts.values():
            if other.get("cluster") == host.get("cluster") and other.get("node") == "publisher":
                for s in other.get("store", []):
                    if s["kind"] == kind:
                        return s
    return None


def openssl_verdict(edge, hosts, base: Path, at: int, work: Path) -> tuple[bool, str]:
    exporter = hosts[edge["exporter"]]
    presented = exporter.get("presents", {}).get(edge["service"])
    if presented is None:
        raise Skip(f"{edge['exporter']} {edge['service']} is not a file of the inventory")
    chain = to_pem_certs(base / presented)
    store = find_store(hosts, edge["importer"], edge["store"])
    if store is None:
        raise Skip(f"{edge['importer']} has no {edge['store']} store in the inventory")
    anchors = store_certs(store, base)
    leaf, untrusted, cafile = work / "leaf.pem", work / "untrusted.pem", work / "ca.pem"
    leaf.write_bytes(chain[0])
    cmd = ["openssl", "verify", "-no-CApath", "-no-CAstore", "-attime", str(at)]
    if anchors:
        cafile.write_bytes(b"".join(anchors))
        cmd += ["-CAfile", str(cafile)]
    else:
        cmd += ["-no-CAfile"]  # an empty store trusts nothing
    if b"".join(chain[0].split()) in {b"".join(a.split()) for a in anchors}:
        # The server's own certificate is in the store (an imported self-signed certificate):
        # Java (PKIXValidator), Windows and Chrome trust it as it is. -partial_chain makes
        # openssl do the same instead of first picking another self-signed certificate of the
        # same subject as its issuer; dates, purpose and host name are still checked.
        cmd += ["-partial_chain"]
    if len(chain) > 1:
        untrusted.write_bytes(b"".join(chain[1:]))
        cmd += ["-untrusted", str(untrusted)]
    client = edge.get("usage") == "client" or edge["requirement"] in CLIENT_EDGES
    cmd += ["-purpose", "sslclient" if client else "sslserver"]
    if not client:
        cmd += ["-verify_hostname", edge["exporter"]]
    cmd.append(str(leaf))
    out = run(cmd)
    text = (out.stdout + out.stderr).decode(errors="replace").strip().replace(str(leaf), "leaf")
    return out.returncode == 0, " ".join(text.split())


def check_example(binary: str, inventory: Path, work: Path) -> tuple[int, int, int, list[str]]:
    name = inventory.parent.name
    base = inventory.parent
    out = run([binary, "audit", "--format", "json", str(inventory)])
    if out.returncode != 0:
        said = (out.stderr or out.stdout).decode(errors="replace").strip()
        return 0, 0, 0, [f"{name}: ccetrust audit failed (exit {out.returncode}): {said}"]
    audit = json.loads(out.stdout)
    at = int(datetime.fromisoformat(audit["at"].replace("Z", "+00:00")).timestamp())
    with open(inventory, "rb") as f:
        hosts = {h["fqdn"]: h for h in tomllib.load(f).get("host", [])}
    checked = skipped = documented = 0
    problems = []
    seen = set()
    for edge in audit["edges"]:
        key = (name, edge["requirement"], edge["importer"], edge["exporter"], edge["service"])
        label = f"{name}: {edge['requirement']} {edge['importer']} <- {edge['exporter']} {edge['service']} ({edge['store']})"
        if edge["status"] == "unknown":
            skipped += 1
            continue
        try:
            ok, said = openssl_verdict(edge, hosts, base, at, work)
        except Skip as why:
            skipped += 1
            print(f"  skipped {label}: {why}")
            continue
        checked += 1
        trusted = edge["status"] == "trusted"
        if trusted == ok:
            if key in DISAGREEMENTS:
                seen.add(key)
                problems.append(f"{label}: listed as a disagreement but both say {'OK' if ok else 'not OK'}")
            continue
        ours = f"ccetrust {edge['status']} ({edge['code']}: {edge['reason']})"
        theirs = f"openssl {'OK' if ok else 'refuses'} ({said})"
        if key in DISAGREEMENTS:
            seen.add(key)
            documented += 1
            print(f"  documented disagreement {label}: {DISAGREEMENTS[key]}\n    {ours}\n    {theirs}")
        else:
            problems.append(f"{label}: {ours}; {theirs}")
    for key in DISAGREEMENTS:
        if key[0] == name and key not in seen:
            problems.append(f"{name}: DISAGREEMENTS lists {key[1:]}, which the audit no longer has")
    print(f"{name}: {checked} relationships checked against openssl, {documented} documented disagreements, {skipped} unknown skipped")
    return checked, skipped, documented, problems


def main() -> int:
    ci = os.environ.get("CI") == "true"
    missing = [t for t in ("openssl", "keytool") if shutil.which(t) is None]
    if missing:
        msg = f"audit-vs-openssl: {', '.join(missing)} not found"
        if ci:
            print(msg + " (CI=true: failing)", file=sys.stderr)
            return 1
        print(msg + ": skipped")
        return 0
    binary = sys.argv[1]
    examples = Path(sys.argv[2] if len(sys.argv) > 2 else "examples")
    inventories = sorted(examples.glob("*/inventory.toml"))
    if not inventories:
        print(f"audit-vs-openssl: no examples under {examples}", file=sys.stderr)
        return 1
    total = [0, 0, 0]
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        for inv in inventories:
            c, s, d, p = check_example(binary, inv, Path(tmp))
            total[0] += c
            total[1] += s
            total[2] += d
            problems += p
    for p in problems:
        print("MISMATCH " + p, file=sys.stderr)
    print(f"audit-vs-openssl: {len(inventories)} examples, {total[0]} relationships checked, "
          f"{total[2]} documented disagreements, {total[1]} unknown skipped, {len(problems)} problems")
    if total[0] == 0:
        print("audit-vs-openssl: no relationship was checked", file=sys.stderr)
        return 1
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
