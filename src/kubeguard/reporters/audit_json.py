"""``kubeguard audit -f json|jsonl``: alerts as JSON, for tools and log shippers.

``json`` is one document: ``{"alerts": [...], "errors": [...], "summary": {...}}``; ``jsonl`` is one
alert per line, written as each alert is raised (the receiver writes the same lines). An alert:
``rule``, ``title``, ``severity``, ``time``, ``auditID``, ``user``, ``groups``, ``sourceIPs``,
``verb``, ``resource``, ``subresource``, ``namespace``, ``name``, ``message``, ``frameworks``
(framework id -> control ids, e.g. MITRE ATT&CK techniques) and ``aliases`` (``falco`` and
``panther``, always present, and any other tool: the names of the same detection there).
"""

from __future__ import annotations

from typing import Any

import orjson

from kubeguard.compliance import controls_for
from kubeguard.findings.audit import Alert, AuditReport
from kubeguard.rules.audit import AuditRule

_FIELDS: dict[str, tuple[dict[str, list[str]], dict[str, list[str]]]] = {}


def _rule_fields(rule: AuditRule) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """The rule's framework controls and aliases, worked out once per rule (copies are handed out)."""
    found = _FIELDS.get(rule.code)
    if found is None:
        aliases: dict[str, list[str]] = {"falco": [], "panther": []}
        for tool, names in rule.aliases_by_tool().items():
            aliases.setdefault(tool, []).extend(names)
        found = _FIELDS[rule.code] = (controls_for(rule.code, rule.compliance), aliases)
    return {k: list(v) for k, v in found[0].items()}, {k: list(v) for k, v in found[1].items()}


def alert_dict(alert: Alert) -> dict[str, Any]:
    e = alert.event
    frameworks, aliases = _rule_fields(alert.rule)
    return {
        "rule": alert.rule.code,
        "title": alert.rule.title,
        "severity": alert.rule.severity.label,
        "time": e.time,
        "auditID": e.audit_id,
        "user": e.user.username,
        "groups": list(e.user.groups),
        "sourceIPs": list(e.source_ips),
        "verb": e.verb,
        "resource": e.resource,
        "subresource": e.subresource,
        "namespace": e.namespace,
        "name": e.name,
        "message": alert.message,
        "frameworks": frameworks,
        "aliases": aliases,
    }


def jsonl_line(alert: Alert) -> bytes:
    """One alert as one line (newline included)."""
    return orjson.dumps(alert_dict(alert), option=orjson.OPT_APPEND_NEWLINE)


def summary_dict(report: AuditReport) -> dict[str, Any]:
    s = report.summary
    return {
        "events": s.events,
        "evaluated": s.evaluated,
        "alerts": sum(s.by_rule.values()),
        "bySeverity": dict(sorted(s.by_severity.items())),
        "byRule": dict(sorted(s.by_rule.items())),
        "recordsWithErrors": s.records_with_errors,
        "errorsNotListed": s.errors_dropped,
        "skipped": s.skipped,
        "rules": s.rules,
        "rulesOff": s.rules_off,
    }


def errors_list(report: AuditReport) -> list[dict[str, str]]:
    return [{"location": e.origin, "message": e.message} for e in report.errors]


def render(report: AuditReport) -> str:
    doc = {
        "alerts": [alert_dict(a) for a in report.alerts],
        "errors": errors_list(report),
        "summary": summary_dict(report),
    }
    return orjson.dumps(doc, option=orjson.OPT_INDENT_2).decode() + "\n"
