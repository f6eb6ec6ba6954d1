"""Istio mTLS not STRICT for a workload.

## What it does
When the input holds Istio `PeerAuthentication` objects (`security.istio.io`), resolves the mTLS
mode that applies to each workload, as Istio does: a policy with a workload `selector` in its
namespace, else the namespace-wide policy, else the mesh-wide policy in the root namespace
(`istio-system`; set `network: {istioRootNamespace: NAME}` in `.kubeguard.yaml` to change it).
`UNSET` inherits from the next level, and with nothing set the mesh default is `PERMISSIVE`.
Flags workloads whose effective mode is `PERMISSIVE` or `DISABLE`, and each `portLevelMtls` port
that is not `STRICT`.

Only workloads that are in the mesh are judged, as Istio's sidecar injector decides it: the
namespace (its Namespace object in the input) carries `istio-injection: enabled`, an `istio.io/rev`
revision label or `istio.io/dataplane-mode: ambient`; or the pod template has the label
`sidecar.istio.io/inject: "true"` (unless its namespace has `istio-injection: disabled`); or the
pod already has an `istio-proxy` container (manual injection, gateways). A pod with
`sidecar.istio.io/inject: "false"` or host networking is skipped. A workload whose namespace is not
in the input and that does not opt in itself cannot be placed in the mesh and is not judged.

## Why it matters
In PERMISSIVE mode a workload also accepts plain text: any pod, including one outside the mesh,
can connect without a workload identity, which defeats AuthorizationPolicies based on principals.

## Example
```yaml
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: default, namespace: shop}
spec:
  mtls: {mode: PERMISSIVE}     # every workload in 'shop' is flagged
```

## Fix
Set `mtls.mode: STRICT` mesh-wide in the root namespace and remove PERMISSIVE/DISABLE overrides
once all clients are in the mesh.

## References
- https://istio.io/latest/docs/reference/config/security/peer_authentication/
- https://istio.io/latest/docs/concepts/security/#peer-authentication
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.checks.network._common import analysis
from kubeguard.model.workload import Workload
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import WORKLOADS, Rule, Severity, Violation


def _in_mesh(workload: Workload, ctx: ScanContext, namespace: str) -> bool:
    """Whether Istio's sidecar injector (or ambient mode) puts this workload in the mesh."""
    opt = str(
        workload.labels.get(
            "sidecar.istio.io/inject", workload.annotations.get("sidecar.istio.io/inject", "")
        )
    )
    if opt.lower() == "false":
        return False
    if any(c.name == "istio-proxy" for c in workload.containers()):
        return True  # injected by hand, or a gateway
    ns = ctx.find("Namespace", None, namespace)
    labels = ns.labels if ns is not None else {}
    if labels.get("istio-injection") == "disabled":
        return False
    if opt.lower() == "true":
        return True
    return (
        labels.get("istio-injection") == "enabled"
        or "istio.io/rev" in labels
        or labels.get("istio.io/dataplane-mode") == "ambient"
    )


def check(workload: Workload, ctx: ScanContext) -> Iterator[Violation]:
    a = analysis(ctx)
    if not a.mesh.peer_auth:
        return
    endpoint = a.endpoint_of(workload.resource)
    if endpoint is None or endpoint.host_network or not _in_mesh(workload, ctx, endpoint.namespace):
        return
    eff = a.mesh.effective(endpoint.namespace, endpoint.labels)
    at = workload.meta_pointer / "labels"
    if eff.mode != "STRICT":
        source = (
            f"PeerAuthentication {eff.source.effective_namespace}/{eff.source.name}"
            if eff.source is not None
            else "the mesh default (no PeerAuthentication sets a mode)"
        )
        yield Violation(f"effective mTLS mode is {eff.mode}, set by {source}", at=at)
    for port, (mode, res) in sorted(eff.port_modes.items()):
        if mode != "STRICT":
            yield Violation(
                f"port {port}: mTLS mode {mode} (portLevelMtls of PeerAuthentication "
                f"{res.effective_namespace}/{res.name})",
                at=at,
            )


RULE = Rule(
    code="NET015",
    slug="istio-mtls-not-strict",
    title="Istio mTLS is not STRICT for a workload",
    severity=Severity.MEDIUM,
    needs=("Istio PeerAuthentication policies", "the workload's Namespace"),
    applies_to=WORKLOADS,
    check=check,
    remediation="Set PeerAuthentication mtls.mode: STRICT mesh-wide and remove PERMISSIVE/DISABLE overrides.",
    references=("https://istio.io/latest/docs/reference/config/security/peer_authentication/",),
)
