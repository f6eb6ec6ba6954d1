"""kube-scheduler flags (CIS Kubernetes Benchmark v1.12 section 1.4).

## What it does
One rule per CIS recommendation; see each rule's own documentation.

## Why it matters
The scheduler decides where every pod runs.

## Example
```yaml
command: [kube-scheduler, --profiling=false, --bind-address=127.0.0.1]
```

## Fix
Set the flag as each rule says.

## References
- https://kubernetes.io/docs/reference/command-line-tools-reference/kube-scheduler/
"""

from __future__ import annotations

from kubeguard.checks.controlplane._catalogue import cis, component_rule
from kubeguard.checks.controlplane._flag_checks import bool_flag_check, loopback_bind_check
from kubeguard.model.controlplane.components import SCHEDULER
from kubeguard.rules.rule import Severity

RULES = (
    component_rule(
        code="CP050",
        slug="scheduler-profiling",
        title="Scheduler exposes profiling",
        severity=Severity.LOW,
        component=SCHEDULER,
        check=bool_flag_check("profiling", want=False, default=True),
        compliance=cis("1.4.1"),
        what="Flags a kube-scheduler whose `--profiling` is not `false` (unset means `true`). Profiling set in a "
        "KubeSchedulerConfiguration file (`enableProfiling`) is not read.",
        why="The /debug/pprof endpoints reveal internals and can be used to load the process.",
        example="command:\n  - kube-scheduler   # --profiling unset: flagged",
        fix="Set `--profiling=false`.",
    ),
    component_rule(
        code="CP051",
        slug="scheduler-bind-address",
        title="Scheduler listens on every interface",
        severity=Severity.MEDIUM,
        component=SCHEDULER,
        check=loopback_bind_check("bind-address", "0.0.0.0"),
        compliance=cis("1.4.2"),
        what="Flags a kube-scheduler whose `--bind-address` is not a loopback address (unset means 0.0.0.0).",
        why="Its health and metrics endpoints need not be reachable from the network.",
        example="command:\n  - kube-scheduler\n  - --bind-address=0.0.0.0   # flagged",
        fix="Set `--bind-address=127.0.0.1`.",
    ),
)
