"""Meta-tests that keep the rule catalogue whole."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kubeguard.engine.registry import all_rules, catalogue
from kubeguard.rules.rule import Severity
from tests.casekit import case_dir, case_files, run_rule_on_file

DOC_SECTIONS = ("## What it does", "## Why it matters", "## Example", "## Fix", "## References")
RULES = all_rules()


def test_there_are_rules():
    assert RULES


def test_codes_and_slugs_are_unique():
    assert len({r.code for r in RULES}) == len(RULES)
    assert len({r.slug for r in RULES}) == len(RULES)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_has_documentation_sections(rule):
    for section in DOC_SECTIONS:
        assert section in rule.doc, f"{rule.code} ({rule.module}) lacks '{section}' in its docstring"
    assert rule.remediation.strip()
    assert isinstance(rule.severity, Severity)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_has_fail_and_pass_fixtures(rule):
    folder = case_dir(rule)
    assert folder is not None, f"{rule.code}: no folder tests/checks/<family>/{rule.code}_{rule.slug}/"
    names = []
    for path in case_files(folder):
        names.extend(r.name for r in run_rule_on_file(rule, path).objects)
    assert any(n.startswith("fail-") for n in names), f"{rule.code}: no fail- object"
    assert any(n.startswith("pass-") for n in names), f"{rule.code}: no pass- object"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_module_name_matches_code(rule):
    leaf = rule.module.rsplit(".", 1)[-1]
    assert leaf.startswith(rule.code.lower()) or getattr(
        __import__(rule.module, fromlist=["RULES"]), "RULES", None
    ), f"{rule.module} should be named {rule.code.lower()}_<slug>.py"


def test_case_folders_belong_to_rules():
    codes = {f"{r.code}_{r.slug}" for r in catalogue()}
    root = Path(__file__).parent / "checks"
    for family in root.iterdir():
        if family.is_dir():
            for folder in family.iterdir():
                if folder.is_dir() and re.match(r"^[A-Z]+\d+_", folder.name):
                    assert folder.name in codes, f"{folder} has no rule"


def test_generated_rule_docs_are_current():
    from kubeguard.cli.docs_cmd import generate

    folder = Path(__file__).parent.parent / "docs" / "rules"
    pages = generate(str(folder))
    on_disk = {p.name for p in folder.glob("*.md")}
    assert on_disk == set(pages), "run `kubeguard docs docs/rules`"
    for name, content in pages.items():
        assert (folder / name).read_text() == content, (
            f"docs/rules/{name} is stale: run `kubeguard docs docs/rules`"
        )
