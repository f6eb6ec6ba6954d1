"""Which fixes a scan offers, and what they change: file edits, refusals, suggested patches.

A finding is fixed when it is not suppressed (an accepted risk stays as it is), its rule's fix
offered edits for it, and the fix is safe or unsafe fixes were asked for. Objects read from a file
are edited in that file (:mod:`kubeguard.fix.editor`); rendered objects (Kustomize, Helm, standard
input) get a suggested patch instead (:mod:`kubeguard.fix.patches`), because their file is not
what is deployed.
"""

from __future__ import annotations

import difflib
import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from kubeguard.findings.report import Finding, ScanReport, TextChange
from kubeguard.fix.editor import EditError, edit_text
from kubeguard.fix.patches import strategic_merge_patch
from kubeguard.model.resource import ObjectRef, Resource
from kubeguard.rules.fix import Edit, FixSafety

#: Why a rendered object is not edited, by origin.
RENDERED_REASONS = {
    "kustomize": "rendered by Kustomize: add this strategic-merge patch to the overlay's `patches:` "
    "(or change the base file named above)",
    "helm": "rendered by Helm: the template is not YAML, so make this change in the template "
    "(or in the values it reads)",
    "stdin": "read from standard input: there is no file to edit; apply the change where the "
    "manifest comes from (`kubectl patch --type strategic` takes this patch)",
    "cluster": "read from a live cluster: nothing there is edited; change the manifests it was "
    "deployed from (`kubectl patch --type strategic` takes this patch)",
}


def applies(finding: Finding, unsafe: bool) -> bool:
    """Whether ``kubeguard fix`` applies this finding's fix."""
    if finding.suppressed or not finding.edits or finding.fix_safety is None:
        return False
    return finding.fix_safety is FixSafety.SAFE or unsafe


def editable(finding: Finding) -> bool:
    """The finding's object was read from a file that ``fix`` may edit."""
    source = finding.source
    return source is not None and source.origin == "file" and source.text_key is not None


def is_json_file(path: str) -> bool:
    return path.endswith(".json")


@dataclass
class FileChange:
    """A file the fixes change: its text before and after, and the findings fixed in it."""

    path: str
    display: str
    before: str
    after: str
    findings: list[Finding] = field(default_factory=list)

    def diff(self) -> str:
        name = self.display.replace(os.sep, "/").lstrip("/")
        return "".join(
            difflib.unified_diff(
                self.before.splitlines(keepends=True),
                self.after.splitlines(keepends=True),
                fromfile=f"a/{name}",
                tofile=f"b/{name}",
            )
        )


@dataclass(frozen=True)
class Refusal:
    """A file whose fixes were not applied, and why."""

    file: str
    reason: str
    findings: int


@dataclass
class Suggestion:
    """A patch for a rendered object, which is not edited."""

    file: str
    object: ObjectRef
    origin: str
    patch: dict[str, Any]
    rules: list[str] = field(default_factory=list)

    @property
    def reason(self) -> str:
        return RENDERED_REASONS.get(self.origin, "not read from a file: nothing is edited")


@dataclass
class FixPlan:
    changes: list[FileChange] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)
    #: Findings with an unsafe fix that was not applied (no --unsafe-fixes).
    unsafe_skipped: int = 0


def read_text(path: str) -> str:
    """A file's text as it is on disk (line endings kept)."""
    with open(path, encoding="utf-8", newline="") as fh:
        return fh.read()


def write_text(path: str, text: str) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)


def _unique(edits: Iterable[Edit]) -> list[Edit]:
    seen: set[tuple[str, str, str]] = set()
    out = []
    for e in edits:
        if e.ident() not in seen:
            seen.add(e.ident())
            out.append(e)
    return out


def fixed_text(
    text: str, by_document: dict[int, list[Edit]], *, is_json: bool, problems: dict[int, str] | None = None
) -> str:
    """``text`` with the edits applied; CRLF files keep their line endings. With ``problems``, the
    YAML documents that cannot be edited are kept and named there (see :func:`edit_text`)."""
    crlf = "\r\n" in text
    if crlf:
        text = text.replace("\r\n", "\n")
    out = edit_text(text, {d: _unique(e) for d, e in by_document.items()}, is_json=is_json, problems=problems)
    return out.replace("\n", "\r\n") if crlf else out


