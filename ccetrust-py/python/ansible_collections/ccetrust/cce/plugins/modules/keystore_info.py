#!/usr/bin/python
# Copyright: ccetrust contributors; Apache-2.0
"""Ansible module: every entry of a keystore as data (alias, kind, fingerprint, names, expiry),
what `keytool -list -v` prints, so a play can decide and report without parsing keytool."""

from __future__ import annotations

DOCUMENTATION = r"""
module: keystore_info
short_description: List the entries of a JKS, JCEKS, PKCS#12 or PEM keystore
description:
  - Reads a keystore (such as the JDK's C(cacerts), CVP's C(.keystore), a PKCS#12 trust store)
    and returns every entry with its alias, kind, the SHA-256 fingerprint of its
    certificate, subject, issuer, expiry and days left, as C(keytool -list -v) shows them.
  - Reads only; no keytool is run and the password is never on a command line, in logs or
    in results. Supports check mode.
version_added: "0.2.0"
author: ccetrust contributors
requirements:
  - ccetrust (the Python package) on the managed host
options:
  path:
    description: The keystore file.
    type: path
    required: true
    aliases: [keystore_path]
  store_password:
    description: The keystore's password (its integrity is checked with it).
    type: str
    required: true
    no_log: true
    aliases: [keystore_pass]
  expiring_days:
    description: Entries whose certificate expires within this many days are listed in RV(expiring).
    type: int
    default: 30
attributes:
  check_mode:
    support: full
"""

EXAMPLES = r"""
- name: What the AW's Java trusts
  ccetrust.cce.keystore_info:
    path: C:\icm\ssl\cacerts
    store_password: "{{ cacerts_password }}"
  register: cacerts

- name: Fail when a certificate in it expires within 30 days
  ansible.builtin.assert:
    that: cacerts.expiring | length == 0
    fail_msg: "{{ cacerts.expiring | map(attribute='alias') | join(', ') }} expire soon"
"""

RETURN = r"""
format:
  description: The keystore's format (C(JKS), C(JCEKS), C(PKCS12), C(PEM)).
  returned: success
  type: str
entries:
  description:
    - One per entry in the store's order. C(alias); C(kind) (C(trusted_cert), C(private_key),
      C(secret_key)); C(keytool_kind) (C(trustedCertEntry), C(PrivateKeyEntry),
      C(SecretKeyEntry)); C(sha256) (lowercase hex, no colons); C(subject) and C(issuer)
      (RFC 4514); C(serial); C(not_before), C(not_after) (RFC 3339, UTC); C(days_left);
      C(chain_length). Certificate fields are null for a secret key.
  returned: success
  type: list
  elements: dict
expiring:
  description: The entries (as in RV(entries)) whose certificate expires within O(expiring_days), or has expired.
  returned: success
  type: list
  elements: dict
count:
  description: Number of entries.
  returned: success
  type: int
"""

import datetime
import traceback

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

try:
    from ccetrust import exceptions as cce_errors
    from ccetrust import keystore

    IMPORT_ERROR = None
except ImportError:  # pragma: no cover - reported to the user below
    IMPORT_ERROR = traceback.format_exc()


def _utc(t):
    return t.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _entry(e, now):
    """One entry as data; the certificate fields from the entry's (first) certificate."""
    c = e.certificate
    d = dict(alias=e.alias, kind=e.kind, keytool_kind=e.keytool_kind, chain_length=len(e.certificates))
    d.update(sha256=None, subject=None, issuer=None, serial=None, not_before=None, not_after=None, days_left=None)
    if c is not None:
        d.update(
            sha256=c.sha256_hex,
            subject=str(c.subject),
            issuer=str(c.issuer),
            serial=c.serial,
            not_before=_utc(c.not_before),
            not_after=_utc(c.not_after),
            days_left=(c.not_after - now).days,
        )
    return d


def main():
    module = AnsibleModule(
        argument_spec=dict(
            path=dict(type="path", required=True, aliases=["keystore_path"]),
            store_password=dict(type="str", required=True, no_log=True, aliases=["keystore_pass"]),
            expiring_days=dict(type="int", default=30),
        ),
        supports_check_mode=True,
    )
    if IMPORT_ERROR is not None:
        module.fail_json(msg=missing_required_lib("ccetrust"), exception=IMPORT_ERROR)
    p = module.params
    try:
        ks = keystore.Keystore.load(p["path"], p["store_password"])
    except cce_errors.CcetrustError as e:
        module.fail_json(msg=str(e), kind=e.kind, offset=e.offset, alias=e.alias)
    except OSError as e:
        module.fail_json(msg="%s: %s" % (p["path"], e.strerror or e))
    now = datetime.datetime.now(datetime.timezone.utc)
    entries = [_entry(e, now) for e in ks.entries]
    expiring = [e for e in entries if e["days_left"] is not None and e["days_left"] < p["expiring_days"]]
    module.exit_json(changed=False, format=ks.format, entries=entries, expiring=expiring, count=len(entries))


if __name__ == "__main__":
    main()
