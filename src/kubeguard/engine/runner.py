"""The engine: run the selected rules over every resource, record every evaluation, build findings.

Rules are dispatched by kind where their scope names kinds, so a resource costs only the rules
that can apply to it. A rule that raises is an ERROR evaluation naming the rule and the resource.
Lines are resolved only for findings, after all rules ran, one file at a time.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from kubeguard.compliance import controls_for
from kubeguard.engine.registry import all_rules, did_you_mean, rule_matches
from kubeguard.engine.suppress import (
    ANNOTATION_PREFIX,
    Exceptions,
    annotation_reason,
    empty_annotation_keys,
    rule_names,
    unknown_annotation_keys,
)
from kubeguard.findings.report import Evaluation, EvaluationTable, Finding, RuleError, ScanReport
from kubeguard.loading.locate import Locator
from kubeguard.model.config import EMPTY_CONFIG
from kubeguard.model.resource import Resource
from kubeguard.rules.context import ScanContext
from kubeguard.rules.fix import Edit, FixSafety
from kubeguard.rules.rule import CheckFn, Rule, Scope, Violation

_PASS = int(Evaluation.PASS)
_FAIL = int(Evaluation.FAIL)
_ERROR = int(Evaluation.ERROR)


Batch = list[tuple[int, Rule]]  # rules (with their column in the evaluation table) sharing a view
# A violation, its fix's edits and the safety of that fix (None: no fix offered).
Raw = tuple[Rule, Resource, Violation, tuple[Edit, ...], FixSafety | None]


class _Plan:
    """Which enabled rules to try on a resource: by kind where the scope names kinds, else by scope.

    A rule whose ``enabled(ctx)`` raises is not switched off: its check is replaced by one that
    raises the same error, so every resource in its scope records ERROR, as for a rule that raises.
    """

    def __init__(self, rules: Sequence[Rule], ctx: ScanContext) -> None:
        self.rules = list(rules)
        self.by_kind: dict[str, Batch] = defaultdict(list)
        self.switched_off: set[str] = set()
        general: dict[int, tuple[Scope, Batch]] = {}
        for i, rule in enumerate(self.rules):
            try:
                enabled = rule.is_enabled(ctx)
            except Exception as exc:  # a broken rule must not stop the scan
                enabled = True
                rule = dataclasses.replace(rule, check=_failing(exc))
            if not enabled:
                self.switched_off.add(rule.code)
                continue  # stays NOT_APPLICABLE
            scope = rule.applies_to
            if scope.kinds is not None:
                for kind in scope.kinds:
                    self.by_kind[kind].append((i, rule))
            else:
                general.setdefault(id(scope), (scope, []))[1].append((i, rule))
        self.general = list(general.values())


class RuleEnabledError(Exception):
    """A rule's ``enabled(ctx)`` raised; the message names the original error."""


def _failing(exc: Exception) -> CheckFn:
    message = f"enabled() raised {type(exc).__name__}: {exc}"

    def check(view: Any, ctx: ScanContext) -> Iterator[Violation]:
        # A fresh exception each time: re-raising one object would grow its traceback per resource.
        raise RuleEnabledError(message)

    return check


def evaluate(
    ctx: ScanContext | Sequence[ScanContext],
    rules: Sequence[Rule],
    *,
    texts: Mapping[str, str] | None = None,
    today: dt.date | None = None,
    progress: Callable[[int], None] | None = None,
    only: Callable[[Resource], bool] | None = None,
    fixes: bool = True,
) -> ScanReport:
    """Evaluate ``rules`` over every resource of ``ctx``; see the module docstring.

    ``ctx`` may be several contexts, one per view (resources deployed together): each resource is
    evaluated with its own view's context, so cross-resource rules see only that view, and the
    results form one report. ``only``: evaluate (and report) only the resources it accepts
    (``kubeguard scan -n``); rules still see every resource of their context. ``fixes=False``: the
    findings carry no fix edits (the admission webhook has no use for them).
    """
    contexts = [ctx] if isinstance(ctx, ScanContext) else list(ctx)
    subjects = [c.resources if only is None else [r for r in c.resources if only(r)] for c in contexts]
    table = EvaluationTable([r.code for r in rules])
    report = ScanReport(rules=list(rules), evaluations=table, resources=sum(len(s) for s in subjects))
    raw: list[Raw] = []
    done = 0
    off: set[str] | None = None
    for view, resources in zip(contexts, subjects, strict=True):
        plan = _Plan(rules, view)
        off = plan.switched_off if off is None else off & plan.switched_off
        _evaluate_view(view, resources, plan, table, report, raw, done, progress, fixes)
        done += len(resources)
    report.switched_off = frozenset(off or ())
    config = contexts[0].config if contexts else EMPTY_CONFIG
    exceptions = Exceptions(config, today)
    report.findings = _findings(raw, exceptions, texts or {})
    report.warnings.extend(exceptions.warnings(config.path))
    known = all_rules()
    names = rule_names(known)
    for resources in subjects:
        for resource in resources:
            for key in empty_annotation_keys(resource):
                report.warnings.append(
                    f"{resource.source.file}: {resource.ref}: annotation {key} has no reason and suppresses nothing"
                )
            for key in unknown_annotation_keys(resource, names):
                name = key[len(ANNOTATION_PREFIX) :]
                if any(rule_matches(r, name) for r in known):
                    hint = " (an annotation takes one rule's code or slug, not a prefix)"
                else:
                    hint = did_you_mean(name, known)
                report.warnings.append(
                    f"{resource.source.file}: {resource.ref}: annotation {key} names no rule{hint} "
                    "and suppresses nothing"
                )
    return report


