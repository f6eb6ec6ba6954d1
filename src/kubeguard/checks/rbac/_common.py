"""What the RBAC rules share: the binding scope, and one check for "a binding grants a risky
permission" that several rules use with different data."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from kubeguard.analyzers.rbac.graph import RbacGraph, is_bootstrap_object, rbac_graph
from kubeguard.analyzers.rbac.risky import RiskyPermission, holdings
from kubeguard.model.rbac import BindingView
from kubeguard.model.resource import Resource
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import Scope, Violation, kinds

BINDINGS: Scope = kinds("RoleBinding", "ClusterRoleBinding")
ROLES: Scope = kinds("Role", "ClusterRole")

CheckFn = Callable[[Resource, ScanContext], Iterator[Violation]]


def binding_of(resource: Resource, ctx: ScanContext) -> tuple[RbacGraph, BindingView] | None:
    """The graph and the binding view of an input binding; ``None`` for Kubernetes' own defaults."""
    if is_bootstrap_object(resource):
        return None
    graph = ctx.cached(rbac_graph)
    binding = graph.binding_for(resource)
    return None if binding is None else (graph, binding)


def permission_check(permission: RiskyPermission, where: str = "any", what: str | None = None) -> CheckFn:
    """A check flagging each subject of a binding that holds ``permission`` through it.

    ``where``: ``cluster`` (ClusterRoleBindings only), ``namespace`` (RoleBindings only) or ``any``.
    """

    def check(resource: Resource, ctx: ScanContext) -> Iterator[Violation]:
        found = binding_of(resource, ctx)
        if found is None:
            return
        graph, binding = found
        if (where == "cluster" and not binding.cluster_wide) or (
            where == "namespace" and binding.cluster_wide
        ):
            return
        for h in holdings(graph, binding, permission):
            yield Violation(h.message(what or permission.label), at=h.pointer)

    return check
