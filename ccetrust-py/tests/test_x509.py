"""ccetrust.x509 against what openssl and cryptography say about the same files."""

from __future__ import annotations

import datetime
import ipaddress
import pickle
import re
import subprocess
from pathlib import Path

import pytest

import ccetrust
from ccetrust import exceptions, x509
from conftest import openssl
from tools import require_module


def test_reads_every_encoding_of_the_same_certificate(fx: Path) -> None:
    pem = (fx / "leaf.pem").read_text()
    der = (fx / "leaf.der").read_bytes()
    a = x509.Certificate.from_pem(pem)
    b = x509.Certificate.from_der(der)
    c = x509.Certificate((fx / "leaf-crlf.cer").read_bytes())
    d = x509.Certificate(bytearray(der))
    e = x509.Certificate(memoryview(der))
    assert a == b == c == d == e
    assert hash(a) == hash(b)
    assert a.to_der() == der
    assert bytes(a) == der
    # Our PEM is read back by openssl to the same DER.
    out = Path(fx / "roundtrip.der")
    subprocess.run(
        ["openssl", "x509", "-outform", "DER", "-out", str(out)], input=a.to_pem().encode(), check=True
    )
    assert out.read_bytes() == der


def test_fields_match_openssl(fx: Path) -> None:
    cert = x509.Certificate.from_pem((fx / "leaf.pem").read_bytes())
    leaf = str(fx / "leaf.pem")
    subject = openssl("x509", "-in", leaf, "-noout", "-subject", "-nameopt", "RFC2253").strip()
    issuer = openssl("x509", "-in", leaf, "-noout", "-issuer", "-nameopt", "RFC2253").strip()
    assert subject == f"subject={cert.subject.rfc4514_string()}"
    assert issuer == f"issuer={cert.issuer.rfc4514_string()}"
    assert str(cert.subject) == cert.subject.rfc4514_string()
    serial = openssl("x509", "-in", leaf, "-noout", "-serial").strip().split("=")[1]
    assert int(serial, 16) == cert.serial_number == int(cert.serial, 16)
    fp = openssl("x509", "-in", leaf, "-noout", "-fingerprint", "-sha256").strip().split("=")[1]
    assert fp.replace(":", "").lower() == cert.sha256_hex == cert.sha256.hex()
    fp1 = openssl("x509", "-in", leaf, "-noout", "-fingerprint", "-sha1").strip().split("=")[1]
    assert fp1.replace(":", "").lower() == cert.sha1_hex
    end = openssl("x509", "-in", leaf, "-noout", "-enddate").strip().split("=")[1]
    parsed = datetime.datetime.strptime(end, "%b %d %H:%M:%S %Y GMT").replace(tzinfo=datetime.timezone.utc)
    assert cert.not_after == parsed
    assert cert.not_before.tzinfo is not None and cert.not_before < cert.not_after
    assert cert.common_name == "rgra.example.com"
    assert cert.subject.get("OU") == ["Contact Center"]
    assert cert.subject.get("2.5.4.3") == ["rgra.example.com"]
    assert [a.short_name for a in cert.subject.attributes] == ["C", "ST", "L", "O", "OU", "CN"]
    assert len(cert.subject) == 6
    assert cert.san.dns == ["rgra.example.com", "rgra"]
    assert cert.san.ip == [ipaddress.ip_address("10.10.20.5")]
    assert cert.san.to_list() == ["DNS:rgra.example.com", "DNS:rgra", "IP:10.10.20.5"]
    assert cert.key_algorithm == "RSA" and cert.key_size == 2048 and cert.key_curve is None
    assert cert.version == 3
    assert cert.signature_algorithm == "sha256WithRSAEncryption"
    assert not cert.is_ca and cert.path_len is None
    assert cert.key_usage == ["digitalSignature", "keyEncipherment"]
    assert cert.extended_key_usage == ["serverAuth", "clientAuth"]
    assert cert.ca_issuers_urls == ["http://pki.example.com/int.crt"]
    assert cert.ocsp_urls == ["http://ocsp.example.com"]
    assert cert.crl_urls == ["http://pki.example.com/int.crl"]
    names = {e.name for e in cert.extensions}
    assert {"subjectAltName", "basicConstraints", "keyUsage", "extendedKeyUsage"} <= names
    assert [e.critical for e in cert.extensions if e.name == "basicConstraints"] == [True]
    assert not cert.self_issued and not cert.self_signed
    assert cert.is_valid_at() and not cert.is_valid_at(datetime.datetime(2000, 1, 1))
    assert cert.is_valid_at(int(cert.not_before.timestamp()))
    spki = openssl("x509", "-in", leaf, "-noout", "-pubkey")
    import base64

    b64 = "".join(line for line in spki.splitlines() if not line.startswith("-----"))
    assert cert.public_key_der == base64.b64decode(b64)


