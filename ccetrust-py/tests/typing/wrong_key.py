"""Must NOT pass ``mypy --strict``: misspelt keys of typed results (see usage.py)."""

from __future__ import annotations

from ccetrust import keystore, x509


def wrong(ks: keystore.Keystore, cert: x509.Certificate) -> object:
    o = ks.import_certificate("root", cert)
    return o["action"], cert.to_dict()["san_dns"]
