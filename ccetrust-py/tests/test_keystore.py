"""ccetrust.keystore against keystores made and read by keytool."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ccetrust import exceptions, keystore, x509
from conftest import keytool_list

FORMATS = [("trust.jks", "JKS"), ("trust.jceks", "JCEKS"), ("trust.pkcs12", "PKCS12")]


def cert(fx: Path, name: str) -> x509.Certificate:
    return x509.Certificate((fx / name).read_bytes())


@pytest.mark.parametrize("name,fmt", FORMATS)
def test_reads_what_keytool_wrote(fx: Path, keytool: str, name: str, fmt: str) -> None:
    ks = keystore.Keystore.load(fx / name, "changeit")
    assert ks.format == fmt == keystore.detect_format((fx / name).read_bytes())
    assert ks.aliases() == ["example-root"] and len(ks) == 1 and "example-root" in ks
    # Aliases are found in any case in every format, as keytool finds them (JKS and JCEKS
    # store them lower-case; a PKCS#12 friendly name keeps its case but matches in any case).
    assert "EXAMPLE-ROOT" in ks
    (entry,) = ks.entries
    assert entry.kind == "trusted_cert" and entry.keytool_kind == "trustedCertEntry"
    assert entry.certificate == cert(fx, "root.pem")
    listed = keytool_list(fx / name)
    assert listed == {"example-root": ("trustedCertEntry", cert(fx, "root.pem").sha256_hex)}
    # bytes passwords and every path type work too
    assert len(keystore.Keystore.load(str(fx / name), b"changeit")) == 1
    assert len(keystore.Keystore.from_bytes((fx / name).read_bytes(), "changeit", format=fmt)) == 1


@pytest.mark.parametrize("name,fmt", FORMATS)
def test_wrong_password_is_an_integrity_error_that_hides_it(fx: Path, keytool: str, name: str, fmt: str) -> None:
    with pytest.raises(exceptions.KeystoreIntegrityError) as info:
        keystore.Keystore.load(fx / name, "s3cret-Wr0ng")
    assert info.value.kind == "integrity"
    assert "s3cret-Wr0ng" not in str(info.value) and "s3cret-Wr0ng" not in repr(info.value)
    assert isinstance(info.value, exceptions.KeystoreError)


@pytest.mark.parametrize("name,fmt", FORMATS)
def test_modified_file_is_an_integrity_error(fx: Path, keytool: str, name: str, fmt: str) -> None:
    """One bit flipped inside the stored certificate (JKS, JCEKS) or the encrypted contents
    (PKCS#12): the integrity check fails with the right password, before any decoding."""
    data = bytearray((fx / name).read_bytes())
    root_der = cert(fx, "root.pem").to_der()
    at = data.find(root_der[100:140])
    assert (at >= 0) == (fmt != "PKCS12")  # keytool 17 encrypts PKCS#12 certificate bags
    data[at + 10 if at >= 0 else len(data) // 2] ^= 0x01
    with pytest.raises(exceptions.KeystoreIntegrityError) as info:
        keystore.Keystore.from_bytes(bytes(data), "changeit")
    assert info.value.kind == "integrity"
    if fmt == "PKCS12":
        assert "modified" in str(info.value)
    assert "changeit" not in str(info.value)


def test_garbage_is_a_format_error_with_offset(fx: Path, keytool: str) -> None:
    data = (fx / "trust.jks").read_bytes()[:40]
    with pytest.raises(exceptions.KeystoreFormatError) as info:
        keystore.Keystore.from_bytes(data, "changeit")
    assert isinstance(info.value, ValueError)
    assert info.value.offset is not None and info.value.offset <= 40
    with pytest.raises(exceptions.KeystoreFormatError):
        keystore.detect_format(b"hello")


def test_password_type_errors_do_not_echo(fx: Path) -> None:
    with pytest.raises(TypeError) as info:
        keystore.Keystore.load(fx / "trust.jks", 12345)  # type: ignore[arg-type]
    assert "12345" not in str(info.value)


def test_missing_keystore_is_file_not_found(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        keystore.Keystore.load(tmp_path / "none.jks", "changeit")


@pytest.mark.parametrize("fmt,storetype", [("jks", "JKS"), ("jceks", "JCEKS"), ("pkcs12", "PKCS12")])
def test_import_is_idempotent_by_identity_and_keytool_agrees(
    fx: Path, keytool: str, tmp_path: Path, fmt: str, storetype: str
) -> None:
    path = tmp_path / f"store.{fmt}"
    ks = keystore.Keystore.load(fx / f"trust.{'pkcs12' if fmt == 'pkcs12' else fmt}", "changeit")
    leaf, inter = cert(fx, "leaf.pem"), cert(fx, "int.pem")
    first = ks.import_certificate("Issuing-CA", inter)
    assert first["result"] == "added" and first["changed"]
    again = ks.import_certificate("another-name", inter)
    assert again == {"result": "already_present", "alias": "another-name", "existing_alias": first["alias"], "changed": False}
    root_again = ks.import_certificate("root-again", cert(fx, "root.pem"))
    assert root_again["result"] == "already_present" and root_again["existing_alias"] == "example-root"
    with pytest.raises(exceptions.KeystoreError) as info:
        ks.import_certificate("example-root", leaf)
    assert info.value.alias == "example-root"
    replaced = ks.import_certificate("example-root", leaf, replace=True)
    assert replaced["result"] == "replaced" and replaced["previous_sha256"] == cert(fx, "root.pem").sha256_hex
    report = ks.save(path, "changeit", backup=False)
    assert report["bytes"] == path.stat().st_size and report["backup"] is None
    # JKS/JCEKS store aliases lower-case; PKCS#12 keeps the case (the JDK lower-cases it
    # when loading, so keytool lists it lower-case either way).
    assert keystore.Keystore.load(path, "changeit").aliases()[1] == ("issuing-ca" if fmt != "pkcs12" else "Issuing-CA")
    assert keytool_list(path, storetype=storetype) == {
        "example-root": ("trustedCertEntry", leaf.sha256_hex),
        "issuing-ca": ("trustedCertEntry", inter.sha256_hex),
    }


def test_bundle_import_takes_every_certificate_and_save_keeps_a_backup(fx: Path, keytool: str, tmp_path: Path) -> None:
    path = tmp_path / "cacerts"
    path.write_bytes((fx / "trust.jks").read_bytes())
    ks = keystore.Keystore.load(path, "changeit")
    chain = x509.load_certificates_file(fx / "chain.p7b")
    outcomes = ks.import_certificates("cce", chain)
    assert [o["result"] for o in outcomes] == ["added", "added", "already_present"]
    assert [o["alias"] for o in outcomes] == ["cce", "cce-2", "cce-3"]
    report = ks.save(path, "changeit")
    assert report["backup"] is not None and Path(report["backup"]).read_bytes() == (fx / "trust.jks").read_bytes()
    listed = keytool_list(path)
    assert listed == {
        "example-root": ("trustedCertEntry", chain[2].sha256_hex),
        "cce": ("trustedCertEntry", chain[0].sha256_hex),
        "cce-2": ("trustedCertEntry", chain[1].sha256_hex),
    }


def test_delete_rename_convert(fx: Path, keytool: str, tmp_path: Path) -> None:
    ks = keystore.Keystore.load(fx / "trust.jks", "changeit")
    ks.import_certificate("leaf", cert(fx, "leaf.pem"))
    ks.rename("leaf", "rgra")
    with pytest.raises(exceptions.KeystoreError) as info:
        ks.rename("rgra", "example-root")
    assert info.value.alias == "example-root"
    removed = ks.delete("example-root")
    assert removed.certificate == cert(fx, "root.pem")
    with pytest.raises(exceptions.KeystoreError) as info:
        ks.delete("example-root")
    assert info.value.alias == "example-root"
    p12 = ks.convert("pkcs12")
    assert p12.format == "PKCS12"
    out = tmp_path / "converted.p12"
    p12.save(out, "n3w-pass")
    assert keytool_list(out, "n3w-pass", "PKCS12") == {"rgra": ("trustedCertEntry", cert(fx, "leaf.pem").sha256_hex)}
    jks_over = tmp_path / "over.jks"
    jks_over.write_bytes((fx / "trust.jks").read_bytes())
    with pytest.raises(exceptions.UsageError):
        p12.save(jks_over, "changeit")
    p12.save(jks_over, "changeit", allow_format_change=True)
    assert keystore.detect_format(jks_over.read_bytes()) == "PKCS12"


def test_key_pairs(fx: Path, keytool: str, tmp_path: Path) -> None:
    ks = keystore.Keystore.load(fx / "keypair.jks", "changeit")
    (entry,) = ks.entries
    assert entry.kind == "private_key" and entry.key_unlocked is False
    assert entry.certificate is not None and entry.certificate.common_name == "cvp.example.com"
    failed = ks.unlock_keys("changeit")
    assert list(failed) == ["tomcat"] and "keypass1" not in failed["tomcat"]
    assert entry.key_algorithm is None and entry.public_key_sha256 is None and entry.key_matches_certificate is None
    assert ks.unlock_keys("keypass1") == {}
    assert ks.entries[0].key_unlocked is True
    # What `keytool -list` cannot say: the key's algorithm, and that it belongs to the certificate.
    unlocked = ks.entries[0]
    assert unlocked.key_algorithm == "EC" and unlocked.key_matches_certificate is True
    assert unlocked.certificate is not None and unlocked.public_key_sha256 == unlocked.certificate.public_key_sha256
    assert ks.get("tomcat") is not None and keystore.Keystore.load(fx / "trust.jks", "changeit").entries[0].key_algorithm is None
    # A key pair made by openssl, imported into a JKS; keytool then lists a PrivateKeyEntry.
    leaf, inter, root = (cert(fx, n) for n in ("leaf.pem", "int.pem", "root.pem"))
    store = keystore.Keystore("jks")
    out = store.import_key_pair("rgra", (fx / "leaf.key").read_bytes(), [leaf, inter, root])
    assert out["result"] == "added"
    with pytest.raises(exceptions.UsageError, match="does not belong"):
        store.import_key_pair("other", (fx / "ec.key").read_bytes(), [leaf])
    path = tmp_path / "identity.jks"
    store.save(path, "changeit")
    assert keytool_list(path) == {"rgra": ("PrivateKeyEntry", leaf.sha256_hex)}
    reread = keystore.Keystore.load(path, "changeit")
    assert reread.entries[0].certificates == [leaf, inter, root]
    p12 = keystore.Keystore.load(fx / "keypair.p12", "changeit")
    assert p12.entries[0].kind == "private_key" and p12.entries[0].certificate is not None
    assert "changeit" not in repr(p12) and "changeit" not in repr(p12.entries[0])


# Aliases keytool would accept: letters, digits, dot, dash, underscore.
ALIASES = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_", min_size=1, max_size=20)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    fmt=st.sampled_from(["jks", "jceks", "pkcs12", "pem"]),
    picks=st.lists(st.tuples(ALIASES, st.sampled_from(["leaf.pem", "int.pem", "root.pem", "ec.pem", "cn-only.pem"])), max_size=6),
    password=st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=0x2FF), min_size=1, max_size=16),
)
def test_roundtrip_through_bytes(fx: Path, fmt: str, picks: list[tuple[str, str]], password: str) -> None:
    ks = keystore.Keystore(fmt)
    expected: dict[str, x509.Certificate] = {}
    for alias, name in picks:
        c = cert(fx, name)
        try:
            out = ks.import_certificate(alias, c)
        except exceptions.KeystoreError:
            continue  # alias taken by a different certificate: refused, model unchanged
        if out["result"] == "added":
            expected[out["alias"]] = c
    # Any password round-trips through our own reader; keytool's limits are tested below.
    encoded = ks.to_bytes(password, allow_non_keytool_password=True)
    if fmt == "pem" and not expected:
        assert encoded.strip() == b""  # an empty PEM bundle is an empty file
        return
    again = keystore.Keystore.from_bytes(encoded, password)
    assert again.format == ks.format
    got = {a: c for a, c in again.trusted_certificates()}
    if fmt == "pem":
        assert list(got.values()) == list(expected.values())
    else:
        assert got == expected


