"""Certificates, certificate signing requests and names.

Reading accepts every encoding an administrator is handed (DER, PEM with text around it,
Windows "Base-64 encoded X.509", bare base64, PKCS#7 bundles, many certificates in one
file); the encoding is detected from the content. A :class:`Certificate` keeps the exact
bytes it was read from, so fingerprints and keystore writes never depend on a re-encoding.

For many certificates at once, :func:`inspect_many` parses and formats without holding the
GIL, on every core.
"""

from __future__ import annotations

from ccetrust._ccetrust import (
    Certificate,
    CertificateRequest,
    CsrComparison,
    Extension,
    Loaded,
    Name,
    NameAttribute,
    SubjectAltNames,
    inspect_many,
    load,
    load_certificates,
    load_certificates_file,
    load_file,
    new_csr,
    to_pkcs7,
)

__all__ = [
    "Certificate",
    "CertificateRequest",
    "CsrComparison",
    "Extension",
    "Loaded",
    "Name",
    "NameAttribute",
    "SubjectAltNames",
    "inspect_many",
    "load",
    "load_certificates",
    "load_certificates_file",
    "load_file",
    "new_csr",
    "to_pkcs7",
]
