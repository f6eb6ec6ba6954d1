"""SARIF 2.1.0 output for code-scanning dashboards: rule metadata, exact regions, stable fingerprints.

Suppressed findings are included with a ``suppressions`` entry, as the spec intends. A finding
whose fix was worked out as text (``Finding.changes``, an object read from a file) carries it as
``fixes`` with ``artifactChanges``, so code-scanning tools can offer it.
"""

from __future__ import annotations

import json
import os
from typing import Any

from kubeguard._version import __version__
from kubeguard.findings.report import Finding, ScanReport, TextChange
from kubeguard.rules.rule import Rule, Severity

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"

_LEVEL = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}
# GitHub code scanning reads this property (a CVSS-like score) to rank security results.
_SECURITY_SEVERITY = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
    Severity.INFO: "1.0",
}


def _first_paragraph(doc: str) -> str:
    for block in doc.split("\n\n")[1:]:
        text = block.strip()
        if text and not text.startswith("#"):
            return " ".join(text.split())
    return ""


def _rule_descriptor(rule: Rule) -> dict[str, Any]:
    desc: dict[str, Any] = {
        "id": rule.code,
        "name": rule.slug,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": _first_paragraph(rule.doc) or rule.title},
        "help": {"text": rule.remediation, "markdown": rule.doc or rule.remediation},
        "defaultConfiguration": {"level": _LEVEL[rule.severity]},
        "properties": {
            "tags": ["security", "kubernetes", rule.family.lower()],
            "security-severity": _SECURITY_SEVERITY[rule.severity],
            "severity": rule.severity.label,
        },
    }
    if rule.references:
        desc["helpUri"] = rule.references[0]
    return desc


def _uri(path: str) -> str:
    if path.startswith("<"):
        return path.strip("<>")
    rel = os.path.relpath(path) if os.path.isabs(path) else path
    return rel.replace(os.sep, "/")


def _result(f: Finding, rule_index: int) -> dict[str, Any]:
    location: dict[str, Any] = {"artifactLocation": {"uri": _uri(f.file)}}
    if f.line is not None:
        region: dict[str, Any] = {"startLine": f.line}
        if f.column is not None:
            region["startColumn"] = f.column
        location["region"] = region
    result: dict[str, Any] = {
        "ruleId": f.rule.code,
        "ruleIndex": rule_index,
        "level": _LEVEL[f.severity],
        "message": {"text": f"{f.message} ({f.object})"},
        "locations": [
            {
                "physicalLocation": location,
                "logicalLocations": [
                    {"fullyQualifiedName": f"{f.object}{f.pointer}", "kind": "object", "name": f.object.name}
                ],
            }
        ],
        "partialFingerprints": {"kubeguardFingerprint/v1": f.fingerprint},
        "properties": {
            "resource": f.object.to_dict(),
            "pointer": f.pointer,
            "compliance": f.compliance,
        },
    }
    if f.key is not None:
        result["properties"]["key"] = f.key
    if f.fix is not None:
        result["properties"]["fix"] = f.fix
    if f.changes:
        result["fixes"] = [_fix(f)]
    if f.suppressed:
        kind = "inSource" if (f.suppression or "").startswith("annotation") else "external"
        result["suppressions"] = [
            {"kind": kind, "status": "accepted", "justification": (f.suppression or "").split(": ", 1)[-1]}
        ]
    return result


def _region(change: TextChange) -> dict[str, Any]:
    if change.to_end:  # the end lies past the last line: say it in characters
        return {"charOffset": change.offset, "charLength": change.length}
    return {
        "startLine": change.start_line,
        "startColumn": change.start_column,
        "endLine": change.end_line,
        "endColumn": change.end_column,
    }


def _fix(f: Finding) -> dict[str, Any]:
    """The finding's fix as SARIF ``fixes``: whole-line replacements in the finding's file."""
    assert f.changes is not None and f.rule.fix is not None
    safety = f.fix or f.rule.fix.safety.value
    return {
        "description": {"text": f"{f.rule.fix.summary} ({safety} fix)"},
        "artifactChanges": [
            {
                "artifactLocation": {"uri": _uri(f.file)},
                "replacements": [
                    {"deletedRegion": _region(c), "insertedContent": {"text": c.inserted}} for c in f.changes
                ],
            }
        ],
        "properties": {"safety": safety},
    }


def to_dict(report: ScanReport) -> dict[str, Any]:
    index = {r.code: i for i, r in enumerate(report.rules)}
    notifications = [
        {
            "level": "error",
            "message": {"text": str(e)},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": _uri(e.file)},
                        **({"region": {"startLine": e.line}} if e.line else {}),
                    }
                }
            ],
        }
        for e in report.errors
    ] + [
        {"level": "error", "message": {"text": f"rule {e.rule} failed on {e.object}: {e.message}"}}
        for e in report.rule_errors
    ]
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "kubeguard",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": "https://github.com/kubeguard/kubeguard",
                "rules": [_rule_descriptor(r) for r in report.rules],
            }
        },
        "results": [_result(f, index[f.rule.code]) for f in report.findings],
        "invocations": [
            {
                "executionSuccessful": not report.errors and not report.rule_errors,
                "toolExecutionNotifications": notifications,
            }
        ],
        "columnKind": "unicodeCodePoints",
    }
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def render(report: ScanReport) -> str:
    return json.dumps(to_dict(report), indent=2) + "\n"