# Key pairs made by openssl (gen_fixtures.sh): the key file and its chain, end-entity first.
KEY_PAIRS = {"rsa": ("leaf.key", ["leaf.pem", "int.pem", "root.pem"]), "ec": ("ec.key", ["ec.pem"])}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    fmt=st.sampled_from(["jks", "jceks", "pkcs12", "pem"]),
    keys=st.lists(st.tuples(ALIASES, st.sampled_from(sorted(KEY_PAIRS))), max_size=3),
    trusted=st.lists(st.tuples(ALIASES, st.sampled_from(["int.pem", "root.pem", "cn-only.pem"])), max_size=3),
    # JCEKS key passwords must be printable ASCII (the JDK refuses others).
    password=st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), min_size=1, max_size=16),
)
def test_key_pairs_roundtrip_through_bytes(
    fx: Path, fmt: str, keys: list[tuple[str, str]], trusted: list[tuple[str, str]], password: str
) -> None:
    """Stores holding private keys and trusted certificates, written and read back: the same
    entries in the same order, each key opening with the password it was written with."""
    ks = keystore.Keystore(fmt)
    expected: dict[str, tuple[str, list[x509.Certificate]]] = {}
    for alias, name in keys:
        key_file, chain_files = KEY_PAIRS[name]
        chain = [cert(fx, f) for f in chain_files]
        try:
            out = ks.import_key_pair(alias, (fx / key_file).read_bytes(), chain)
        except exceptions.KeystoreError:
            continue  # alias taken by another entry: refused, model unchanged
        if out["result"] == "added":
            expected[out["alias"]] = ("private_key", chain)
    for alias, name in trusted:
        try:
            out = ks.import_certificate(alias, cert(fx, name))
        except exceptions.KeystoreError:
            continue
        if out["result"] == "added":
            expected[out["alias"]] = ("trusted_cert", [cert(fx, name)])
    assert ks.aliases() == list(expected)
    again = keystore.Keystore.from_bytes(ks.to_bytes(password, allow_non_keytool_password=True), password) if expected else None
    if again is None:
        return
    assert again.format == ks.format
    assert again.unlock_keys(password) == {}
    got = [(e.alias, e.kind, e.certificates) for e in again.entries]
    assert got == [(a, kind, chain) for a, (kind, chain) in expected.items()]
    assert all(e.key_unlocked for e in again.entries if e.kind == "private_key")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_damaged_keystores_raise_typed_errors_only(fx: Path, data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(["trust.jks", "trust.jceks", "trust.pkcs12", "keypair.jks"]))
    raw = bytearray((fx / name).read_bytes())
    cut = data.draw(st.integers(min_value=0, max_value=len(raw)))
    flips = data.draw(st.lists(st.integers(min_value=0, max_value=len(raw) - 1), max_size=4))
    for i in flips:
        raw[i] ^= 0xFF
    try:
        keystore.Keystore.from_bytes(bytes(raw[:cut]), "changeit")
    except exceptions.CcetrustError:
        pass


