#!/usr/bin/python
# Copyright: ccetrust contributors; Apache-2.0
"""Ansible module: audit a contact center's trust relationships; findings and plan as data."""

from __future__ import annotations

DOCUMENTATION = r"""
module: trust_audit
short_description: Audit who must trust whom in a PCCE/UCCE/UCCX deployment
description:
  - Reads a ccetrust inventory (a TOML file of hosts, roles, the certificates each presents
    and its trust stores), decides every trust relationship the deployment needs, and returns the
    findings, the edges and the ordered fix plan as data.
  - C(actions) lists the executable steps (imports and deletes) with the certificate in
    PEM, so a playbook can loop over them with M(ccetrust.cce.keystore_entry) on each host.
  - Reads only and never changes anything. Supports check mode.
version_added: "0.1.0"
author: ccetrust contributors
requirements:
  - ccetrust (the Python package) on the host that runs the module (usually the controller)
options:
  inventory:
    description: The inventory file.
    type: path
    required: true
  at:
    description: RFC 3339 time at which to judge validity (default now).
    type: str
  expiring_days:
    description: Report certificates expiring within this many days.
    type: int
    default: 60
  fail_on_errors:
    description: Fail the task when the audit finds errors.
    type: bool
    default: false
  offline:
    description:
      - Do not connect to the servers of C(fetch = true) hosts; they are reported as not
        collected. For controllers without reach to the contact center's servers.
    type: bool
    default: false
  fetch_concurrency:
    description: At most this many TLS connections at once when collecting live chains.
    type: int
    default: 8
  fetch_timeout:
    description: Seconds allowed to connect, and again to complete the handshake, per service.
    type: float
"""

EXAMPLES = r"""
- name: Audit the lab
  ccetrust.cce.trust_audit:
    inventory: inventories/pcce-lab.toml
  delegate_to: localhost
  run_once: true
  register: audit

# Every action of the plan, in plan order, in one loop: imports and deletes alike (state
# from the action), on the store's path on the server. Actions without a server_path (VOS
# tomcat-trust: an upload through OS Administration) are left to the plan's instructions.
# Run it with `serial: 1` for one host at a time, as the plan orders them.
- name: Carry out this host's part of the plan
  ccetrust.cce.keystore_entry:
    path: "{{ item.server_path }}"
    store_password: "{{ store_passwords[item.store] }}"
    state: "{{ 'absent' if item.action == 'delete' else 'present' }}"
    alias: "{{ item.alias }}"
    certificate_content: "{{ item.certificate_pem | default(omit, true) }}"
    backup: true
  loop: "{{ audit.actions | selectattr('fqdn', 'eq', inventory_hostname) | selectattr('server_path') }}"
  loop_control:
    label: "{{ item.title }}"

# Windows hosts without Python: the same plan through the java_truststore role (fetch, change
# on the controller, copy back, restart the services that read the store).
- name: Carry out the plan on Windows hosts
  ansible.builtin.include_role:
    name: ccetrust.cce.java_truststore
    tasks_from: plan
  vars:
    java_truststore_actions: "{{ audit.actions }}"
"""

RETURN = r"""
summary:
  description: Counts of hosts, requirements, trusted/untrusted/failed/unknown edges, findings by severity, steps.
  returned: success
  type: dict
findings:
  description: What is wrong, most severe first (code, severity, host, importer, exporter, message, remediation…).
  returned: success
  type: list
  elements: dict
edges:
  description: Every trust relationship the deployment needs, with its status.
  returned: success
  type: list
  elements: dict
plan:
  description: The ordered fix steps per host (kind, title, commands, executable).
  returned: success
  type: list
  elements: dict
actions:
  description:
    - Executable steps as data, in plan order (action C(import) or C(delete), host, fqdn,
      store (the catalog kind), store_path (the collected copy), server_path, alias,
      certificate_pem, sha256, subject, title).
    - C(server_path) is the store's path on the server, the inventory's C(server_path) or
      else the catalog's default (the path the findings and the plan's commands name, for
      example C(C:\Program Files (x86)\Java\jre1.8.0_221\lib\security\cacerts)); null for
      VOS C(tomcat-trust), which is uploaded through OS Administration.
  returned: success
  type: list
  elements: dict
"""

import traceback

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

try:
    from ccetrust import cce
    from ccetrust import exceptions as cce_errors

    IMPORT_ERROR = None
except ImportError:  # pragma: no cover - reported to the user below
    IMPORT_ERROR = traceback.format_exc()


def main():
    module = AnsibleModule(
        argument_spec=dict(
            inventory=dict(type="path", required=True),
            at=dict(type="str"),
            expiring_days=dict(type="int", default=60),
            fail_on_errors=dict(type="bool", default=False),
            offline=dict(type="bool", default=False),
            fetch_concurrency=dict(type="int", default=8),
            fetch_timeout=dict(type="float"),
        ),
        supports_check_mode=True,
    )
    if IMPORT_ERROR is not None:
        module.fail_json(msg=missing_required_lib("ccetrust"), exception=IMPORT_ERROR)
    p = module.params
    at = None
    if p["at"]:
        import datetime

        try:
            at = datetime.datetime.fromisoformat(p["at"].replace("Z", "+00:00"))
        except ValueError:
            module.fail_json(msg="at: not an RFC 3339 time: %s" % p["at"])
    try:
        inv = cce.Inventory.load(p["inventory"])
        report = cce.audit(
            inv,
            at=at,
            expiring_days=p["expiring_days"],
            offline=p["offline"],
            fetch_concurrency=p["fetch_concurrency"],
            fetch_timeout=p["fetch_timeout"],
        )
    except cce_errors.CcetrustError as e:
        module.fail_json(msg=str(e), kind=e.kind, line=e.line, offset=e.offset)
    except OSError as e:
        module.fail_json(msg="%s: %s" % (p["inventory"], e.strerror or e))
    except ValueError as e:
        module.fail_json(msg=str(e))
    doc = report.to_dict()
    result = dict(
        changed=False,
        summary=doc["summary"],
        findings=doc["findings"],
        edges=doc["edges"],
        plan=doc["plan"],
        actions=report.actions(),
    )
    if p["fail_on_errors"] and report.has_errors:
        module.fail_json(msg="the audit found %d errors" % doc["summary"]["errors"], **result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
