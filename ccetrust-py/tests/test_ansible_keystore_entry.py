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


def test_absent_removes_every_alias_of_a_certificate_and_never_a_key_entry(tmp_path: Path, fx: Path, keytool: str) -> None:
    """A CVP-style JKS made by keytool: a PrivateKeyEntry with its own key password, and one CA
    imported twice (keytool -noprompt adds it again under a new alias). `absent` by certificate
    removes both aliases in one run, leaves the key entry as it was (keytool still exports the
    key with its key password), and refuses to remove a key entry named by its certificate."""
    import os
    import subprocess

    store = tmp_path / "keystore.jks"
    shutil.copy(fx / "keypair.jks", store)  # alias tomcat, store password changeit, key password keypass1
    env = dict(os.environ, KT="changeit", KP="keypass1", DP="dest-pass")

    def kt(*args: str) -> None:
        subprocess.run(["keytool", *args, "-keystore", str(store), "-storepass:env", "KT"], check=True, capture_output=True, env=env)

    kt("-importcert", "-noprompt", "-alias", "issuing-ca", "-file", str(fx / "int.pem"))
    kt("-importcert", "-noprompt", "-alias", "issuing-ca-again", "-file", str(fx / "int.pem"))
    kt("-importcert", "-noprompt", "-alias", "root", "-file", str(fx / "root.pem"))
    kt("-exportcert", "-rfc", "-alias", "tomcat", "-file", str(tmp_path / "tomcat.pem"))
    inter, root = x509.Certificate((fx / "int.pem").read_bytes()), x509.Certificate((fx / "root.pem").read_bytes())
    tomcat = x509.Certificate((tmp_path / "tomcat.pem").read_bytes())
    assert keytool_list(store) == {
        "tomcat": ("PrivateKeyEntry", tomcat.sha256_hex),
        "issuing-ca": ("trustedCertEntry", inter.sha256_hex),
        "issuing-ca-again": ("trustedCertEntry", inter.sha256_hex),
        "root": ("trustedCertEntry", root.sha256_hex),
    }

    def absent(cert: Path) -> str:
        return f"""
- hosts: localhost
  gather_facts: false
  tasks:
    - ccetrust.cce.keystore_entry:
        path: {store}
        store_password: changeit
        state: absent
        certificate: {cert}
"""

    checked = ansible_playbook(tmp_path, absent(fx / "int.pem"), "--check")
    (r,) = task_results(checked)
    assert r["changed"] and sorted(e["alias"] for e in r["entries"]) == ["issuing-ca", "issuing-ca-again"]
    assert len(keytool_list(store)) == 4  # check mode wrote nothing

    first = ansible_playbook(tmp_path, absent(fx / "int.pem"))
    (r,) = task_results(first)
    assert r["changed"] and [e["action"] for e in r["entries"]] == ["removed", "removed"]
    assert keytool_list(store) == {
        "tomcat": ("PrivateKeyEntry", tomcat.sha256_hex),
        "root": ("trustedCertEntry", root.sha256_hex),
    }
    second = ansible_playbook(tmp_path, absent(fx / "int.pem"))
    assert changed_count(second) == 0
    (r,) = task_results(second)
    assert [e["action"] for e in r["entries"]] == ["absent"]

    # The key entry is intact: keytool opens it with its own key password.
    subprocess.run(
        ["keytool", "-importkeystore", "-noprompt", "-srckeystore", str(store), "-srcstorepass:env", "KT",
         "-srcalias", "tomcat", "-srckeypass:env", "KP", "-destkeystore", str(tmp_path / "copy.p12"),
         "-deststoretype", "PKCS12", "-deststorepass:env", "DP"],
        check=True, capture_output=True, env=env,
    )

    before = digest(store)
    refused = ansible_playbook(tmp_path, absent(tmp_path / "tomcat.pem"), check=False)
    (r,) = task_results(refused)
    assert r["failed"] and "'tomcat'" in r["msg"] and "PrivateKeyEntry" in r["msg"]
    assert digest(store) == before


def test_check_mode_present_changes_nothing_and_creates_nothing(tmp_path: Path, fx: Path, keytool: str) -> None:
    existing = tmp_path / "cacerts"
    shutil.copy(fx / "trust.jks", existing)
    before = digest(existing)
    missing = tmp_path / "new.p12"
    tasks = f"""
    - ccetrust.cce.keystore_entry:
        path: {existing}
        store_password: changeit
        alias: cce-chain
        certificate: {fx / "chain.p7b"}
        backup: true
    - ccetrust.cce.keystore_entry:
        path: {missing}
        store_password: changeit
        store_type: pkcs12
        alias: rgra
        certificate: {fx / "leaf.pem"}
"""
    out = ansible_playbook(tmp_path, play(tasks), "--check", "--diff")
    existing_result, created_result = task_results(out)
    assert existing_result["changed"] and [e["action"] for e in existing_result["entries"]] == ["added", "added", "already_present"]
    assert "cce-chain-2" in existing_result["diff"]["after"] and "cce-chain" not in existing_result["diff"]["before"]
    assert "backup_file" not in existing_result
    assert created_result["changed"] and created_result["aliases"] == ["rgra"]
    assert digest(existing) == before and not missing.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("cacerts")) == ["cacerts"]  # no backup either
    assert keytool_list(existing) == {"example-root": ("trustedCertEntry", x509.Certificate((fx / "root.pem").read_bytes()).sha256_hex)}


