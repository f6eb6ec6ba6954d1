"""``Rule.needs`` is true: a rule that declares nothing else to read judges every fixture object alone
exactly as within its file, and a rule that declares something does read it (some fixture's verdict
changes when the object is judged alone). The admission webhook runs only rules without ``needs``."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kubeguard.engine.registry import all_rules
from kubeguard.engine.runner import evaluate
from kubeguard.findings.report import ScanReport
from kubeguard.loading.config import parse_config
from kubeguard.loading.files import load
from kubeguard.rules.context import ScanContext, ScanOptions
from kubeguard.rules.rule import Rule
from tests.casekit import case_dir, case_files

RULES = [r for r in all_rules() if case_dir(r) is not None]


def _verdicts(report: ScanReport) -> list[tuple[str, str, str, str]]:
    return sorted((str(f.object), f.pointer, f.key or "", f.message) for f in report.findings)


def _differs(rule: Rule, path: Path) -> bool:
    """Whether ``rule`` judges some object of ``path`` differently alone than within the file."""
    options, config = ScanOptions(), parse_config(None)
    options_file = path.with_name(path.name[: -len(".yaml")] + ".options.yaml")
    if options_file.exists():
        data = yaml.safe_load(options_file.read_text()) or {}
        options = ScanOptions(**(data.get("options") or {}))
        config = parse_config(data.get("config"), str(options_file))
    loaded = load([str(path)])
    together = _verdicts(evaluate(ScanContext(loaded.resources, options, config), [rule]))
    alone = []
    for resource in loaded.resources:
        alone += _verdicts(evaluate(ScanContext([resource], options, config), [rule]))
    return sorted(alone) != together


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_needs_declares_what_a_rule_reads_of_other_objects(rule: Rule) -> None:
    folder = case_dir(rule)
    assert folder is not None
    differing = [p.name for p in case_files(folder) if _differs(rule, p)]
    if rule.needs:
        assert differing, (
            f"{rule.code} declares needs={rule.needs} but no fixture shows it reading other objects"
        )
    else:
        assert not differing, (
            f"{rule.code} judges objects of {differing} differently alone: declare what else it reads in "
            "Rule(needs=...)"
        )