def test_change_key_password_keytool_opens_the_key_with_the_new_one(fx: Path, keytool: str, tmp_path: Path) -> None:
    import os
    import subprocess

    ks = keystore.Keystore.load(fx / "keypair.jks", "changeit")
    with pytest.raises(exceptions.KeystoreIntegrityError) as info:
        ks.change_key_password("not-it")
    assert info.value.alias == "tomcat" and "not-it" not in str(info.value)
    assert ks.change_key_password("keypass1") == 1
    out = tmp_path / "rekeyed.jks"
    ks.save(out, "st0re-pass", key_password="k3y-pass")
    again = keystore.Keystore.load(out, "st0re-pass")
    assert again.unlock_keys("k3y-pass") == {}
    # keytool copies the key out only if the new key password opens it.
    env = dict(os.environ, SP="st0re-pass", KP="k3y-pass", DP="dest-pass")
    subprocess.run(
        ["keytool", "-importkeystore", "-noprompt", "-srckeystore", str(out), "-srcstoretype", "JKS",
         "-srcstorepass:env", "SP", "-srcalias", "tomcat", "-srckeypass:env", "KP",
         "-destkeystore", str(tmp_path / "copy.p12"), "-deststoretype", "PKCS12", "-deststorepass:env", "DP"],
        check=True, capture_output=True, env=env,
    )
    assert keystore.Keystore.load(tmp_path / "copy.p12", "dest-pass").entries[0].kind == "private_key"


