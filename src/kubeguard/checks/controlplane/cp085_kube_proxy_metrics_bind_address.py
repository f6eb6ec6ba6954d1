"""kube-proxy serves metrics on a non-local address.

## What it does
Flags a KubeProxyConfiguration (`kubeproxy.config.k8s.io`) whose `metricsBindAddress` does not bind to
the loopback interface. Unset (or empty, as kubeadm writes it) means the default `127.0.0.1:10249`.

## Why it matters
The metrics endpoint needs no authentication; bound to every interface it reveals the node's
Services and endpoints to anyone on the network.

## Example
```yaml
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
metricsBindAddress: 0.0.0.0:10249    # flagged
```

## Fix
Remove `metricsBindAddress` or set it to `127.0.0.1:10249`; scrape metrics through a local agent.

## References
- https://kubernetes.io/docs/reference/config-api/kube-proxy-config.v1alpha1/
- CIS Kubernetes Benchmark v1.12: 4.3.1
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model.pointer import Pointer
from kubeguard.model.resource import Resource
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import Rule, Scope, Severity, Violation

LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")

SCOPE = Scope(
    "KubeProxyConfiguration",
    lambda r: r.kind == "KubeProxyConfiguration" and r.group == "kubeproxy.config.k8s.io",
    candidate_kinds=frozenset({"KubeProxyConfiguration"}),
)


def check(resource: Resource, ctx: ScanContext) -> Iterator[Violation]:
    value = resource.raw.get("metricsBindAddress")
    if value is None or str(value).strip() == "":
        return  # the default, 127.0.0.1:10249
    text = str(value).strip()
    host = text.rsplit(":", 1)[0] if text.count(":") == 1 or text.startswith("[") else text
    if host not in LOOPBACK and not host.startswith("127."):
        yield Violation(
            f"metricsBindAddress {text} serves metrics beyond the loopback interface",
            at=Pointer(("metricsBindAddress",)),
        )


RULE = Rule(
    code="CP085",
    slug="kube-proxy-metrics-bind-address",
    title="kube-proxy serves metrics on a non-local address",
    severity=Severity.LOW,
    applies_to=SCOPE,
    check=check,
    remediation="Remove metricsBindAddress or set it to 127.0.0.1:10249.",
    references=("https://kubernetes.io/docs/reference/config-api/kube-proxy-config.v1alpha1/",),
    compliance={"cis-1.12": ("4.3.1",)},
)
