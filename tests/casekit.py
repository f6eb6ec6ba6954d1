"""The rule-case harness: run one rule over a folder of named objects and say what it flagged.

A rule's folder is ``tests/checks/<family>/<CODE>_<slug>/``. Every ``*.yaml`` file in it (except
``*.options.yaml``) is one scan. The name of an object says what the rule must make of it:

- ``fail-...``: flagged (FAIL). It must carry the annotation ``test.kubeguard.io/expect`` with the
  JSON pointers (comma-separated) of the fields the findings point at, written from what the rule
  should report; every finding's line must be the line of that field in the file (or of its closest
  present ancestor when the field is absent), worked out here independently of the locator.
- ``pass-...``: judged and passed (PASS).
- ``na-...``: out of the rule's scope, or the rule is off for that scan (NOT_APPLICABLE).
- anything else (objects a case needs, such as a Namespace or a Role): not flagged.

``test.kubeguard.io/expect-message`` holds a substring every message of that object must contain.
A file ``<name>.options.yaml`` beside a case file may set ``options`` (ScanOptions fields, e.g.
``pss_level``) and ``config`` (the contents of a .kubeguard.yaml) for that scan.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

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


def _key_and_value(node: Node, part: str | int) -> tuple[Node, Node] | None:
    if isinstance(node, MappingNode):
        found = None
        for key, value in node.value:
            if isinstance(key, ScalarNode) and key.value == str(part):
                found = (key, value)  # the last of duplicated keys is the one decoded
        return found
    if isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        item: Node = node.value[part]
        return item, item
    return None


def expected_line(text: str, document: int, parts: tuple[str | int, ...]) -> int:
    """The line a finding at ``parts`` must report: the key (or list item) of the deepest field of
    the pointer that is present in the document; the document's first node when none is."""
    docs = list(yaml.compose_all(text, Loader=yaml.SafeLoader))
    node: Node = docs[document]
    line = node.start_mark.line + 1
    for part in parts:
        found = _key_and_value(node, part)
        if found is None:
            break
        holder, node = found
        line = holder.start_mark.line + 1
    return line


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
