"""ccetrust.cce on the PCCE lab in examples/ (made by openssl and keytool), and the
trust_audit Ansible module feeding keystore_entry."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ansible_run import ansible_playbook, changed_count, task_results
from ccetrust import cce, exceptions, keystore, x509
from conftest import keytool_list
from tools import missing

LAB = Path(__file__).resolve().parents[2] / "examples" / "pcce-2k-lab"


@pytest.fixture
def lab(tmp_path: Path) -> Path:
    if not (LAB / "inventory.toml").exists():
        missing(f"{LAB} is missing")
    dst = tmp_path / "lab"
    shutil.copytree(LAB, dst)
    return dst


def untrusted(report: cce.AuditReport, importer: str, exporter: str) -> list[dict[str, object]]:
    return [
        f
        for f in report.findings
        if f["code"] == "chain.untrusted" and str(f["importer"]).startswith(importer + ".") and str(f["exporter"]).startswith(exporter + ".")
    ]


def test_audit_finds_what_the_lab_breaks_on_purpose(lab: Path) -> None:
    inv = cce.Inventory.load(lab / "inventory.toml")
    assert inv.product == "pcce" and inv.version == "12.5" and "awb" in inv.hosts and len(inv) == len(inv.fqdns)
    report = cce.audit(inv)
    # README: "awb never received cvpa's WSM certificate", "cvpa is missing awb's IIS certificate"
    assert untrusted(report, "awb", "cvpa") and untrusted(report, "cvpa", "awb")
    assert report.has_errors and report.summary["errors"] >= 2
    assert "awb" in report.to_text() and report.to_dot().startswith("digraph")
    assert report.to_dict()["schema"].startswith("ccetrust.cce-audit/")
    imports = [a for a in report.actions() if a["action"] == "import" and a["host"] == "awb"]
    cvpa = next(a for a in imports if a["alias"] == "cvpa.lab.example.com")
    assert x509.Certificate(cvpa["certificate_pem"]).sha256_hex == cvpa["sha256"]


def test_apply_fixes_the_stores_and_keytool_sees_it(lab: Path, keytool: str) -> None:
    inv = cce.Inventory.load(lab / "inventory.toml")
    report = cce.audit(inv)
    wanted = next(a for a in report.actions() if a["action"] == "import" and a["host"] == "awb" and a["alias"] == "cvpa.lab.example.com")
    done = report.apply()
    assert done["applied"] and done["backups"]
    assert all(Path(b).exists() for b in done["backups"])
    listed = keytool_list(Path(wanted["store_path"]))
    assert listed["cvpa.lab.example.com"] == ("trustedCertEntry", wanted["sha256"])
    after = cce.audit(cce.Inventory.load(lab / "inventory.toml"))
    assert not untrusted(after, "awb", "cvpa")
    assert keystore.Keystore.load(wanted["store_path"], "changeit").find(x509.Certificate(wanted["certificate_pem"])) is not None


def test_inventory_errors_say_the_line(tmp_path: Path) -> None:
    with pytest.raises(exceptions.InventoryError) as info:
        cce.Inventory.parse('[deployment]\nname = "x"\nproduct = "pcce"\nversion = 12.5.1\n', tmp_path)
    assert info.value.line == 4 and info.value.offset is not None
    bad = tmp_path / "inv.toml"
    bad.write_text("[deployment]\nname = 3\n")
    with pytest.raises(exceptions.InventoryError) as info:
        cce.Inventory.load(bad)
    assert info.value.path == str(bad) and info.value.line == 2


def test_trust_audit_feeds_keystore_entry(lab: Path, tmp_path: Path, keytool: str) -> None:
    store = lab / "stores" / "awb" / "cacerts"
    plays = f"""
