"""Runs ansible-playbook against localhost with the collection shipped in this package."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from tools import require

def ansible_playbook(tmp_path: Path, plays: str, *args: str, check: bool = True) -> dict[str, Any]:
    """Runs `plays` (YAML) with the JSON callback; returns the parsed result.

    The modules run under this interpreter (which has ccetrust installed); the collection
    is found on sys.path, where the ccetrust wheel installs it.
    """
    exe = require("ansible-playbook", "the Ansible module tests (pip install ansible-core)")
    book = tmp_path / "play.yml"
    book.write_text(plays)
    inventory = tmp_path / "inventory.ini"
    inventory.write_text(f"localhost ansible_connection=local ansible_python_interpreter={sys.executable}\n")
    env = dict(os.environ)
    env.update(
        # The collection is found where the wheel installs it: ansible_collections/ on sys.path.
        ANSIBLE_COLLECTIONS_SCAN_SYS_PATH="1",
        ANSIBLE_CALLBACK_PLUGINS=str(Path(__file__).resolve().parent / "ansible_plugins" / "callback"),
        ANSIBLE_CALLBACKS_ENABLED="record",
        CCETRUST_RECORD=str(tmp_path / "record.json"),
        ANSIBLE_LOCAL_TEMP=str(tmp_path / "ansible-tmp"),
        ANSIBLE_REMOTE_TEMP=str(tmp_path / "ansible-tmp"),
        ANSIBLE_NOCOLOR="1",
        ANSIBLE_RETRY_FILES_ENABLED="0",
        ANSIBLE_HOST_KEY_CHECKING="0",
        ANSIBLE_DEPRECATION_WARNINGS="0",
        ANSIBLE_LOCALHOST_WARNING="0",
        ANSIBLE_INVENTORY_UNPARSED_WARNING="0",
    )
    proc = subprocess.run(
        [exe, "-i", str(inventory), str(book), *args], capture_output=True, text=True, env=env, timeout=300
    )
    record = tmp_path / "record.json"
    if not record.exists():
        raise AssertionError(f"ansible-playbook recorded nothing:\n{proc.stdout}\n{proc.stderr}")
    out: dict[str, Any] = json.loads(record.read_text())
    record.unlink()
    out["_rc"] = proc.returncode
    out["_stdout"] = proc.stdout
    out["_stderr"] = proc.stderr
    if check and proc.returncode != 0:
        raise AssertionError(f"ansible-playbook failed ({proc.returncode}):\n{proc.stdout[-4000:]}\n{proc.stderr}")
    return out


def task_results(out: dict[str, Any]) -> list[dict[str, Any]]:
    """The localhost result of every task, in order."""
    results = []
    for play in out["plays"]:
        for task in play["tasks"]:
            results.append(task["hosts"]["localhost"])
    return results


def changed_count(out: dict[str, Any]) -> int:
    return int(out["stats"]["localhost"]["changed"])
