"""Resources are encrypted with a provider upstream no longer recommends.

## What it does
Flags each entry of an EncryptionConfiguration whose first (writing) provider is `aescbc` or KMS v1
(`kms` without `apiVersion: v2`), and any provider type the API server does not know.

Provider strength follows the Kubernetes task "Encrypting Confidential Data at Rest": KMS v2 is
recommended (keys live in an external KMS); `secretbox` is strong; `aesgcm` is acceptable with
automated key rotation (every 200k writes); `aescbc` is not recommended because CBC is open to
padding oracle attacks; KMS v1 is deprecated and switched off by default since Kubernetes 1.29.
Earlier CIS benchmarks recommended aescbc; current upstream advice ranks it last.

## Why it matters
The provider that writes decides how well etcd data and its backups are protected. With a local
provider the key sits in a file on every control plane node, next to the data it protects.

## Example
```yaml
resources:
  - resources: [secrets]
    providers:
      - aescbc: {keys: [{name: key1, secret: <base64>}]}   # flagged
```

## Fix
Move to KMS v2 (`kms: {apiVersion: v2, name: ..., endpoint: ...}`), or to `secretbox`; keep the old
provider after the new one until all data has been rewritten.

## References
- https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/
- https://kubernetes.io/docs/tasks/administer-cluster/kms-provider/
- CIS Kubernetes Benchmark v1.12: 1.2.28
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.analyzers.controlplane.encryption import PROVIDER_TYPES, Entry
from kubeguard.checks.controlplane._scopes import ENCRYPTION_SCOPE
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import Rule, Severity, Violation


def check(items: list[Entry], ctx: ScanContext) -> Iterator[Violation]:
    for entry in items:
        names = ", ".join(entry.resources) or "(no resources)"
        for provider in entry.providers:
            if provider.type not in PROVIDER_TYPES:
                yield Violation(f"unknown provider {provider.type!r} for {names}", at=provider.at)
        if not entry.providers:
            continue
        first = entry.providers[0]
        if first.type == "aescbc":
            yield Violation(
                f"{names} are written with aescbc, which upstream no longer recommends (CBC padding oracle "
                "risk); prefer KMS v2 or secretbox",
                at=first.at,
            )
        elif first.type == "kms" and first.kms_version != "v2":
            yield Violation(
                f"{names} are written with KMS {first.kms_version}, deprecated and off by default since "
                "Kubernetes 1.29; use apiVersion: v2",
                at=first.at / "kms",
            )


RULE = Rule(
    code="CP092",
    slug="encryption-weak-provider",
    title="Encryption at rest uses a provider upstream no longer recommends",
    severity=Severity.MEDIUM,
    applies_to=ENCRYPTION_SCOPE,
    check=check,
    remediation="Write with KMS v2 (or secretbox); keep the old provider second until data is rewritten.",
    references=(
        "https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/",
        "https://kubernetes.io/docs/tasks/administer-cluster/kms-provider/",
    ),
    compliance={"cis-1.12": ("1.2.28",), "cis-1.23": ("1.2.31",)},
)
