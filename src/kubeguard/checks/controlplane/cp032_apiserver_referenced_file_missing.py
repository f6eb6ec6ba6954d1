"""The API server names a configuration file the node does not have.

## What it does
Under `kubeguard node`, flags each of the API server's `--audit-policy-file`,
`--encryption-provider-config`, `--admission-control-config-file`, `--authorization-config` and
`--authentication-config` whose file is not on the node
(the path is followed through the static pod's hostPath mounts). Not judged by `kubeguard scan`,
which cannot see the node's files (NOT_APPLICABLE).

## Why it matters
The API server does not start without the file; when the flag was copied from another node or the
file was lost in a rebuild, the audit policy or the encryption configuration you believe is in place
is not. A policy that exists but is not the one the flag names is never applied.

## Example
```yaml
command:
  - kube-apiserver
  - --audit-policy-file=/etc/kubernetes/audit/policy.yaml   # no such file on the node: flagged
```

## Fix
Put the file where the flag says (and mount its folder into the static pod), or correct the flag.

## References
- https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/
- https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/
- CIS Kubernetes Benchmark v1.12: 1.2.27, 3.2.1
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.analyzers.controlplane.node_options import NODE_MISSING_FILES
from kubeguard.checks.controlplane._scopes import APISERVER_SCOPE
from kubeguard.model.controlplane.components import ComponentConfig
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import Rule, Severity, Violation

FLAGS = (
    "audit-policy-file",
    "encryption-provider-config",
    "admission-control-config-file",
    "authorization-config",
    "authentication-config",
)


def check(cfg: ComponentConfig, ctx: ScanContext) -> Iterator[Violation]:
    missing = set(ctx.options.extra.get(NODE_MISSING_FILES) or ())
    for flag in FLAGS:
        value = cfg.flags.value(flag)
        if value and value in missing:
            yield Violation(
                f"kube-apiserver: --{flag}={value} names a file that is not on the node",
                at=cfg.flags.at(flag),
            )


RULE = Rule(
    code="CP032",
    slug="apiserver-referenced-file-missing",
    title="API server names a configuration file the node does not have",
    severity=Severity.HIGH,
    applies_to=APISERVER_SCOPE,
    check=check,
    remediation="Put the file where the flag says (mounted into the static pod), or correct the flag.",
    references=(
        "https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/",
        "https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/",
    ),
    compliance={"cis-1.12": ("1.2.27", "3.2.1")},
    enabled=lambda ctx: NODE_MISSING_FILES in ctx.options.extra,
)