def test_a_read_only_store_needs_force_and_keeps_its_mode_and_link(tmp_path: Path, fx: Path, keytool: str) -> None:
    """Issue 12: through a symbolic link (Debian's cacerts), a 0444 store is refused without
    `force` (kind read_only, the file unchanged); with `force: true` it is updated, stays
    0444, the link stays a link, and the backup keeps the mode."""
    import os
    import stat

    real = tmp_path / "java" / "cacerts"
    real.parent.mkdir()
    shutil.copy(fx / "trust.jks", real)
    os.chmod(real, 0o444)
    link = tmp_path / "cacerts"
    link.symlink_to(real)
    before = digest(real)
    task = f"""
    - ccetrust.cce.keystore_entry:
        path: {link}
        store_password: changeit
        alias: leaf
        certificate: {fx / "leaf.pem"}
        backup: true
        force: {{force}}
      ignore_errors: true
"""
    out = ansible_playbook(tmp_path, play(task.format(force="false")), check=False)
    (refused,) = task_results(out)
    assert refused["failed"] and refused["kind"] == "read_only" and digest(real) == before
    out = ansible_playbook(tmp_path, play(task.format(force="true")))
    (forced,) = task_results(out)
    assert forced["changed"] and link.is_symlink()
    assert "leaf" in keytool_list(real)
    backup = Path(forced["backup_file"])
    assert backup.parent == real.parent and digest(backup) == before
    assert stat.S_IMODE(real.stat().st_mode) == stat.S_IMODE(backup.stat().st_mode) == 0o444


def test_file_attributes_kept_when_not_given_set_and_reported_when_given(tmp_path: Path, fx: Path, keytool: str) -> None:
    """Ansible's common file options (the `files` fragment): without `mode` a changed store
    keeps its 0640; with `mode: "0600"` an unchanged store is chmodded and reported changed,
    then the same task is `ok`; check mode reports the chmod and does not do it."""
    import os
    import stat

    store = tmp_path / "cacerts"
    shutil.copy(fx / "trust.jks", store)
    os.chmod(store, 0o640)
    add = f"""
    - ccetrust.cce.keystore_entry:
        path: {store}
        store_password: changeit
        alias: leaf
        certificate: {fx / "leaf.pem"}
"""
    first = ansible_playbook(tmp_path, play(add))
    (res,) = task_results(first)
    assert res["changed"] and stat.S_IMODE(store.stat().st_mode) == 0o640
    assert res["mode"] == "0640" and res["path"] == str(store)

    chmod = add + '        mode: "0600"\n'
    checked = ansible_playbook(tmp_path, play(chmod), "--check")
    assert changed_count(checked) == 1 and stat.S_IMODE(store.stat().st_mode) == 0o640
    applied = ansible_playbook(tmp_path, play(chmod))
    (res,) = task_results(applied)
    assert res["changed"] and res["entries"][0]["action"] == "already_present"
    assert stat.S_IMODE(store.stat().st_mode) == 0o600 and res["mode"] == "0600"
    again = ansible_playbook(tmp_path, play(chmod))
    assert changed_count(again) == 0


def test_a_java_cert_play_runs_by_changing_the_module_name(tmp_path: Path, fx: Path, keytool: str) -> None:
    """A community.general.java_cert task with java_cert's option names (keystore_path,
    keystore_pass, keystore_type in upper case, keystore_create, cert_alias, cert_path,
    trust_cacert, executable) and `mode`: the first run creates the store (changed, 0600,
    keytool lists the certificate), the second is `ok` and the mode stays; `executable` is
    warned about, not run."""
    import stat

    store = tmp_path / "truststore.p12"
    tasks = f"""
    - ccetrust.cce.keystore_entry:
        keystore_path: {store}
        keystore_pass: "{{{{ pw }}}}"
        keystore_type: PKCS12
        keystore_create: true
        cert_alias: finesse-ca
        cert_path: {fx / "root.pem"}
        trust_cacert: true
        executable: /usr/bin/keytool
        state: present
        mode: "0600"
"""
    first = ansible_playbook(tmp_path, play(tasks))
    (res,) = task_results(first)
    assert res["changed"] and res["entries"][0]["action"] == "added"
    assert any("executable is ignored" in w for w in res.get("warnings", []))
    assert stat.S_IMODE(store.stat().st_mode) == 0o600 and res["mode"] == "0600"
    root = x509.Certificate((fx / "root.pem").read_bytes())
    assert keytool_list(store, PASSWORD, "PKCS12") == {"finesse-ca": ("trustedCertEntry", root.sha256_hex)}
    second = ansible_playbook(tmp_path, play(tasks))
    assert changed_count(second) == 0
    assert stat.S_IMODE(store.stat().st_mode) == 0o600
    assert PASSWORD not in first["_stdout"] + second["_stdout"]


