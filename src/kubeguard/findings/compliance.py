"""How a scan stands against a compliance framework: each control's status and the framework's score.

:func:`assess` reads a :class:`~kubeguard.findings.report.ScanReport` (its findings and its table of
evaluations) and a framework of :mod:`kubeguard.compliance`, and returns a
:class:`FrameworkAssessment`: one :class:`ControlResult` per control, in the framework's order.

Control status (:class:`ControlStatus`):

``fail``
    some rule that evidences the control has an unsuppressed finding. The control's findings are
    every finding of its rules, suppressed ones included (marked so).
``pass``
    no unsuppressed finding, and every evidencing rule that ran in this scan judged at least one
    object (PASS or FAIL) and raised on none. A rule that applied to nothing is not evidence: an
    input without an API server cannot pass "--anonymous-auth is false".
``not-assessed``
    the control has rules, none failed, but the scan holds no evidence that it passes: some rule
    that ran judged no object (nothing in scope, or the rule was switched off by the options, such
    as restricted-only PSS rules at the baseline level), a rule raised an error, or none of its
    rules ran (deselected with ``--select``/``--ignore``, or rules of another input such as audit
    events). ``detail`` names the rules.
``manual``
    no rule evidences it; ``detail`` says what a person must check.
``not-covered``
    kubeguard cannot judge it from what it reads; ``detail`` says why.

Rules of the control that did not run in the scan (deselected, or of another command) are not
required for ``pass``: a control evidenced by several rules passes on the ones that ran, and
``detail`` names the others.

A suppressed finding (annotation or exception with a reason) is an accepted risk: it does not fail
the control, but it is listed among the control's findings.

Score: passed controls ÷ (passed + failed controls) × 100, rounded to one decimal; ``None`` when no
control was passed or failed (nothing to judge is not 100% nor 0%). Manual, not-covered and
not-assessed controls are outside the score.

A control's rules are the framework file's rules plus any rule of the scan that names the control
in its own ``Rule.compliance`` (kept consistent with the files by a test).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from kubeguard.compliance import Control, Framework, frameworks
from kubeguard.findings.report import Evaluation, Finding, ScanReport


class ControlStatus(enum.Enum):
    """A control's status in one scan (see the module docstring)."""

    PASS = "pass"
    FAIL = "fail"
    NOT_ASSESSED = "not-assessed"
    MANUAL = "manual"
    NOT_COVERED = "not-covered"


@dataclass(frozen=True, slots=True)
class ControlResult:
    """One control's outcome: ``status``, the ``rules`` that evidence it (those run and not run),
    its ``findings`` (suppressed included, in report order) and ``detail``: what a person must
    check (manual), why it is not covered, or which rules gave no evidence (not-assessed)."""

    control: Control
    status: ControlStatus
    rules: tuple[str, ...]
    findings: tuple[Finding, ...] = ()
    detail: str | None = None

    @property
    def id(self) -> str:
        return self.control.id

    @property
    def title(self) -> str:
        return self.control.title

    @property
    def active_findings(self) -> list[Finding]:
        return [f for f in self.findings if not f.suppressed]

    def to_dict(self) -> dict[str, Any]:
        """``{"id", "title", "status", "rules", "findings", "detail"}``; findings as in scan JSON."""
        return {
            "id": self.id,
            "title": self.title,
            "status": self.status.value,
            "rules": list(self.rules),
            "findings": [f.to_dict() for f in self.findings],
            "detail": self.detail,
        }


@dataclass(frozen=True, slots=True)
class FrameworkAssessment:
    """A framework's controls judged on one scan, and its score (``None``: nothing judged)."""

    framework: Framework
    controls: tuple[ControlResult, ...]

    @property
    def passed(self) -> int:
        return sum(1 for c in self.controls if c.status is ControlStatus.PASS)

    @property
    def failed(self) -> int:
        return sum(1 for c in self.controls if c.status is ControlStatus.FAIL)

    @property
    def score(self) -> float | None:
        judged = self.passed + self.failed
        return round(100 * self.passed / judged, 1) if judged else None

    def counts(self) -> dict[str, int]:
        """How many controls have each status, every status named (zero included)."""
        out = {s.value: 0 for s in ControlStatus}
        for c in self.controls:
            out[c.status.value] += 1
        return out

    def to_dict(self) -> dict[str, Any]:
        """The ``kubeguard compliance -f json`` document for this framework."""
        fw = self.framework
        return {
            "framework": {"id": fw.id, "title": fw.title, "version": fw.version},
            "score": self.score,
            "controls": [c.to_dict() for c in self.controls],
        }


