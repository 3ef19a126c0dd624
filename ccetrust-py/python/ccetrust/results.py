"""The shapes of every dict ccetrust returns, as ``TypedDict`` classes.

Each dict is built in Rust by one function of ``ccetrust-core/src/report/`` that the CLI's
``--json`` output shares, so the keys here are the CLI's (``docs/json-schema.md`` describes
each view, ``docs/audit-schema.md`` the audit document). With these types ``mypy --strict``
catches a misspelt key::

    from ccetrust import keystore, results

    def added(ks: keystore.Keystore, cert: x509.Certificate) -> bool:
        out: results.ImportOutcome = ks.import_certificate("root", cert)
        return out["result"] == "added"

A field that does not apply is ``None``, never missing.
"""

from __future__ import annotations

from typing import Literal, TypedDict

__all__ = [
    "AddedOutcome",
    "AlreadyPresentOutcome",
    "ApplyResult",
    "AuditDocument",
    "AuditSummary",
    "CertificateBrief",
    "CertificateDict",
    "CertificateRow",
    "CertificateSummary",
    "CsrComparisonDict",
    "CsrDict",
    "Deployment",
    "Edge",
    "EvidenceSource",
    "ExtensionDict",
    "Finding",
    "HostDict",
    "HostPlan",
    "ImportOutcome",
    "KeystoreListing",
    "ListingCertificate",
    "ListingEntry",
    "NameCheckDict",
    "PlanAction",
    "PlanStepDict",
    "PublicKeyDict",
    "RegeneratedCertificate",
    "ReplacedOutcome",
    "SanDict",
    "Unreachable",
    "VerdictDict",
]

# --- certificates -----------------------------------------------------------------------


class SanDict(TypedDict):
    """Subject alternative names by type."""

    dns: list[str]
    ip: list[str]
    email: list[str]
    uri: list[str]
    directory: list[str]
    other: list[str]


class PublicKeyDict(TypedDict):
    """The subject public key."""

    algorithm: str
    bits: int | None
    curve: str | None


class ExtensionDict(TypedDict):
    """One extension of a certificate."""

    oid: str
    name: str | None
    critical: bool


class CertificateDict(TypedDict):
    """``Certificate.to_dict()``: ``ccetrust inspect --json`` without ``source``/``index``."""

    version: int
    subject: str
    issuer: str
    serial: str
    not_before: str
    not_after: str
    san: SanDict
    public_key: PublicKeyDict
    public_key_sha256: str
    signature_algorithm: str
    is_ca: bool
    path_len: int | None
    key_usage: list[str]
    extended_key_usage: list[str]
    subject_key_id: str | None
    authority_key_id: str | None
    ca_issuers_urls: list[str]
    ocsp_urls: list[str]
    crl_urls: list[str]
    extensions: list[ExtensionDict]
    sha256: str
    sha1: str
    self_issued: bool
    self_signed: bool


class CertificateSummary(TypedDict):
    """One item of ``inspect_many``: :class:`CertificateDict` restricted to these keys."""

    subject: str
    issuer: str
    serial: str
    not_before: str
    not_after: str
    san: SanDict
    public_key: PublicKeyDict
    sha256: str


class CsrDict(TypedDict):
    """``CertificateRequest.to_dict()``."""

    subject: str
    san: SanDict
    public_key: PublicKeyDict
    public_key_sha256: str
    signature_algorithm: str
    signature_valid: bool


class CsrComparisonDict(TypedDict):
    """``CsrComparison.to_dict()``: ``ccetrust csr compare --json``."""

    san_added: list[str]
    san_missing: list[str]
    subject_equal: bool
    subject_differences: list[str]
    key_match: bool
    matches: bool


# --- chains -----------------------------------------------------------------------------


class CertificateBrief(TypedDict):
    """A certificate named in a verdict."""

    subject: str
    sha256: str


class NameCheckDict(TypedDict):
    """The name check of a verdict."""

    checked: str
    matched: bool
    presented: list[str]


class VerdictDict(TypedDict):
    """``Verdict.to_dict()``: ``ccetrust verify --json``."""

    valid: bool
    code: str
    reason: str
    path: list[CertificateBrief]
    name: NameCheckDict | None
    warnings: list[str]
    concerns: CertificateBrief | None


# --- keystores --------------------------------------------------------------------------


class ListingCertificate(TypedDict):
    """A certificate of a listed entry."""

    sha256: str
    subject: str
    issuer: str
    not_after: str


class ListingEntry(TypedDict):
    """One entry of a keystore listing."""

    alias: str
    friendly_name: str | None
    kind: Literal["trusted_cert", "private_key", "secret_key"]
    created: str | None
    certificates: list[ListingCertificate]
    public_key_sha256: str | None


class KeystoreListing(TypedDict):
    """``Keystore.to_dict()``: ``ccetrust keystore list --json``."""

    format: Literal["JKS", "JCEKS", "PKCS12", "PEM"]
    integrity_checked: bool
    entries: list[ListingEntry]


