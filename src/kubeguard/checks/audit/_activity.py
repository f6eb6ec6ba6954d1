"""One template for the activity rules: a kind of object created or deleted (Falco's informational
"K8s ... Created/Deleted" rules). They alert at INFO severity on every accepted request of one verb
on one resource, which is a record of change rather than a finding; select or ignore them with
``--select``/``--ignore``.
"""

from __future__ import annotations

from collections.abc import Iterable

from kubeguard.checks.audit._events import object_name, who
from kubeguard.checks.audit._rbac import role_ref, stored, subjects
from kubeguard.model.audit import AuditEvent
from kubeguard.rules.audit import AuditCheck, AuditContext, AuditRule, on
from kubeguard.rules.rule import Severity

#: Singular names for messages.
_KIND = {
    "deployments": "deployment",
    "services": "service",
    "configmaps": "configmap",
    "namespaces": "namespace",
    "serviceaccounts": "service account",
    "roles": "role",
    "clusterroles": "clusterrole",
    "rolebindings": "rolebinding",
    "clusterrolebindings": "clusterrolebinding",
    "secrets": "secret",
}
_DONE = {"create": "created", "delete": "deleted", "deletecollection": "deleted every"}


def _details(event: AuditEvent) -> str:
    """What is worth knowing about the object beyond its name: a binding's grant, a secret's type."""
    if event.verb != "create":
        return ""
    obj = stored(event)
    if event.resource in ("rolebindings", "clusterrolebindings"):
        kind, role = role_ref(obj)
        if role:
            return f" granting {kind} {role} to {', '.join(subjects(obj)) or 'no subjects'}"
    if event.resource == "secrets" and obj is not None:
        secret_type = obj.get("type")
        if isinstance(secret_type, str) and secret_type:
            return f" of type {secret_type}"
    return ""


def activity_check(system_users: bool, kube_system: bool) -> AuditCheck:
    def check(event: AuditEvent, ctx: AuditContext) -> str | None:
        if not system_users and event.user.username.startswith("system:"):
            return None
        if not kube_system and event.namespace == "kube-system":
            return None
        kind = _KIND.get(event.resource, event.resource)
        if event.verb == "deletecollection":
            where = f" in namespace {event.namespace}" if event.namespace else ""
            return f"{who(event)} deleted every {kind}{where}"
        return (
            f"{who(event)} {_DONE.get(event.verb, event.verb)} {kind} {object_name(event)}{_details(event)}"
        )

    return check


def activity_rule(
    *,
    code: str,
    slug: str,
    title: str,
    verbs: Iterable[str],
    resource: str,
    api_group: str,
    references: tuple[str, ...],
    mitre: tuple[str, ...],
    aliases: tuple[str, ...],
    system_users: bool = True,
    kube_system: bool = True,
) -> AuditRule:
    """An INFO rule on every accepted ``verbs`` of ``resource``; ``system_users=False`` skips users
    named ``system:...`` (nodes, controllers, service accounts), ``kube_system=False`` skips the
    ``kube-system`` namespace, as some of Falco's activity rules do."""
    check = activity_check(system_users, kube_system)
    return AuditRule(
        code=code,
        slug=slug,
        title=title,
        severity=Severity.INFO,
        on=on(verbs=tuple(verbs), resources=resource, api_groups=api_group),
        check=check,
        remediation="Informational: confirm the change was expected.",
        references=references,
        compliance={"mitre-attack": mitre},
        aliases=aliases,
    )