def _evaluate_view(
    ctx: ScanContext,
    resources: Sequence[Resource],
    plan: _Plan,
    table: EvaluationTable,
    report: ScanReport,
    raw: list[Raw],
    done: int,
    progress: Callable[[int], None] | None,
    fixes: bool = True,
) -> None:
    blank = bytes(len(plan.rules))
    by_kind, general = plan.by_kind, plan.general
    add_row = table.add
    # General scopes that can match each kind (scopes with candidate_kinds skip the other kinds).
    general_by_kind: dict[str, list[tuple[Scope, Batch]]] = {}
    # The loop below is the hot path of every scan: rules run inline, without per-call helpers.
    for count, resource in enumerate(resources, done):
        row = bytearray(blank)
        batches: list[tuple[Any, Batch]] = []
        kind_rules = by_kind.get(resource.kind)
        if kind_rules:
            batches.append((resource, kind_rules))
        candidates = general_by_kind.get(resource.kind)
        if candidates is None:
            candidates = general_by_kind[resource.kind] = [
                (scope, scoped)
                for scope, scoped in general
                if scope.candidate_kinds is None or resource.kind in scope.candidate_kinds
            ]
        for scope, scoped in candidates:
            if scope.matches(resource):
                batches.append((scope.view(resource), scoped))
        for view, batch in batches:
            for i, rule in batch:
                status = _PASS
                mark = len(raw)
                try:
                    for violation in rule.check(view, ctx):
                        raw.append((rule, resource, violation, (), None))
                        status = _FAIL
                except Exception as exc:  # a broken rule must not stop the scan
                    status = _ERROR
                    del raw[mark:]  # no partial results from a rule that failed
                    report.rule_errors.append(
                        RuleError(
                            rule.code, resource.ref, resource.source.file, f"{type(exc).__name__}: {exc}"
                        )
                    )
                if status == _FAIL and fixes and rule.fix is not None:
                    _add_fixes(rule, view, ctx, raw, mark, report)
                row[i] = status
        add_row(resource.ref, bytes(row))
        if progress is not None and count % 500 == 0:
            progress(count)


def _add_fixes(
    rule: Rule, view: Any, ctx: ScanContext, raw: list[Raw], mark: int, report: ScanReport
) -> None:
    """Attach each new violation's fix edits (on the object's document); a fix that raises offers none."""
    assert rule.fix is not None
    for n in range(mark, len(raw)):
        _rule, resource, violation, _, _ = raw[n]
        try:
            edits = tuple(rule.fix.edits(view, ctx, violation))
            safety = rule.fix.safety_of(view, ctx, violation) if edits else None
        except Exception as exc:  # a broken fix must not stop the scan: the finding stays, without a fix
            report.warnings.append(
                f"{resource.source.file}: {resource.ref}: fix of {rule.code} failed "
                f"({type(exc).__name__}: {exc}); no fix offered"
            )
            continue
        if edits:
            base = resource.source.base
            raw[n] = (rule, resource, violation, tuple(e.rebased(base) for e in edits), safety)


def _findings(
    raw: list[Raw],
    exceptions: Exceptions,
    texts: Mapping[str, str],
) -> list[Finding]:
    locator = Locator(texts)
    compliance_cache: dict[str, dict[str, list[str]]] = {}
    out: list[Finding] = []
    # Resolve lines file by file so each file is composed once.
    raw.sort(key=lambda t: (t[1].source.text_key or "", t[1].source.document))
    for rule, resource, violation, edits, safety in raw:
        line, column = locator.locate(resource.source, violation.at)
        reason = annotation_reason(resource, rule)
        suppression = f"annotation: {reason}" if reason else None
        if suppression is None:
            exc_reason = exceptions.reason(rule, resource)
            suppression = f"exception: {exc_reason}" if exc_reason else None
        if rule.code not in compliance_cache:
            compliance_cache[rule.code] = controls_for(rule.code, rule.compliance)
        out.append(
            Finding(
                rule=rule,
                object=resource.ref,
                message=violation.message,
                pointer=str(violation.at),
                key=violation.key,
                file=resource.source.file,
                line=line,
                column=column,
                document=resource.source.document,
                suppressed=suppression is not None,
                suppression=suppression,
                compliance=compliance_cache[rule.code],
                edits=edits,
                fix_safety=safety,
                source=resource.source if edits else None,
            )
        )
    out.sort(key=Finding.sort_key)
    return _once_per_place(out)


def _once_per_place(findings: list[Finding]) -> list[Finding]:
    """Keep one of the findings that say the same thing at the same place.

    Overlays that include one base each render its objects, and origin mapping points every copy at
    the base's file and line: the same finding would be listed once per overlay. A finding that
    differs in anything a reader sees (message, line, suppression) is kept.
    """
    seen: set[tuple[object, ...]] = set()
    out: list[Finding] = []
    for f in findings:
        ident = (f.rule.code, f.object, f.pointer, f.key, f.file, f.line, f.column, f.message, f.suppression)
        if ident not in seen:
            seen.add(ident)
            out.append(f)
    return out
