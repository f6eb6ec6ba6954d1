"""One template for the AUD rules about what a new or changed Role or ClusterRole grants (wildcards,
write verbs, pod exec, node proxy): they differ only in which policy rules they look for.

A role with an ``aggregationRule`` is skipped: its rules are written by the controller manager
from the roles it aggregates, so a change to them is either the controller's or overwritten, and
the roles it aggregates are judged on their own.
"""

from __future__ import annotations

from collections.abc import Callable

from kubeguard.checks.audit._events import who
from kubeguard.checks.audit._names import target_name
from kubeguard.checks.audit._rbac import (
    RBAC_GROUP,
    ROLE_RESOURCES,
    is_aggregated,
    policy_rules,
    role_kind,
    stored,
)
from kubeguard.model.audit import AuditEvent
from kubeguard.rules.audit import AuditCheck, AuditContext, AuditRule, on
from kubeguard.rules.rule import Severity

#: ``(apiGroups, resources, verbs) -> what the policy rule grants, or None``.
Matcher = Callable[[list[str], list[str], list[str]], "str | None"]

_ACTIONS = {"create": "created", "update": "replaced", "patch": "patched"}


def grant_check(matcher: Matcher) -> AuditCheck:
    def check(event: AuditEvent, ctx: AuditContext) -> str | None:
        obj = stored(event)
        if is_aggregated(obj):
            return None
        found = []
        for i, groups, resources, verbs in policy_rules(obj):
            what = matcher(groups, resources, verbs)
            if what is not None:
                found.append(f"rules[{i}] {what}")
        if not found:
            return None
        name = f"{event.namespace}/{target_name(event)}" if event.namespace else target_name(event)
        action = _ACTIONS.get(event.verb, event.verb)
        return f"{who(event)} {action} {role_kind(event)} {name}: " + "; ".join(found)

    return check


def listed(values: list[str]) -> str:
    return "[" + ", ".join(values) + "]"


def subresource_match(subresource: str) -> Matcher:
    """A matcher for a policy rule naming ``subresource`` (``pods/exec``) or every resource's
    (``*/exec``, which RBAC matches against any resource's subresource of that name)."""
    names = (subresource, "*/" + subresource.partition("/")[2])

    def match(groups: list[str], resources: list[str], verbs: list[str]) -> str | None:
        found = [r for r in resources if r in names]
        return f"grants {listed(verbs)} on {listed(found)}" if found else None

    return match


def grant_rule(
    *,
    code: str,
    slug: str,
    title: str,
    severity: Severity,
    match: Matcher,
    remediation: str,
    mitre: tuple[str, ...],
    aliases: tuple[str, ...],
) -> AuditRule:
    """A rule on accepted creates, replaces and patches of Roles and ClusterRoles with a policy
    rule that ``match`` finds."""
    return AuditRule(
        code=code,
        slug=slug,
        title=title,
        severity=severity,
        on=on(verbs=("create", "update", "patch"), resources=ROLE_RESOURCES, api_groups=RBAC_GROUP),
        check=grant_check(match),
        remediation=remediation,
        references=("https://kubernetes.io/docs/reference/access-authn-authz/rbac/",),
        compliance={"mitre-attack": mitre},
        aliases=aliases,
    )
