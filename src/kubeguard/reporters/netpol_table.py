"""``kubeguard netpol`` for people: a reach verdict with its reasons, the matrix, a diff's changes."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from kubeguard.analyzers.netpol.engine import RuleRef, Verdict
from kubeguard.analyzers.netpol.matrix import Change, Connection
from kubeguard.model.resource import Resource
from kubeguard.reporters.layout import Column, Screen, Styled, block, clean, table

_CONNECTIONS = (Column("FROM", wrap=True), Column("TO", wrap=True), Column("PORT"), Column("VERDICT"))
_CHANGES = (Column("CHANGE"), Column("FROM", wrap=True), Column("TO", wrap=True), Column("PORT"))


def _where(resource: Resource | None, line: int | None = None) -> str:
    if resource is None:
        return ""
    line = line or resource.source.line
    return f" ({resource.source.file}{f':{line}' if line else ''})"


def reach(
    v: Verdict,
    src: str,
    dst: str,
    port: int,
    proto: str,
    screen: Screen | None = None,
    line_of: Callable[[RuleRef], int | None] | None = None,
) -> str:
    """The verdict and its reasons; ``line_of`` gives the line of the policy rule that decided (else
    the policy's first line is named)."""
    screen = screen or Screen()
    word = "ALLOWED" if v.allowed else "DENIED"
    first, *rest = screen.fit(clean(f"{word}: {src} -> {dst} on {port}/{proto}"), 0, 4)
    lines = [screen.style(word, "bold green" if v.allowed else "bold red") + first[len(word) :], *rest]
    if v.note:
        lines.extend(screen.fit(clean(f"note: {v.note}"), 2, 4))
    for side in (v.egress, v.ingress):
        if not side.isolated:
            lines.extend(screen.fit(clean(side.explain()), 2, 4))
            continue
        if side.allowed:
            lines.extend(screen.fit(f"{side.direction}: allowed by", 2, 4))
            refs = side.allowing
        else:
            lines.extend(
                screen.fit(f"{side.direction}: denied: isolated, and no rule of these policies matches", 2, 4)
            )
            refs = side.isolating
        for r in refs:
            label = str(r) if side.allowed else f"NetworkPolicy {r.policy}"
            line = line_of(r) if line_of is not None and side.allowed else None
            lines.extend(screen.fit(clean(f"- {label}{_where(r.resource, line)}"), 4, 2))
    return block(lines)


def matrix(rows: Sequence[Connection], screen: Screen | None = None, note: str = "") -> str:
    screen = screen or Screen()
    cells = [
        (
            c.src,
            c.dst,
            f"{c.port}/{c.protocol}",
            Styled("allowed", "green") if c.allowed else Styled("denied", "red"),
        )
        for c in rows
    ]
    notes = screen.fit(clean(f"note: {note}"), 0, 2) if note else []
    return block([*table(_CONNECTIONS, cells, screen), *notes])


def changes(found: Sequence[Change], screen: Screen | None = None) -> str:
    screen = screen or Screen()
    if not found:
        return "no connection opened or closed\n"
    cells = [
        (
            Styled(ch.status, "red" if ch.status == "opened" else "green"),
            ch.connection.src,
            ch.connection.dst,
            f"{ch.connection.port}/{ch.connection.protocol}",
        )
        for ch in found
    ]
    return block(table(_CHANGES, cells, screen))
