"""Parity: for every bundled example and every rule fixture object, the webhook's enforce decision is
whether ``kubeguard scan`` of that object reaches --fail-on (``info``: every finding counts), with the same findings (codes and
fields), under the same options and configuration. The scan runs the rules the webhook runs (those
without ``needs``; the others are scan-only, docs/admission.md)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from kubeguard.api import scan, select
from kubeguard.loading.config import parse_config
from kubeguard.loading.files import load
from kubeguard.model.config import Config
from kubeguard.rules.context import ScanOptions
from kubeguard.webhook.policy import AdmissionPolicy
from kubeguard.webhook.review import Judge, admission_rules
from tests.casekit import CASES_ROOT
from tests.webhook.reviews import request

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted((ROOT / "examples").rglob("*.yaml")) + sorted(
    p for p in CASES_ROOT.rglob("*.yaml") if not p.name.endswith(".options.yaml")
)
CODES = [r.code for r in admission_rules(select())]


def _settings(path: Path) -> tuple[ScanOptions, Config]:
    options_file = path.with_name(path.name[: -len(".yaml")] + ".options.yaml")
    if not options_file.exists():
        return ScanOptions(), parse_config(None)
    data = yaml.safe_load(options_file.read_text()) or {}
    return ScanOptions(**(data.get("options") or {})), parse_config(data.get("config"), str(options_file))


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_webhook_decides_as_the_scan(path: Path) -> None:
    options, config = _settings(path)
    report = scan([str(path)], select=CODES, options=options, config=config)
    scanned: dict[tuple[int | None, str], list[tuple[str, str, str | None]]] = defaultdict(list)
    for f in report.active_findings():
        scanned[(f.document, str(f.object))].append((f.rule.code, f.pointer, f.key))
    pss = f"{options.pss_level}:{options.pss_version}"
    judge = Judge(
        select(), config, AdmissionPolicy(config, mode="enforce", fail_on="info", pss=pss, base=options)
    )
    loaded = load([str(path)])
    assert loaded.resources, f"{path}: nothing to judge"
    for resource in loaded.resources:
        decision = judge.decide(request(resource.raw, namespace=resource.namespace))
        expected = sorted(scanned.get((resource.source.document, str(resource.ref)), []))
        got = sorted((f.rule.code, f.pointer, f.key) for f in decision.findings)
        assert decision.outcome in ("allowed", "denied"), (
            f"{resource.ref}: {decision.outcome} {decision.message}"
        )
        assert (decision.allowed, got) == (not expected, expected), f"{path}: {resource.ref}"
