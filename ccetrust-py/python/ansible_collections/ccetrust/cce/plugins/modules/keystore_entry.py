#!/usr/bin/python
# Copyright: ccetrust contributors; Apache-2.0
"""Ansible module: a certificate (or every certificate of a bundle) present or absent in a keystore."""

from __future__ import annotations

DOCUMENTATION = r"""
module: keystore_entry
short_description: Certificates present or absent in a JKS, JCEKS, PKCS#12 or PEM keystore, by identity
description:
  - Makes sure a certificate is (or is not) trusted by a keystore, such as the JDK's
    C(cacerts) on an AW or CVP, CVP's JCEKS, or a PKCS#12 trust store.
  - Idempotent by certificate identity, not by alias; a certificate already in the store
    under any alias is not imported again (keytool and C(community.general.java_cert)
    compare aliases only, which is how one CA ends up in C(cacerts) three times).
  - A bundle or a PKCS#7 chain imports every certificate it holds, not only the first;
    the first under O(alias), the next under C(alias-2), C(alias-3) and so on.
  - An alias that already holds a different certificate is an error unless O(replace).
  - With O(state=absent) and certificates, every trusted-certificate entry holding one of
    them is removed, whatever its alias (keytool happily imports one CA several times). A
    private key entry holding it is an error, not a removal; remove it by O(alias).
  - The keystore is written safely (temporary file, read back, atomic rename); the
    previous file is kept when O(backup).
  - Passwords are module parameters marked C(no_log); they never appear on a command line
    (no keytool is run) nor in logs or results.
version_added: "0.1.0"
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
    description: The keystore's password.
    type: str
    required: true
    no_log: true
    aliases: [keystore_pass]
  store_type:
    description:
      - Format of a keystore this module creates. For an existing file the format is
        detected from its content, and a different O(store_type) is an error.
      - Upper case (C(JKS), C(PKCS12)) as C(community.general.java_cert) plays write it is
        the same.
    type: str
    choices: [jks, jceks, pkcs12, pem, JKS, JCEKS, PKCS12, PEM]
    aliases: [keystore_type]
  create:
    description: Create the keystore if the file does not exist (needs O(store_type)).
    type: bool
    default: true
    aliases: [keystore_create]
  state:
    description: Whether the certificates must be present or absent.
    type: str
    choices: [present, absent]
    default: present
  alias:
    description:
      - Alias for the (first) certificate. Required with O(state=present). With
        O(state=absent) and no certificate, the entry with this alias is removed.
    type: str
    aliases: [cert_alias]
  certificate:
    description: A certificate file on the managed host (DER, PEM, .CER, a bundle, PKCS#7).
    type: path
    aliases: [cert_path]
  certificate_content:
    description: Certificate text (PEM or base64), one certificate or many.
    type: str
    aliases: [cert_content]
  cert_url:
    description:
      - A TLS server (host name or address) whose certificate is fetched from the managed host
        and imported, as C(community.general.java_cert) does; no certificate is trusted for
        fetching, and no keytool or openssl is run.
      - The connection uses SNI for a host name. Take the fingerprint from the result
        (C(entries[].sha256)) to check against the server's, since whatever answers is
        imported.
    type: str
  cert_port:
    description: The port of O(cert_url).
    type: int
    default: 443
  cert_chain:
    description:
      - What of the chain O(cert_url) presents is imported. C(leaf) the server's own
        certificate (what C(java_cert) imports); C(chain) every certificate it sent, the first
        under O(alias), the next under C(alias-2) and so on.
    type: str
    choices: [leaf, chain]
    default: leaf
  pkcs12_path:
    description:
      - A PKCS#12 file on the managed host whose private key entry (key and chain) is
        imported under O(alias), as C(keytool -importkeystore) does. Idempotent by the
        entry's certificate; a key entry holding it already, under any alias, is not
        imported again.
      - The key is protected in the keystore with O(store_password) (what keytool and Tomcat
        expect of a JKS or PKCS#12 key entry).
    type: path
  pkcs12_password:
    description: The password of O(pkcs12_path) (store and key).
    type: str
    no_log: true
  pkcs12_alias:
    description:
      - The entry of O(pkcs12_path) to import. Optional when it holds one private key entry.
    type: str
  trust_cacert:
    description:
      - Accepted for C(community.general.java_cert) plays and ignored; certificates are
        always imported as trusted-certificate entries (what keytool's C(-trustcacerts) is
        about).
    type: bool
    default: false
  executable:
    description:
      - Accepted for C(community.general.java_cert) plays and ignored with a warning; no
        keytool is run.
    type: str
  replace:
    description: Replace an entry whose alias holds a different certificate.
    type: bool
    default: false
  backup:
    description:
      - Keep the previous keystore as C(NAME.YYYYMMDDTHHMMSSZ.bak) (UTC; C(-2), C(-3)... when
        taken) beside it when it changes, with its mode and owner.
    type: bool
    default: false
  force:
    description:
      - Replace the keystore even if it is read-only (no write permission for this user, or
        the read-only attribute) or its owner cannot be kept (the module does not run as its
        owner or root). Without it such a keystore is an error and is left as it was.
      - The keystore always keeps its mode, owner and group where they can be kept, and a
        symbolic link stays a link to the updated file.
      - A keystore changed by another program (keytool) between the module's read and its
        write is never overwritten, with or without O(force); the module then fails with
        C(kind=concurrent_modification) and can simply be run again.
    type: bool
    default: false
  allow_non_keytool_password:
    description:
      - Write even with a store password JDK keytool cannot use. By default a PKCS#12 keystore
        with a non-ASCII password (keytool cannot open it) or a new keystore password under 6
        characters (keytool refuses to make one) is refused.
    type: bool
    default: false
  pkcs12_profile:
    description:
      - Algorithms for a PKCS#12 keystore. C(keep) writes it back with the algorithms it was
        read with (modern for a new keystore), so a legacy file stays readable to the servers
        that need it; C(legacy) for Windows Server 2016 and Java 8 before 8u301; C(modern) as
        keytool 17 and OpenSSL 3 write.
    type: str
    choices: [keep, modern, legacy]
    default: keep
extends_documentation_fragment:
  - ansible.builtin.files
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
  safe_file_operations:
    support: full
notes:
  - O(mode), O(owner), O(group), O(seuser), O(serole), O(setype), O(selevel) and
    O(attributes) are Ansible's common file options. When given they are applied to the
    keystore (also when its content did not change) and a difference is reported as a
    change. When not given the keystore keeps what it had (the write keeps mode, owner and
    group of the file it replaces).
"""

