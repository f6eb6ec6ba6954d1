"""Encryption keys are missing, not base64 or of the wrong length.

## What it does
Checks every `aescbc`, `aesgcm` and `secretbox` provider of an EncryptionConfiguration: it must have
keys; each key a name and a secret; each secret valid base64 that decodes to 16, 24 or 32 bytes
(aescbc, aesgcm) or exactly 32 bytes (secretbox). Messages never show key material.

## Why it matters
The API server refuses to start with a malformed key, and a short key (for example a password
pasted instead of random bytes) weakens the encryption of every Secret in etcd.

## Example
```yaml
providers:
  - secretbox:
      keys:
        - name: key1
          secret: c2hvcnQ=          # flagged: 5 bytes, secretbox needs 32
```

## Fix
Generate a key with `head -c 32 /dev/urandom | base64` and keep it out of version control.

## References
- https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/
- CIS Kubernetes Benchmark v1.12: 1.2.28
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.analyzers.controlplane.encryption import Entry, key_problems
from kubeguard.checks.controlplane._scopes import ENCRYPTION_SCOPE
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import Rule, Severity, Violation


def check(items: list[Entry], ctx: ScanContext) -> Iterator[Violation]:
    for entry in items:
        for provider in entry.providers:
            for problem in key_problems(provider):
                yield Violation(problem.message, at=problem.at)


RULE = Rule(
    code="CP093",
    slug="encryption-invalid-key",
    title="Encryption keys are missing, malformed or of the wrong length",
    severity=Severity.HIGH,
    applies_to=ENCRYPTION_SCOPE,
    check=check,
    remediation="Use random keys of the right length: head -c 32 /dev/urandom | base64.",
    references=("https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/",),
    compliance={"cis-1.12": ("1.2.28",), "cis-1.23": ("1.2.31",)},
)
