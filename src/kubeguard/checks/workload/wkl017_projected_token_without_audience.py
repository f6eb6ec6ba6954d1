"""Projected service account token without an audience.

## What it does
Flags every `serviceAccountToken` source of a `projected` volume that sets no `audience`.

## Why it matters
A projected token without an audience is issued for the API server's own audience: it works as
an API credential of the pod's ServiceAccount. Tokens projected for a third party (Vault, a cloud
provider, another service) should be bound to that party's audience, so that whoever receives the
token cannot replay it against the Kubernetes API, and an API token cannot be replayed elsewhere.

## Example
```yaml
volumes:
  - name: vault-token
    projected:
      sources:
        - serviceAccountToken:
            path: token
            expirationSeconds: 600      # flagged: no audience
```

## Fix
Set `audience` to the identifier of the service that will verify the token (for example `vault`
or `sts.amazonaws.com`). A token projected on purpose for the Kubernetes API itself (to give it a
shorter lifetime than the automounted one) may keep the default audience: suppress the finding
with `ignore.kubeguard.io/WKL017: <reason>` on the object.

## References
- https://kubernetes.io/docs/concepts/storage/projected-volumes/#serviceaccounttoken
- https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#launch-a-pod-using-service-account-token-projection
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.checks.workload._projected_tokens import projected_tokens
from kubeguard.model.workload import Workload
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import WORKLOADS, Rule, Severity, Violation


def check(workload: Workload, ctx: ScanContext) -> Iterator[Violation]:
    for token in projected_tokens(workload):
        if not token.audience:
            yield Violation(
                f"projected volume {token.volume!r} requests a service account token with no audience: "
                "it is a Kubernetes API credential",
                at=token.pointer / "audience",
            )


RULE = Rule(
    code="WKL017",
    slug="projected-token-without-audience",
    title="Projected service account token has no audience",
    severity=Severity.LOW,
    applies_to=WORKLOADS,
    check=check,
    remediation="Set serviceAccountToken.audience to the service that verifies the token.",
    references=("https://kubernetes.io/docs/concepts/storage/projected-volumes/#serviceaccounttoken",),
)