- hosts: localhost
  gather_facts: false
  tasks:
    - ccetrust.cce.trust_audit:
        inventory: {lab / "inventory.toml"}
      register: audit
    - ccetrust.cce.keystore_entry:
        path: "{{{{ item.store_path }}}}"
        store_password: changeit
        alias: "{{{{ item.alias }}}}"
        certificate_content: "{{{{ item.certificate_pem }}}}"
        replace: true
      loop: "{{{{ audit.actions | selectattr('action', 'eq', 'import') | selectattr('host', 'eq', 'awb') | list }}}}"
"""
    first = ansible_playbook(tmp_path, plays)
    audit_result, imports = task_results(first)
    assert audit_result["changed"] is False and audit_result["summary"]["errors"] >= 2
    assert any(f["code"] == "chain.untrusted" for f in audit_result["findings"])
    assert changed_count(first) == 1
    wanted = {a["alias"]: a["sha256"] for a in audit_result["actions"] if a["action"] == "import" and a["host"] == "awb"}
    listed = keytool_list(store)
    for alias, sha in wanted.items():
        assert listed[alias.lower()] == ("trustedCertEntry", sha)
    # Run again: the audit no longer asks awb for those imports, and nothing changes.
    before = store.read_bytes()
    second = ansible_playbook(tmp_path, plays)
    audit_again, _ = task_results(second)
    assert changed_count(second) == 0 and store.read_bytes() == before
    assert not [a for a in audit_again["actions"] if a["action"] == "import" and a["host"] == "awb"]


def _fetch_inventory(tmp_path: Path, port: int) -> cce.Inventory:
    text = f"""[deployment]
name = "fetch"
product = "pcce"
version = "12.5"
domain = "lab.example.com"

[[host]]
fqdn = "pga.lab.example.com"
roles = ["pg"]
side = "A"
fetch = true
address = "127.0.0.1"
ports = {{ iis = {port}, dfp = {port} }}
"""
    return cce.Inventory.parse(text, tmp_path)


def test_audit_offline_connects_nowhere_and_says_so(tmp_path: Path) -> None:
    import socket

    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(4)
        listener.settimeout(0.2)
        inv = _fetch_inventory(tmp_path, listener.getsockname()[1])
        report = cce.audit(inv, offline=True)
        codes = [f["code"] for f in report.findings]
        assert "evidence.not-collected" in codes and "evidence.unreachable" not in codes
        not_collected = next(f for f in report.findings if f["code"] == "evidence.not-collected")
        assert "offline" in str(not_collected["message"])
        with pytest.raises(socket.timeout):
            listener.accept()


def test_audit_reports_a_refused_port_and_bounds_its_options(tmp_path: Path) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = s.getsockname()[1]
    inv = _fetch_inventory(tmp_path, dead)
    report = cce.audit(inv, fetch_concurrency=2, fetch_timeout=2.0)
    unreachable = [f for f in report.findings if f["code"] == "evidence.unreachable"]
    assert len(unreachable) == 1
    assert "refused" in str(unreachable[0]["message"]) and str(dead) in str(unreachable[0]["message"])
    for bad in (dict(fetch_concurrency=0), dict(fetch_concurrency=65), dict(fetch_timeout=0.0), dict(fetch_timeout=float("nan"))):
        with pytest.raises(exceptions.UsageError):
            cce.audit(inv, **bad)  # type: ignore[arg-type]


def test_trust_audit_fail_on_errors_fails_the_task_with_the_findings(lab: Path, tmp_path: Path) -> None:
    out = ansible_playbook(
        tmp_path,
        f"""
- hosts: localhost
  gather_facts: false
  tasks:
    - ccetrust.cce.trust_audit:
        inventory: {lab / "inventory.toml"}
        fail_on_errors: true
        offline: true
      ignore_errors: true
""",
    )
    (result,) = task_results(out)
    errors = result["summary"]["errors"]
    assert result["failed"] and errors >= 2 and result["msg"] == f"the audit found {errors} errors"
    assert any(f["code"] == "chain.untrusted" for f in result["findings"]) and result["actions"]
