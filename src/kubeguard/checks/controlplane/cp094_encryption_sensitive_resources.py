"""Other sensitive resources are not encrypted at rest.

## What it does
When an EncryptionConfiguration encrypts Secrets but not ConfigMaps (no entry names `configmaps`,
`*.` or `*.*`), suggests adding them. Informational.

## Why it matters
ConfigMaps often end up holding credentials, connection strings and private configuration; they
sit next to Secrets in the same etcd backups. Custom resources that carry secrets (for example
those of secret-management operators) deserve the same.

## Example
```yaml
resources:
  - resources: [secrets]        # configmaps are not listed: suggested
    providers:
      - kms: {apiVersion: v2, name: kms, endpoint: unix:///var/run/kms.sock}
```

## Fix
Add `configmaps` (and custom resources that hold secrets) to the encrypted entry, or use `*.`
for every core resource.

## References
- https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.analyzers.controlplane.encryption import Entry, first_entry_for
from kubeguard.checks.controlplane._scopes import ENCRYPTION_SCOPE
from kubeguard.model.pointer import Pointer
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import Rule, Severity, Violation

SUGGESTED = ("configmaps",)


def check(items: list[Entry], ctx: ScanContext) -> Iterator[Violation]:
    secrets = first_entry_for(items, "secrets")
    if secrets is None or not secrets.providers or secrets.providers[0].type == "identity":
        return  # CP090/CP091 report the larger problem
    for name in SUGGESTED:
        entry = first_entry_for(items, name)
        if entry is None or not entry.providers or entry.providers[0].type == "identity":
            yield Violation(
                f"{name} are not encrypted at rest; they often hold credentials too",
                at=entry.at if entry is not None else Pointer(("resources",)),
            )


RULE = Rule(
    code="CP094",
    slug="encryption-sensitive-resources",
    title="Other sensitive resources are not encrypted at rest",
    severity=Severity.INFO,
    applies_to=ENCRYPTION_SCOPE,
    check=check,
    remediation="Add configmaps (and custom resources that hold secrets) to the encrypted resources.",
    references=("https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/",),
)
