"""The first encryption provider is identity.

## What it does
Flags each entry of an EncryptionConfiguration whose first provider is `identity`, and each entry
without providers.

## Why it matters
The API server writes with the first provider. `identity` writes plain text: listing encrypting
providers after it only lets the server read data encrypted earlier. (Identity first is a step of
switching encryption off; it should not stay.)

## Example
```yaml
resources:
  - resources: [secrets]
    providers:
      - identity: {}          # flagged: new Secrets are written in plain text
      - aesgcm: {keys: [{name: key1, secret: <base64>}]}
```

## Fix
Put an encrypting provider (KMS v2 preferred) first and keep `identity` last, only while old data is
being rewritten.

## References
- https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/
- CIS Kubernetes Benchmark v1.12: 1.2.28
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.analyzers.controlplane.encryption import Entry
from kubeguard.checks.controlplane._scopes import ENCRYPTION_SCOPE
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import Rule, Severity, Violation


def check(items: list[Entry], ctx: ScanContext) -> Iterator[Violation]:
    for entry in items:
        names = ", ".join(entry.resources) or "(no resources)"
        if not entry.providers:
            yield Violation(f"entry for {names} has no providers", at=entry.at / "providers")
        elif entry.providers[0].type == "identity":
            yield Violation(
                f"the first provider for {names} is identity: they are written to etcd in plain text",
                at=entry.providers[0].at,
            )


RULE = Rule(
    code="CP091",
    slug="encryption-identity-first",
    title="Resources are written unencrypted (identity provider first)",
    severity=Severity.HIGH,
    applies_to=ENCRYPTION_SCOPE,
    check=check,
    remediation="Put an encrypting provider first; keep identity last, and only while migrating.",
    references=("https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/",),
    compliance={"cis-1.12": ("1.2.28",), "cis-1.23": ("1.2.31",)},
)