def plan(
    report: ScanReport,
    resources: Sequence[Resource],
    *,
    unsafe: bool,
    read: Callable[[str], str] = read_text,
) -> FixPlan:
    """What applying the report's fixes changes (nothing is written)."""
    result = FixPlan()
    by_file: dict[str, dict[int, list[Edit]]] = defaultdict(lambda: defaultdict(list))
    findings_of: dict[str, list[Finding]] = defaultdict(list)
    display: dict[str, str] = {}
    rendered: dict[tuple[str, int, ObjectRef], list[Finding]] = defaultdict(list)
    for f in report.findings:
        if not applies(f, unsafe):
            if f.edits and not f.suppressed and f.fix_safety is FixSafety.UNSAFE:
                result.unsafe_skipped += 1
            continue
        assert f.source is not None
        if editable(f):
            path = f.source.text_key
            assert path is not None
            by_file[path][f.source.document].extend(f.edits)
            findings_of[path].append(f)
            display[path] = f.file
        else:
            rendered[(f.file, f.source.document, f.object)].append(f)
    for path, docs in by_file.items():
        problems: dict[int, str] = {}
        try:
            before = read(path)
            after = fixed_text(before, docs, is_json=is_json_file(path), problems=problems)
        except (EditError, OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror or str(exc) if isinstance(exc, OSError) else str(exc)
            result.refusals.append(Refusal(display[path], reason, len(findings_of[path])))
            continue
        findings = findings_of[path]
        for document, reason in sorted(problems.items()):
            left = [f for f in findings if f.source is not None and f.source.document == document]
            result.refusals.append(Refusal(display[path], f"document {document + 1}: {reason}", len(left)))
        findings = [f for f in findings if f.source is None or f.source.document not in problems]
        if after != before:
            result.changes.append(FileChange(path, display[path], before, after, findings))
    result.suggestions = _suggestions(rendered, resources)
    return result


def _suggestions(
    rendered: dict[tuple[str, int, ObjectRef], list[Finding]], resources: Sequence[Resource]
) -> list[Suggestion]:
    if not rendered:
        return []
    objects = {(r.source.file, r.source.document, r.ref): r for r in resources}
    out = []
    for key, findings in rendered.items():
        resource = objects.get(key)
        if resource is None:
            continue
        base = resource.source.base
        edits = [e for f in findings for e in f.edits]
        if base:  # an item of a List: the patch is for the object itself
            edits = [type(e)(e.op, type(e.at)(e.at[len(base) :]), e.value) for e in edits]
        patch = strategic_merge_patch(resource.raw, _unique(edits))
        if patch is not None:
            rules = sorted({f.rule.code for f in findings})
            out.append(Suggestion(key[0], key[2], resource.source.origin, patch, rules))
    return out


def text_changes(finding: Finding, read: Callable[[str], str] = read_text) -> tuple[TextChange, ...] | None:
    """The finding's fix as replacements in its file (SARIF ``fixes``); ``None`` when not editable."""
    if not finding.edits or not editable(finding):
        return None
    assert finding.source is not None and finding.source.text_key is not None
    path = finding.source.text_key
    try:
        before = read(path)
        after = fixed_text(before, {finding.source.document: list(finding.edits)}, is_json=is_json_file(path))
    except (EditError, OSError, UnicodeDecodeError):
        return None
    return replacements(before, after) or None


def replacements(before: str, after: str) -> tuple[TextChange, ...]:
    """Line-wise replacements turning ``before`` into ``after`` (1-based, end exclusive)."""
    old = before.splitlines(keepends=True)
    new = after.splitlines(keepends=True)
    starts = [0]
    for line in old:
        starts.append(starts[-1] + len(line))
    out = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        out.append(
            TextChange(
                i1 + 1, 1, i2 + 1, 1, "".join(new[j1:j2]), starts[i1], starts[i2] - starts[i1], i2 == len(old)
            )
        )
    return tuple(out)
