"""The contact-center trust model: who must trust whom in a PCCE/UCCE/UCCX deployment.

Write the deployment as an inventory (TOML: hosts, roles, the certificates each presents,
its trust stores), then :func:`audit` it: every trust relationship the deployment needs is
decided with the chain validator, problems become findings with stable codes, and the fixes
an ordered, idempotent plan. :meth:`AuditReport.actions` gives the executable steps as data
(what the Ansible ``trust_audit`` module returns); :meth:`AuditReport.apply` carries them
out on the collected stores, with backups.
"""

from __future__ import annotations

from ccetrust._ccetrust import AuditReport, Inventory, audit

__all__ = ["AuditReport", "Inventory", "audit"]