EXAMPLES = r"""
- name: Trust the enterprise CA chain in the AW's Java
  ccetrust.cce.keystore_entry:
    path: C:\icm\ssl\cacerts
    store_password: "{{ cacerts_password }}"
    alias: corp-ca
    certificate: /tmp/corp-chain.p7b
    backup: true

- name: Remove the old Finesse certificate, whatever alias it was imported under
  ccetrust.cce.keystore_entry:
    path: /opt/cvp/conf/security/.keystore
    store_password: "{{ cvp_keystore_password }}"
    state: absent
    certificate: /tmp/finesse-old.pem

- name: Trust what the Finesse server presents (its whole chain), fetched from the host
  ccetrust.cce.keystore_entry:
    path: /opt/cvp/jre/lib/security/cacerts
    store_password: "{{ cacerts_password }}"
    cert_url: finesse-a.example.com
    cert_port: 8445
    cert_chain: chain
    alias: finesse

# A community.general.java_cert task migrates by changing the module name: java_cert's
# option names are aliases here.
- name: Trust the Finesse CA (java_cert's options)
  ccetrust.cce.keystore_entry:
    keystore_path: /usr/lib/jvm/java-17/lib/security/cacerts
    keystore_pass: "{{ cacerts_password }}"
    keystore_type: JKS
    keystore_create: false
    cert_alias: finesse-ca
    cert_path: /tmp/finesse-ca.pem
    trust_cacert: true
    mode: "0644"
"""

RETURN = r"""
entries:
  description:
    - For each certificate, what happened (C(added), C(already_present), C(replaced), C(removed),
      C(absent)) as C(action) (and C(result), the name C(ccetrust keystore import --json) uses),
      with its C(alias), C(changed) and, for certificates, its C(sha256).
  returned: always
  type: list
  elements: dict
aliases:
  description: The keystore's aliases afterwards (as they would be, in check mode).
  returned: success
  type: list
  elements: str
path:
  description: The keystore; with it Ansible reports C(mode), C(owner), C(group), C(uid), C(gid) and C(size).
  returned: always
  type: str
backup_file:
  description: The backup of the previous keystore, when one was made.
  returned: changed and O(backup)
  type: str
"""

import os
import traceback

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

try:
    from ccetrust import exceptions as cce_errors
    from ccetrust import fetch, keystore, x509

    IMPORT_ERROR = None
except ImportError:  # pragma: no cover - reported to the user below
    IMPORT_ERROR = traceback.format_exc()


# java_cert plays write the type in upper case; both spellings are the same format.
STORE_TYPES = ["jks", "jceks", "pkcs12", "pem", "JKS", "JCEKS", "PKCS12", "PEM"]


# Where the certificates (or the key entry) to import come from; one of them with present.
SOURCES = ("certificate", "certificate_content", "pkcs12_path", "cert_url")


