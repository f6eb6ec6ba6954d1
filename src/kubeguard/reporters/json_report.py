"""JSON output: a stable, documented schema (``schemas/report.schema.json``, docs/output.md)."""

from __future__ import annotations

import json
from typing import Any

from kubeguard._version import __version__
from kubeguard.findings.report import Evaluation, ScanReport

# 1.1: findings say whether a fix is available ("fix"). Minor versions only add fields.
SCHEMA_VERSION = "1.1"


def to_dict(report: ScanReport) -> dict[str, Any]:
    counts = report.evaluations.counts()
    return {
        "schemaVersion": SCHEMA_VERSION,
        "tool": {"name": "kubeguard", "version": __version__},
        "options": report.options,
        "summary": report.summary(),
        "findings": [f.to_dict() for f in report.findings],
        "errors": [e.to_dict() for e in report.errors],
        "ruleErrors": [e.to_dict() for e in report.rule_errors],
        "warnings": list(report.warnings),
        "rules": [
            {
                "code": r.code,
                "slug": r.slug,
                "severity": r.severity.label,
                "evaluations": {
                    "pass": counts[r.code][Evaluation.PASS],
                    "fail": counts[r.code][Evaluation.FAIL],
                    "notApplicable": counts[r.code][Evaluation.NOT_APPLICABLE],
                    "error": counts[r.code][Evaluation.ERROR],
                },
            }
            for r in report.rules
        ],
    }


def render(report: ScanReport) -> str:
    return json.dumps(to_dict(report), indent=2, sort_keys=False) + "\n"