class UnknownFramework(KeyError):
    """No bundled framework has this id or alias."""


def find_framework(name: str) -> Framework:
    """A bundled framework by id or alias (case-insensitive); raises :class:`UnknownFramework`."""
    wanted = name.lower()
    for fw in frameworks().values():
        if fw.id.lower() == wanted or wanted in (a.lower() for a in fw.aliases):
            return fw
    raise UnknownFramework(name)


def assess(report: ScanReport, framework: Framework | str) -> FrameworkAssessment:
    """Judge each control of ``framework`` (a :class:`Framework` or its id) on ``report``."""
    fw = find_framework(framework) if isinstance(framework, str) else framework
    counts = report.evaluations.counts()
    ran = {r.code for r in report.rules}
    claimed: dict[str, list[str]] = {}  # control id -> codes of rules that name it themselves
    for rule in report.rules:
        for cid in rule.compliance.get(fw.id, ()):
            claimed.setdefault(cid, []).append(rule.code)
    by_rule: dict[str, list[Finding]] = {}
    for f in report.findings:
        by_rule.setdefault(f.rule.code, []).append(f)
    results = []
    for control in fw.controls:
        codes = tuple(dict.fromkeys([*control.rules, *claimed.get(control.id, ())]))
        results.append(_judge(control, codes, ran, counts, by_rule, report.switched_off))
    return FrameworkAssessment(fw, tuple(results))


def assess_all(report: ScanReport, names: Iterable[str] | None = None) -> list[FrameworkAssessment]:
    """:func:`assess` for each named framework, or every bundled framework in id order."""
    chosen: Sequence[Framework] = (
        [find_framework(n) for n in names]
        if names is not None
        else [frameworks()[k] for k in sorted(frameworks())]
    )
    return [assess(report, fw) for fw in chosen]


def _judge(
    control: Control,
    codes: tuple[str, ...],
    ran: set[str],
    counts: dict[str, Any],
    by_rule: dict[str, list[Finding]],
    switched_off: frozenset[str] = frozenset(),
) -> ControlResult:
    if not codes:
        if control.not_covered:
            return ControlResult(control, ControlStatus.NOT_COVERED, (), detail=control.not_covered)
        return ControlResult(control, ControlStatus.MANUAL, (), detail=control.manual)
    findings = tuple(
        f for code in codes for f in by_rule.get(code, ()) if control.counts_finding(code, f.pointer)
    )
    if any(not f.suppressed for f in findings):
        return ControlResult(control, ControlStatus.FAIL, codes, findings, control.manual)
    run = [c for c in codes if c in ran]
    not_run = [c for c in codes if c not in ran]
    no_object: list[str] = []
    off: list[str] = []
    errored: list[str] = []
    for code in run:
        seen = counts.get(code) or {}
        if seen.get(Evaluation.ERROR, 0):
            errored.append(code)
        elif not (seen.get(Evaluation.PASS, 0) or seen.get(Evaluation.FAIL, 0)):
            (off if code in switched_off else no_object).append(code)
    notes = []
    if no_object:
        notes.append("no object in scope for " + ", ".join(no_object))
    if off:
        notes.append("switched off by this scan's settings: " + ", ".join(off))
    if errored:
        notes.append("rule error in " + ", ".join(errored))
    if not run:
        notes.append("not run in this scan: " + ", ".join(not_run))
    elif notes and not_run:
        notes.append("not run: " + ", ".join(not_run))
    if notes:
        # what a person must check stays in front: the rules gave no evidence either way
        text = _joined([control.manual, *notes] if control.manual else notes)
        return ControlResult(control, ControlStatus.NOT_ASSESSED, codes, findings, text)
    detail = [control.manual] if control.manual else []
    if not_run:
        detail.append("not run in this scan: " + ", ".join(not_run))
    return ControlResult(control, ControlStatus.PASS, codes, findings, _joined(detail) or None)


def _joined(parts: list[str]) -> str:
    """``parts`` joined by ``; ``, except after a part that ends a sentence (a control's manual text):
    then the next part starts a sentence of its own."""
    out = ""
    for part in parts:
        if not out:
            out = part
        elif out.endswith("."):
            out += " " + part[:1].upper() + part[1:]
        else:
            out += "; " + part
    return out
