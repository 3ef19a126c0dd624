"""ccetrust.cce.keystore_entry run by ansible-playbook on localhost, on keystores made by
keytool and checked with keytool: first run changed, second run unchanged, check mode
changes nothing, passwords never in the output."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from ansible_run import ansible_playbook, changed_count, task_results
from conftest import keytool_list
from ccetrust import x509

PASSWORD = "Ch4ngeIt-s3cret"


def play(store: Path, tasks: str, check: bool = False) -> str:
    return f"""
- hosts: localhost
  gather_facts: false
  vars:
    pw: "{PASSWORD}"
  tasks:
{tasks}
"""


def digest(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.mark.parametrize("fmt,storetype", [("jks", "JKS"), ("jceks", "JCEKS"), ("pkcs12", "PKCS12")])
def test_present_is_idempotent_and_keytool_agrees(
    tmp_path: Path, fx: Path, keytool: str, fmt: str, storetype: str
) -> None:
    import subprocess

    store = tmp_path / f"cacerts.{fmt}"
    subprocess.run(
        ["keytool", "-importcert", "-noprompt", "-alias", "example-root", "-file", str(fx / "root.pem"),
         "-keystore", str(store), "-storetype", storetype, "-storepass:env", "KT"],
        check=True, capture_output=True, env={"KT": PASSWORD, "PATH": "/usr/bin:/bin"},
    )
    chain = x509.load_certificates_file(fx / "chain.p7b")
    tasks = f"""
    - ccetrust.cce.keystore_entry:
        path: {store}
        store_password: "{{{{ pw }}}}"
        alias: cce-chain
        certificate: {fx / "chain.p7b"}
        backup: true
"""
    first = ansible_playbook(tmp_path, play(store, tasks), "--diff", "-v")
    assert changed_count(first) == 1
    (result,) = task_results(first)
    assert [e["action"] for e in result["entries"]] == ["added", "added", "already_present"]
    assert Path(result["backup_file"]).exists()
    assert "+cce-chain: trustedCertEntry" in "".join(
        f"+{line}\n" for line in result["diff"]["after"].splitlines() if line not in result["diff"]["before"]
    )
    listed = keytool_list(store, PASSWORD, storetype)
    assert listed == {
        "example-root": ("trustedCertEntry", chain[2].sha256_hex),
        "cce-chain": ("trustedCertEntry", chain[0].sha256_hex),
        "cce-chain-2": ("trustedCertEntry", chain[1].sha256_hex),
    }
    for out in (first,):
        assert PASSWORD not in out["_stdout"] and PASSWORD not in out["_stderr"]
        assert PASSWORD not in str(out["plays"])

    before = digest(store)
    second = ansible_playbook(tmp_path, play(store, tasks))
    assert changed_count(second) == 0
    assert digest(store) == before

    # Check mode: reports the removal it would do, changes nothing.
    absent = f"""
    - ccetrust.cce.keystore_entry:
        path: {store}
        store_password: "{{{{ pw }}}}"
        state: absent
        certificate: {fx / "int.pem"}
"""
    checked = ansible_playbook(tmp_path, play(store, absent), "--check")
    assert changed_count(checked) == 1
    (r,) = task_results(checked)
    assert r["entries"][0]["action"] == "removed" and r["entries"][0]["alias"] == "cce-chain-2"
    assert digest(store) == before

    removed = ansible_playbook(tmp_path, play(store, absent))
    assert changed_count(removed) == 1
    assert set(keytool_list(store, PASSWORD, storetype)) == {"example-root", "cce-chain"}
    again = ansible_playbook(tmp_path, play(store, absent))
    assert changed_count(again) == 0


def test_creates_a_store_and_refuses_alias_clash(tmp_path: Path, fx: Path, keytool: str) -> None:
    store = tmp_path / "new.p12"
    tasks = f"""
    - ccetrust.cce.keystore_entry:
        path: {store}
        store_password: "{{{{ pw }}}}"
        store_type: pkcs12
        alias: rgra
        certificate_content: "{{{{ lookup('file', '{fx / "leaf.pem"}') }}}}"
    - ccetrust.cce.keystore_entry:
        path: {store}
        store_password: "{{{{ pw }}}}"
        alias: rgra
        certificate: {fx / "ec.pem"}
      ignore_errors: true
      register: clash
"""
    out = ansible_playbook(tmp_path, play(store, tasks))
    created, clash = task_results(out)
    assert created["changed"] and created["entries"][0]["action"] == "added"
    assert clash["failed"] and clash["alias"] == "rgra" and "replace" in clash["msg"]
    leaf = x509.Certificate((fx / "leaf.pem").read_bytes())
    assert keytool_list(store, PASSWORD, "PKCS12") == {"rgra": ("trustedCertEntry", leaf.sha256_hex)}


def test_wrong_password_fails_without_echoing_it(tmp_path: Path, fx: Path, keytool: str) -> None:
    store = tmp_path / "cacerts"
    shutil.copy(fx / "trust.jks", store)
    tasks = f"""
    - ccetrust.cce.keystore_entry:
        path: {store}
        store_password: "{{{{ pw }}}}"
        alias: x
        certificate: {fx / "leaf.pem"}
"""
    out = ansible_playbook(tmp_path, play(store, tasks), "-vvv", check=False)
    (r,) = task_results(out)
    assert r["failed"] and r["kind"] == "integrity"
    assert PASSWORD not in out["_stdout"] and PASSWORD not in out["_stderr"] and PASSWORD not in str(out["plays"])
