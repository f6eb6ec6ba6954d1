"""Meta-tests that keep the AUD catalogue whole: documentation, fixtures, mappings, aliases."""

from __future__ import annotations

import re

import pytest

from kubeguard.compliance import controls_for
from kubeguard.engine.registry import all_audit_rules, all_rules, catalogue, find_rule, select_rules
from kubeguard.rules.audit import AuditRule
from tests.auditkit import case_dir, case_files, read_events
from tests.test_catalogue import DOC_SECTIONS

AUDIT_RULES = all_audit_rules()


def test_audit_rules_are_in_the_catalogue_but_not_in_scans():
    assert AUDIT_RULES
    codes = {r.code for r in catalogue()}
    assert {r.code for r in AUDIT_RULES} <= codes
    assert not any(isinstance(r, AuditRule) for r in all_rules())
    assert find_rule("aud001") is AUDIT_RULES[0]
    assert find_rule("exec-into-pod") is AUDIT_RULES[0]
    assert [r.code for r in select_rules(AUDIT_RULES, ["AUD00"], ["AUD002"])][:2] == ["AUD001", "AUD003"]


@pytest.mark.parametrize("rule", AUDIT_RULES, ids=lambda r: r.code)
def test_audit_rule_has_documentation_sections(rule):
    for section in DOC_SECTIONS:
        assert section in rule.doc, f"{rule.code} ({rule.module}) lacks '{section}' in its docstring"
    assert rule.remediation.strip()


@pytest.mark.parametrize("rule", AUDIT_RULES, ids=lambda r: r.code)
def test_audit_rule_module_is_named_by_code_and_slug(rule):
    assert rule.module == f"kubeguard.checks.audit.{rule.code.lower()}_{rule.slug.replace('-', '_')}"


@pytest.mark.parametrize("rule", AUDIT_RULES, ids=lambda r: r.code)
def test_audit_rule_has_fail_and_pass_events(rule):
    folder = case_dir(rule)
    assert folder is not None, f"{rule.code}: no folder tests/checks/audit/{rule.code}_{rule.slug}/"
    ids = [e["auditID"] for path in case_files(folder) for e in read_events(path)]
    assert any(i.startswith("fail-") for i in ids), f"{rule.code}: no fail- event"
    assert any(i.startswith("pass-") for i in ids), f"{rule.code}: no pass- event"


@pytest.mark.parametrize("rule", AUDIT_RULES, ids=lambda r: r.code)
def test_audit_rule_maps_to_mitre_attack(rule):
    mapping = controls_for(rule.code, rule.compliance)
    assert mapping.get("mitre-attack"), f"{rule.code}: no MITRE ATT&CK technique"
    for technique in mapping["mitre-attack"]:
        assert re.fullmatch(r"T\d{4}(\.\d{3})?", technique), (rule.code, technique)


@pytest.mark.parametrize("rule", AUDIT_RULES, ids=lambda r: r.code)
def test_audit_rule_aliases_name_known_tools(rule):
    for tool in rule.aliases_by_tool():
        assert tool in {"falco", "panther"}, (rule.code, tool)


def test_alias_must_be_tool_and_name():
    rule = AUDIT_RULES[0]
    with pytest.raises(ValueError, match="tool:Name"):
        AuditRule(**{**_fields(rule), "aliases": ("Attach/Exec Pod",)})
    with pytest.raises(ValueError, match="AUD"):
        AuditRule(**{**_fields(rule), "code": "WKL999"})


def _fields(rule: AuditRule) -> dict[str, object]:
    return {name: getattr(rule, name) for name in AuditRule.__dataclass_fields__}