def test_passwords_never_in_an_exception_or_a_repr(fx: Path, keytool: str, tmp_path: Path) -> None:
    """Every call that takes a password, made to fail: the password (as text or as bytes)
    is in no message, repr, attribute or formatted traceback."""
    import traceback

    secret = "Zq8-s3cret-pw"
    forms = (secret, repr(secret.encode()), secret.encode().hex())
    seen: list[str] = []

    def expect_failure(fn, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        try:
            fn(*args, **kwargs)
        except Exception as e:  # noqa: BLE001 - every failure is inspected below
            seen.append("".join(traceback.format_exception(e)) + repr(e) + repr(vars(e)) + repr(e.args))
        else:
            raise AssertionError(f"{fn} did not fail")

    expect_failure(keystore.Keystore.load, fx / "trust.jks", secret)
    expect_failure(keystore.Keystore.load, fx / "trust.pkcs12", secret.encode())
    expect_failure(keystore.Keystore.from_bytes, (fx / "trust.jceks").read_bytes(), bytearray(secret.encode()))
    expect_failure(keystore.Keystore.from_bytes, (fx / "trust.jks").read_bytes(), secret.encode() + b"\xff")  # not UTF-8
    ks = keystore.Keystore.load(fx / "keypair.jks", "changeit")
    expect_failure(ks.change_key_password, secret)
    expect_failure(ks.save, tmp_path / "no-such-dir" / "x.jks", secret)
    expect_failure(keystore.Keystore.load(fx / "keypair.p12", "changeit").to_bytes, secret)  # key under the old one
    reasons = ks.unlock_keys(secret)
    assert list(reasons) == ["tomcat"]
    seen.append(repr(reasons) + repr(ks) + repr(ks.entries))
    assert len(seen) == 8
    for text in seen:
        for form in forms:
            assert form not in text, text


def test_pkcs12_store_password_change_takes_the_keys_along(fx: Path, keytool: str, tmp_path: Path) -> None:
    """keytool opens PKCS#12 keys with the store password. A key read from a PKCS#12 file is
    written back as stored, so saving it under a new store password must either re-protect it
    (once opened with the old one) or refuse, never write a key keytool cannot open."""
    import os
    import subprocess

    def keytool_exports_key(path: Path, password: str) -> bool:
        env = dict(os.environ, SP=password, DP="dest-pass")
        dest = tmp_path / f"copy-{path.name}"
        dest.unlink(missing_ok=True)
        r = subprocess.run(
            ["keytool", "-importkeystore", "-noprompt", "-srckeystore", str(path), "-srcstoretype", "PKCS12",
             "-srcstorepass:env", "SP", "-destkeystore", str(dest), "-deststoretype", "PKCS12", "-deststorepass:env", "DP"],
            capture_output=True, text=True, env=env,
        )
        return r.returncode == 0 and "PrivateKeyEntry" in str(keytool_list(dest, "dest-pass", "PKCS12"))

    out = tmp_path / "new-pass.p12"
    ks = keystore.Keystore.load(fx / "keypair.p12", "changeit")
    with pytest.raises(exceptions.KeystoreError) as info:
        ks.save(out, "n3w-store-pass")
    assert info.value.alias == "tomcat" and "another password" in str(info.value)
    assert not out.exists()
    # Same password: the locked key is written back as it was, and keytool still opens it.
    ks.import_certificate("corp-root", cert(fx, "root.pem"))
    same = tmp_path / "same-pass.p12"
    ks.save(same, "changeit")
    assert keytool_exports_key(same, "changeit")
    # The passwd route: open the keys with the old password, save under the new one.
    assert ks.change_key_password("changeit") == 1
    ks.save(out, "n3w-store-pass")
    assert keytool_exports_key(out, "n3w-store-pass")
    # A key under a password of its own (Java's API allows it) is kept as it is when the
    # store password does not change.
    own = keystore.Keystore("pkcs12")
    own.import_key_pair("rgra", (fx / "leaf.key").read_bytes(), [cert(fx, "leaf.pem")])
    own_path = tmp_path / "own-key-pass.p12"
    own.save(own_path, "st0re-pass", key_password="k3y-pass")
    reread = keystore.Keystore.load(own_path, "st0re-pass")
    reread.import_certificate("corp-root", cert(fx, "root.pem"))
    reread.save(own_path, "st0re-pass")
    assert keystore.Keystore.load(own_path, "st0re-pass").unlock_keys("k3y-pass") == {}
    # unlock_keys then save re-protects too.
    other = keystore.Keystore.load(fx / "keypair.p12", "changeit")
    assert other.unlock_keys("changeit") == {}
    unlocked = tmp_path / "unlocked.p12"
    other.save(unlocked, "an0ther-pass")
    assert keytool_exports_key(unlocked, "an0ther-pass")


def test_import_keystore_takes_key_pairs_keytool_opens(fx: Path, keytool: str, tmp_path: Path) -> None:
    """keytool's PKCS#12 key pair into keytool's JKS trust store (the CLI's `keystore import`
    of a keystore file): the key opens with the target's password, aliases follow the rules,
    a second import changes nothing."""
    import os
    import subprocess

    src = keystore.Keystore.load(fx / "keypair.p12", "changeit")
    target = keystore.Keystore.load(fx / "trust.jks", "changeit")
    with pytest.raises(exceptions.KeystoreError) as info:
        target.import_keystore(src, alias="vvb")  # the key is still encrypted
    assert info.value.alias == "tomcat" and "changeit" not in str(info.value)
    assert target.aliases() == ["example-root"]
    assert src.unlock_keys("changeit") == {}
    leaf = src.entries[0].certificate
    assert leaf is not None
    assert target.import_keystore(src, alias="VVB") == [
        {"result": "added", "alias": "vvb", "requested_alias": "VVB", "changed": True}
    ]
    again = target.import_keystore(src, alias="vvb")
    assert [(o["result"], o["existing_alias"]) for o in again] == [("already_present", "vvb")]
    # A trust store's entries keep their aliases; one already present by identity is reported.
    assert target.import_keystore(keystore.Keystore.load(fx / "trust.jceks", "changeit")) == [
        {"result": "already_present", "alias": "example-root", "existing_alias": "example-root", "changed": False}
    ]
    path = tmp_path / "identity.jks"
    target.save(path, "st0re-pass")
    assert keytool_list(path, "st0re-pass") == {
        "example-root": ("trustedCertEntry", cert(fx, "root.pem").sha256_hex),
        "vvb": ("PrivateKeyEntry", leaf.sha256_hex),
    }
    env = dict(os.environ, SP="st0re-pass", DP="dest-pass")
    subprocess.run(
        ["keytool", "-importkeystore", "-noprompt", "-srckeystore", str(path), "-srcstoretype", "JKS",
         "-srcstorepass:env", "SP", "-srcalias", "vvb", "-srckeypass:env", "SP",
         "-destkeystore", str(tmp_path / "copy.p12"), "-deststoretype", "PKCS12", "-deststorepass:env", "DP"],
        check=True, capture_output=True, env=env,
    )
    assert keytool_list(tmp_path / "copy.p12", "dest-pass", "PKCS12") == {"vvb": ("PrivateKeyEntry", leaf.sha256_hex)}


def test_save_keeps_mode_owner_and_a_symlink_and_refuses_a_read_only_store(fx: Path, keytool: str, tmp_path: Path) -> None:
    """Issue 12: the file keeps what it was; a read-only store needs force=True."""
    import os
    import stat

    real = tmp_path / "real" / "cacerts"
    real.parent.mkdir()
    real.write_bytes((fx / "trust.jks").read_bytes())
    os.chmod(real, 0o640)
    if os.geteuid() == 0:
        os.chown(real, 0, 1)
    link = tmp_path / "cacerts"
    link.symlink_to(real)
    ks = keystore.Keystore.load(link, "changeit")
    ks.import_certificate("leaf", cert(fx, "leaf.pem"))
    report = ks.save(link, "changeit")
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert "leaf" in keystore.Keystore.load(real, "changeit")
    backup = Path(report["backup"])
    assert backup.parent == real.parent and backup.name.startswith("cacerts.") and backup.name.endswith("Z.bak")
    for p in (real, backup):
        st = p.stat()
        assert stat.S_IMODE(st.st_mode) == 0o640
        if os.geteuid() == 0:
            assert (st.st_uid, st.st_gid) == (0, 1)
    assert not [p for p in real.parent.iterdir() if p.name.endswith(".tmp")]

    os.chmod(real, 0o444)
    ks.import_certificate("inter", cert(fx, "int.pem"))
    before = real.read_bytes()
    with pytest.raises(exceptions.KeystoreError) as info:
        ks.save(link, "changeit")
    assert info.value.kind == "read_only" and info.value.path == str(real)  # the file that is read-only
    assert real.read_bytes() == before
    ks.save(link, "changeit", force=True)
    assert "inter" in keystore.Keystore.load(real, "changeit")
    assert stat.S_IMODE(real.stat().st_mode) == 0o444


def test_a_change_made_on_disk_after_load_is_not_overwritten(fx: Path, keytool: str, tmp_path: Path) -> None:
    """Issue 12: save() to the file a keystore was loaded from refuses if the file changed
    since (keytool takes no lock) with a typed ConcurrentModificationError; nothing is written."""
    path = tmp_path / "cacerts"
    path.write_bytes((fx / "trust.jks").read_bytes())
    ks = keystore.Keystore.load(path, "changeit")
    ks.import_certificate("ours", cert(fx, "leaf.pem"))
    import subprocess

    subprocess.run(
        [keytool, "-importcert", "-noprompt", "-alias", "keytools", "-file", str(fx / "int.pem"),
         "-keystore", str(path), "-storetype", "JKS", "-storepass", "changeit"],
        check=True, capture_output=True,
    )
    after_keytool = path.read_bytes()
    with pytest.raises(exceptions.ConcurrentModificationError) as info:
        ks.save(path, "changeit")
    assert info.value.kind == "concurrent_modification" and info.value.path == str(path)
    assert isinstance(info.value, exceptions.KeystoreError) and "cacerts" in str(info.value)
    assert path.read_bytes() == after_keytool
    assert "keytools" in keytool_list(path)
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith((".bak", ".tmp"))] == []
    # Loaded again, the change goes through; a second save of the same object works too.
    ks = keystore.Keystore.load(path, "changeit")
    ks.import_certificate("ours", cert(fx, "leaf.pem"))
    ks.save(path, "changeit", backup=False)
    ks.delete("ours")
    ks.save(path, "changeit", backup=False)
    assert set(keytool_list(path)) == {"example-root", "keytools"}


