"""One check for the AUD rules about what a new or changed Role or ClusterRole grants (wildcards,
write verbs, pod exec, node proxy): they differ only in which policy rules they look for.

A role with an ``aggregationRule`` is skipped: its rules are written by the controller manager
from the roles it aggregates, so a change to them is either the controller's or overwritten, and
the roles it aggregates are judged on their own.
"""

from __future__ import annotations

from collections.abc import Callable

from kubeguard.checks.audit._events import who
from kubeguard.checks.audit._names import target_name
from kubeguard.checks.audit._rbac import is_aggregated, policy_rules, role_kind, stored
from kubeguard.model.audit import AuditEvent
from kubeguard.rules.audit import AuditCheck, AuditContext

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
