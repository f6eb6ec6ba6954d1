"""docs/fix.md stays true: one row per rule of the manifest families, with the fix it declares;
control plane and audit rules have no fix, as the page says."""

from __future__ import annotations

from pathlib import Path

from kubeguard.engine.registry import catalogue

PAGE = Path(__file__).parents[2] / "docs" / "fix.md"


def _rows() -> dict[str, tuple[str, str, str]]:
    rows: dict[str, tuple[str, str, str]] = {}
    for line in PAGE.read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if (
            len(cells) == 4
            and cells[0][:1].isupper()
            and cells[0] not in ("rule",)
            and cells[0][-1].isdigit()
        ):
            assert cells[0] not in rows, f"{cells[0]} listed twice"
            rows[cells[0]] = (cells[1], cells[2], cells[3])
    return rows


def test_every_manifest_rule_has_its_row_with_its_fix():
    rows = _rows()
    expected = {}
    for rule in catalogue():
        if rule.family in ("CP", "AUD"):
            assert rule.fix is None, f"{rule.code} has a fix: give it a row in docs/fix.md"
            continue
        expected[rule.code] = (rule.slug, rule.fix_label or "none")
    assert {code: (slug, fix) for code, (slug, fix, _why) in rows.items()} == expected
    assert all(why for _slug, _fix, why in rows.values())
