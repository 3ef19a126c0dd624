"""One JSON per fact (issue 13, "Proof"): the CLI's ``--json`` output and the binding's dict
for the same input, fed to one comparison.

For each fact — a certificate inspected, a verify verdict, an import outcome, a keystore
listing, an audit — the test runs the ``ccetrust`` binary (``target/debug/ccetrust``, built
with ``cargo build -p ccetrust-core`` if missing; ``CCETRUST_BIN`` overrides) and the Python
call on the same files, and asserts the two are equal (CLI-only context such as the file
name is the one documented difference, see ``docs/json-schema.md``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from ccetrust import cce, chain, keystore, x509
from tools import missing

ROOT = Path(__file__).resolve().parents[2]
LAB = ROOT / "examples" / "pcce-2k-lab"
AT = "2026-11-23T08:00:00Z"


@pytest.fixture(scope="module")
def cli() -> Path:
    """The ccetrust binary: CCETRUST_BIN, else the workspace's debug build (built if absent)."""
    env = os.environ.get("CCETRUST_BIN")
    if env:
        return Path(env)
    exe = ROOT / "target" / "debug" / ("ccetrust.exe" if os.name == "nt" else "ccetrust")
    if not exe.exists():
        cargo = shutil.which("cargo")
        if cargo is None:
            missing("cargo is not installed, needed to build the ccetrust binary for the CLI/binding comparison")
        subprocess.run([cargo, "build", "-q", "-p", "ccetrust-core", "--bin", "ccetrust"], cwd=ROOT, check=True)
    return exe


def run_json(cli: Path, *args: str | Path, ok: tuple[int, ...] = (0,)) -> Any:
    """Runs the CLI with ``--json`` and returns its parsed standard output."""
    env = dict(os.environ, KS_PASS="changeit")
    p = subprocess.run([str(cli), *map(str, args)], capture_output=True, env=env, check=False)
    assert p.returncode in ok, (args, p.returncode, p.stderr.decode(errors="replace"))
    return json.loads(p.stdout)


def same(cli_view: Any, py_view: Any) -> None:
    """The one comparison: equal as JSON values (Python's dict round-tripped through json)."""
    assert json.loads(json.dumps(py_view)) == cli_view


def test_certificate_inspect(cli: Path, fx: Path) -> None:
    for name in ("leaf.pem", "int.pem", "ec.pem", "leaf.der"):
        doc = run_json(cli, "inspect", "--json", fx / name)
        (view,) = doc["certificates"]
        assert view.pop("source") == str(fx / name) and view.pop("index") == 0
        cert = x509.Certificate((fx / name).read_bytes())
        same(view, cert.to_dict())
        # The bulk summary is the same view, restricted.
        (summary,) = x509.inspect_many([(fx / name).read_bytes()])
        same({k: view[k] for k in summary}, summary)


def test_verify_verdict(cli: Path, fx: Path) -> None:
    leaf, inter, root = (x509.Certificate((fx / f).read_bytes()) for f in ("leaf.pem", "int.pem", "root.pem"))
    cases: list[tuple[list[str], dict[str, Any]]] = [
        (["--name", "rgra.example.com"], {"name": "rgra.example.com"}),
        (["--name", "wrong.example.com"], {"name": "wrong.example.com"}),
        ([], {}),
    ]
    for extra, kwargs in cases:
        doc = run_json(
            cli, "verify", fx / "leaf.pem", "--json", "--time", AT, "--intermediates", fx / "int.pem",
            *extra, "--trust", fx / "root.pem", ok=(0, 1, 3),
        )
        v = chain.verify(leaf, [inter], [root], time=1795420800, **kwargs)
        same(doc, v.to_dict())
    # Not trusted: the root is not among the anchors.
    doc = run_json(cli, "verify", fx / "leaf.pem", "--json", "--time", AT, "--trust", fx / "ec.pem", ok=(1, 3))
    same(doc, chain.verify(leaf, [], [x509.Certificate((fx / "ec.pem").read_bytes())], time=1795420800).to_dict())
    assert doc["valid"] is False


def test_import_outcome_and_listing(cli: Path, fx: Path, tmp_path: Path) -> None:
    store = tmp_path / "t.jks"
    ks = keystore.Keystore("jks")
    steps = [("Root", "root.pem", []), ("again", "root.pem", []), ("int", "int.pem", []), ("int", "leaf.pem", ["--replace"])]
    for alias, name, flags in steps:
        doc = run_json(
            cli, "keystore", "import", "--json", "--storepass-env", "KS_PASS", "--storetype", "jks",
            "--no-backup", "--alias", alias, *flags, store, fx / name,
        )
        (outcome,) = doc["outcomes"]
        py = ks.import_certificate(alias, x509.Certificate((fx / name).read_bytes()), replace=bool(flags))
        same(outcome, py)
    # The listing of the file the CLI wrote, by the CLI and by the binding.
    listing = run_json(cli, "keystore", "list", "--json", "--storepass-env", "KS_PASS", store)
    same(listing, keystore.Keystore.load(store, "changeit").to_dict())
    assert [e["alias"] for e in listing["entries"]] == ["root", "int"]


def test_keystore_listing_of_a_keytool_key_pair(cli: Path, fx: Path) -> None:
    path = fx / "keypair.p12"
    if not path.exists():
        missing("keytool is not installed, needed for the keytool-made keypair.p12")
    listing = run_json(cli, "keystore", "list", "--json", "--storepass-env", "KS_PASS", path)
    ks = keystore.Keystore.load(path, "changeit")
    ks.unlock_keys("changeit")
    same(listing, ks.to_dict())
    assert listing["entries"][0]["public_key_sha256"]


def test_audit(cli: Path, tmp_path: Path) -> None:
    if not (LAB / "inventory.toml").exists():
        missing(f"{LAB} is missing")
    lab = tmp_path / "lab"
    shutil.copytree(LAB, lab)
    inv_path = lab / "inventory.toml"
    doc = run_json(cli, "audit", "--json", "--offline", "--at", AT, inv_path, ok=(0, 3))
    report = cce.audit(cce.Inventory.load(inv_path), at=1795420800, offline=True)
    same(doc, report.to_dict())
    same(doc["findings"], report.findings)
    same(doc["plan"], report.plan)
    assert doc["findings"], "the lab has findings: the comparison covered them"