def test_pkcs12_key_entry_imported_like_java_cert(tmp_path: Path, fx: Path, keytool: str) -> None:
    """java_cert's pkcs12_path/pkcs12_password/pkcs12_alias: the key entry of a PKCS#12 made
    by openssl (key, leaf, issuing CA) lands in a new JKS under cert_alias; keytool lists it
    as a PrivateKeyEntry with the leaf's fingerprint and exports the key with the store
    password; the second run is `ok`; the PKCS#12 password never shows."""
    import os
    import subprocess

    p12_pass = "p12-S3cret-pass"
    p12 = tmp_path / "server.p12"
    subprocess.run(
        ["openssl", "pkcs12", "-export", "-in", str(fx / "leaf.pem"), "-inkey", str(fx / "leaf.key"),
         "-certfile", str(fx / "int.pem"), "-name", "rgra", "-passout", "env:P12", "-out", str(p12)],
        check=True, capture_output=True, env=dict(os.environ, P12=p12_pass),
    )
    store = tmp_path / "tomcat.jks"
    tasks = f"""
    - ccetrust.cce.keystore_entry:
        keystore_path: {store}
        keystore_pass: "{{{{ pw }}}}"
        keystore_type: JKS
        keystore_create: true
        cert_alias: tomcat
        pkcs12_path: {p12}
        pkcs12_password: "{p12_pass}"
        pkcs12_alias: rgra
"""
    first = ansible_playbook(tmp_path, play(tasks), "-vvv")
    (res,) = task_results(first)
    assert res["changed"] and res["entries"][0]["action"] == "added" and res["aliases"] == ["tomcat"]
    leaf = x509.Certificate((fx / "leaf.pem").read_bytes())
    assert keytool_list(store, PASSWORD, "JKS") == {"tomcat": ("PrivateKeyEntry", leaf.sha256_hex)}
    env = dict(os.environ, KT=PASSWORD, DP="dest-pass")
    subprocess.run(
        ["keytool", "-importkeystore", "-noprompt", "-srckeystore", str(store), "-srcstorepass:env", "KT",
         "-srcalias", "tomcat", "-srckeypass:env", "KT", "-destkeystore", str(tmp_path / "copy.p12"),
         "-deststoretype", "PKCS12", "-deststorepass:env", "DP"],
        check=True, capture_output=True, env=env,
    )
    second = ansible_playbook(tmp_path, play(tasks))
    assert changed_count(second) == 0
    (res,) = task_results(second)
    assert res["entries"][0]["action"] == "already_present"
    for out in (first, second):
        assert p12_pass not in out["_stdout"] + out["_stderr"] + str(out["plays"])

    wrong = ansible_playbook(tmp_path, play(tasks.replace(p12_pass, "not-the-password")), check=False)
    (res,) = task_results(wrong)
    assert res["failed"] and "not-the-password" not in res["msg"]


def test_cert_url_fetches_leaf_or_chain_from_a_live_server(tmp_path: Path, fx: Path, keytool: str, server: int) -> None:
    """java_cert's cert_url/cert_port against `openssl s_server` on 127.0.0.1 (leaf + issuing
    CA): `cert_chain: leaf` imports the server's certificate, a second run is `ok` (a second
    handshake, nothing new); `cert_chain: chain` imports both, keytool agrees."""
    import stat

    leaf = x509.Certificate((fx / "leaf.pem").read_bytes())
    inter = x509.Certificate((fx / "int.pem").read_bytes())
    tasks = f"""
    - ccetrust.cce.keystore_entry:
        path: "{{{{ item.path }}}}"
        store_password: "{{{{ pw }}}}"
        store_type: pkcs12
        cert_url: 127.0.0.1
        cert_port: {server}
        cert_chain: "{{{{ item.chain }}}}"
        alias: live
        mode: "0640"
      loop:
        - {{path: {tmp_path / "leaf.p12"}, chain: leaf}}
        - {{path: {tmp_path / "chain.p12"}, chain: chain}}
"""
    first = ansible_playbook(tmp_path, play(tasks))
    (task,) = task_results(first)
    leaf_run, chain_run = task["results"]
    assert leaf_run["changed"] and [e["sha256"] for e in leaf_run["entries"]] == [leaf.sha256_hex]
    assert chain_run["changed"] and [e["action"] for e in chain_run["entries"]] == ["added", "added"]
    assert keytool_list(tmp_path / "leaf.p12", PASSWORD, "PKCS12") == {"live": ("trustedCertEntry", leaf.sha256_hex)}
    assert keytool_list(tmp_path / "chain.p12", PASSWORD, "PKCS12") == {
        "live": ("trustedCertEntry", leaf.sha256_hex),
        "live-2": ("trustedCertEntry", inter.sha256_hex),
    }
    assert stat.S_IMODE((tmp_path / "leaf.p12").stat().st_mode) == 0o640
    again = ansible_playbook(tmp_path, play(tasks.replace("- {path: " + str(tmp_path / "chain.p12") + ", chain: chain}", "")))
    assert changed_count(again) == 0
