"""The TypedDicts of ``ccetrust.results`` against real dicts: every key a result has is
declared and every declared key is present (a ``total=False`` type: a subset), recursively,
so a stub cannot drift from what the binding returns."""

from __future__ import annotations

import shutil
import typing
from pathlib import Path
from typing import Any

from ccetrust import cce, chain, keystore, results, x509
from tools import missing

LAB = Path(__file__).resolve().parents[2] / "examples" / "pcce-2k-lab"


def check(value: Any, tp: Any, where: str) -> None:
    """Asserts that ``value`` has the shape of ``tp`` (TypedDicts, lists, unions, None)."""
    origin = typing.get_origin(tp)
    if typing.is_typeddict(tp):
        assert isinstance(value, dict), where
        hints = typing.get_type_hints(tp)
        keys = set(hints)
        if tp.__total__:
            assert set(value) == keys, f"{where}: {sorted(set(value) ^ keys)}"
        else:
            assert set(value) <= keys, f"{where}: {sorted(set(value) - keys)}"
        for k, v in value.items():
            check(v, hints[k], f"{where}.{k}")
    elif origin is list:
        assert isinstance(value, list), where
        for i, v in enumerate(value):
            check(v, typing.get_args(tp)[0], f"{where}[{i}]")
    elif origin in (typing.Union, getattr(__import__("types"), "UnionType")):
        errors = []
        for option in typing.get_args(tp):
            try:
                check(value, option, where)
                return
            except AssertionError as e:
                errors.append(str(e))
        raise AssertionError(f"{where}: matches no option of {tp}: {errors}")
    elif origin is typing.Literal:
        assert value in typing.get_args(tp), f"{where}: {value!r}"
    elif tp is type(None):
        assert value is None, where
    elif tp in (str, int, bool):
        assert type(value) is tp, f"{where}: {value!r} is not {tp}"


def test_certificate_verdict_and_keystore_types(fx: Path) -> None:
    leaf, inter, root = (x509.Certificate((fx / f).read_bytes()) for f in ("leaf.pem", "int.pem", "root.pem"))
    for c in (leaf, inter, root, x509.Certificate((fx / "ec.pem").read_bytes())):
        check(c.to_dict(), results.CertificateDict, "certificate")
    for s in x509.inspect_many([(fx / "leaf.der").read_bytes(), (fx / "ec.pem").read_bytes()]):
        check(s, results.CertificateSummary, "summary")
    csr = x509.CertificateRequest((fx / "leaf.csr").read_bytes())
    check(csr.to_dict(), results.CsrDict, "csr")
    check(csr.compare(leaf).to_dict(), results.CsrComparisonDict, "comparison")
    for kwargs in ({"name": "rgra.example.com"}, {"name": "nope.example.com"}, {}):
        check(chain.verify(leaf, [inter], [root], **kwargs).to_dict(), results.VerdictDict, "verdict")
    check(chain.verify(leaf, [], [root]).to_dict(), results.VerdictDict, "verdict")
    ks = keystore.Keystore("jks")
    outs = [ks.import_certificate("a", root), ks.import_certificate("b", root), ks.import_certificate("a", inter, replace=True)]
    assert [o["result"] for o in outs] == ["added", "already_present", "replaced"]
    for o in outs:
        check(o, results.ImportOutcome, "outcome")
    check(ks.to_dict(), results.KeystoreListing, "listing")


def test_audit_types(tmp_path: Path) -> None:
    if not (LAB / "inventory.toml").exists():
        missing(f"{LAB} is missing")
    shutil.copytree(LAB, tmp_path / "lab")
    report = cce.audit(cce.Inventory.load(tmp_path / "lab" / "inventory.toml"), offline=True)
    check(report.to_dict(), results.AuditDocument, "audit")
    check(report.summary, results.AuditSummary, "summary")
    check(report.actions(), list[results.PlanAction], "actions")
    assert report.actions()
    check(report.apply(), results.ApplyResult, "apply")