@pytest.mark.parametrize(
    ("fmt", "password", "why"),
    [
        ("pkcs12", "pässwörd", "not ASCII"),  # JDK 17 keytool: "keystore password was incorrect"
        ("pkcs12", "abc", "at least 6 characters"),  # keytool refuses new ones under 6
        ("jks", "abc", "at least 6 characters"),
    ],
)
def test_passwords_keytool_cannot_use_are_refused_unless_allowed(
    fx: Path, fmt: str, password: str, why: str
) -> None:
    ks = keystore.Keystore(fmt)
    ks.import_certificate("root", cert(fx, "root.pem"))
    with pytest.raises(exceptions.KeystoreError, match=why) as e:
        ks.to_bytes(password)
    assert e.value.kind == "password"
    again = keystore.Keystore.from_bytes(ks.to_bytes(password, allow_non_keytool_password=True), password)
    assert again.aliases() == ["root"]


def test_a_private_key_without_its_certificate_is_refused(fx: Path) -> None:
    # keytool would list it as a secret key and fail -importkeystore on it.
    for fmt in ["jks", "jceks", "pkcs12"]:
        ks = keystore.Keystore(fmt)
        with pytest.raises(exceptions.KeystoreError, match="certificate chain") as e:
            ks.import_key_pair("x", (fx / "ec.key").read_bytes(), [])
        assert e.value.alias == "x"
        assert ks.aliases() == []


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero on this system")
def test_special_files_are_refused_with_input_error(tmp_path: Path) -> None:
    """A device or a FIFO is refused at once, never read (it would never end)."""
    import os

    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for path in ["/dev/zero", str(fifo)]:
        with pytest.raises(exceptions.InputError) as e:
            keystore.Keystore.load(path, "changeit")
        assert e.value.kind == "not_a_file"
        assert e.value.path == path
        with pytest.raises(exceptions.InputError):
            x509.load_file(path)
    big = tmp_path / "big.jks"
    with open(big, "wb") as f:
        f.truncate((256 << 20) + 1)
    with pytest.raises(exceptions.InputError, match="256 MiB") as e:
        keystore.Keystore.load(big, "changeit")
    assert e.value.kind == "too_large"
