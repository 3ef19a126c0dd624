"""ccetrust.chain and ccetrust.names, checked against openssl verify on the same files."""

from __future__ import annotations

import datetime
import subprocess
from pathlib import Path

import pytest

from ccetrust import chain, exceptions, keystore, names, x509


def load(fx: Path, *files: str) -> list[x509.Certificate]:
    return [x509.Certificate((fx / f).read_bytes()) for f in files]


def openssl_verify(fx: Path, *args: str) -> bool:
    r = subprocess.run(["openssl", "verify", *args], cwd=fx, capture_output=True, text=True)
    return r.returncode == 0


def test_valid_chain_agrees_with_openssl(fx: Path) -> None:
    leaf, inter, root = load(fx, "leaf.pem", "int.pem", "root.pem")
    assert openssl_verify(fx, "-CAfile", "root.pem", "-untrusted", "int.pem", "leaf.pem")
    v = chain.verify(leaf, [inter], [root], name="rgra.example.com")
    assert v.valid and bool(v) and v.code == "valid"
    assert v.path == [leaf, inter, root]
    assert v.name is not None and v.name.matched
    v.raise_if_invalid()  # does not raise
    d = v.to_dict()
    assert d["valid"] is True and [p["sha256"] for p in d["path"]] == [c.sha256_hex for c in (leaf, inter, root)]


def test_missing_intermediate_names_what_to_import(fx: Path) -> None:
    leaf, root = load(fx, "leaf.pem", "root.pem")
    assert not openssl_verify(fx, "-CAfile", "root.pem", "leaf.pem")
    v = chain.verify(leaf, [], [root])
    assert not v.valid and v.code == "chain.untrusted_issuer"
    assert "Example Issuing CA 1" in v.reason
    with pytest.raises(exceptions.VerificationError) as info:
        v.raise_if_invalid()
    assert info.value.kind == "chain.untrusted_issuer" and info.value.verdict is v


def test_name_mismatch_and_expiry(fx: Path) -> None:
    leaf, inter, root = load(fx, "leaf.pem", "int.pem", "root.pem")
    v = chain.verify(leaf, [inter], [root], name="finesse.example.com")
    assert v.code == "name.mismatch" and "rgra.example.com" in v.reason
    assert v.concerns == leaf
    later = datetime.datetime(2035, 1, 1, tzinfo=datetime.timezone.utc)
    v = chain.verify(leaf, [inter], [root], time=later)
    assert v.code == "validity.expired"
    assert openssl_verify(fx, "-CAfile", "root.pem", "-untrusted", "int.pem", "-attime", str(int(later.timestamp())), "leaf.pem") is False


def test_anchors_from_a_keystore_made_by_keytool(fx: Path, keytool: str) -> None:
    leaf, inter = load(fx, "leaf.pem", "int.pem")
    store = keystore.Keystore.load(fx / "trust.jks", "changeit")
    assert chain.verify(leaf, [inter], store).valid
    assert chain.verify(leaf, [inter], [store]).valid


def test_profiles_disagree_on_cn_only_certificates(fx: Path) -> None:
    (legacy,) = load(fx, "cn-only.pem")
    browser = chain.verify(legacy, [], [legacy], name="legacy.example.com", profile="browser")
    java = chain.verify(legacy, [], [legacy], name="legacy.example.com", profile="java")
    assert not browser.valid and java.valid
    with pytest.raises(exceptions.UsageError):
        chain.verify(legacy, [], [legacy], profile="netscape")
    with pytest.raises(TypeError):
        chain.verify(legacy, ["not a certificate"], [legacy])  # type: ignore[list-item]


def test_name_checks(fx: Path) -> None:
    leaf, legacy = load(fx, "leaf.pem", "cn-only.pem")
    assert names.check(leaf, "RGRA.Example.COM.").matched
    assert names.check(leaf, "10.10.20.5").matched
    miss = names.check(leaf, "cuic.example.com")
    assert not miss and "rgra.example.com" in miss.explain()
    assert names.presented_names(leaf) == ["rgra.example.com", "rgra", "10.10.20.5"]
    assert names.presented_names(legacy, profile="java") == ["CN=legacy.example.com"]
    assert names.presented_names(legacy, profile="browser") == []
    assert names.dns_name_matches("*.example.com", "finesse.example.com")
    assert not names.dns_name_matches("*.example.com", "a.b.example.com")
    assert names.is_valid_reference("rgra.example.com") and not names.is_valid_reference("ece..example.local")


def test_describe(fx: Path) -> None:
    (root,) = load(fx, "root.pem")
    assert chain.describe(root) == f"'{root.subject}' (sha256 {root.sha256_hex})"
