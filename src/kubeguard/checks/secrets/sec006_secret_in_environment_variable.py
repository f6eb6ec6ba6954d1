"""Secret passed to a container as an environment variable.

## What it does
Flags every `env[].valueFrom.secretKeyRef` and every `envFrom[].secretRef` of every container,
init container and ephemeral container. The finding names the Secret and the key, never a value.

## Why it matters
Environment variables leak more easily than files: applications print their environment in crash
reports and debug pages, child processes inherit it, `/proc/<pid>/environ` exposes it to anything
that can read the process, and `kubectl describe pod` shows which Secret feeds which variable.
A Secret mounted as a file is readable only through the file system, can be given restrictive
permissions (`defaultMode: 0400`), and is updated in place when the Secret changes (an env var
keeps the old value until the pod restarts). This is a low-severity hardening recommendation.

## Example
```yaml
containers:
  - name: app
    env:
      - name: DB_PASSWORD
        valueFrom:
          secretKeyRef: {name: db, key: password}   # flagged
    envFrom:
      - secretRef: {name: app-secrets}              # flagged
```

## Fix
Mount the Secret as a volume and have the application read the file:
```yaml
volumes:
  - name: db
    secret: {secretName: db, defaultMode: 0400}
containers:
  - name: app
    volumeMounts: [{name: db, mountPath: /var/run/secrets/db, readOnly: true}]
```
Many images accept a `*_FILE` variable (`POSTGRES_PASSWORD_FILE=/var/run/secrets/db/password`).

## References
- https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-files-from-a-pod
- https://kubernetes.io/docs/concepts/security/secrets-good-practices/
- CIS Kubernetes Benchmark 5.4.1 (prefer using secrets as files over secrets as environment variables)
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.checks.secrets._common import container_label
from kubeguard.model.workload import Workload
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import WORKLOADS, Rule, Severity, Violation


def check(workload: Workload, ctx: ScanContext) -> Iterator[Violation]:
    for c in workload.containers():
        who = container_label(c)
        env = c.raw.get("env")
        for i, e in enumerate(env if isinstance(env, list) else []):
            ref = (
                e.get("valueFrom", {}).get("secretKeyRef")
                if isinstance(e, dict) and isinstance(e.get("valueFrom"), dict)
                else None
            )
            if isinstance(ref, dict):
                yield Violation(
                    f"{who} reads key {ref.get('key')!r} of Secret {ref.get('name')!r} into env var "
                    f"{e.get('name')!r}; mount the Secret as a file instead",
                    at=c.pointer / "env" / i / "valueFrom" / "secretKeyRef",
                )
        env_from = c.raw.get("envFrom")
        for i, e in enumerate(env_from if isinstance(env_from, list) else []):
            ref = e.get("secretRef") if isinstance(e, dict) else None
            if isinstance(ref, dict):
                prefix = e.get("prefix")
                extra = f" (prefix {prefix!r})" if prefix else ""
                yield Violation(
                    f"{who} loads every key of Secret {ref.get('name')!r} into env vars{extra}; "
                    "mount the Secret as a file instead",
                    at=c.pointer / "envFrom" / i / "secretRef",
                )


RULE = Rule(
    code="SEC006",
    slug="secret-in-environment-variable",
    title="Secret passed as an environment variable",
    severity=Severity.LOW,
    applies_to=WORKLOADS,
    check=check,
    remediation="Mount the Secret as a read-only volume (defaultMode 0400) and read it from the file.",
    references=(
        "https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-files-from-a-pod",
        "https://kubernetes.io/docs/concepts/security/secrets-good-practices/",
    ),
)
