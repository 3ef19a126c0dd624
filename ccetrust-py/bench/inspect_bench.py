#!/usr/bin/env python3
"""Inspecting N leaf certificates from Python: ccetrust against `cryptography`, side by side.

Both sides do the same work per certificate: parse the DER, then read the subject and
issuer as RFC 4514 strings, the SAN DNS names and IP addresses, notBefore/notAfter, the
public key's size and the SHA-256 fingerprint. The certificates are made here (with
`cryptography`) to look like contact-center leaves: RSA-2048 keys, subjects with
CN/OU/O/L/ST/C, 2-4 DNS names and an IP SAN, signed by an intermediate.

Run:  python bench/inspect_bench.py [--count 10000] [--rounds 3] [--check 10]
Prints a table and exits non-zero when ``--min-ratio`` is given and not met.
"""

from __future__ import annotations

import argparse
import datetime
import ipaddress
import statistics
import sys
import time

from cryptography import x509 as cx509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

import ccetrust.x509


def make_certificates(count: int) -> list[bytes]:
    """`count` distinct DER leaf certificates (one RSA-2048 leaf key, an EC issuer for speed)."""
    issuer_key = ec.generate_private_key(ec.SECP256R1())
    leaf_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    issuer = cx509.Name(
        [
            cx509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
            cx509.NameAttribute(NameOID.ORGANIZATION_NAME, "Example Corp"),
            cx509.NameAttribute(NameOID.COMMON_NAME, "Example Issuing CA 2"),
        ]
    )
    start = datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc)
    out = []
    for i in range(count):
        host = f"cce-{i:05d}"
        subject = cx509.Name(
            [
                cx509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
                cx509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, "North Carolina"),
                cx509.NameAttribute(NameOID.LOCALITY_NAME, "Research Triangle Park"),
                cx509.NameAttribute(NameOID.ORGANIZATION_NAME, "Example Corp"),
                cx509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "Contact Center"),
                cx509.NameAttribute(NameOID.COMMON_NAME, f"{host}.example.com"),
            ]
        )
        names: list[cx509.GeneralName] = [cx509.DNSName(f"{host}.example.com")]
        names += [cx509.DNSName(f"{host}-alt{j}.example.com") for j in range(1 + i % 3)]
        names.append(cx509.IPAddress(ipaddress.ip_address(f"10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}")))
        cert = (
            cx509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(issuer)
            .public_key(leaf_key.public_key())
            .serial_number(cx509.random_serial_number())
            .not_valid_before(start + datetime.timedelta(minutes=i))
            .not_valid_after(start + datetime.timedelta(days=730, minutes=i))
            .add_extension(cx509.SubjectAlternativeName(names), critical=False)
            .add_extension(cx509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                cx509.ExtendedKeyUsage(
                    [cx509.oid.ExtendedKeyUsageOID.SERVER_AUTH, cx509.oid.ExtendedKeyUsageOID.CLIENT_AUTH]
                ),
                critical=False,
            )
            .sign(issuer_key, hashes.SHA256())
        )
        out.append(cert.public_bytes(serialization.Encoding.DER))
    return out


def with_cryptography(ders: list[bytes]) -> list[dict[str, object]]:
    out = []
    sha256 = hashes.SHA256()
    for der in ders:
        c = cx509.load_der_x509_certificate(der)
        try:
            san = c.extensions.get_extension_for_class(cx509.SubjectAlternativeName).value
            dns = san.get_values_for_type(cx509.DNSName)
            ip = [str(a) for a in san.get_values_for_type(cx509.IPAddress)]
        except cx509.ExtensionNotFound:
            dns, ip = [], []
        out.append(
            {
                "subject": c.subject.rfc4514_string(),
                "issuer": c.issuer.rfc4514_string(),
                "serial": format(c.serial_number, "x"),
                "not_before": c.not_valid_before_utc.isoformat(),
                "not_after": c.not_valid_after_utc.isoformat(),
                "san": {"dns": dns, "ip": ip},
                "public_key": {"bits": getattr(c.public_key(), "key_size", None)},
                "sha256": c.fingerprint(sha256).hex(),
            }
        )
    return out


