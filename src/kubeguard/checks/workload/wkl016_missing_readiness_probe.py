"""Container without a readiness probe.

## What it does
Flags regular containers, and sidecar containers (init containers with `restartPolicy: Always`),
of long-running workloads (not Jobs, CronJobs, or pods with `restartPolicy` `Never`/`OnFailure`) that have no `readinessProbe`. Plain init containers and ephemeral
containers are never judged: Kubernetes does not allow probes on them. Jobs and CronJobs are out
of scope (NOT_APPLICABLE): they serve no traffic.

## Why it matters
Without a readiness probe a pod counts as ready as soon as its containers have started: Services
send it traffic before the app listens, and during a rollout old pods are removed before the new
ones can serve. This is a reliability rule (low severity).

## Example
```yaml
containers:
  - name: app
    image: registry.example.com/app:1.4.2    # flagged: no readinessProbe
```

## Fix
```yaml
readinessProbe:
  httpGet: {path: /ready, port: 8080}
  periodSeconds: 5
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
    return missing_probe(workload, "readinessProbe", "it receives traffic before it can serve")


RULE = Rule(
    code="WKL016",
    slug="missing-readiness-probe",
    title="Container has no readiness probe",
    severity=Severity.LOW,
    applies_to=LONG_RUNNING_WORKLOADS,
    check=check,
    remediation="Add a readinessProbe to every long-running container.",
    references=("https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/",),
)
