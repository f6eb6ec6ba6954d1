"""Container without a liveness probe.

## What it does
Flags regular containers, and sidecar containers (init containers with `restartPolicy: Always`),
of long-running workloads (not Jobs, CronJobs, or pods with `restartPolicy` `Never`/`OnFailure`) that have no `livenessProbe`. Plain init containers and ephemeral
containers are never judged: Kubernetes does not allow probes on them. Jobs and CronJobs are out
of scope (NOT_APPLICABLE): they run to completion. A `startupProbe` does not replace a liveness
probe: it only holds the other probes back until the app has started.

## Why it matters
Without a liveness probe the kubelet restarts a container only when its process exits. A
deadlocked or wedged process keeps running, and keeps failing requests, until someone notices.
This is a reliability rule (low severity).

## Example
```yaml
containers:
  - name: app
    image: registry.example.com/app:1.4.2    # flagged: no livenessProbe
```

## Fix
```yaml
livenessProbe:
  httpGet: {path: /healthz, port: 8080}
  periodSeconds: 10
  failureThreshold: 3
```

## References
- https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/
- https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.checks.workload._probes import LONG_RUNNING_WORKLOADS, missing_probe
from kubeguard.model.workload import Workload
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import Rule, Severity, Violation


def check(workload: Workload, ctx: ScanContext) -> Iterator[Violation]:
    return missing_probe(workload, "livenessProbe", "a hung process is never restarted")


RULE = Rule(
    code="WKL015",
    slug="missing-liveness-probe",
    title="Container has no liveness probe",
    severity=Severity.LOW,
    applies_to=LONG_RUNNING_WORKLOADS,
    check=check,
    remediation="Add a livenessProbe to every long-running container.",
    references=("https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/",),
)