def test_key_ids_match_the_issuer(fx: Path) -> None:
    leaf = x509.Certificate((fx / "leaf.pem").read_bytes())
    inter = x509.Certificate((fx / "int.pem").read_bytes())
    root = x509.Certificate((fx / "root.pem").read_bytes())
    assert leaf.authority_key_id == inter.subject_key_id is not None
    assert inter.is_ca and inter.path_len == 0
    assert root.self_signed and root.self_issued
    assert leaf.is_signed_by(inter) and inter.is_signed_by(root)
    assert not leaf.is_signed_by(root)
    assert leaf.issuer == inter.subject and leaf.issuer != leaf.subject


def test_ec_key(fx: Path) -> None:
    ec = x509.Certificate((fx / "ec.pem").read_bytes())
    assert (ec.key_algorithm, ec.key_size, ec.key_curve) == ("EC", 256, "P-256")
    assert ec.key_description == "EC P-256"
    assert ec.self_signed


def test_bundles_and_pkcs7_give_every_certificate(fx: Path) -> None:
    chain = [x509.Certificate((fx / f).read_bytes()) for f in ("leaf.pem", "int.pem", "root.pem")]
    for name in ("chain.pem", "chain.p7b", "chain.p7b.pem"):
        assert x509.load_certificates((fx / name).read_bytes()) == chain, name
        assert x509.load_certificates_file(fx / name) == chain, name
        assert x509.load_certificates_file(str(fx / name)) == chain, name
        assert x509.load_certificates_file(bytes(fx / name)) == chain, name
    p7 = x509.to_pkcs7(chain)
    # openssl reads our PKCS#7 back to the same three certificates.
    text = openssl("pkcs7", "-inform", "DER", "-print_certs", input=p7)
    assert text.count("-----BEGIN CERTIFICATE-----") == 3
    assert x509.load_certificates(p7) == chain
    with pytest.raises(exceptions.ParseError, match="exactly one"):
        x509.Certificate((fx / "chain.pem").read_bytes())


def test_load_reports_keys_and_csrs_without_their_content(fx: Path) -> None:
    loaded = x509.load_file(fx / "key-and-cert.pem")
    assert len(loaded.certificates) == 1 and loaded.csrs == []
    assert len(loaded.private_keys) == 1
    key_text = (fx / "leaf.key").read_text()
    body = key_text.splitlines()[1]
    assert body not in repr(loaded) and body not in loaded.private_keys[0]
    loaded = x509.load((fx / "leaf.csr").read_text())
    assert len(loaded.csrs) == 1 and loaded.certificates == []


