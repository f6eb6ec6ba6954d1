"""Container listens for SSH.

## What it does
Flags every container port that is SSH: `containerPort: 22`, or a port named `ssh` whatever its
number, in regular, init and sidecar containers (ephemeral containers cannot declare ports),
pointing at the port's number or name.

## Why it matters
A container is managed through the Kubernetes API (`kubectl exec`, logs, images), which is
authenticated, authorized and audited. An SSH server inside a container is a second way in that
bypasses all three: its keys or passwords live in the image or a volume, logins do not appear in
the audit log, and a weak or leaked credential gives a shell next to the service account token
(Microsoft's threat matrix for Kubernetes lists it as an execution technique, MS-TA9010).

## Example
```yaml
containers:
  - name: app
    image: registry.example.com/app:1.4.2
    ports:
      - containerPort: 22       # flagged
      - name: ssh               # flagged
        containerPort: 2222
```

## Fix
Remove the SSH server from the image; use `kubectl exec` or `kubectl debug` for interactive access.
For a service that really speaks SSH (a Git server), keep it and suppress the finding with a reason.

## References
- https://microsoft.github.io/Threat-Matrix-for-Kubernetes/techniques/SSH%20server%20running%20inside%20container/
- https://kubernetes.io/docs/tasks/debug/debug-application/debug-running-pod/
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.checks.workload._containers import describe, non_ephemeral
from kubeguard.model.workload import Workload
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import WORKLOADS, Rule, Severity, Violation

SSH_PORT = 22


def check(workload: Workload, ctx: ScanContext) -> Iterator[Violation]:
    for c in non_ephemeral(workload):
        ports = c.raw.get("ports")
        if not isinstance(ports, list):
            continue
        for i, port in enumerate(ports):
            if not isinstance(port, dict):
                continue
            number = port.get("containerPort")
            name = port.get("name")
            base = c.pointer.join("ports", i)
            if number == SSH_PORT and not isinstance(number, bool):
                yield Violation(f"{describe(c)} exposes port 22 (SSH)", at=base / "containerPort")
            elif isinstance(name, str) and name.lower() == "ssh":
                yield Violation(f"{describe(c)} has a port named {name!r} ({number})", at=base / "name")


RULE = Rule(
    code="WKL023",
    slug="ssh-port",
    title="Container listens for SSH",
    severity=Severity.MEDIUM,
    applies_to=WORKLOADS,
    check=check,
    remediation="Remove the SSH server from the image and use kubectl exec or kubectl debug.",
    references=(
        "https://microsoft.github.io/Threat-Matrix-for-Kubernetes/techniques/SSH%20server%20running%20inside%20container/",
    ),
    aliases=("kubescape:C-0042",),
)