def _pkcs12_source(p, fail):
    """The PKCS#12 file reduced to the one private key entry to import, its keys unlocked.

    keytool -importkeystore -srcalias takes one entry; a PKCS#12 with several keys needs
    `pkcs12_alias`, one with trusted certificates beside its key imports only the key entry
    (with its chain).
    """
    src = keystore.Keystore.load(p["pkcs12_path"], p["pkcs12_password"])
    src.unlock_keys(p["pkcs12_password"])
    keys = [e.alias for e in src.entries if e.kind == "private_key"]
    if p["pkcs12_alias"]:
        entry = src.get(p["pkcs12_alias"])
        if entry is None or entry.kind != "private_key":
            fail("%s has no private key entry '%s' (it has: %s)" % (p["pkcs12_path"], p["pkcs12_alias"], ", ".join(keys) or "none"))
        chosen = entry.alias
    elif len(keys) == 1:
        chosen = keys[0]
    else:
        fail("%s holds %d private key entries (%s): name one with pkcs12_alias" % (p["pkcs12_path"], len(keys), ", ".join(keys)))
    for e in src.entries:
        if e.alias != chosen:
            src.delete(e.alias)
    if src.get(chosen).key_unlocked is False:
        fail("%s: the key of '%s' does not open with pkcs12_password" % (p["pkcs12_path"], chosen), None)
    return src


def _listing(ks):
    """One line per entry, for --diff: alias, type, SHA-256."""
    lines = []
    for e in ks.entries:
        c = e.certificate
        lines.append("%s: %s %s%s\n" % (e.alias, e.keytool_kind, c.sha256_hex if c else "", " " + str(c.subject) if c else ""))
    return "".join(lines)


def _remove_certificate(ks, cert, fail):
    """Removes every trusted-certificate entry holding `cert`, whatever its alias, and
    returns their aliases.

    keytool -importcert -noprompt adds a certificate again under a new alias, so one CA can
    sit in a store several times; removing only the first would leave it trusted and make
    the next run report a change again. A private key entry whose certificate this is stays:
    removing a server's own key because its certificate was named is never what was meant,
    so that is an error that names the entry (remove it by alias if it is).
    """
    removed = []
    for entry in ks.entries:
        if not any(c == cert for c in entry.certificates[:1]):
            continue
        if entry.kind != "trusted_cert":
            fail(
                "'%s' is a %s holding this certificate (SHA-256 %s); it is not removed by "
                "certificate: name it with alias (and no certificate) to remove it"
                % (entry.alias, entry.keytool_kind, cert.sha256_hex)
            )
        ks.delete(entry.alias)
        removed.append(entry.alias)
    return removed