def test_csr_and_comparison(fx: Path) -> None:
    csr = x509.CertificateRequest((fx / "cuic.csr").read_bytes())
    assert csr.signature_valid
    assert csr.san.dns == ["cuic.example.com", "cuic"]
    assert csr.subject.common_name == "cuic.example.com"
    assert x509.CertificateRequest.from_der(csr.to_der()).to_pem() == csr.to_pem()
    issued = x509.Certificate((fx / "cuic.pem").read_bytes())
    cmp = csr.compare(issued)
    assert cmp.key_match
    assert cmp.san_added == ["DNS:cuic-pub.example.com"] or cmp.san_added == ["cuic-pub.example.com"]
    assert len(cmp.san_missing) == 1 and "cuic" in cmp.san_missing[0]
    assert not cmp.matches and not cmp
    other = csr.compare(x509.Certificate((fx / "leaf.pem").read_bytes()))
    assert not other.key_match
    assert cmp.to_dict()["matches"] is False
    leaf_csr = x509.CertificateRequest((fx / "leaf.csr").read_bytes())
    leaf = x509.Certificate((fx / "leaf.pem").read_bytes())
    assert leaf_csr.compare(leaf).key_match
    assert leaf_csr.public_key_sha256 == leaf.public_key_sha256


def test_to_dict_is_the_inspect_schema(fx: Path) -> None:
    cert = x509.Certificate((fx / "leaf.pem").read_bytes())
    d = cert.to_dict()
    assert d["subject"] == cert.subject.rfc4514_string()
    assert d["sha256"] == cert.sha256_hex
    assert d["san"]["dns"] == ["rgra.example.com", "rgra"]
    assert d["public_key"] == {"algorithm": "RSA", "bits": 2048, "curve": None}
    assert "Subject:" in cert.to_text()


def test_cryptography_interop(fx: Path) -> None:
    cryptography_x509 = require_module("cryptography.x509", "the comparison with cryptography")
    cert = x509.Certificate((fx / "leaf.pem").read_bytes())
    theirs = cert.to_cryptography()
    assert isinstance(theirs, cryptography_x509.Certificate)
    assert theirs.subject.rfc4514_string() == cert.subject.rfc4514_string()
    assert theirs.serial_number == cert.serial_number
    assert theirs.not_valid_after_utc == cert.not_after
    assert x509.Certificate.from_cryptography(theirs) == cert


