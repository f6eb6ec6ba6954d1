"""Evaluation, Finding and ScanReport: everything a reporter needs, and nothing it must compute."""

from __future__ import annotations

import enum
import hashlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from kubeguard.model.errors import InputError
from kubeguard.model.kinds import api_group
from kubeguard.model.resource import ObjectRef, SourceLocation
from kubeguard.rules.fix import Edit, FixSafety
from kubeguard.rules.rule import Rule, Severity


class Evaluation(enum.IntEnum):
    """The outcome of one rule on one resource."""

    NOT_APPLICABLE = 0
    PASS = 1
    FAIL = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name


@dataclass(frozen=True, slots=True)
class TextChange:
    """A replacement in a file, as SARIF's ``replacements``: 1-based lines and columns (end
    exclusive) and the same region as character offsets; ``to_end``: the region runs to the end of
    the file (its end is past the last line)."""

    start_line: int
    start_column: int
    end_line: int
    end_column: int
    inserted: str
    offset: int = 0
    length: int = 0
    to_end: bool = False


@dataclass(slots=True)
class Finding:
    """One violation of one rule by one object, located at a field.

    ``edits`` are the edits of the rule's fix for this violation, on the object's document
    (``source`` says where that is), ``fix_safety`` how safe they are; empty when no fix is offered. ``changes`` is the same fix as
    text replacements in ``file``, when it was worked out (SARIF output of an editable file).
    """

    rule: Rule
    object: ObjectRef
    message: str
    pointer: str
    file: str
    line: int | None = None
    column: int | None = None
    document: int | None = None
    suppressed: bool = False
    suppression: str | None = None  # "annotation: <reason>" or "exception: <reason>"
    compliance: dict[str, list[str]] = field(default_factory=dict)
    key: str | None = None  # tells apart findings at the same field (see Violation.key)
    edits: tuple[Edit, ...] = ()
    fix_safety: FixSafety | None = None
    source: SourceLocation | None = None
    changes: tuple[TextChange, ...] | None = None

    @property
    def severity(self) -> Severity:
        return self.rule.severity

    @property
    def fix(self) -> str | None:
        """``safe`` or ``unsafe`` when the rule's fix offers edits for this finding, else ``None``."""
        return self.fix_safety.value if self.edits and self.fix_safety is not None else None

    @property
    def fingerprint(self) -> str:
        """Stable across runs and line moves: rule, object identity, field, and key when there is one."""
        o = self.object
        ident = f"{self.rule.code}|{api_group(o.api_version)}|{o.kind}|{o.namespace or ''}|{o.name}|{self.pointer}"
        if self.key is not None:
            ident += f"|{self.key}"
        return hashlib.sha256(ident.encode()).hexdigest()[:32]

    def sort_key(self) -> tuple[Any, ...]:
        return (self.file, self.line or 0, self.rule.code, self.pointer, self.key or "", self.message)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule.code,
            "slug": self.rule.slug,
            "title": self.rule.title,
            "severity": self.rule.severity.label,
            "resource": self.object.to_dict(),
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "pointer": self.pointer,
            "key": self.key,
            "message": self.message,
            "suppressed": self.suppressed,
            "suppression": self.suppression,
            "compliance": self.compliance,
            "fingerprint": self.fingerprint,
            "fix": self.fix,
        }


@dataclass(frozen=True, slots=True)
class RuleError:
    """A rule raised on a resource: recorded as an ERROR evaluation, never a crash."""

    rule: str
    object: ObjectRef
    file: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "resource": self.object.to_dict(),
            "file": self.file,
            "message": self.message,
        }


class EvaluationTable:
    """Every evaluation of a scan, kept compactly: one byte per rule and resource."""

    def __init__(self, rules: list[str]) -> None:
        self.rules = rules
        self.objects: list[ObjectRef] = []
        self.rows: list[bytes] = []
        self._counts: dict[str, Counter[Evaluation]] | None = None

    def add(self, obj: ObjectRef, row: bytes) -> None:
        self.objects.append(obj)
        self.rows.append(row)
        self._counts = None

    def __iter__(self) -> Iterator[tuple[str, ObjectRef, Evaluation]]:
        for obj, row in zip(self.objects, self.rows, strict=True):
            for code, status in zip(self.rules, row, strict=True):
                yield code, obj, Evaluation(status)

    def get(self, code: str, obj: ObjectRef) -> Evaluation:
        col = self.rules.index(code)
        for o, row in zip(self.objects, self.rows, strict=True):
            if o == obj:
                return Evaluation(row[col])
        raise KeyError((code, obj))

    def counts(self) -> dict[str, Counter[Evaluation]]:
        """Per rule code, how many resources got each outcome."""
        if self._counts is None:
            # One column of the table is every n-th byte of the rows joined: slicing and
            # bytes.count run in C, so this costs little even at 50k resources x 200 rules.
            table = b"".join(self.rows)
            n = len(self.rules)
            counts: dict[str, Counter[Evaluation]] = {}
            for i, code in enumerate(self.rules):
                column = table[i::n]
                counts[code] = Counter({e: c for e in Evaluation if (c := column.count(e))})
            self._counts = counts
        return self._counts


@dataclass(slots=True)
class ScanReport:
    """The result of a scan."""

    findings: list[Finding] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    rule_errors: list[RuleError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    evaluations: EvaluationTable = field(default_factory=lambda: EvaluationTable([]))
    resources: int = 0
    files: int = 0
    options: dict[str, Any] = field(default_factory=dict)
    #: Codes of the rules the scan's options switched off (``enabled(ctx)`` false in every view, such as
    #: baseline PSS rules that a restricted control replaces): they judged nothing, by design.
    switched_off: frozenset[str] = frozenset()

    def active_findings(self) -> list[Finding]:
        return [f for f in self.findings if not f.suppressed]

    def has_findings_at(self, threshold: Severity) -> bool:
        return any(f.severity >= threshold for f in self.findings if not f.suppressed)

    def exit_code(self, fail_on: Severity = Severity.LOW) -> int:
        """0 clean, 1 findings at or above ``fail_on``, 3 some input unreadable (and no such finding)."""
        if self.has_findings_at(fail_on):
            return 1
        if self.errors or self.rule_errors:
            return 3
        return 0

    def summary(self) -> dict[str, Any]:
        by_sev = Counter(f.severity.label for f in self.findings if not f.suppressed)
        return {
            "resources": self.resources,
            "files": self.files,
            "rules": len(self.rules),
            "findings": len(self.active_findings()),
            "suppressed": sum(1 for f in self.findings if f.suppressed),
            "errors": len(self.errors) + len(self.rule_errors),
            "bySeverity": {s.label: by_sev.get(s.label, 0) for s in Severity},
        }
