"""docs/compliance.md states the frameworks' coverage and the exemptions as the files have them."""

from __future__ import annotations

import re
from pathlib import Path

from kubeguard.compliance import EXEMPT, frameworks

DOC = Path(__file__).parents[2] / "docs" / "compliance.md"


def test_coverage_table_matches_the_files():
    rows = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        m = re.match(
            r"^\| `([a-z0-9.-]+)` \| (.*?) \| (.*?) \| (\d+) \| (\d+) \| (\d+) \| (\d+) \| (\d+) \|$", line
        )
        if m:
            rows[m.group(1)] = (m.group(2), m.group(3), *map(int, m.groups()[3:]))
    expected = {}
    for fw in frameworks().values():
        c = fw.coverage
        expected[fw.id] = (
            f"{fw.title} {fw.version}",
            ", ".join(fw.aliases),
            c["controls"],
            c["automated"],
            c["partly-manual"],
            c["manual"],
            c["not-covered"],
        )
    assert rows == expected


def test_every_exemption_is_documented():
    text = DOC.read_text(encoding="utf-8")
    for key in EXEMPT:
        assert key in text, key