def with_ccetrust_objects(ders: list[bytes]) -> list[dict[str, object]]:
    """The object API, one property at a time (for comparison with the batch call)."""
    out = []
    for der in ders:
        c = ccetrust.x509.Certificate.from_der(der)
        san = c.san
        out.append(
            {
                "subject": c.subject.rfc4514_string(),
                "issuer": c.issuer.rfc4514_string(),
                "serial": c.serial,
                "not_before": c.not_before,
                "not_after": c.not_after,
                "san": {"dns": san.dns, "ip": [str(a) for a in san.ip]},
                "public_key": {"bits": c.key_size},
                "sha256": c.sha256_hex,
            }
        )
    return out


def as_datetime(value: object) -> datetime.datetime:
    """A datetime, or an RFC 3339 / ISO 8601 string of one, as an aware datetime."""
    if isinstance(value, datetime.datetime):
        return value
    return datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def differing_fact(a: dict[str, object], b: dict[str, object]) -> str | None:
    """The first fact on which two inspections of one certificate disagree, or None."""
    def fact(d: dict[str, object], key: str) -> object:
        # inspect_many's shape (`Certificate.to_dict()`'s): san and public_key are objects.
        if key in ("dns", "ip"):
            return d["san"][key]  # type: ignore[index]
        if key == "bits":
            return d["public_key"]["bits"]  # type: ignore[index]
        return d[key]

    for key in ("subject", "issuer", "dns", "ip", "bits", "sha256"):
        if fact(a, key) != fact(b, key):
            return key
    if int(str(a["serial"]), 16) != int(str(b["serial"]), 16):
        return "serial"
    for key in ("not_before", "not_after"):
        if as_datetime(a[key]) != as_datetime(b[key]):
            return key
    return None


def run_interleaved(methods, ders, rounds):  # type: ignore[no-untyped-def]
    """Best-of-`rounds` time of each method, the methods taking turns within each round so
    that load from other processes falls on all of them alike."""
    best = {name: float("inf") for name, _ in methods}
    results = {}
    for _ in range(rounds):
        for name, fn in methods:
            t0 = time.perf_counter()
            results[name] = fn(ders)
            best[name] = min(best[name], time.perf_counter() - t0)
    return best, results


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=10_000)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--min-ratio", type=float, default=None, help="fail if inspect_many on one thread is not this many times faster than cryptography")
    args = ap.parse_args()

    t0 = time.perf_counter()
    ders = make_certificates(args.count)
    print(f"made {len(ders)} leaf certificates in {time.perf_counter() - t0:.1f}s "
          f"(mean {sum(map(len, ders)) // len(ders)} bytes)")

    methods = [
        ("cryptography (load_der + properties)", with_cryptography),
        ("ccetrust Certificate objects", with_ccetrust_objects),
        ("ccetrust inspect_many, 1 thread", lambda d: ccetrust.x509.inspect_many(d, threads=1)),
        ("ccetrust inspect_many, all cores", ccetrust.x509.inspect_many),
    ]
    best, results = run_interleaved(methods, ders, args.rounds)
    r_crypto = results[methods[0][0]]
    t_crypto = best[methods[0][0]]
    t_batch1 = best[methods[2][0]]

    # Every ccetrust method must report the same facts as cryptography, or the comparison
    # means nothing.
    for name, _ in methods[1:]:
        if len(results[name]) != len(r_crypto):
            print(f"MISMATCH: {name} returned {len(results[name])} results for {len(r_crypto)} certificates")
            return 2
        for a, b in zip(r_crypto, results[name]):
            key = differing_fact(a, b)
            if key is not None:
                print(f"MISMATCH ({name}) on {key}: cryptography={a[key]!r} ccetrust={b[key]!r}")
                return 2

    n = len(ders)
    rows = [(name, best[name]) for name, _ in methods]
    print(f"\n{'method':<40} {'seconds':>8} {'certs/s':>10} {'vs cryptography':>16}")
    for name, t in rows:
        print(f"{name:<40} {t:8.3f} {n / t:10.0f} {t_crypto / t:15.1f}x")
    if args.min_ratio is not None and t_crypto / t_batch1 < args.min_ratio:
        print(f"FAIL: inspect_many on one thread is {t_crypto / t_batch1:.1f}x, below {args.min_ratio}x")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
