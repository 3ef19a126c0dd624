"""Typed use of every dict result, checked by ``mypy --strict`` in CI (tests/ci.d/50-python.sh).

Not run by pytest: it only has to type-check. ``wrong_key.py`` beside it must NOT type-check,
which proves the ``TypedDict`` stubs catch a misspelt key.
"""

from __future__ import annotations

from ccetrust import cce, chain, exceptions, keystore, results, x509


def certificate_facts(cert: x509.Certificate) -> tuple[str, list[str], int | None]:
    d: results.CertificateDict = cert.to_dict()
    return d["not_after"], d["san"]["dns"], d["public_key"]["bits"]


def bulk(items: list[bytes]) -> list[str]:
    out = [s["sha256"] for s in x509.inspect_many(items)]
    for r in x509.inspect_many(items, errors="collect"):
        if isinstance(r, exceptions.ParseError):
            out.append(f"bad item {r.index}")
        else:
            out.append(r["san"]["ip"][0] if r["san"]["ip"] else r["subject"])
    return out


def verdict_code(leaf: x509.Certificate, anchors: list[x509.Certificate]) -> str:
    v: results.VerdictDict = chain.verify(leaf, anchors=anchors).to_dict()
    path = [p["sha256"] for p in v["path"]]
    name = v["name"]
    return v["code"] if name is None or name["matched"] else ",".join(path)


def import_and_list(ks: keystore.Keystore, cert: x509.Certificate) -> list[str]:
    o = ks.import_certificate("root", cert)
    if o["result"] == "added":
        requested: str | None = o["requested_alias"]
    elif o["result"] == "already_present":
        requested = o["existing_alias"]
    else:
        requested = o["previous_sha256"]
    listing: results.KeystoreListing = ks.to_dict()
    aliases = [e["alias"] for e in listing["entries"] if e["kind"] == "trusted_cert"]
    return aliases + ([requested] if requested else []) + [str(o["changed"])]


def audit_facts(inv: cce.Inventory) -> list[str]:
    report = cce.audit(inv, offline=True)
    doc: results.AuditDocument = report.to_dict()
    out = [f["code"] for f in report.findings if f["severity"] == "error"]
    out += [e["status"] for e in doc["edges"]]
    out += [a["store_path"] for a in report.actions() if a["action"] == "import"]
    out += [s["title"] for h in report.plan for s in h["steps"]]
    out += [c["subject_cn"] for c in doc["certificates"] if c["source"] == "store"]
    n: int = report.summary["untrusted"]
    done = report.apply()
    return out + done["applied"] + [str(n + done["manual_steps"])]
