"""kube-controller-manager flags (CIS Kubernetes Benchmark v1.12 section 1.3).

## What it does
One rule per CIS recommendation; see each rule's own documentation.

## Why it matters
The controller manager holds the service account signing key and acts for every controller.

## Example
```yaml
command: [kube-controller-manager, --profiling=false]
```

## Fix
Set the flag as each rule says.

## References
- https://kubernetes.io/docs/reference/command-line-tools-reference/kube-controller-manager/
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from kubeguard.analyzers.controlplane.flags import parse_int
from kubeguard.checks.controlplane._catalogue import cis, component_rule
from kubeguard.checks.controlplane._flag_checks import (
    bool_flag_check,
    feature_gate_not_false_check,
    flags_set_check,
    loopback_bind_check,
)
from kubeguard.model.controlplane.components import CONTROLLER_MANAGER, ComponentConfig
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import Severity, Violation

H, M, L = Severity.HIGH, Severity.MEDIUM, Severity.LOW


def _gc_threshold(cfg: ComponentConfig, ctx: ScanContext) -> Iterator[Violation]:
    raw = cfg.flags.value("terminated-pod-gc-threshold")
    at = cfg.flags.at("terminated-pod-gc-threshold")
    if raw is None:
        yield Violation(
            "kube-controller-manager: --terminated-pod-gc-threshold is not set (default 12500 terminated pods "
            "are kept before any is collected)",
            at=at,
        )
        return
    value = parse_int(raw)
    if value is None:
        yield Violation(
            f"kube-controller-manager: --terminated-pod-gc-threshold={raw} is not a number", at=at
        )
    elif value <= 0:
        yield Violation(
            f"kube-controller-manager: --terminated-pod-gc-threshold={value} switches off garbage collection "
            "of terminated pods",
            at=at,
        )


_rule = partial(component_rule, component=CONTROLLER_MANAGER)


RULES = (
    _rule(
        code="CP040",
        slug="controller-manager-terminated-pod-gc",
        title="Controller manager keeps too many terminated pods",
        severity=L,
        check=_gc_threshold,
        compliance=cis("1.3.1"),
        what="Flags a kube-controller-manager whose `--terminated-pod-gc-threshold` is unset (12500), not a number "
        "or not positive. (CIS marks this Manual: choose a threshold that suits the cluster.)",
        why="Terminated pods are kept until the threshold is reached; thousands of them cost etcd space and "
        "API server time.",
        example="command:\n  - kube-controller-manager   # no --terminated-pod-gc-threshold",
        fix="Set `--terminated-pod-gc-threshold` to a value that suits the cluster, for example `10`.",
    ),
    _rule(
        code="CP041",
        slug="controller-manager-profiling",
        title="Controller manager exposes profiling",
        severity=L,
        check=bool_flag_check("profiling", want=False, default=True),
        compliance=cis("1.3.2"),
        what="Flags a kube-controller-manager whose `--profiling` is not `false` (unset means `true`).",
        why="The /debug/pprof endpoints reveal internals and can be used to load the process.",
        example="command:\n  - kube-controller-manager   # --profiling unset: flagged",
        fix="Set `--profiling=false`.",
    ),
    _rule(
        code="CP042",
        slug="controller-manager-service-account-credentials",
        title="Controllers share the controller manager's own credentials",
        severity=M,
        check=bool_flag_check("use-service-account-credentials", want=True, default=False),
        compliance=cis("1.3.3"),
        what="Flags a kube-controller-manager whose `--use-service-account-credentials` is not `true` (unset means `false`).",
        why="With separate credentials each controller runs with its own narrow role; otherwise every controller "
        "has the union of all their permissions.",
        example="command:\n  - kube-controller-manager   # flag unset: flagged",
        fix="Set `--use-service-account-credentials=true`.",
    ),
    _rule(
        code="CP043",
        slug="controller-manager-service-account-private-key",
        title="Controller manager has no service account signing key",
        severity=M,
        check=flags_set_check("service-account-private-key-file"),
        compliance=cis("1.3.4"),
        what="Flags a kube-controller-manager without `--service-account-private-key-file`.",
        why="The key signs service account tokens; set explicitly it can be rotated.",
        example="command:\n  - kube-controller-manager   # no --service-account-private-key-file",
        fix="Set `--service-account-private-key-file=/etc/kubernetes/pki/sa.key`.",
    ),
    _rule(
        code="CP044",
        slug="controller-manager-root-ca-file",
        title="Controller manager gives pods no root CA",
        severity=M,
        check=flags_set_check("root-ca-file"),
        compliance=cis("1.3.5"),
        what="Flags a kube-controller-manager without `--root-ca-file`.",
        why="The root CA is published to every namespace so pods can verify the API server's certificate.",
        example="command:\n  - kube-controller-manager   # no --root-ca-file",
        fix="Set `--root-ca-file=/etc/kubernetes/pki/ca.crt`.",
    ),
    _rule(
        code="CP045",
        slug="controller-manager-rotate-kubelet-server-certificate",
        title="Controller manager switches off kubelet server certificate rotation",
        severity=M,
        check=feature_gate_not_false_check("feature-gates", "RotateKubeletServerCertificate"),
        compliance=cis("1.3.6"),
        what="Flags a kube-controller-manager whose `--feature-gates` sets `RotateKubeletServerCertificate=false` "
        "(the gate is on by default).",
        why="Kubelet serving certificates then cannot be renewed through the API and expire or stay self-signed.",
        example="command:\n  - kube-controller-manager\n  - --feature-gates=RotateKubeletServerCertificate=false   # flagged",
        fix="Remove `RotateKubeletServerCertificate=false` from `--feature-gates`.",
    ),
    _rule(
        code="CP046",
        slug="controller-manager-bind-address",
        title="Controller manager listens on every interface",
        severity=M,
        check=loopback_bind_check("bind-address", "0.0.0.0"),
        compliance=cis("1.3.7"),
        what="Flags a kube-controller-manager whose `--bind-address` is not a loopback address (unset means 0.0.0.0).",
        why="Its health and metrics endpoints need not be reachable from the network.",
        example="command:\n  - kube-controller-manager\n  - --bind-address=0.0.0.0   # flagged",
        fix="Set `--bind-address=127.0.0.1`.",
    ),
)
