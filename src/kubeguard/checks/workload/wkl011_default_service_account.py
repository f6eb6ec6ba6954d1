"""Workload runs as the `default` ServiceAccount.

## What it does
Flags workloads whose pods run as the namespace's `default` ServiceAccount: `spec.serviceAccountName`
(or the deprecated `spec.serviceAccount`) is unset or `default`.

## Why it matters
Every pod that names no ServiceAccount shares `default`. A permission granted to `default` for
one application is then held by all of them, and nobody can tell which workload needs what.
Give each workload its own ServiceAccount, even one with no permissions.

## Example
```yaml
spec:
  template:
    spec:
      containers:          # flagged: no serviceAccountName
        - name: app
          image: registry.example.com/app:1.4.2
```

## Fix
Create a ServiceAccount per workload and set `spec.serviceAccountName`; leave `default` with no
RoleBindings and `automountServiceAccountToken: false`.

## References
- https://kubernetes.io/docs/concepts/security/service-accounts/
- CIS Kubernetes Benchmark 5.1.5 (default service accounts are not actively used)
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model.workload import Workload
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import WORKLOADS, Rule, Severity, Violation


def check(workload: Workload, ctx: ScanContext) -> Iterator[Violation]:
    if workload.service_account_name != "default":
        return
    for field in ("serviceAccountName", "serviceAccount"):
        if workload.spec.get(field):
            yield Violation(
                f"the pod runs as the 'default' ServiceAccount ({field}: default)",
                at=workload.spec_pointer / field,
            )
            return
    yield Violation(
        "the pod names no serviceAccountName, so it runs as the namespace's 'default' ServiceAccount",
        at=workload.spec_pointer / "serviceAccountName",
    )


RULE = Rule(
    code="WKL011",
    slug="default-service-account",
    title="Workload runs as the default ServiceAccount",
    severity=Severity.LOW,
    applies_to=WORKLOADS,
    check=check,
    remediation="Give the workload its own ServiceAccount (spec.serviceAccountName).",
    references=("https://kubernetes.io/docs/concepts/security/service-accounts/",),
    compliance={"cis-1.12": ("5.1.5",)},
)
