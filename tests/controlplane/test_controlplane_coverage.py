"""The CIS coverage table, the CIS framework file and the rules' own CIS ids agree."""

from __future__ import annotations

import re
from pathlib import Path

from kubeguard.compliance import controls_for, frameworks
from kubeguard.engine.registry import all_rules

DOC = Path(__file__).parents[2] / "docs" / "cis-coverage.md"
CP_RULES = [r for r in all_rules() if r.code.startswith("CP")]


def _table() -> dict[str, tuple[str, str]]:
    rows = {}
    for line in DOC.read_text().splitlines():
        m = re.match(r"^\| (\d+(?:\.\d+)+) \| (Automated|Manual) \| .*? \| (.*?) \| (.*) \|$", line)
        if m:
            rows[m.group(1)] = (m.group(2), m.group(3))
    return rows


def test_every_recommendation_has_a_rule_or_a_reason():
    rows = _table()
    assert len(rows) == 97  # sections 1 to 4 of CIS v1.12
    for cid, (_kind, rules) in rows.items():
        if rules == "not judged":
            line = next(ln for ln in DOC.read_text().splitlines() if ln.startswith(f"| {cid} |"))
            assert line.rstrip(" |").split("|")[-1].strip(), f"{cid}: not judged without a reason"
    assert all(kind == "Manual" for kind, rules in rows.values() if rules == "not judged")


def test_spec_doc_and_rules_agree():
    spec = {
        c.id: set(c.rules)
        for c in frameworks()["cis-1.12"].controls
        if c.rules and c.rules[0].startswith("CP")
    }
    rows = _table()
    for rule in CP_RULES:
        for cid in rule.compliance.get("cis-1.12", ()):
            assert rule.code in spec.get(cid, set()), f"{rule.code} {cid} missing from the spec"
            assert rule.code in rows[cid][1], f"{rule.code} {cid} missing from docs/cis-coverage.md"
        assert (
            controls_for(rule.code, rule.compliance).get("cis-1.12")
            == sorted(rule.compliance.get("cis-1.12", ()), key=lambda s: [int(p) for p in s.split(".")])
            or "cis-1.12" not in rule.compliance
        )
