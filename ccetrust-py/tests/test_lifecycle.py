"""Certificate lifecycle from Python (issue 15): Keystore.generate_key_pair and x509.new_csr,
read back by keytool, openssl and pyca/cryptography."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from ccetrust import exceptions, keystore, x509
from conftest import keytool_list, openssl


@pytest.mark.parametrize("fmt,storetype", [("jks", "JKS"), ("jceks", "JCEKS"), ("pkcs12", "PKCS12")])
def test_generate_key_pair_is_a_private_key_entry_for_keytool(
    tmp_path: Path, keytool: str, fmt: str, storetype: str
) -> None:
    ks = keystore.Keystore(fmt)
    entry = ks.generate_key_pair(
        "cvp-wsm", "cvp1.example.com", sans=["IP:10.1.2.3"], role="cvp", product="pcce", version="12.5"
    )
    assert entry.kind == "private_key"
    cert = entry.certificate
    assert cert is not None and cert.subject.common_name == "cvp1.example.com"
    assert cert.san.dns == ["cvp1.example.com"] and [str(i) for i in cert.san.ip] == ["10.1.2.3"]
    path = tmp_path / f"store.{fmt}"
    ks.save(path, "changeit")
    listed = keytool_list(path, storetype=storetype)
    assert listed["cvp-wsm"][0] == "PrivateKeyEntry"
    assert listed["cvp-wsm"][1] == cert.sha256_hex


def test_generated_certificate_verifies_with_pyca_cryptography(tmp_path: Path) -> None:
    # The CI installs cryptography beside pytest (tests/ci.d/50-python.sh): a missing one fails.
    from cryptography import x509 as crypto
    from cryptography.hazmat.primitives.asymmetric import ec

    ks = keystore.Keystore("pkcs12")
    entry = ks.generate_key_pair("fin", "fin.example.com", keyalg="ec", keysize=384, eku="server")
    cert = entry.certificate
    assert cert is not None
    parsed = crypto.load_der_x509_certificate(cert.to_der())
    parsed.verify_directly_issued_by(parsed)
    assert isinstance(parsed.public_key(), ec.EllipticCurvePublicKey)
    assert parsed.signature_hash_algorithm is not None and parsed.signature_hash_algorithm.name == "sha384"
    bc = parsed.extensions.get_extension_for_class(crypto.BasicConstraints)
    assert bc.critical and not bc.value.ca
    assert len(parsed.serial_number.to_bytes(16, "big")) == 16


def test_generate_key_pair_refuses_what_the_release_rejects() -> None:
    ks = keystore.Keystore("jceks")
    with pytest.raises(exceptions.CcetrustError, match="key.algorithm"):
        ks.generate_key_pair("x", "cvp1.example.com", keyalg="ec", role="cvp", product="pcce", version="12.5")
    with pytest.raises(exceptions.CcetrustError):
        ks.generate_key_pair("x", "cvp1.example.com", role="cvp")
    assert len(ks) == 0


def test_new_csr_writes_an_encrypted_owner_only_key_and_the_sans_asked(tmp_path: Path) -> None:
    csr, key_path, csr_path = x509.new_csr(
        "pg1a.example.com",
        tmp_path / "out",
        sans=["pg1a.example.com", "IP:10.0.0.5"],
        eku="server,client",
        key_password="k3y-pass",
    )
    assert Path(key_path).name == "pg1a.example.com.key" and Path(csr_path).name == "pg1a.example.com.csr"
    assert csr.san.dns == ["pg1a.example.com"] and [str(i) for i in csr.san.ip] == ["10.0.0.5"]
    text = openssl("req", "-in", csr_path, "-noout", "-verify", "-text")
    assert "DNS:pg1a.example.com, IP Address:10.0.0.5" in text
    assert Path(key_path).read_text().startswith("-----BEGIN ENCRYPTED PRIVATE KEY-----")
    openssl("pkey", "-in", key_path, "-passin", "pass:k3y-pass", "-noout")
    if os.name == "posix":
        assert stat.S_IMODE(os.stat(key_path).st_mode) == 0o600
    with pytest.raises(exceptions.CcetrustError):
        x509.new_csr("pg1a.example.com", tmp_path / "out")
    _, key2, _ = x509.new_csr("aw1.example.com", tmp_path / "cu", layout="cisco-cert-util")
    assert Path(key2).name == "host.key"
