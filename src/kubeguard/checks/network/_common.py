"""Helpers shared by the NET rules: the per-scan network analysis, and the namespace scope."""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.analyzers.netpol.analysis import NetworkAnalysis, network_analysis
from kubeguard.model.pointer import Pointer
from kubeguard.model.resource import Resource
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import Scope, Violation

CIS_NETPOL: dict[str, tuple[str, ...]] = {"cis-1.12": ("5.3.2",)}


def analysis(ctx: ScanContext) -> NetworkAnalysis:
    return ctx.cached(network_analysis)


def _namespace_or_workload(r: Resource) -> bool:
    return (r.kind == "Namespace" and r.group == "") or r.workload is not None


#: Namespace objects, and workloads (which stand for a namespace that the input only implies).
NAMESPACES = Scope(
    "namespaces (Namespace objects; for a namespace without one, its first workload)", _namespace_or_workload
)


def default_deny(resource: Resource, ctx: ScanContext, direction: str) -> Iterator[Violation]:
    """A namespace (object or implied by its first workload) without a policy isolating all its pods."""
    a = analysis(ctx)
    if resource.kind == "Namespace" and resource.group == "":
        namespace = resource.name
        at = Pointer(("metadata", "name"))
        what = f"namespace {namespace!r}"
    else:
        namespace = resource.effective_namespace or "default"
        if a.first_workload_of_implied_ns.get(namespace) is not resource:
            return
        at = Pointer(("metadata", "namespace")) if resource.namespace else Pointer(("metadata",))
        what = f"namespace {namespace!r} (no Namespace object in the input; reported on its first workload)"
    if not a.namespace_isolated(namespace, direction):
        kind = direction.capitalize()
        yield Violation(
            f"{what} has no NetworkPolicy with an empty podSelector and policyType {kind}: "
            f"{direction} of its pods is unrestricted unless another policy selects them",
            at=at,
        )
