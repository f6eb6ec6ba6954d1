"""PolicyReport output: wg-policy ``wgpolicyk8s.io/v1alpha2`` reports that Policy Reporter, Kyverno's
and the Trivy operator's dashboards read.

One ``PolicyReport`` per namespace and one ``ClusterPolicyReport`` for cluster-scoped objects, as a
multi-document YAML stream. (Objects of a namespaced kind whose manifest sets no namespace are
judged, and reported, in ``default``, as everywhere in kubeguard.)

Results:

- ``fail``: one per finding (``warn`` with ``scored: false`` for info-severity rules, which inform
  rather than judge); ``skip``: one per suppressed finding, its reason in ``properties``;
  ``error``: one per rule that failed on an object.
- ``pass``: one per rule and report, naming every object of that report that the rule judged and
  passed in ``resources`` (one result per rule and object would repeat the rule's metadata for every
  pass and make reports of large clusters huge). The summary counts objects: a pass result counts
  once per object it names.

``policy`` is the rule's code and ``rule`` its slug; ``category`` its family; ``severity`` its
severity; ``source`` is ``kubeguard``; ``properties`` hold the file, line and field of a finding;
``timestamp`` is the time of the run (``SOURCE_DATE_EPOCH`` when set, for reproducible output).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections import defaultdict
from typing import Any

import yaml

from kubeguard.findings.report import Evaluation, Finding, ScanReport
from kubeguard.model.resource import ObjectRef
from kubeguard.reporters.families import family_title
from kubeguard.rules.rule import Rule, Severity

API_VERSION = "wgpolicyk8s.io/v1alpha2"
NAME = "kubeguard"
SOURCE = "kubeguard"
_PASS = re.compile(bytes([Evaluation.PASS]))

#: A report's scope: its namespace, or ``None`` for the cluster.
Scope = str | None


def _scope(obj: ObjectRef) -> Scope:
    # ObjectRef gives every object of a namespaced kind a namespace ("default" when unset).
    return obj.namespace or None


def _ref(obj: ObjectRef) -> dict[str, str]:
    ref = {"apiVersion": obj.api_version, "kind": obj.kind, "name": obj.name}
    if obj.namespace:
        ref["namespace"] = obj.namespace
    return ref


def _base(rule: Rule, result: str, stamp: dict[str, int]) -> dict[str, Any]:
    return {
        "policy": rule.code,
        "rule": rule.slug,
        "result": result,
        "scored": rule.severity > Severity.INFO,
        "severity": rule.severity.label,
        "category": family_title(rule.family),
        "source": SOURCE,
        "timestamp": dict(stamp),  # a copy each: one shared dict would be dumped as a YAML alias
    }


def _finding_result(f: Finding, stamp: dict[str, int]) -> dict[str, Any]:
    outcome = "skip" if f.suppressed else "warn" if f.severity == Severity.INFO else "fail"
    result = _base(f.rule, outcome, stamp)
    result["message"] = f.message
    result["resources"] = [_ref(f.object)]
    props = {"title": f.rule.title, "file": f.file, "pointer": f.pointer, "fingerprint": f.fingerprint}
    if f.line is not None:
        props["line"] = str(f.line)
    if f.suppression:
        props["suppression"] = f.suppression
    result["properties"] = props
    return result


def _now() -> dt.datetime:
    """The time of the run, or ``SOURCE_DATE_EPOCH`` (reproducible builds' variable) when it is set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime.now(dt.UTC)


def to_documents(report: ScanReport, *, now: dt.datetime | None = None) -> list[dict[str, Any]]:
    """The reports: the cluster's first, then the namespaces' in order."""
    moment = now or _now()
    stamp = {"seconds": int(moment.timestamp()), "nanos": moment.microsecond * 1000}
    rules = {r.code: r for r in report.rules}
    results: dict[Scope, list[dict[str, Any]]] = defaultdict(list)
    counts: dict[Scope, dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(("pass", "fail", "warn", "error", "skip"), 0)
    )

    for f in sorted(report.findings, key=Finding.sort_key):
        scope = _scope(f.object)
        result = _finding_result(f, stamp)
        results[scope].append(result)
        counts[scope][result["result"]] += 1
    for e in report.rule_errors:
        rule = rules.get(e.rule)
        if rule is None:
            continue
        scope = _scope(e.object)
        result = _base(rule, "error", stamp)
        result["message"] = e.message
        result["resources"] = [_ref(e.object)]
        result["properties"] = {"title": rule.title, "file": e.file}
        results[scope].append(result)
        counts[scope]["error"] += 1

    seen: set[Scope] = set()
    passed: dict[Scope, dict[str, list[ObjectRef]]] = defaultdict(lambda: defaultdict(list))
    table = report.evaluations
    for obj, row in zip(table.objects, table.rows, strict=True):
        scope = _scope(obj)
        seen.add(scope)  # an object no rule judged still has its report
        for m in _PASS.finditer(row):
            passed[scope][table.rules[m.start()]].append(obj)
    for scope, by_rule in passed.items():
        for code in sorted(by_rule):
            rule = rules.get(code)
            if rule is None:
                continue
            result = _base(rule, "pass", stamp)
            result["message"] = f"{rule.title}: passed"
            result["resources"] = [_ref(o) for o in by_rule[code]]
            result["properties"] = {"title": rule.title}
            results[scope].append(result)
            counts[scope]["pass"] += len(by_rule[code])

    scopes = sorted(seen | set(counts), key=lambda s: (s is not None, s or ""))
    if not scopes:
        scopes = [None]
    return [_document(scope, results.get(scope, []), counts[scope]) for scope in scopes]


def _document(scope: Scope, results: list[dict[str, Any]], summary: dict[str, int]) -> dict[str, Any]:
    metadata: dict[str, Any] = {"name": NAME}
    if scope is not None:
        metadata["namespace"] = scope
    metadata["labels"] = {"app.kubernetes.io/managed-by": "kubeguard"}
    return {
        "apiVersion": API_VERSION,
        "kind": "ClusterPolicyReport" if scope is None else "PolicyReport",
        "metadata": metadata,
        "summary": summary,
        "results": results,
    }


def render(report: ScanReport, *, now: dt.datetime | None = None) -> str:
    """The reports as a multi-document YAML stream."""
    return yaml.dump_all(
        to_documents(report, now=now),
        Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper),
        sort_keys=False,
        explicit_start=True,
        allow_unicode=True,
        width=2**16,
    )
