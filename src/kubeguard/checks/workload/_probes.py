"""Health probes: which workloads and which containers are expected to have them.

Only long-running pods: Jobs and CronJobs run to completion and serve no traffic, so neither probe
is expected there (the rules record NOT_APPLICABLE); nor in a pod whose ``restartPolicy`` is
``Never`` or ``OnFailure`` (a one-off task: only Jobs and bare Pods may set it). Inside a pod, regular containers and
restartable init containers (sidecars, ``restartPolicy: Always``) are judged: since Kubernetes 1.28
sidecars run for the pod's lifetime, are restarted by the kubelet and accept liveness, readiness
and startup probes, and a sidecar's readiness counts towards the pod's. Plain init containers run
to completion and may not have probes at all (the API rejects them); ephemeral containers may not
either.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kubeguard.checks.workload._containers import describe, long_running
from kubeguard.model.resource import Resource
from kubeguard.model.workload import Workload
from kubeguard.rules.rule import Scope, Violation

BATCH_KINDS = frozenset({"Job", "CronJob"})


def _view(resource: Resource) -> Any:
    return resource.workload


def _long_running(r: Resource) -> bool:
    w = r.workload
    if w is None or (r.kind in BATCH_KINDS and r.group == "batch"):
        return False
    return w.spec.get("restartPolicy") not in ("Never", "OnFailure")


LONG_RUNNING_WORKLOADS = Scope(
    "long-running workloads (not Job or CronJob, nor pods with restartPolicy Never or OnFailure)",
    _long_running,
    _view,
)


def missing_probe(workload: Workload, field: str, purpose: str) -> Iterator[Violation]:
    for c in long_running(workload):
        if not isinstance(c.raw.get(field), dict):
            yield Violation(f"{describe(c)} has no {field}: {purpose}", at=c.pointer / field)
