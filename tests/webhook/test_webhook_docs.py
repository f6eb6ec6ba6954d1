"""docs/admission.md stays true: its table of scan-only rules is exactly the rules with ``needs``."""

from __future__ import annotations

from pathlib import Path

from kubeguard.api import select

DOC = Path(__file__).resolve().parents[2] / "docs" / "admission.md"


def test_scan_only_table_lists_the_rules_that_need_other_objects() -> None:
    text = DOC.read_text()
    table = text.split("<!-- scan-only:start -->\n", 1)[1].split("<!-- scan-only:end -->", 1)[0]
    expected = "| rule | title | reads besides the object |\n|---|---|---|\n" + "".join(
        f"| {r.code} | {r.title} | {'; '.join(r.needs)} |\n" for r in select() if r.needs
    )
    assert table == expected, "regenerate the table in docs/admission.md:\n" + expected
