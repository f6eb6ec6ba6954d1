"""Reading the Roles, ClusterRoles and bindings a request sends, for the AUD rules about RBAC.

Only shapes, no decisions; every helper tolerates any JSON.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kubeguard.model.audit import AuditEvent

RBAC_GROUP = "rbac.authorization.k8s.io"
ROLE_RESOURCES = ("roles", "clusterroles")
BINDING_RESOURCES = ("rolebindings", "clusterrolebindings")


def stored(event: AuditEvent) -> dict[str, Any] | None:
    """The object as stored after the request when the server logged it (``responseObject`` at
    ``RequestResponse`` level), else the object the request sent (whole for a create or update,
    partial for a patch)."""
    for obj in (event.response_object, event.request_object):
        if isinstance(obj, dict) and obj.get("kind") not in (None, "Status"):
            return obj
    obj = event.request_object
    return obj if isinstance(obj, dict) else None


def _strings(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def policy_rules(obj: dict[str, Any] | None) -> Iterator[tuple[int, list[str], list[str], list[str]]]:
    """``(index, apiGroups, resources, verbs)`` of each rule of a Role or ClusterRole."""
    rules = obj.get("rules") if obj is not None else None
    if not isinstance(rules, list):
        return
    for i, rule in enumerate(rules):
        if isinstance(rule, dict):
            yield (
                i,
                _strings(rule.get("apiGroups")),
                _strings(rule.get("resources")),
                _strings(rule.get("verbs")),
            )


def is_aggregated(obj: dict[str, Any] | None) -> bool:
    """A ClusterRole whose rules the controller manager fills from other roles (``aggregationRule``):
    its rules are the controller's to write, and any other change to them is overwritten."""
    return obj is not None and isinstance(obj.get("aggregationRule"), dict)


def role_ref(obj: dict[str, Any] | None) -> tuple[str, str]:
    """``(kind, name)`` of a binding's ``roleRef`` (empty strings when absent)."""
    ref = obj.get("roleRef") if obj is not None else None
    if not isinstance(ref, dict):
        return "", ""
    kind, name = ref.get("kind"), ref.get("name")
    return (kind if isinstance(kind, str) else ""), (name if isinstance(name, str) else "")


def subjects(obj: dict[str, Any] | None) -> list[str]:
    """A binding's subjects for messages: ``User alice``, ``ServiceAccount ns/name``, ``Group g``."""
    items = obj.get("subjects") if obj is not None else None
    out = []
    for s in items if isinstance(items, list) else []:
        if not isinstance(s, dict):
            continue
        kind, name, ns = s.get("kind"), s.get("name"), s.get("namespace")
        label = f"{ns}/{name}" if kind == "ServiceAccount" and isinstance(ns, str) and ns else f"{name}"
        out.append(f"{kind} {label}")
    return out


def role_kind(event: AuditEvent) -> str:
    return {"roles": "role", "clusterroles": "clusterrole"}.get(event.resource, event.resource)