def _file_attributes(module, path, changed):
    """Applies the common file options that were given (mode, owner, group, SELinux,
    attributes) and returns whether anything changed.

    Options not given are None and left alone, so the keystore keeps what the write kept.
    A keystore that exists only in check mode (to be created) has nothing to compare with.
    """
    if not os.path.lexists(path):
        return changed
    file_args = module.load_file_common_arguments(module.params, path=path)
    return module.set_fs_attributes_if_different(file_args, changed)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            path=dict(type="path", required=True, aliases=["keystore_path"]),
            store_password=dict(type="str", required=True, no_log=True, aliases=["keystore_pass"]),
            store_type=dict(type="str", choices=STORE_TYPES, aliases=["keystore_type"]),
            create=dict(type="bool", default=True, aliases=["keystore_create"]),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            alias=dict(type="str", aliases=["cert_alias"]),
            certificate=dict(type="path", aliases=["cert_path"]),
            certificate_content=dict(type="str", aliases=["cert_content"]),
            cert_url=dict(type="str"),
            cert_port=dict(type="int", default=443),
            cert_chain=dict(type="str", choices=["leaf", "chain"], default="leaf"),
            pkcs12_path=dict(type="path"),
            pkcs12_password=dict(type="str", no_log=True),
            pkcs12_alias=dict(type="str"),
            trust_cacert=dict(type="bool", default=False),
            executable=dict(type="str"),
            replace=dict(type="bool", default=False),
            backup=dict(type="bool", default=False),
            force=dict(type="bool", default=False),
            pkcs12_profile=dict(type="str", choices=["keep", "modern", "legacy"], default="keep"),
            allow_non_keytool_password=dict(type="bool", default=False, no_log=False),
        ),
        mutually_exclusive=[SOURCES],
        required_together=[("pkcs12_path", "pkcs12_password")],
        required_if=[
            ("state", "present", ("alias",)),
            ("state", "present", SOURCES, True),
            ("state", "absent", ("alias", "certificate", "certificate_content"), True),
        ],
        supports_check_mode=True,
        add_file_common_args=True,
    )
    if IMPORT_ERROR is not None:
        module.fail_json(msg=missing_required_lib("ccetrust"), exception=IMPORT_ERROR)
    p = module.params
    path = p["path"]
    if p["store_type"]:
        p["store_type"] = p["store_type"].lower()
    if p["executable"]:
        module.warn("executable is ignored: keystore_entry runs no keytool")

    def fail(msg, err=None):
        extra = {}
        if err is not None and isinstance(err, cce_errors.CcetrustError):
            extra = dict(kind=err.kind, offset=err.offset, alias=err.alias)
        module.fail_json(msg=msg, **extra)

    certs = []
    source = None
    try:
        if p["pkcs12_path"]:
            source = _pkcs12_source(p, fail)
        elif p["cert_url"]:
            chain = fetch.fetch_chain(p["cert_url"], p["cert_port"]).certificates
            certs = chain if p["cert_chain"] == "chain" else chain[:1]
        elif p["certificate"]:
            certs = x509.load_certificates_file(p["certificate"])
        elif p["certificate_content"] is not None:
            certs = x509.load_certificates(p["certificate_content"])
    except cce_errors.CcetrustError as e:
        fail(str(e), e)
    except OSError as e:
        fail("%s: %s" % (p["certificate"] or p["pkcs12_path"] or p["cert_url"], e.strerror or e))

    created = False
    try:
        if os.path.exists(path):
            ks = keystore.Keystore.load(path, p["store_password"])
            if p["store_type"] and ks.format != keystore.Keystore(p["store_type"]).format:
                fail("%s is a %s keystore, not %s" % (path, ks.format, p["store_type"].upper()))
        elif p["state"] == "absent":
            module.exit_json(changed=False, entries=[], aliases=[], msg="%s does not exist" % path)
        elif not p["create"]:
            fail("%s does not exist (and create is false)" % path)
        elif not p["store_type"]:
            fail("%s does not exist: give store_type to create it" % path)
        else:
            ks = keystore.Keystore(p["store_type"])
            created = True
    except cce_errors.CcetrustError as e:
        fail(str(e), e)
    except OSError as e:
        fail("%s: %s" % (path, e.strerror or e))

    before = _listing(ks)
    results = []
    changed = created
    try:
        if p["state"] == "present" and source is not None:
            results = ks.import_keystore(source, alias=p["alias"], replace=p["replace"])
            changed = changed or any(r["changed"] for r in results)
        elif p["state"] == "present":
            results = ks.import_certificates(p["alias"], certs, replace=p["replace"])
            for r, c in zip(results, certs):
                r.setdefault("sha256", c.sha256_hex)
            changed = changed or any(r["changed"] for r in results)
        elif certs:
            for c in certs:
                removed = _remove_certificate(ks, c, fail)
                for alias in removed:
                    results.append(dict(action="removed", alias=alias, sha256=c.sha256_hex, changed=True))
                if not removed:
                    results.append(dict(action="absent", alias=p["alias"], sha256=c.sha256_hex, changed=False))
                changed = changed or bool(removed)
        else:
            entry = ks.get(p["alias"])
            if entry is None:
                results.append(dict(action="absent", alias=p["alias"], sha256=None, changed=False))
            else:
                ks.delete(entry.alias)
                sha = entry.certificate.sha256_hex if entry.certificate else None
                results.append(dict(action="removed", alias=entry.alias, sha256=sha, changed=True))
                changed = True
    except cce_errors.CcetrustError as e:
        fail(str(e), e)

    # The core's import outcome names what happened `result` (as `ccetrust keystore import
    # --json` does); this module's documented key is `action`: every entry carries both.
    for r in results:
        r.setdefault("action", r.get("result"))
        r.setdefault("result", r.get("action"))
    out = dict(changed=changed, entries=results, aliases=ks.aliases())
    if module._diff:
        out["diff"] = dict(before=before, after=_listing(ks), before_header=path, after_header=path)
    if changed and not module.check_mode:
        try:
            report = ks.save(
                path,
                p["store_password"],
                backup=p["backup"],
                pkcs12_profile=p["pkcs12_profile"],
                force=p["force"],
                allow_non_keytool_password=p["allow_non_keytool_password"],
            )
        except cce_errors.CcetrustError as e:
            fail(str(e), e)
        except OSError as e:
            fail("%s: %s" % (path, e.strerror or e))
        if report["backup"]:
            out["backup_file"] = report["backup"]
    out["changed"] = _file_attributes(module, path, out["changed"])
    # With `path` in the result Ansible adds the file's mode, owner, group, uid, gid and size.
    module.exit_json(path=path, **out)


if __name__ == "__main__":
    main()
