"""Untrusted node failed to join the cluster (off by default).

## What it does
When `audit.trustedNodes` is set (node names or globs, such as `ip-10-0-*.ec2.internal`),
alerts when the creation of a Node object fails (400 or more): a kubelet tried to register a node and was refused whose name is not in the list. Off until the list is set,
as Falco's rule (disabled by its `allow_all_k8s_nodes` macro, with an empty `allowed_k8s_nodes`).

## Why it matters
A refused registration is a kubelet with a credential that does not fit (or no permission): a
misconfigured node, or someone trying a stolen bootstrap token.

## Example
```json
{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseComplete", "verb": "create",
 "user": {"username": "system:node:rogue-1", "groups": ["system:nodes", "system:authenticated"]},
 "objectRef": {"resource": "nodes", "name": "rogue-1", "apiVersion": "v1"},
 "responseStatus": {"code": 403}}
```

## Fix
Find the machine behind the request (source address) and the credential it used; revoke it if it is not yours.

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
    code="AUD049",
    slug="untrusted-node-join-failed",
    title="Untrusted node failed to join the cluster (off by default)",
    severity=Severity.MEDIUM,
    outcome=Outcome.FAILED,
    remediation="Find the machine and credential behind the request; revoke it if it is not yours.",
    aliases=("falco:Untrusted Node Unsuccessfully Tried to Join the Cluster",),
)
