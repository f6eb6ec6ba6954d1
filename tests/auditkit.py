"""The AUD rule-case harness: run one audit rule over a file of named events and say which alerted.

A rule's folder is ``tests/checks/audit/<CODE>_<slug>/``. Every ``*.yaml`` file in it (except
``*.options.yaml``) is one run: a stream of ``audit.k8s.io`` Events, one YAML document each, in
order (stateful rules see them in that order). The ``auditID`` of an event says what the rule must
make of it:

- ``fail-...``: alerts, exactly once (the several stages of one request share its auditID).
- ``pass-...``: no alert: the close variants (an allowed user, a read-only verb, a failed request).
- anything else (context events a case needs, such as the first events of a burst): no alert.

``annotations["test.kubeguard.io/expect-message"]`` holds a substring the alert's message must
contain. ``<name>.options.yaml`` beside a case file may set ``config`` (the contents of a
``.kubeguard.yaml``) for that run.

Each case file runs in every input format kubeguard reads (``FORMATS``): the events are written in
that format and read back by the same reader ``kubeguard audit`` uses, so a rule is proven on each.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from kubeguard.engine.audit import run_audit
from kubeguard.engine.registry import all_audit_rules
from kubeguard.findings.audit import AuditReport
from kubeguard.loading.config import parse_config
from kubeguard.loading.yaml_loader import iter_documents
from kubeguard.model.audit import event_from_dict
from kubeguard.rules.audit import AuditContext, AuditRule

CASES_ROOT = Path(__file__).parent / "checks" / "audit"
EXPECT_MESSAGE = "test.kubeguard.io/expect-message"


def case_dir(rule: AuditRule) -> Path | None:
    folder = CASES_ROOT / f"{rule.code}_{rule.slug}"
    return folder if folder.is_dir() else None


def case_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.yaml") if not p.name.endswith(".options.yaml"))


def read_events(path: Path) -> list[dict[str, Any]]:
    """The events of a case file, decoded like Kubernetes decodes YAML (timestamps stay strings)."""
    events = []
    for doc in iter_documents(path.read_text()):
        assert doc.error is None, f"{path}:{doc.error_line}: {doc.error}"
        if doc.data is not None:
            assert isinstance(doc.data, dict) and isinstance(doc.data.get("auditID"), str), (
                f"{path}: document {doc.index} is not an event with an auditID"
            )
            events.append(doc.data)
    return events


def context_for(path: Path) -> AuditContext:
    opts_path = path.with_name(path.name[: -len(".yaml")] + ".options.yaml")
    if not opts_path.exists():
        return AuditContext()
    data = yaml.safe_load(opts_path.read_text()) or {}
    return AuditContext(parse_config(data.get("config"), str(opts_path)))


@dataclass
class AuditCaseRun:
    report: AuditReport
    events: list[dict[str, Any]]

    def alerted(self) -> Counter[str]:
        return Counter(a.event.audit_id for a in self.report.alerts)


def run_rule_on_events(rule: AuditRule, events: list[dict[str, Any]], ctx: AuditContext) -> AuditReport:
    """Run one rule over decoded events (the normalization every reader ends with)."""
    items = [event_from_dict(e, f"event:{i + 1}") for i, e in enumerate(events)]
    return run_audit(items, [rule], ctx)


def run_rule_on_file(rule: AuditRule, path: Path) -> AuditCaseRun:
    events = read_events(path)
    report = run_rule_on_events(rule, events, context_for(path))
    assert not report.errors, [str(e) for e in report.errors]
    return AuditCaseRun(report, events)


def audit_rule(code: str) -> AuditRule:
    for r in all_audit_rules():
        if r.code == code:
            return r
    raise KeyError(code)
