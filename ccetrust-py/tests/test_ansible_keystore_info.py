"""ccetrust.cce.keystore_info run by ansible-playbook on localhost against a store keytool
made and read back with `keytool -list -v`: every entry, kind, fingerprint, subject, issuer
and expiry as keytool prints them; the password never in the output."""

from __future__ import annotations

import datetime
import os
import re
import shutil
import subprocess
from pathlib import Path

from ansible_run import ansible_playbook, changed_count, task_results

PASSWORD = "changeit"


def keytool_verbose(store: Path) -> dict[str, dict[str, str]]:
    """`keytool -list -v` per alias: entry type, SHA-256, Owner, Issuer, "until" date."""
    env = dict(os.environ, KT=PASSWORD, LC_ALL="C", LANG="C", TZ="UTC")
    out = subprocess.run(
        ["keytool", "-list", "-v", "-keystore", str(store), "-storepass:env", "KT"],
        check=True, capture_output=True, text=True, env=env,
    ).stdout
    entries = {}
    for block in out.split("Alias name: ")[1:]:
        alias = block.splitlines()[0].strip()
        entries[alias] = dict(
            kind=re.search(r"Entry type: (\w+)", block).group(1),
            sha256=re.search(r"SHA256: ([0-9A-F:]+)", block).group(1).replace(":", "").lower(),
            owner=re.search(r"Owner: (.*)", block).group(1).strip(),
            issuer=re.search(r"Issuer: (.*)", block).group(1).strip(),
            until=re.search(r"until: (.*)", block).group(1).strip(),
        )
    return entries


def test_keystore_info_lists_what_keytool_lists(tmp_path: Path, fx: Path, keytool: str) -> None:
    store = tmp_path / "keystore.jks"
    shutil.copy(fx / "keypair.jks", store)  # a PrivateKeyEntry "tomcat"
    env = dict(os.environ, KT=PASSWORD)
    for alias, name in (("issuing-ca", "int.pem"), ("root", "root.pem"), ("rgra", "leaf.pem")):
        subprocess.run(
            ["keytool", "-importcert", "-noprompt", "-alias", alias, "-file", str(fx / name), "-keystore", str(store),
             "-storepass:env", "KT"],
            check=True, capture_output=True, env=env,
        )
    out = ansible_playbook(
        tmp_path,
        f"""
- hosts: localhost
  gather_facts: false
  tasks:
    - ccetrust.cce.keystore_info:
        keystore_path: {store}
        store_password: {PASSWORD}
        expiring_days: 900
      register: info
    - ansible.builtin.assert:
        that: info.entries | map(attribute='alias') | list | length == 4
""",
        "-vvv",
    )
    assert changed_count(out) == 0
    res = task_results(out)[0]
    assert res["format"] == "JKS" and res["count"] == 4
    want = keytool_verbose(store)
    got = {e["alias"]: e for e in res["entries"]}
    assert sorted(got) == sorted(want)
    now = datetime.datetime.now(datetime.timezone.utc)
    for alias, kt in want.items():
        e = got[alias]
        assert e["keytool_kind"] == kt["kind"] and e["sha256"] == kt["sha256"], alias
        # keytool prints names with ", " between RDNs (RFC 2253 order), ccetrust as RFC 4514.
        assert e["subject"].replace(",", ", ") == kt["owner"], alias
        assert e["issuer"].replace(",", ", ") == kt["issuer"], alias
        until = datetime.datetime.strptime(kt["until"], "%a %b %d %H:%M:%S %Z %Y").replace(tzinfo=datetime.timezone.utc)
        assert e["not_after"] == until.strftime("%Y-%m-%dT%H:%M:%SZ"), alias
        assert e["days_left"] == (until - now).days, alias
    assert got["tomcat"]["kind"] == "private_key" and got["root"]["kind"] == "trusted_cert"
    # The leaf (825 days) and the tomcat key are within 900 days; the 10-year CAs are not.
    assert sorted(e["alias"] for e in res["expiring"]) == sorted(a for a, e in got.items() if e["days_left"] < 900)
    assert "rgra" in [e["alias"] for e in res["expiring"]] and "root" not in [e["alias"] for e in res["expiring"]]
    assert PASSWORD not in out["_stdout"] + out["_stderr"]
