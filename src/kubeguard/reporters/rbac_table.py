"""``kubeguard rbac`` for people: who-can and permissions tables, can's answer, escalation paths."""

from __future__ import annotations

from collections.abc import Sequence

from kubeguard.analyzers.rbac.escalation import Path
from kubeguard.analyzers.rbac.graph import Grant, Permissions
from kubeguard.model.rbac import MASTERS, Identity
from kubeguard.reporters.layout import Column, Screen, block, clean, table

_GRANTS = (Column("SUBJECT"), Column("SCOPE"), Column("GRANTED BY", wrap=True))
_PERMISSIONS = (
    Column("SCOPE"),
    Column("RESOURCE / URL"),
    Column("VERBS", wrap=True, min_width=16),
    Column("GRANTED BY", wrap=True),
)


def who_can(grants: Sequence[Grant], request: object, screen: Screen | None = None) -> str:
    screen = screen or Screen()
    rows = []
    for g in grants:
        origin = "" if g.rule.origin.key == g.role.key else f" (from {g.rule.origin.name})"
        rows.append((str(g.subject), g.scope or "cluster", f"{g.binding} -> {g.role}{origin}"))
    subjects = len({g.subject.key for g in grants})
    return block([*table(_GRANTS, rows, screen), *screen.fit(clean(f"{subjects} subject(s) can {request}"))])


def can(
    identity: Identity, request: object, grants: Sequence[Grant], allowed: bool, screen: Screen | None = None
) -> str:
    screen = screen or Screen()
    answer = f"{'yes' if allowed else 'no'}: {identity.label} {'can' if allowed else 'cannot'} {request}"
    lines = screen.fit(clean(answer))
    if MASTERS in identity.groups:
        lines.extend(screen.fit(f"as a member of {MASTERS}, authorized before RBAC", 2))
    for g in grants:
        lines.extend(screen.fit(clean(f"via {g.why()}"), 2, 4))
    if not allowed:
        groups = ", ".join(sorted(identity.groups))
        lines.extend(
            screen.fit(clean(f"no binding of {identity.label} or of its groups ({groups}) allows it"), 2, 4)
        )
    return block(lines)


def permissions(perms: Permissions, namespace: str | None, screen: Screen | None = None) -> str:
    screen = screen or Screen()
    rows = []
    count = 0
    scopes = [("cluster", perms.cluster_wide)]
    if namespace is None:
        scopes.extend(sorted(perms.namespaces.items()))
    else:
        scopes.append((namespace, perms.namespaces.get(namespace, [])))
    for scope, entries in scopes:
        for e in entries:
            if e.url is not None:
                what = e.url
            else:
                group = "core" if e.api_group == "" else e.api_group
                names = f" names={','.join(e.resource_names)}" if e.resource_names else ""
                what = f"{e.resource} ({group}){names}"
            # ", " (not ",") lets a narrow terminal wrap long lists of verbs; one line per granting binding
            first, *more = sorted(e.granted_by) or [""]
            rows.append((scope, what, ", ".join(sorted(e.verbs)), first))
            count += 1
            rows.extend(("", "", "", by) for by in more)
    identity = perms.identity
    summary = (
        f"{count} permission entr{'y' if count == 1 else 'ies'} for {identity.label} "
        f"(groups: {', '.join(sorted(identity.groups))})"
    )
    return block([*table(_PERMISSIONS, rows, screen), *screen.fit(clean(summary))])


def paths(found: Sequence[Path], screen: Screen | None = None) -> str:
    screen = screen or Screen()
    lines: list[str] = []
    for path in found:
        if lines:
            lines.append("")
        steps = len(path.steps)
        lines.extend(screen.fit(clean(f"{path.subject}  ({steps} step{'s' if steps != 1 else ''})")))
        for i, s in enumerate(path.steps, 1):
            lines.extend(screen.fit(clean(f"{i}. {s.actor} {s.action}"), 2, 3))
            for g in s.grants:
                lines.extend(screen.fit(clean(f"granted by {g.binding} -> {g.role}: {g.rule.rule}"), 7, 4))
            lines.extend(screen.fit(clean(f"=> {s.becomes}"), 5, 3))
    if lines:
        lines.append("")
    subjects = len({p.subject for p in found})
    lines.extend(screen.fit(f"{len(found)} path(s) to cluster-admin for {subjects} subject(s)"))
    return block(lines)