class AddedOutcome(TypedDict):
    """An import that added an entry."""

    result: Literal["added"]
    alias: str
    requested_alias: str | None
    changed: bool


class AlreadyPresentOutcome(TypedDict):
    """An import of a certificate the store already holds: nothing changed."""

    result: Literal["already_present"]
    alias: str
    existing_alias: str
    changed: bool


class ReplacedOutcome(TypedDict):
    """An import that replaced a different certificate under the alias (``replace=True``)."""

    result: Literal["replaced"]
    alias: str
    previous_sha256: str
    changed: bool


ImportOutcome = AddedOutcome | AlreadyPresentOutcome | ReplacedOutcome
"""What ``Keystore.import_*`` did, as ``ccetrust keystore import --json`` prints it; narrow
on ``result``."""

# --- contact-center audit ---------------------------------------------------------------


class Deployment(TypedDict):
    """The audit document's ``deployment``."""

    name: str
    product: str
    version: str
    size: int | None
    domain: str | None
    certificates: Literal["self-signed", "ca-signed"]


class AuditSummary(TypedDict):
    """``AuditReport.summary``."""

    hosts: int
    requirements: int
    trusted: int
    untrusted: int
    failed: int
    unknown: int
    errors: int
    warnings: int
    info: int
    steps: int


class EvidenceSource(TypedDict, total=False):
    """Where a judged chain came from: ``source`` is ``file`` (with ``path``) or ``fetched``
    (with ``target``, ``address``, ``sni``, ``fetched_at``, ``tls_version``,
    ``cipher_suite``, ``handshake_completed``)."""

    service: str
    port: int
    source: Literal["file", "fetched"]
    path: str
    target: str
    address: str
    sni: str | None
    fetched_at: str
    tls_version: str
    cipher_suite: str
    handshake_completed: bool
    chain_sha256: list[str]


class HostDict(TypedDict):
    """One host of the audit document."""

    name: str
    fqdn: str
    roles: list[str]
    side: Literal["A", "B"] | None
    cluster: str | None
    node: Literal["publisher", "subscriber"] | None
    fetch: bool
    address: str | None
    evidence: list[EvidenceSource]


class Edge(TypedDict):
    """One trust requirement and its status."""

    requirement: str
    importer: str
    exporter: str
    service: str
    port: int
    store: str
    alias: str
    status: Literal["trusted", "untrusted", "failed", "unknown"]
    code: str
    reason: str


class Unreachable(TypedDict):
    """A port the audit could not fetch from."""

    services: list[str]
    target: str
    port: int
    error_kind: str
    tls_alert: str | None
    error: str
    at: str


class Finding(TypedDict):
    """One finding (``AuditReport.findings``); codes in ``docs/audit-schema.md``."""

    code: str
    severity: Literal["error", "warning", "info"]
    host: str
    importer: str | None
    exporter: str | None
    service: str | None
    store: str | None
    alias: str | None
    sha256: str | None
    subject: str | None
    requirement: str | None
    message: str
    remediation: str
    unreachable: Unreachable | None


class PlanStepDict(TypedDict):
    """One step of a host's plan."""

    kind: str
    title: str
    commands: list[str]
    fixes: list[str]
    executable: bool
    file: str | None
    certificate_pem: str | None


class HostPlan(TypedDict):
    """The steps of one host (``AuditReport.plan``)."""

    host: str
    steps: list[PlanStepDict]


class CertificateRow(TypedDict):
    """One certificate the audit's evidence holds (``docs/audit-schema.md``, ``certificates``)."""

    host: str
    source: Literal["presented", "store"]
    service: str | None
    chain_index: int | None
    store: str | None
    alias: str | None
    subject_cn: str
    subject: str
    issuer: str
    sha256: str
    not_before: str
    not_after: str
    not_after_unix: int


class AuditDocument(TypedDict):
    """``AuditReport.to_dict()``: ``ccetrust audit --json`` (schema ``ccetrust.cce-audit/1``)."""

    schema: str
    deployment: Deployment
    at: str
    expiring_days: int
    summary: AuditSummary
    hosts: list[HostDict]
    edges: list[Edge]
    findings: list[Finding]
    plan: list[HostPlan]
    certificates: list[CertificateRow]


class PlanAction(TypedDict):
    """``AuditReport.actions()``: one executable import or delete."""

    action: Literal["import", "delete"]
    host: str
    fqdn: str
    store: str
    store_path: str
    server_path: str | None
    alias: str
    certificate_pem: str | None
    sha256: str | None
    subject: str | None
    title: str


class RegeneratedCertificate(TypedDict):
    """One certificate ``apply`` regenerated in a collected keystore."""

    host: str
    service: str
    alias: str
    store: str
    presents: str | None
    subject: str
    sha256: str
    not_after: str


class ApplyResult(TypedDict):
    """``AuditReport.apply()``: ``ccetrust apply --json`` without ``after``."""

    schema: str
    backups: list[str]
    applied: list[str]
    regenerated: list[RegeneratedCertificate]
    manual_steps: int
