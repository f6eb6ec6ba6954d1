"""Service account token mounted into the pod.

## What it does
Resolves whether Kubernetes mounts the ServiceAccount API token into the workload's pods, the
way Kubernetes does: the pod's `spec.automountServiceAccountToken` wins when it is set; otherwise
the ServiceAccount's own `automountServiceAccountToken` applies, when that ServiceAccount (named
by `spec.serviceAccountName`, `default` when unset, in the pod's namespace) is in the input;
otherwise the token is mounted. Flags the workload when the result is "mounted", at the pod's
field (where it is set to `true`, or where `false` should be written).

## Why it matters
Every container of the pod can read the token and call the API server with the ServiceAccount's
permissions. Most applications never talk to the API server; for them the token only helps an
intruder move from the container into the cluster.

## Example
```yaml
apiVersion: v1
kind: ServiceAccount
metadata: {name: api}
automountServiceAccountToken: true
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  template:
    spec:
      serviceAccountName: api   # flagged: the ServiceAccount mounts the token, the pod does not say no
```

## Fix
Set `automountServiceAccountToken: false` on the ServiceAccount (for every pod that uses it) or
in the pod spec. Pods that need the API can mount a short-lived, audience-bound projected token.

## References
- https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting
- CIS Kubernetes Benchmark 5.1.6 (service account tokens only mounted where necessary)
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.analyzers.workload.service_accounts import automount
from kubeguard.checks.workload._fixes import NO_TOKEN_AUTOMOUNT
from kubeguard.model.workload import Workload
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import WORKLOADS, Rule, Severity, Violation


def check(workload: Workload, ctx: ScanContext) -> Iterator[Violation]:
    result = automount(workload, ctx)
    if not result.mounted:
        return
    sa = workload.service_account_name
    if result.source == "pod":
        why = "the pod sets automountServiceAccountToken: true"
    elif result.source == "serviceaccount":
        why = f"its ServiceAccount {sa!r} sets automountServiceAccountToken: true and the pod does not override it"
    elif result.service_account is not None:
        why = f"neither the pod nor its ServiceAccount {sa!r} sets automountServiceAccountToken"
    else:
        why = f"the pod does not set automountServiceAccountToken (ServiceAccount {sa!r} is not in the input)"
    yield Violation(f"the ServiceAccount token is mounted: {why}", at=result.pointer)


RULE = Rule(
    code="WKL010",
    slug="service-account-token-automount",
    title="Service account token is automatically mounted",
    severity=Severity.MEDIUM,
    needs=("the workload's ServiceAccount (its automountServiceAccountToken)",),
    applies_to=WORKLOADS,
    check=check,
    remediation="Set automountServiceAccountToken: false on the pod or its ServiceAccount.",
    references=(
        "https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting",
    ),
    compliance={"cis-1.12": ("5.1.6",)},
    fix=NO_TOKEN_AUTOMOUNT,
)
