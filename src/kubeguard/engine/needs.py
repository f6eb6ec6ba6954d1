"""Which kinds the selected rules read, so a cluster read lists only those (``--select PSS`` reads
workloads and namespaces, not RBAC).

A rule reads the kinds its scope names (``kinds(...)``, ``candidate_kinds``), all workload kinds and
every custom resource when it judges workloads (pod templates are found in custom resources by
shape), every kind when its scope is all resources, and the kinds its family looks across
(:data:`CONTEXT_KINDS`: a PSS rule reads Namespace labels, an RBAC rule the service accounts ...).
A family this table does not know reads everything: a missing kind would be a silent false negative.
"""

from __future__ import annotations

from collections.abc import Iterable

from kubeguard.loading.cluster.source import KindSelection
from kubeguard.model.kinds import BUILTIN_WORKLOAD_KINDS
from kubeguard.rules.rule import ALL_RESOURCES, Rule

_WORKLOAD_CONTEXT = frozenset({"Namespace", "ServiceAccount", "Pod"})

#: Kinds each family reads across objects besides its rules' scopes (``ctx.of_kind``/``ctx.find``
#: in the family's checks and the analyzers they use).
CONTEXT_KINDS: dict[str, frozenset[str]] = {
    "PSS": frozenset({"Namespace"}),
    "IMG": frozenset(),
    "SEC": frozenset({"Secret", "ConfigMap", "ServiceAccount"}),
    "WKL": frozenset(
        {
            "Namespace",
            "LimitRange",
            "ResourceQuota",
            "ServiceAccount",
            "PersistentVolume",
            "PersistentVolumeClaim",
            "PodDisruptionBudget",
            "HorizontalPodAutoscaler",
            "PriorityClass",
            "RuntimeClass",
            "StorageClass",
        }
    ),
    "RBAC": frozenset(
        {
            "Role",
            "ClusterRole",
            "RoleBinding",
            "ClusterRoleBinding",
            "ServiceAccount",
            "Secret",
            "Namespace",
            "CustomResourceDefinition",
        }
    ),
    "NET": frozenset(
        {
            "NetworkPolicy",
            "Namespace",
            "Pod",
            "Service",
            "Ingress",
            "IngressClass",
            "Secret",
            "ConfigMap",
            "PeerAuthentication",
            "AuthorizationPolicy",
        }
    ),
    "CP": frozenset(
        {"Pod", "Node", "ServiceAccount", "ResourceQuota", "RuntimeClass", "ValidatingAdmissionPolicy"}
    ),
}

#: Families whose rules all read workloads (their context includes the pods that run).
_READS_WORKLOADS = frozenset({"PSS", "IMG", "SEC", "WKL", "RBAC", "NET"})


def kinds_needed(rules: Iterable[Rule]) -> KindSelection:
    """The kinds ``rules`` read (see the module docstring), with the families that need each kind."""
    kinds: set[str] = set()
    needed_by: dict[str, set[str]] = {}
    custom = everything = False
    for rule in rules:
        scope = rule.applies_to
        family = rule.family
        mine: set[str] = set(CONTEXT_KINDS.get(family, ()))
        if family not in CONTEXT_KINDS or scope is ALL_RESOURCES:
            everything = True
            needed_by.setdefault("*", set()).add(family)
        if scope.kinds is not None:
            mine |= scope.kinds
        elif scope.candidate_kinds is not None:
            mine |= scope.candidate_kinds
        else:
            # A scope decided by matches() alone: workloads by shape, namespaces and such.
            custom = True
            mine |= BUILTIN_WORKLOAD_KINDS | _WORKLOAD_CONTEXT | {"PersistentVolume"}
        if family in _READS_WORKLOADS and scope.kinds is None:
            custom = True
            mine |= BUILTIN_WORKLOAD_KINDS
        kinds |= mine
        for kind in mine:
            needed_by.setdefault(kind, set()).add(family)
    return KindSelection(
        kinds=frozenset(kinds),
        custom_resources=custom,
        everything=everything,
        needed_by={k: tuple(sorted(v)) for k, v in needed_by.items()},
    )
