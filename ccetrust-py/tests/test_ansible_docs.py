"""The collection's module documentation parses (ansible-doc) and matches each module's
argument spec, and the collection is found where the wheel installs it."""

from __future__ import annotations

import json
import os
import subprocess

import pytest
from tools import require

MODULES = ["keystore_entry", "keystore_info", "certificate_info", "trust_audit"]


def ansible_doc() -> str:
    return require("ansible-doc", "the Ansible documentation check (pip install ansible-core)")


def test_docs_parse_and_declare_no_log_passwords() -> None:
    env = dict(os.environ, ANSIBLE_COLLECTIONS_SCAN_SYS_PATH="1")
    out = subprocess.run(
        [ansible_doc(), "-j", *(f"ccetrust.cce.{m}" for m in MODULES)], capture_output=True, text=True, env=env
    )
    assert out.returncode == 0, out.stderr
    docs = json.loads(out.stdout)
    assert sorted(docs) == sorted(f"ccetrust.cce.{m}" for m in MODULES)
    ks = docs["ccetrust.cce.keystore_entry"]["doc"]
    assert ks["options"]["store_password"]["no_log"] is True
    assert ks["options"]["state"]["choices"] == ["present", "absent"]
    for name, d in docs.items():
        assert d["examples"].strip() and d["return"], name


def test_documented_options_are_the_argument_spec() -> None:
    """Each module's DOCUMENTATION options agree with the argument_spec AnsibleModule is
    given: same names, types, defaults, choices, required and no_log."""
    import importlib
    from unittest import mock

    import yaml

    class Captured(Exception):
        pass

    spec: dict[str, dict[str, object]] = {}

    def fake_module(argument_spec: dict[str, dict[str, object]], **_: object) -> None:
        spec.clear()
        spec.update(argument_spec)
        raise Captured

    for name in MODULES:
        mod = importlib.import_module(f"ansible_collections.ccetrust.cce.plugins.modules.{name}")
        with mock.patch.object(mod, "AnsibleModule", fake_module), pytest.raises(Captured):
            mod.main()
        options = yaml.safe_load(mod.DOCUMENTATION)["options"]
        assert sorted(options) == sorted(spec), name
        for opt, doc in options.items():
            arg = spec[opt]
            assert doc.get("type", "str") == arg.get("type", "str"), (name, opt)
            assert doc.get("required", False) == arg.get("required", False), (name, opt)
            assert doc.get("no_log", False) == arg.get("no_log", False), (name, opt)
            assert doc.get("choices") == arg.get("choices"), (name, opt)
            assert doc.get("default") == arg.get("default"), (name, opt)
            assert sorted(doc.get("aliases", [])) == sorted(arg.get("aliases", [])), (name, opt)


def test_keystore_entry_takes_java_cert_option_names() -> None:
    """community.general.java_cert's option names are aliases of keystore_entry's, so a
    java_cert task migrates by changing the module name (documented and in the spec, which
    the test above compares)."""
    import yaml

    from ansible_collections.ccetrust.cce.plugins.modules import keystore_entry

    options = yaml.safe_load(keystore_entry.DOCUMENTATION)["options"]
    names = {a: o for o, d in options.items() for a in [o, *d.get("aliases", [])]}
    java_cert = {
        "keystore_path": "path", "keystore_pass": "store_password", "keystore_type": "store_type",
        "keystore_create": "create", "cert_alias": "alias", "cert_path": "certificate",
        "cert_content": "certificate_content", "trust_cacert": "trust_cacert", "executable": "executable",
        "state": "state", "cert_url": "cert_url", "cert_port": "cert_port",
        "pkcs12_path": "pkcs12_path", "pkcs12_password": "pkcs12_password", "pkcs12_alias": "pkcs12_alias",
    }
    assert {k: names.get(k) for k in java_cert} == java_cert
    assert options["pkcs12_password"]["no_log"] is True


def test_java_truststore_role_spec_matches_its_defaults() -> None:
    """The role's argument_specs (what ansible-doc -t role shows and what the role checks)
    name only variables defaults/main.yml sets, with the same defaults; ansible-doc reads it."""
    from pathlib import Path

    import yaml

    from ansible_collections.ccetrust import cce

    role = Path(cce.__path__[0]) / "roles" / "java_truststore"
    defaults = yaml.safe_load((role / "defaults" / "main.yml").read_text())
    specs = yaml.safe_load((role / "meta" / "argument_specs.yml").read_text())["argument_specs"]
    assert sorted(specs) == ["main", "plan"]
    for entry, spec in specs.items():
        for name, opt in spec["options"].items():
            assert name in defaults, (entry, name)
            if "default" in opt:
                assert opt["default"] == defaults[name], (entry, name)
    env = dict(os.environ, ANSIBLE_COLLECTIONS_SCAN_SYS_PATH="1")
    out = subprocess.run([ansible_doc(), "-t", "role", "-j", "ccetrust.cce.java_truststore"], capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)["ccetrust.cce.java_truststore"]
    assert set(doc["entry_points"]) == {"main", "plan"}
