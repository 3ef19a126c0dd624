"""The ccetrust.cce.java_truststore role run by ansible-playbook against localhost with a
POSIX path (fetch to the controller, keystore_entry there, copy back with a backup on the
host), once for a list of entries and once for trust_audit actions; a second run changes
nothing. The Windows form (win_copy, win_service) passes --syntax-check with the
ansible.windows collection."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from ansible_run import ansible_playbook, changed_count, task_results
from conftest import keytool_list
from tools import missing, require
from ccetrust import x509


def test_role_changes_a_posix_store_once_and_keeps_a_backup(tmp_path: Path, fx: Path, keytool: str) -> None:
    host = tmp_path / "host" / "jre" / "lib" / "security"
    host.mkdir(parents=True)
    store = host / "cacerts"
    shutil.copy(fx / "trust.jks", store)
    original = store.read_bytes()
    plays = f"""
- hosts: localhost
  gather_facts: true
  gather_subset: [min]
  roles:
    - role: ccetrust.cce.java_truststore
      java_truststore_path: {store}
      java_truststore_password: changeit
      java_truststore_entries:
        - alias: rgra
          certificate: {fx / "leaf.pem"}
        - alias: issuing-ca
          certificate_content: "{{{{ lookup('file', '{fx / "int.pem"}') }}}}"
"""
    first = ansible_playbook(tmp_path, plays)
    tasks = _tasks(first)
    assert _task(tasks, "Change the copy of")["changed"]
    assert _task(tasks, "back", "restart")["changed"]
    assert not [t for t in tasks if "(Windows)" in t["task"]]  # windows.yml is never loaded here
    leaf, inter = (x509.Certificate((fx / n).read_bytes()) for n in ("leaf.pem", "int.pem"))
    listed = keytool_list(store)
    assert listed["rgra"] == ("trustedCertEntry", leaf.sha256_hex)
    assert listed["issuing-ca"] == ("trustedCertEntry", inter.sha256_hex)
    backups = [p for p in host.iterdir() if p.name != "cacerts"]
    assert len(backups) == 1 and backups[0].read_bytes() == original  # copy's backup, on the host
    assert not list(Path(tmp_path).glob("**/java_truststore.*"))  # the work folder is gone

    second = ansible_playbook(tmp_path, plays)
    assert changed_count(second) == 0
    assert len([p for p in host.iterdir() if p.name != "cacerts"]) == 1


def test_role_plan_entry_point_applies_actions_store_by_store(tmp_path: Path, fx: Path, keytool: str) -> None:
    """trust_audit actions (as the module returns them) for two stores of this host, an import
    and a delete each, and one for another host: this host's stores change in plan order."""
    a, b = tmp_path / "a" / "cacerts", tmp_path / "b" / "cacerts"
    for p in (a, b):
        p.parent.mkdir()
        shutil.copy(fx / "trust.jks", p)
    pem = (fx / "leaf.pem").read_text()
    actions = [
        dict(action="import", host="localhost", fqdn="localhost", store="cacerts", server_path=str(a), alias="rgra", certificate_pem=pem, title="1"),
        dict(action="delete", host="localhost", fqdn="localhost", store="cacerts", server_path=str(b), alias="example-root", certificate_pem=None, title="2"),
        dict(action="import", host="localhost", fqdn="localhost", store="cacerts", server_path=str(b), alias="rgra", certificate_pem=pem, title="3"),
        dict(action="import", host="other", fqdn="other.example.com", store="cacerts", server_path=str(a), alias="other", certificate_pem=pem, title="4"),
        dict(action="import", host="localhost", fqdn="localhost", store="tomcat-trust", server_path=None, alias="vos", certificate_pem=pem, title="5"),
    ]
    (tmp_path / "vars.json").write_text(json.dumps({"actions": actions}))
    plays = """
- hosts: localhost
  gather_facts: false
  tasks:
    - ansible.builtin.include_role:
        name: ccetrust.cce.java_truststore
        tasks_from: plan
      vars:
        java_truststore_actions: "{{ actions }}"
        java_truststore_platform: posix
        java_truststore_services_by_store: {cacerts: []}
"""
    first = ansible_playbook(tmp_path, plays, "-e", f"@{tmp_path / 'vars.json'}")
    assert changed_count(first) >= 2
    leaf = x509.Certificate(pem)
    assert set(keytool_list(a)) == {"example-root", "rgra"}
    assert keytool_list(b) == {"rgra": ("trustedCertEntry", leaf.sha256_hex)}
    second = ansible_playbook(tmp_path, plays, "-e", f"@{tmp_path / 'vars.json'}")
    assert changed_count(second) == 0


def test_windows_form_passes_syntax_check(tmp_path: Path) -> None:
    exe = require("ansible-playbook", "the Windows syntax check (pip install ansible-core)")
    collections = os.environ.get("CCETRUST_ANSIBLE_WINDOWS") or ""
    if not collections or not (Path(collections) / "ansible_collections" / "ansible" / "windows").is_dir():
        missing("ansible.windows is not installed (ansible-galaxy collection install ansible.windows -p DIR; CCETRUST_ANSIBLE_WINDOWS=DIR)")
    book = tmp_path / "windows.yml"
    # The role as a Windows play uses it, and its Windows tasks imported statically (the role
    # includes them only on Windows hosts, and --syntax-check does not follow includes).
    book.write_text(
        r"""
- hosts: aw
  gather_facts: true
  serial: 1
  roles:
    - role: ccetrust.cce.java_truststore
      java_truststore_path: 'C:\Program Files (x86)\Java\jre1.8.0_221\lib\security\cacerts'
      java_truststore_password: "{{ cacerts_password }}"
      java_truststore_services: ["Apache Tomcat"]
      java_truststore_entries:
        - alias: corp-root
          certificate: files/corp-root.pem
  tasks:
    - ansible.builtin.import_role:
        name: ccetrust.cce.java_truststore
        tasks_from: windows
"""
    )
    inventory = tmp_path / "hosts.ini"
    inventory.write_text("[aw]\nawa.lab.example.com ansible_connection=winrm\n")
    env = dict(os.environ, ANSIBLE_COLLECTIONS_SCAN_SYS_PATH="1", ANSIBLE_COLLECTIONS_PATH=collections)
    out = subprocess.run([exe, "-i", str(inventory), "--syntax-check", str(book)], capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stdout + out.stderr
    # The check resolves every module: without ansible.windows it fails (so it checks something).
    env_without = dict(env, ANSIBLE_COLLECTIONS_PATH=str(tmp_path / "none"))
    bad = subprocess.run([exe, "-i", str(inventory), "--syntax-check", str(book)], capture_output=True, text=True, env=env_without)
    assert bad.returncode != 0 and "win_copy" in bad.stdout + bad.stderr


def _tasks(out: dict) -> list[dict]:
    tasks = []
    for play in out["plays"]:
        for task in play["tasks"]:
            if "localhost" in task["hosts"]:
                tasks.append(dict(task["hosts"]["localhost"], task=task["name"]))
    return tasks


def _task(tasks: list[dict], name: str, unless: str | None = None) -> dict:
    """The one task whose name contains `name` (and not `unless`)."""
    found = [t for t in tasks if name in t["task"] and (unless is None or unless not in t["task"])]
    assert len(found) == 1, (name, [t["task"] for t in tasks])
    return found[0]
