"""The rule-case harness: run one rule over a folder of named objects and say what it flagged.

A rule's folder is ``tests/checks/<family>/<CODE>_<slug>/``. Every ``*.yaml`` file in it (except
``*.options.yaml``) is one scan: objects named ``fail-...`` must be flagged by the rule, every other
object must not. An object may carry the annotation ``test.kubeguard.io/expect`` with the JSON
pointers (comma-separated) the findings must point at; ``test.kubeguard.io/expect-message`` with a
substring every message of that object must contain.
A file ``<name>.options.yaml`` beside a case file may set ``options`` (ScanOptions fields, e.g.
``pss_level``) and ``config`` (the contents of a .kubeguard.yaml) for that scan.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from kubeguard.engine.registry import all_rules
from kubeguard.engine.runner import evaluate
from kubeguard.findings.report import ScanReport
from kubeguard.loading.config import parse_config
from kubeguard.loading.files import load
from kubeguard.rules.context import ScanContext, ScanOptions
from kubeguard.rules.rule import Rule

CASES_ROOT = Path(__file__).parent / "checks"
EXPECT = "test.kubeguard.io/expect"
EXPECT_MESSAGE = "test.kubeguard.io/expect-message"


def case_dir(rule: Rule) -> Path | None:
    family_dirs = [d for d in CASES_ROOT.iterdir() if d.is_dir()] if CASES_ROOT.exists() else []
    for family in family_dirs:
        candidate = family / f"{rule.code}_{rule.slug}"
        if candidate.is_dir():
            return candidate
    return None


def case_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.yaml") if not p.name.endswith(".options.yaml"))


@dataclass
class CaseRun:
    report: ScanReport
    objects: list[Any]  # Resources


def run_rule_on_file(rule: Rule, path: Path) -> CaseRun:
    opts_path = path.with_name(path.name[: -len(".yaml")] + ".options.yaml")
    options = ScanOptions()
    config = parse_config(None)
    if opts_path.exists():
        data = yaml.safe_load(opts_path.read_text()) or {}
        options = ScanOptions(**(data.get("options") or {}))
        config = parse_config(data.get("config"), str(opts_path))
    loaded = load([str(path)])
    assert not loaded.errors, f"{path}: case file has input errors: {[str(e) for e in loaded.errors]}"
    ctx = ScanContext(loaded.resources, options, config)
    report = evaluate(ctx, [rule], texts=loaded.texts)
    assert not report.rule_errors, [e.message for e in report.rule_errors]
    return CaseRun(report, loaded.resources)


def rule_by_code(code: str) -> Rule:
    for r in all_rules():
        if r.code == code:
            return r
    raise KeyError(code)


def relpath(p: Path) -> str:
    return os.path.relpath(p, Path(__file__).parent.parent)
