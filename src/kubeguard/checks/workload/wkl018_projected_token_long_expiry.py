"""Projected service account token with a long lifetime.

## What it does
Flags every `serviceAccountToken` source of a `projected` volume whose `expirationSeconds` is
above the configured maximum, 86400 (24 hours) by default. Unset means Kubernetes' default of
3600 seconds, which passes. The maximum is set in `.kubeguard.yaml`:

```yaml
serviceAccountTokens:
  maxExpirationSeconds: 86400    # default; at least 600 (Kubernetes' minimum)
```

## Why it matters
A projected token stays valid until it expires, even after it was stolen from the pod or from a
log. The kubelet refreshes projected tokens by itself (at 80% of their lifetime), so a short
lifetime costs nothing; 24 hours bounds how long a leaked token can be replayed.

## Example
```yaml
- serviceAccountToken:
    audience: vault
    path: token
    expirationSeconds: 31536000   # flagged: a year
```

## Fix
Lower `expirationSeconds` (3600 is the Kubernetes default) and let the kubelet refresh the token.

## References
- https://kubernetes.io/docs/concepts/storage/projected-volumes/#serviceaccounttoken
- https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/#bound-service-account-token-volume
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.checks.workload._fixes import SHORTER_TOKEN_EXPIRY
from kubeguard.checks.workload._projected_tokens import max_expiration, projected_tokens
from kubeguard.model.workload import Workload
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import WORKLOADS, Rule, Severity, Violation


def check(workload: Workload, ctx: ScanContext) -> Iterator[Violation]:
    limit = max_expiration(ctx)
    for token in projected_tokens(workload):
        seconds = token.expiration
        if isinstance(seconds, int) and not isinstance(seconds, bool) and seconds > limit:
            yield Violation(
                f"projected volume {token.volume!r} requests a service account token valid for "
                f"{seconds}s, above the {limit}s maximum",
                at=token.pointer / "expirationSeconds",
            )


RULE = Rule(
    code="WKL018",
    slug="projected-token-long-expiry",
    title="Projected service account token lives too long",
    severity=Severity.MEDIUM,
    applies_to=WORKLOADS,
    check=check,
    remediation="Lower serviceAccountToken.expirationSeconds (the kubelet refreshes the token).",
    references=("https://kubernetes.io/docs/concepts/storage/projected-volumes/#serviceaccounttoken",),
    fix=SHORTER_TOKEN_EXPIRY,
)