def test_to_cryptography_without_it_says_how_to_install_it(fx: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    cert = x509.Certificate((fx / "leaf.pem").read_bytes())
    monkeypatch.setitem(sys.modules, "cryptography.x509", None)  # as if it were not installed
    with pytest.raises(ImportError, match="pip install cryptography"):
        cert.to_cryptography()


def test_pickle_roundtrip(fx: Path) -> None:
    cert = x509.Certificate((fx / "leaf.pem").read_bytes())
    assert pickle.loads(pickle.dumps(cert)) == cert


def test_repr_is_short_and_useful(fx: Path) -> None:
    cert = x509.Certificate((fx / "leaf.pem").read_bytes())
    assert re.fullmatch(r"<Certificate subject=[\"'].*CN=rgra.example.com,.*C=US[\"'] sha256=[0-9a-f]{16}>", repr(cert))


def test_bad_input_raises_typed_errors_with_position(fx: Path) -> None:
    der = (fx / "leaf.der").read_bytes()
    with pytest.raises(exceptions.ParseError) as info:
        x509.Certificate.from_der(der[:500])
    assert isinstance(info.value, ValueError) and isinstance(info.value, ccetrust.CcetrustError)
    assert info.value.offset is not None and 0 <= info.value.offset <= 500
    assert info.value.kind == "malformed"
    with pytest.raises(exceptions.ParseError) as info:
        x509.Certificate.from_der(b"")
    assert info.value.kind == "empty"
    broken = (fx / "leaf.pem").read_text().replace("MII", "M!I", 1)
    with pytest.raises(exceptions.ParseError) as info:
        x509.Certificate.from_pem("junk line\n" + broken)
    assert info.value.line == 2
    with pytest.raises(exceptions.ParseError, match="not PEM"):
        x509.Certificate.from_pem(der)
    with pytest.raises(exceptions.ParseError) as info:
        x509.load_certificates((fx / "leaf.key").read_bytes())
    assert info.value.kind == "wrong_kind"
    with pytest.raises(TypeError):
        x509.Certificate(12)  # type: ignore[arg-type]


def test_missing_file_is_oserror_with_filename(tmp_path: Path) -> None:
    missing = tmp_path / "nope.pem"
    with pytest.raises(FileNotFoundError) as info:
        x509.load_file(missing)
    assert info.value.filename == str(missing)


def test_undecodable_file_names_are_kept_as_python_names_them(tmp_path: Path, fx: Path) -> None:
    """A file name that is not UTF-8 (a Latin-1 share mounted on Linux): read through bytes
    paths, and errors name it exactly as os.fsdecode does, so it can be opened again."""
    import os
    import sys

    if sys.platform == "win32":
        pytest.skip("Windows file names are Unicode")
    base = os.fsencode(tmp_path) + b"/caf\xe9"
    with pytest.raises(FileNotFoundError) as missing:
        x509.load_file(base + b".pem")
    assert missing.value.filename == os.fsdecode(base + b".pem")
    with open(base + b".der", "wb") as f:
        f.write((fx / "leaf.der").read_bytes()[:300])
    with pytest.raises(exceptions.ParseError) as bad:
        x509.load_file(base + b".der")
    assert bad.value.path == os.fsdecode(base + b".der") and os.path.exists(bad.value.path)
    with open(base + b".pem", "wb") as f:
        f.write((fx / "leaf.pem").read_bytes())
    assert x509.load_certificates_file(base + b".pem") == x509.load_certificates_file(os.fsdecode(base + b".pem"))


def test_error_in_file_names_the_file(tmp_path: Path, fx: Path) -> None:
    bad = tmp_path / "bad.der"
    bad.write_bytes((fx / "leaf.der").read_bytes()[:300])
    with pytest.raises(exceptions.ParseError) as info:
        x509.load_file(bad)
    assert info.value.path == str(bad)
    assert str(bad) in str(info.value)
    assert info.value.offset is not None


def test_inspect_many_agrees_with_the_objects(fx: Path) -> None:
    files = ["leaf.der", "int.pem", "root.pem", "ec.pem"]
    items = [(fx / f).read_bytes() for f in files] * 100  # above the threading threshold
    out = x509.inspect_many(items)
    single = x509.inspect_many(items, threads=1)
    assert out == single
    assert len(out) == len(items)
    for item, d in zip(items, out):
        c = x509.Certificate(item)
        full = c.to_dict()
        # One shape: each summary is Certificate.to_dict() restricted to the summary's keys.
        assert d == {k: full[k] for k in d}
        assert set(d) == {"subject", "issuer", "serial", "not_before", "not_after", "san", "public_key", "sha256"}
        assert d["subject"] == c.subject.rfc4514_string()
        assert d["sha256"] == c.sha256_hex
        assert d["public_key"]["bits"] == c.key_size
        assert d["san"]["dns"] == c.san.dns
        assert d["san"]["ip"] == [str(i) for i in c.san.ip]
        assert datetime.datetime.fromisoformat(d["not_after"]) == c.not_after


def test_inspect_many_names_the_bad_item(fx: Path) -> None:
    good = (fx / "leaf.der").read_bytes()
    with pytest.raises(exceptions.ParseError) as info:
        x509.inspect_many([good, good, good[:100], good])
    assert info.value.index == 2
    assert "certificate 2" in str(info.value)
    assert x509.inspect_many([]) == []


def test_inspect_many_collects_per_item(fx: Path) -> None:
    """errors="collect": a bad item's ParseError takes its place, the others are reported."""
    good = (fx / "leaf.der").read_bytes()
    for threads in (1, 4):
        items = [good, good[:100], b"", good] * 100  # above the threading threshold with 4
        out = x509.inspect_many(items, threads=threads, errors="collect")
        assert len(out) == len(items)
        for i, r in enumerate(out):
            if i % 4 in (1, 2):
                assert isinstance(r, exceptions.ParseError) and r.index == i
                assert f"certificate {i}" in str(r)
            else:
                assert isinstance(r, dict) and r["sha256"] == x509.Certificate(good).sha256_hex
    with pytest.raises(exceptions.UsageError):
        x509.inspect_many([good], errors="ignore")


def test_exactly_one_certificate_is_one_rule(fx: Path) -> None:
    """Certificate(), Certificate.from_pem() and inspect_many share core's cert::load_one."""
    bundle = (fx / "leaf.pem").read_bytes() + (fx / "int.pem").read_bytes()
    messages = []
    with pytest.raises(exceptions.ParseError) as a:
        x509.Certificate(bundle)
    messages.append(str(a.value))
    with pytest.raises(exceptions.ParseError) as b:
        x509.Certificate.from_pem(bundle)
    messages.append(str(b.value))
    with pytest.raises(exceptions.ParseError) as c:
        x509.inspect_many([bundle])
    messages.append(str(c.value).removeprefix("certificate 0: "))
    assert a.value.kind == b.value.kind == c.value.kind == "wrong_kind"
    assert len(set(messages)) == 1 and "exactly one certificate" in messages[0] and "2 certificates" in messages[0]


def test_names_from_der(fx: Path) -> None:
    cert = x509.Certificate((fx / "leaf.pem").read_bytes())
    name = x509.Name.from_der(cert.subject.to_der())
    assert name == cert.subject and hash(name) == hash(cert.subject)
    assert "rgra.example.com" in repr(name)


def test_errors_pickle_with_their_context(fx: Path) -> None:
    with pytest.raises(exceptions.ParseError) as info:
        x509.Certificate.from_der((fx / "leaf.der").read_bytes()[:500])
    again = pickle.loads(pickle.dumps(info.value))
    assert type(again) is exceptions.ParseError
    assert (again.kind, again.offset, str(again)) == (info.value.kind, info.value.offset, str(info.value))


def test_names_and_sans_agree_with_cryptography_on_generated_certificates() -> None:
    """Subjects with arbitrary text (RFC 4514 escaping: ',', '+', '"', '\\', '<', '>', ';',
    leading '#' or space, trailing space, non-ASCII) render exactly as cryptography renders
    them, and SANs and CN read back as written."""
    require_module("cryptography", "the comparison with cryptography")
    from cryptography import x509 as cx
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    from hypothesis import given, settings
    from hypothesis import strategies as st

    key = ec.generate_private_key(ec.SECP256R1())
    text = st.text(
        alphabet=st.characters(min_codepoint=32, max_codepoint=0x24F, blacklist_categories=("Cs",)), min_size=1, max_size=12
    )
    hosts = st.from_regex(r"[a-z][a-z0-9-]{0,10}(\.[a-z][a-z0-9-]{0,10}){0,3}", fullmatch=True)

    @settings(max_examples=150, deadline=None)
    @given(cn=text, ou=text, o=text, dns=st.lists(hosts, max_size=3))
    def check(cn: str, ou: str, o: str, dns: list[str]) -> None:
        name = cx.Name(
            [
                cx.NameAttribute(NameOID.ORGANIZATION_NAME, o),
                cx.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, ou),
                cx.NameAttribute(NameOID.COMMON_NAME, cn),
            ]
        )
        builder = (
            cx.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(12345)
            .not_valid_before(datetime.datetime(2025, 1, 1))
            .not_valid_after(datetime.datetime(2026, 1, 1))
        )
        if dns:
            builder = builder.add_extension(cx.SubjectAlternativeName([cx.DNSName(d) for d in dns]), critical=False)
        theirs = builder.sign(key, hashes.SHA256())
        ours = x509.Certificate.from_der(theirs.public_bytes(serialization.Encoding.DER))
        assert ours.subject.rfc4514_string() == theirs.subject.rfc4514_string()
        assert ours.san.dns == dns and ours.common_name == cn
        assert ours.self_signed

    check()
