"""Probe or lifecycle hook targets another host.

## What it does
From policy version v1.34, flags a non-empty `host` in `httpGet` or `tcpSocket` of the
liveness, readiness and startup probes and of the `postStart`/`preStop` lifecycle hooks
(*Host Probes / Lifecycle Hooks*, baseline). NOT_APPLICABLE at earlier versions.

## Why it matters
The kubelet sends probe and hook requests from the node. A `host` lets a pod make the
kubelet reach arbitrary addresses, such as node-local services or cloud metadata endpoints.

## Example
```yaml
livenessProbe:
  httpGet:
    host: 169.254.169.254   # probe or lifecycle host
    path: /
    port: 80
```

## Fix
Remove `host`: the kubelet then probes the pod's own IP.

## References
- https://kubernetes.io/docs/concepts/security/pod-security-standards/
- https://kubernetes.io/docs/concepts/security/pod-security-admission/
"""

from __future__ import annotations

from kubeguard.checks.pss._common import pss_rule
from kubeguard.checks.pss._fixes import REMOVE_PROBE_HOST
from kubeguard.rules.rule import Severity

RULE = pss_rule(
    "PSS012",
    "probe-lifecycle-host",
    "Probe or lifecycle hook targets another host",
    Severity.LOW,
    "Remove the host field from probes and lifecycle hooks.",
    cis=(),
    fix=REMOVE_PROBE_HOST,
)
