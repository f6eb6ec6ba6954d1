"""Untrusted node joined the cluster (off by default).

## What it does
When `audit.trustedNodes` is set (node names or globs, such as `ip-10-0-*.ec2.internal`),
alerts when a Node object is created (and accepted): a kubelet registered a node whose name is not in the list. Off until the list is set,
as Falco's rule (disabled by its `allow_all_k8s_nodes` macro, with an empty `allowed_k8s_nodes`).

## Why it matters
A node that nobody provisioned receives pods, and with them their secrets and service account
tokens; a stolen bootstrap token is enough to join one.

## Example
```json
{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseComplete", "verb": "create",
 "user": {"username": "system:node:rogue-1", "groups": ["system:nodes", "system:authenticated"]},
 "objectRef": {"resource": "nodes", "name": "rogue-1", "apiVersion": "v1"},
 "responseStatus": {"code": 201}}
```

## Fix
Cordon and drain the node, delete it, and revoke the credential it used (bootstrap token, client certificate); add the naming pattern of your nodes to `audit.trustedNodes`.

## References
- https://kubernetes.io/docs/concepts/architecture/nodes/#self-registration-of-nodes
- https://kubernetes.io/docs/reference/access-authn-authz/bootstrap-tokens/
- MITRE ATT&CK T1078 Valid Accounts
"""

from __future__ import annotations

from kubeguard.checks.audit._node_join import untrusted_node_rule
from kubeguard.rules.audit import Outcome
from kubeguard.rules.rule import Severity

RULE = untrusted_node_rule(
    code="AUD048",
    slug="untrusted-node-joined",
    title="Untrusted node joined the cluster (off by default)",
    severity=Severity.HIGH,
    outcome=Outcome.SUCCEEDED,
    remediation="Drain and delete the node; revoke its credential; list your nodes in audit.trustedNodes.",
    aliases=("falco:Untrusted Node Successfully Joined the Cluster",),
)
