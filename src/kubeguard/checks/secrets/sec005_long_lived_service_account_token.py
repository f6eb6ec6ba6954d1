"""Long-lived service account token Secret made by hand.

## What it does
Flags every `kind: Secret` of `type: kubernetes.io/service-account-token`. Such a Secret asks the
token controller to write a token for the ServiceAccount named in its
`kubernetes.io/service-account.name` annotation, and that token never expires.

## Why it matters
Since Kubernetes 1.24 pods get short-lived, audience-bound tokens through the TokenRequest API
(projected volumes), rotated by the kubelet and invalidated when the pod goes away. A token from a
`service-account-token` Secret is valid until the Secret is deleted: anyone who reads the Secret
once (a backup, a `get secrets` permission, a log) holds the ServiceAccount's permissions for good.
Kubernetes now tracks and cleans up such legacy tokens for this reason.

## Example
```yaml
apiVersion: v1
kind: Secret
metadata:
  name: ci-deployer-token
  annotations:
    kubernetes.io/service-account.name: ci-deployer
type: kubernetes.io/service-account-token   # flagged
```

## Fix
Delete the Secret. In pods, rely on the projected service account token (the default). For a
client outside the cluster, request a short-lived token (`kubectl create token ci-deployer
--duration=1h`, or the TokenRequest API), or use workload identity federation from your CI system.

## References
- https://kubernetes.io/docs/concepts/security/service-accounts/#get-a-token
- https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/#legacy-serviceaccount-token-cleaner
- https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#manually-create-an-api-token-for-a-serviceaccount
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.analyzers.secrets.objects import SERVICE_ACCOUNT_TOKEN_TYPE
from kubeguard.model.pointer import Pointer
from kubeguard.model.resource import Resource
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import Rule, Severity, Violation, kinds

SA_NAME_ANNOTATION = "kubernetes.io/service-account.name"


def check(resource: Resource, ctx: ScanContext) -> Iterator[Violation]:
    if resource.group != "" or resource.raw.get("type") != SERVICE_ACCOUNT_TOKEN_TYPE:
        return
    sa = resource.annotations.get(SA_NAME_ANNOTATION)
    whom = f"ServiceAccount {sa!r}" if isinstance(sa, str) and sa else "a ServiceAccount (annotation missing)"
    yield Violation(
        f"Secret of type {SERVICE_ACCOUNT_TOKEN_TYPE} makes a long-lived, non-expiring token for {whom}; "
        "use short-lived tokens from the TokenRequest API instead",
        at=Pointer(("type",)),
    )


RULE = Rule(
    code="SEC005",
    slug="long-lived-service-account-token",
    title="Long-lived service account token Secret",
    severity=Severity.MEDIUM,
    applies_to=kinds("Secret"),
    check=check,
    remediation=(
        "Delete the Secret; use projected service account tokens in pods and `kubectl create token` "
        "(TokenRequest) for short-lived tokens elsewhere."
    ),
    references=(
        "https://kubernetes.io/docs/concepts/security/service-accounts/#get-a-token",
        "https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/",
    ),
)
