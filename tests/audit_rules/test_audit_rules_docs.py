"""docs/audit-rules.md is generated from the rules' aliases and the committed Falco/Panther lists."""

from __future__ import annotations

from tests.audit_rules.mapping_doc import PAGE, render


def test_mapping_page_is_current():
    assert PAGE.read_text() == render(), (
        "docs/audit-rules.md is stale: run python -m tests.audit_rules.mapping_doc"
    )


def test_mapping_page_names_every_falco_rule_once():
    from tests.audit_rules.mapping_doc import falco_rules

    text = render()
    for name in falco_rules():
        assert f"| {name.replace('|', chr(92) + '|')} | [AUD" in text, name
