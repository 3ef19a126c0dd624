"""ccetrust.cce.certificate_info run by ansible-playbook on localhost."""

from __future__ import annotations

from pathlib import Path

from ansible_run import ansible_playbook, changed_count, task_results
from conftest import openssl


def test_certificate_info_reads_every_certificate_of_a_pkcs7(tmp_path: Path, fx: Path) -> None:
    out = ansible_playbook(
        tmp_path,
        f"""
- hosts: localhost
  gather_facts: false
  tasks:
    - ccetrust.cce.certificate_info:
        path: {fx / "chain.p7b"}
        valid_at: "2030-01-01T00:00:00Z"
    - ccetrust.cce.certificate_info:
        content: "{{{{ lookup('file', '{fx / "leaf.pem"}') }}}}"
""",
    )
    assert changed_count(out) == 0
    first, second = task_results(out)
    assert first["count"] == 3
    subjects = [c["subject"] for c in first["certificates"]]
    for name, got in zip(("leaf.pem", "int.pem", "root.pem"), subjects):
        want = openssl("x509", "-in", str(fx / name), "-noout", "-subject", "-nameopt", "RFC2253")
        assert want.strip() == f"subject={got}"
    assert first["certificates"][0]["valid_now"] is False  # the leaf expires before 2030
    assert first["certificates"][2]["valid_now"] is True
    assert second["certificates"][0]["san"]["dns"] == ["rgra.example.com", "rgra"]
    # `pem` is the certificate itself: openssl reads it back as the same certificate.
    for name, got in zip(("leaf.pem", "int.pem", "root.pem"), first["certificates"]):
        assert got["pem"].startswith("-----BEGIN CERTIFICATE-----")
        want = openssl("x509", "-in", str(fx / name))
        assert openssl("x509", input=got["pem"].encode()) == want, name


def test_certificate_info_fails_with_the_position(tmp_path: Path, fx: Path) -> None:
    bad = tmp_path / "bad.der"
    bad.write_bytes((fx / "leaf.der").read_bytes()[:200])
    out = ansible_playbook(
        tmp_path,
        f"""
- hosts: localhost
  gather_facts: false
  tasks:
    - ccetrust.cce.certificate_info:
        path: {bad}
""",
        check=False,
    )
    assert out["_rc"] != 0
    (result,) = task_results(out)
    assert result["failed"] and result["offset"] is not None
    assert str(bad) in result["msg"]


def test_certificate_info_reads_a_live_server(tmp_path: Path, fx: Path, server: int) -> None:
    out = ansible_playbook(
        tmp_path,
        f"""
- hosts: localhost
  gather_facts: false
  tasks:
    - ccetrust.cce.certificate_info:
        host: 127.0.0.1
        port: {server}
        timeout: 10
""",
    )
    (result,) = task_results(out)
    assert result["count"] == 2 and result["tls_version"] in ("TLSv1.2", "TLSv1.3")
    leaf_fp = openssl("x509", "-in", str(fx / "leaf.pem"), "-noout", "-fingerprint", "-sha256").split("=")[1]
    assert result["certificates"][0]["sha256"] == leaf_fp.strip().replace(":", "").lower()


def test_certificate_info_reads_csrs_as_inspect_does(tmp_path: Path, fx: Path) -> None:
    """A CSR made by openssl (what VOS or IIS hands the CA) and a file holding only a key."""
    out = ansible_playbook(
        tmp_path,
        f"""
- hosts: localhost
  gather_facts: false
  tasks:
    - ccetrust.cce.certificate_info:
        path: {fx / "cuic.csr"}
    - ccetrust.cce.certificate_info:
        content: "{{{{ lookup('file', '{fx / "key-and-cert.pem"}') }}}}"
    - ccetrust.cce.certificate_info:
        path: {fx / "leaf.key"}
      ignore_errors: true
""",
    )
    csr, mixed, key_only = task_results(out)
    assert csr["count"] == 0 and len(csr["csrs"]) == 1
    want = openssl("req", "-in", str(fx / "cuic.csr"), "-noout", "-subject", "-nameopt", "RFC2253").strip()
    assert want == f"subject={csr['csrs'][0]['subject']}"
    assert csr["csrs"][0]["san"]["dns"] == ["cuic.example.com", "cuic"] and csr["csrs"][0]["signature_valid"] is True
    assert mixed["count"] == 1 and mixed["csrs"] == []
    assert key_only["failed"] and key_only["kind"] == "wrong_kind"
    key_body = (fx / "leaf.key").read_text().splitlines()[1]
    assert key_body not in key_only["msg"] and key_body not in out["_stdout"]
