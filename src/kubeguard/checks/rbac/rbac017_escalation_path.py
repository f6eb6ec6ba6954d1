"""Privilege-escalation path to cluster-admin.

## What it does
Finds, for every non-system subject of the input's bindings, the shortest way to
cluster-admin-equivalent power over the whole RBAC graph (see `kubeguard rbac paths`): running pods
as a stronger service account of a namespace, minting or reading service account tokens, `bind` or
`escalate` with binding creation, impersonation, `nodes/proxy`, or approving client CSRs. It flags
the binding that grants the first step, naming the subject, the binding, the role and the whole
path. Subjects that already hold cluster-admin power are RBAC013's.

Reading secrets is a step only to tokens that exist: Kubernetes created a token Secret for every
service account before v1.24, so with `--k8s-version` older than v1.24 reading a namespace's
secrets reaches all its service accounts; from v1.24 on (and with the default `latest`) it reaches
only the accounts whose `kubernetes.io/service-account-token` Secrets are in the input.

## Why it matters
Single permissions look harmless one at a time: `create deployments` in a namespace whose CI service
account is cluster-admin is cluster-admin. Attackers chain exactly these steps.

## Example
```yaml
kind: RoleBinding             # alice may create pods in build ...
metadata: {namespace: build}
roleRef: {kind: ClusterRole, name: edit}
subjects: [{kind: User, name: alice}]
---
kind: ClusterRoleBinding      # ... where the ci service account is cluster-admin
roleRef: {kind: ClusterRole, name: cluster-admin}
subjects: [{kind: ServiceAccount, name: ci, namespace: build}]
```

## Fix
Break a step of the path: move powerful service accounts into namespaces where nobody else can run
pods, remove the risky permission, or narrow the powerful binding.

## References
- https://kubernetes.io/docs/concepts/security/rbac-good-practices/#privilege-escalation-risks
- CIS Kubernetes Benchmark 5.1 (RBAC and service accounts)
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.analyzers.rbac.escalation import escalation_graph
from kubeguard.checks.rbac._common import BINDINGS, binding_of
from kubeguard.model.rbac import Identity
from kubeguard.model.resource import Resource
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import Rule, Severity, Violation


def check(resource: Resource, ctx: ScanContext) -> Iterator[Violation]:
    found = binding_of(resource, ctx)
    if found is None:
        return
    graph, binding = found
    if graph.role_of(binding) is None:
        return
    esc = ctx.cached(escalation_graph)
    for subject, ptr in binding.subjects:
        if not subject.matchable or subject.is_system:
            continue
        # a User subject may name a service account by its user name: use the identity's own label
        label = Identity.user_named(subject.name).label if subject.kind == "User" else subject.key
        for path in esc.paths_for(label, limit=5):
            if path.direct:
                break
            first = path.steps[0]
            if any(g.binding.key == binding.key for g in first.grants):
                chain = " => ".join(f"{s.action} => {s.becomes}" for s in path.steps)
                yield Violation(
                    f"{subject} can escalate to cluster-admin in {len(path.steps)} step(s), starting with "
                    f"{binding} -> {first.grants[0].role}: {chain}",
                    at=ptr,
                )
                break


RULE = Rule(
    code="RBAC017",
    slug="escalation-path",
    title="Subject has a privilege-escalation path to cluster-admin",
    severity=Severity.HIGH,
    needs=("roles and their bindings (the RBAC graph)",),
    applies_to=BINDINGS,
    check=check,
    remediation="Break a step of the path: remove the permission used, or isolate the stronger service account.",
    references=(
        "https://kubernetes.io/docs/concepts/security/rbac-good-practices/#privilege-escalation-risks",
    ),
)
