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

from kubeguard.analyzers.controlplane.catalogue import cis, component_rule
from kubeguard.analyzers.controlplane.flags import (
    bool_flag_check,
    feature_gate_not_false_check,
    flags_set_check,
    loopback_bind_check,
    parse_int,
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
        "CP040",
        "controller-manager-terminated-pod-gc",
        "Controller manager keeps too many terminated pods",
        L,
        _gc_threshold,
        cis("1.3.1"),
        "Flags a kube-controller-manager whose `--terminated-pod-gc-threshold` is unset (12500), not a number "
        "or not positive. (CIS marks this Manual: choose a threshold that suits the cluster.)",
        "Terminated pods are kept until the threshold is reached; thousands of them cost etcd space and "
        "API server time.",
        "command:\n  - kube-controller-manager   # no --terminated-pod-gc-threshold",
        "Set `--terminated-pod-gc-threshold` to a value that suits the cluster, for example `10`.",
    ),
    _rule(
        "CP041",
        "controller-manager-profiling",
        "Controller manager exposes profiling",
        L,
        bool_flag_check("profiling", want=False, default=True),
        cis("1.3.2"),
        "Flags a kube-controller-manager whose `--profiling` is not `false` (unset means `true`).",
        "The /debug/pprof endpoints reveal internals and can be used to load the process.",
        "command:\n  - kube-controller-manager   # --profiling unset: flagged",
        "Set `--profiling=false`.",
    ),
    _rule(
        "CP042",
        "controller-manager-service-account-credentials",
        "Controllers share the controller manager's own credentials",
        M,
        bool_flag_check("use-service-account-credentials", want=True, default=False),
        cis("1.3.3"),
        "Flags a kube-controller-manager whose `--use-service-account-credentials` is not `true` (unset means `false`).",
        "With separate credentials each controller runs with its own narrow role; otherwise every controller "
        "has the union of all their permissions.",
        "command:\n  - kube-controller-manager   # flag unset: flagged",
        "Set `--use-service-account-credentials=true`.",
    ),
    _rule(
        "CP043",
        "controller-manager-service-account-private-key",
        "Controller manager has no service account signing key",
        M,
        flags_set_check("service-account-private-key-file"),
        cis("1.3.4"),
        "Flags a kube-controller-manager without `--service-account-private-key-file`.",
        "The key signs service account tokens; set explicitly it can be rotated.",
        "command:\n  - kube-controller-manager   # no --service-account-private-key-file",
        "Set `--service-account-private-key-file=/etc/kubernetes/pki/sa.key`.",
    ),
    _rule(
        "CP044",
        "controller-manager-root-ca-file",
        "Controller manager gives pods no root CA",
        M,
        flags_set_check("root-ca-file"),
        cis("1.3.5"),
        "Flags a kube-controller-manager without `--root-ca-file`.",
        "The root CA is published to every namespace so pods can verify the API server's certificate.",
        "command:\n  - kube-controller-manager   # no --root-ca-file",
        "Set `--root-ca-file=/etc/kubernetes/pki/ca.crt`.",
    ),
    _rule(
        "CP045",
        "controller-manager-rotate-kubelet-server-certificate",
        "Controller manager switches off kubelet server certificate rotation",
        M,
        feature_gate_not_false_check("feature-gates", "RotateKubeletServerCertificate"),
        cis("1.3.6"),
        "Flags a kube-controller-manager whose `--feature-gates` sets `RotateKubeletServerCertificate=false` "
        "(the gate is on by default).",
        "Kubelet serving certificates then cannot be renewed through the API and expire or stay self-signed.",
        "command:\n  - kube-controller-manager\n  - --feature-gates=RotateKubeletServerCertificate=false   # flagged",
        "Remove `RotateKubeletServerCertificate=false` from `--feature-gates`.",
    ),
    _rule(
        "CP046",
        "controller-manager-bind-address",
        "Controller manager listens on every interface",
        M,
        loopback_bind_check("bind-address", "0.0.0.0"),
        cis("1.3.7"),
        "Flags a kube-controller-manager whose `--bind-address` is not a loopback address (unset means 0.0.0.0).",
        "Its health and metrics endpoints need not be reachable from the network.",
        "command:\n  - kube-controller-manager\n  - --bind-address=0.0.0.0   # flagged",
        "Set `--bind-address=127.0.0.1`.",
    ),
)
