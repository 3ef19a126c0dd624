#!/usr/bin/python
# Copyright: ccetrust contributors; Apache-2.0
"""Ansible module: facts about certificates in a file, in PEM text, or served by a live host."""

from __future__ import annotations

DOCUMENTATION = r"""
module: certificate_info
short_description: Everything ccetrust inspect knows about certificates
description:
  - Reads every certificate and certificate signing request of a file (DER, PEM, Windows
    .CER, PKCS#7 bundle, PKCS#10 CSR; the encoding is detected from the content) or of PEM
    text, and returns the fields of C(ccetrust inspect --json) for each, in order.
  - With O(host), the chain a live TLS server presents, collected without trusting it
    (TLS version, cipher suite and address are returned too).
  - Never changes anything; supports check mode.
version_added: "0.1.0"
author: ccetrust contributors
requirements:
  - ccetrust (the Python package) on the managed host
options:
  path:
    description: A certificate or CSR file on the managed host.
    type: path
  content:
    description: Certificate or CSR text (PEM) or base64.
    type: str
  host:
    description: A TLS server whose presented chain to read.
    type: str
  port:
    description: Port of O(host).
    type: int
    default: 443
  server_name:
    description: SNI name to send to O(host) (defaults to O(host)).
    type: str
  valid_at:
    description: RFC 3339 time at which to report C(valid_now); defaults to now.
    type: str
  timeout:
    description: Seconds allowed for each of the connect and the TLS handshake with O(host).
    type: float
    default: 10
notes:
  - Exactly one of O(path), O(content), O(host).
"""

EXAMPLES = r"""
- name: Facts about the Tomcat certificate of an ICM server
  ccetrust.cce.certificate_info:
    path: C:\icm\ssl\cfg\host.pem
  register: cert

- name: What does CUIC serve?
  ccetrust.cce.certificate_info:
    host: cuic.example.com
    port: 8444
  register: served
"""

RETURN = r"""
certificates:
  description: One entry per certificate, with the keys of C(ccetrust inspect --json)
    (subject, issuer, serial, not_before, not_after, san, public_key, sha256, …) plus
    C(valid_now), C(days_left) and C(pem), the certificate in PEM (what
    M(ccetrust.cce.keystore_entry)'s O(ccetrust.cce.keystore_entry#module:certificate_content)
    takes, or a template writes to a file).
  returned: success
  type: list
  elements: dict
count:
  description: Number of certificates.
  returned: success
  type: int
csrs:
  description: One entry per certificate signing request in O(path) or O(content), with the
    keys of C(ccetrust inspect --json) (subject, san, public_key, signature_valid, …).
  returned: success
  type: list
  elements: dict
"""

import datetime
import traceback

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

try:
    from ccetrust import exceptions as cce_errors
    from ccetrust import x509

    IMPORT_ERROR = None
except ImportError:  # pragma: no cover - reported to the user below
    IMPORT_ERROR = traceback.format_exc()


def _facts(cert, at):
    d = cert.to_dict()
    d["valid_now"] = cert.is_valid_at(at)
    d["days_left"] = (cert.not_after - at).days
    d["pem"] = cert.to_pem()
    return d


def main():
    module = AnsibleModule(
        argument_spec=dict(
            path=dict(type="path"),
            content=dict(type="str"),
            host=dict(type="str"),
            port=dict(type="int", default=443),
            server_name=dict(type="str"),
            valid_at=dict(type="str"),
            timeout=dict(type="float", default=10.0),
        ),
        required_one_of=[("path", "content", "host")],
        mutually_exclusive=[("path", "content", "host")],
        supports_check_mode=True,
    )
    if IMPORT_ERROR is not None:
        module.fail_json(msg=missing_required_lib("ccetrust"), exception=IMPORT_ERROR)
    p = module.params
    at = datetime.datetime.now(datetime.timezone.utc)
    if p["valid_at"]:
        try:
            at = datetime.datetime.fromisoformat(p["valid_at"].replace("Z", "+00:00"))
        except ValueError:
            module.fail_json(msg="valid_at: not an RFC 3339 time: %s" % p["valid_at"])
        if at.tzinfo is None:
            at = at.replace(tzinfo=datetime.timezone.utc)
    extra = {}
    csrs = []
    try:
        if p["path"] or p["content"] is not None:
            # As `ccetrust inspect` reads a file: certificates and CSRs, keys only named.
            loaded = x509.load_file(p["path"]) if p["path"] else x509.load(p["content"])
            certs, csrs = loaded.certificates, loaded.csrs
            if not certs and not csrs:
                what = loaded.private_keys[0] if loaded.private_keys else "nothing usable"
                module.fail_json(msg="%s: expected a certificate or CSR, found %s" % (p["path"] or "content", what), kind="wrong_kind")
        else:
            from ccetrust import fetch

            served = fetch.fetch_chain(p["host"], p["port"], sni=p["server_name"], timeout=p["timeout"])
            extra.update(tls_version=served.tls_version, cipher_suite=served.cipher_suite, address=served.address)
            certs = served.certificates
    except cce_errors.CcetrustError as e:
        module.fail_json(msg=str(e), kind=e.kind, offset=e.offset, line=e.line, path=e.path)
    except OSError as e:
        module.fail_json(msg="%s: %s" % (p["path"], e.strerror or e))
    facts = [_facts(c, at) for c in certs]
    module.exit_json(changed=False, certificates=facts, count=len(facts), csrs=[r.to_dict() for r in csrs], **extra)


if __name__ == "__main__":
    main()
