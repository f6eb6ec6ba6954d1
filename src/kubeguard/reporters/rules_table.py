"""``kubeguard rules`` for people: the catalogue, one rule a row."""

from __future__ import annotations

from collections.abc import Sequence

from kubeguard.reporters.layout import Column, Screen, block, table
from kubeguard.rules.audit import AuditRule
from kubeguard.rules.rule import Rule

_COLUMNS = (
    Column("CODE"),
    Column("SLUG"),
    Column("SEVERITY"),
    Column("FIX"),
    Column("TITLE", wrap=True, min_width=24),
    Column("APPLIES TO", wrap=True, min_width=30),
)


def render(rules: Sequence[Rule | AuditRule], screen: Screen | None = None) -> str:
    rows = [
        (r.code, r.slug, r.severity.label, r.fix_label or "-", r.title, r.applies_to.description)
        for r in rules
    ]
    return block(table(_COLUMNS, rows, screen or Screen()))
