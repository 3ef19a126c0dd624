"""ccetrust.cce.trust_audit's plan carried out by ansible-playbook as its EXAMPLES do: every
action of the example PCCE lab's plan, in plan order, in one keystore_entry loop with the
state from each action, on collected copies; then a second run changes nothing. Each action
carries the store's path on the server that the findings name."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from ansible_run import ansible_playbook, changed_count, task_results
from conftest import keytool_list
from tools import missing

LAB = Path(__file__).resolve().parents[2] / "examples" / "pcce-2k-lab"
CACERTS_ON_SERVER = r"C:\Program Files (x86)\Java\jre1.8.0_221\lib\security\cacerts"


def passwords(lab: Path) -> dict[str, str]:
    """Store password per collected copy, as the inventory names them (cacerts: the JRE
    default; CVP: security.properties; ECE: its password file)."""
    out = {}
    for store in (lab / "stores").glob("*/*"):
        if store.name == "cacerts":
            out[str(store)] = "changeit"
        elif store.name == "keystore":
            text = (store.parent / "security.properties").read_text()
            m = re.search(r"Security\.keystorePW\s*=\s*(\S+)", text)
            assert m, store
            out[str(store)] = m.group(1)
        elif store.suffix == ".jks":
            out[str(store)] = (store.parent / (store.name + ".password")).read_text().strip()
    return out


def test_the_plan_runs_in_one_loop_and_a_second_run_changes_nothing(tmp_path: Path, keytool: str) -> None:
    if not (LAB / "inventory.toml").exists():
        missing(f"{LAB} is missing")
    lab = tmp_path / "lab"
    shutil.copytree(LAB, lab)
    pw = passwords(lab)
    (tmp_path / "vars.json").write_text(json.dumps({"store_passwords": pw}))
    plays = f"""
- hosts: localhost
  gather_facts: false
  tasks:
    - ccetrust.cce.trust_audit:
        inventory: {lab / "inventory.toml"}
        offline: true
      register: audit
    - ccetrust.cce.keystore_entry:
        path: "{{{{ item.store_path }}}}"
        store_password: "{{{{ store_passwords[item.store_path] }}}}"
        state: "{{{{ 'absent' if item.action == 'delete' else 'present' }}}}"
        alias: "{{{{ item.alias }}}}"
        certificate_content: "{{{{ item.certificate_pem | default(omit, true) }}}}"
        backup: true
      loop: "{{{{ audit.actions | selectattr('server_path') }}}}"
      loop_control:
        label: "{{{{ item.title }}}}"
"""
    first = ansible_playbook(tmp_path, plays, "-e", f"@{tmp_path / 'vars.json'}")
    audit, applied = task_results(first)
    actions = audit["actions"]
    assert actions and changed_count(first) == 1
    # Every store with a file has its path on the server, and it is the one the findings name.
    messages = json.dumps(audit["findings"])
    for a in actions:
        if a["store"] == "cacerts":
            assert a["server_path"] == CACERTS_ON_SERVER, a
        if a["store"] == "tomcat-trust":
            assert a["server_path"] is None, a
        else:
            assert a["server_path"] and json.dumps(a["server_path"])[1:-1] in messages, a
    with_path = [a for a in actions if a["server_path"]]
    assert [r["item"]["title"] for r in applied["results"]] == [a["title"] for a in with_path]  # plan order
    assert all(r["changed"] for r in applied["results"])
    # What keytool lists is what the last action on each alias says (a plan deletes an old
    # certificate and imports the new one under the same alias).
    last = {(a["store_path"], a["alias"].lower()): a for a in with_path}
    assert any(a["action"] == "delete" for a in with_path) and any(a["action"] == "import" for a in with_path)
    for (store, alias), a in last.items():
        listed = keytool_list(Path(store), pw[store])
        if a["action"] == "import":
            assert listed[alias] == ("trustedCertEntry", a["sha256"]), a["title"]
        else:
            assert alias not in listed, a["title"]

    stores = {p: Path(p).read_bytes() for p in pw}
    second = ansible_playbook(tmp_path, plays, "-e", f"@{tmp_path / 'vars.json'}")
    audit_again, _ = task_results(second)
    assert changed_count(second) == 0
    assert not [a for a in audit_again["actions"] if a["server_path"]]
    assert {p: Path(p).read_bytes() for p in pw} == stores
