"""Secrets are not encrypted at rest.

## What it does
Flags an EncryptionConfiguration (`apiserver.config.k8s.io/v1`) in which no entry names `secrets`
(explicitly, or by the wildcards `*.` for the core group or `*.*` for every resource).

## Why it matters
Resources that no entry names are written to etcd, and to every etcd backup, as plain text. Secrets
are the reason encryption at rest exists.

## Example
```yaml
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: [configmaps]      # secrets are not listed: flagged
    providers:
      - secretbox: {keys: [{name: key1, secret: <32 random bytes, base64>}]}
```

## Fix
Add `secrets` to the `resources` of an entry whose first provider encrypts (KMS v2 preferred), then
rewrite existing Secrets (`kubectl get secrets -A -o json | kubectl replace -f -`).

## References
- https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/
- CIS Kubernetes Benchmark v1.12: 1.2.28
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.analyzers.controlplane.encryption import Entry, first_entry_for
from kubeguard.checks.controlplane._scopes import ENCRYPTION_SCOPE
from kubeguard.model.pointer import Pointer
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import Rule, Severity, Violation


def check(items: list[Entry], ctx: ScanContext) -> Iterator[Violation]:
    if first_entry_for(items, "secrets") is None:
        yield Violation(
            "no entry of the EncryptionConfiguration names secrets; they are stored in plain text",
            at=Pointer(("resources",)),
        )


RULE = Rule(
    code="CP090",
    slug="encryption-secrets-not-covered",
    title="Secrets are not encrypted at rest",
    severity=Severity.HIGH,
    applies_to=ENCRYPTION_SCOPE,
    check=check,
    remediation="Add secrets to an entry whose first provider encrypts (KMS v2 preferred).",
    references=("https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/",),
    compliance={"cis-1.12": ("1.2.28",), "cis-1.23": ("1.2.31",)},
)
