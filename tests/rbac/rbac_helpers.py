"""Build RBAC graphs from YAML text for tests."""

from __future__ import annotations

from typing import Any

import yaml

from kubeguard.analyzers.rbac.graph import RbacGraph
from kubeguard.model.resource import Resource, SourceLocation

RBAC = "rbac.authorization.k8s.io/v1"


def resources(text: str) -> list[Resource]:
    return [
        Resource(doc, SourceLocation("test.yaml", i)) for i, doc in enumerate(yaml.safe_load_all(text)) if doc
    ]


def graph(text: str, builtin: bool = True) -> RbacGraph:
    return RbacGraph.build(resources(text), builtin=builtin)


def role(name: str, rules: list[dict[str, Any]], namespace: str | None = None, **extra: Any) -> str:
    kind = "Role" if namespace else "ClusterRole"
    md: dict[str, Any] = {"name": name}
    if namespace:
        md["namespace"] = namespace
    if "labels" in extra:
        md["labels"] = extra.pop("labels")
    doc = {"apiVersion": RBAC, "kind": kind, "metadata": md, "rules": rules, **extra}
    return yaml.safe_dump(doc) + "---\n"


def binding(
    name: str, role_kind: str, role_name: str, subjects: list[dict[str, Any]], namespace: str | None = None
) -> str:
    kind = "RoleBinding" if namespace else "ClusterRoleBinding"
    md: dict[str, Any] = {"name": name}
    if namespace:
        md["namespace"] = namespace
    doc = {
        "apiVersion": RBAC,
        "kind": kind,
        "metadata": md,
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": role_kind, "name": role_name},
        "subjects": subjects,
    }
    return yaml.safe_dump(doc) + "---\n"


def user(name: str) -> dict[str, Any]:
    return {"kind": "User", "name": name, "apiGroup": "rbac.authorization.k8s.io"}


def group(name: str) -> dict[str, Any]:
    return {"kind": "Group", "name": name, "apiGroup": "rbac.authorization.k8s.io"}


def sa(name: str, namespace: str | None = None) -> dict[str, Any]:
    d: dict[str, Any] = {"kind": "ServiceAccount", "name": name}
    if namespace:
        d["namespace"] = namespace
    return d
