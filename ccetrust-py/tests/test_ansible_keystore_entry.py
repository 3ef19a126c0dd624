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


def play(tasks: str) -> str:
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


STORES = [("jks", "JKS"), ("jceks", "JCEKS"), ("pkcs12", "PKCS12")]


def test_present_is_idempotent_and_keytool_agrees(tmp_path: Path, fx: Path, keytool: str) -> None:
    """One playbook run per phase over a JKS, a JCEKS and a PKCS#12 store made by keytool."""
    import subprocess

    stores = {}
    for fmt, storetype in STORES:
        store = tmp_path / f"cacerts.{fmt}"
        subprocess.run(
            ["keytool", "-importcert", "-noprompt", "-alias", "example-root", "-file", str(fx / "root.pem"),
             "-keystore", str(store), "-storetype", storetype, "-storepass:env", "KT"],
            check=True, capture_output=True, env={"KT": PASSWORD, "PATH": "/usr/bin:/bin"},
        )
        stores[storetype] = store
    loop = "\n".join(f"        - {p}" for p in stores.values())
    chain = x509.load_certificates_file(fx / "chain.p7b")
    present = f"""
    - ccetrust.cce.keystore_entry:
        path: "{{{{ item }}}}"
        store_password: "{{{{ pw }}}}"
        alias: cce-chain
        certificate: {fx / "chain.p7b"}
        backup: true
      loop:
{loop}
"""
    first = ansible_playbook(tmp_path, play(present), "--diff", "-v")
    assert changed_count(first) == 1  # one task, changed on every item
    (task,) = task_results(first)
    for item in task["results"]:
        assert item["changed"] is True
        assert [e["action"] for e in item["entries"]] == ["added", "added", "already_present"]
        assert Path(item["backup_file"]).exists()
        added = [line for line in item["diff"]["after"].splitlines() if line not in item["diff"]["before"]]
        assert [line.split(":")[0] for line in added] == ["cce-chain", "cce-chain-2"]
    for storetype, store in stores.items():
        assert keytool_list(store, PASSWORD, storetype) == {
            "example-root": ("trustedCertEntry", chain[2].sha256_hex),
            "cce-chain": ("trustedCertEntry", chain[0].sha256_hex),
            "cce-chain-2": ("trustedCertEntry", chain[1].sha256_hex),
        }, storetype
    assert PASSWORD not in first["_stdout"] and PASSWORD not in first["_stderr"]
    assert PASSWORD not in str(first["plays"])

    before = {t: digest(p) for t, p in stores.items()}
    second = ansible_playbook(tmp_path, play(present))
    assert changed_count(second) == 0
    assert {t: digest(p) for t, p in stores.items()} == before

    # Check mode: reports the removal it would do, changes nothing.
    absent = f"""
    - ccetrust.cce.keystore_entry:
        path: "{{{{ item }}}}"
        store_password: "{{{{ pw }}}}"
        state: absent
        certificate: {fx / "int.pem"}
      loop:
{loop}
"""
    checked = ansible_playbook(tmp_path, play(absent), "--check")
    assert changed_count(checked) == 1
    (task,) = task_results(checked)
    for item in task["results"]:
        assert item["changed"] and item["entries"][0]["action"] == "removed"
        assert item["entries"][0]["alias"] == "cce-chain-2"
    assert {t: digest(p) for t, p in stores.items()} == before

    removed = ansible_playbook(tmp_path, play(absent))
    assert changed_count(removed) == 1
    for storetype, store in stores.items():
        assert set(keytool_list(store, PASSWORD, storetype)) == {"example-root", "cce-chain"}, storetype
    again = ansible_playbook(tmp_path, play(absent))
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
    out = ansible_playbook(tmp_path, play(tasks))
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
    out = ansible_playbook(tmp_path, play(tasks), "-vvv", check=False)
    (r,) = task_results(out)
    assert r["failed"] and r["kind"] == "integrity"
    assert PASSWORD not in out["_stdout"] and PASSWORD not in out["_stderr"] and PASSWORD not in str(out["plays"])
