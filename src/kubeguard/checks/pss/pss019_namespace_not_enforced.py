"""Namespace does not enforce a Pod Security level.

## What it does
Flags every Namespace in the input that has no `pod-security.kubernetes.io/enforce` label, or
whose enforce label is `privileged`. The namespaces Kubernetes manages itself (`kube-system`,
`kube-public`, `kube-node-lease`) are not judged. An enforce label with an invalid value is not
flagged: admission then enforces `restricted`.

## Why it matters
Without an enforce label Pod Security Admission applies its defaults, which are `privileged`
unless the cluster's admission configuration says otherwise: any pod, privileged or sharing the
host's namespaces, is admitted. `audit` and `warn` labels only report.

## Example
```yaml
apiVersion: v1
kind: Namespace
metadata:
  name: payments
  labels:
    pod-security.kubernetes.io/warn: restricted   # warns, but admits everything
```

## Fix
Label the namespace with the strictest level its workloads meet, pinned to a version:
`pod-security.kubernetes.io/enforce: baseline` (or `restricted`) and
`pod-security.kubernetes.io/enforce-version: v1.33`. Use `kubeguard pss` to see which workloads
each level would reject before you apply it.

## References
- https://kubernetes.io/docs/concepts/security/pod-security-admission/
- https://kubernetes.io/docs/tasks/configure-pod-container/enforce-standards-namespace-labels/
- CIS Kubernetes Benchmark 5.2.1
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.analyzers.pss.namespaces import LABEL_PREFIX, SYSTEM_NAMESPACES
from kubeguard.model.pointer import Pointer
from kubeguard.model.resource import Resource
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import Rule, Severity, Violation, kinds

ENFORCE = LABEL_PREFIX + "enforce"
_LABELS = Pointer(("metadata", "labels"))


def check(namespace: Resource, ctx: ScanContext) -> Iterator[Violation]:
    name = namespace.name
    if name in SYSTEM_NAMESPACES:
        return
    labels = namespace.labels
    if ENFORCE not in labels:
        at = _LABELS if "labels" in namespace.metadata else Pointer(("metadata",))
        yield Violation(
            f'namespace "{name}" has no {ENFORCE} label: Pod Security Admission admits any pod '
            "(the default level is privileged)",
            at=at,
        )
    elif labels[ENFORCE] == "privileged":
        yield Violation(
            f'namespace "{name}" sets {ENFORCE}=privileged: Pod Security Admission admits any pod',
            at=_LABELS / ENFORCE,
        )


RULE = Rule(
    code="PSS019",
    slug="namespace-not-enforced",
    title="Namespace does not enforce a Pod Security level",
    severity=Severity.MEDIUM,
    applies_to=kinds("Namespace"),
    check=check,
    remediation="Label the namespace pod-security.kubernetes.io/enforce: baseline or restricted (with -version).",
    references=("https://kubernetes.io/docs/concepts/security/pod-security-admission/",),
    compliance={"cis-1.12": ("5.2.1",)},
)
