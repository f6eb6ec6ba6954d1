"""HTML output: one self-contained file people open in a browser, print, or attach to a ticket.

Everything is inline (CSS, JavaScript, SVG charts); the page loads nothing from anywhere, which its
Content-Security-Policy enforces (``default-src 'none'``, the one script and the one style allowed by
their hashes). Built with Jinja2 with autoescaping on, so text from the input is always shown as
text. The page has a summary, severity counts and a chart of them, each compliance framework's score
(:func:`kubeguard.findings.compliance.assess_all`) with a chart, the findings grouped by rule (with
the rule's documentation) or by object, each with its message, fix and the source lines around it
(:mod:`kubeguard.loading.excerpt`: values that may be secret are hidden), filters by severity,
family and namespace, a search box and a sort order, and a print style.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from jinja2 import Environment, StrictUndefined, select_autoescape
from markdown_it import MarkdownIt
from markupsafe import Markup

from kubeguard._version import __version__
from kubeguard.findings.compliance import FrameworkAssessment, assess_all
from kubeguard.findings.report import Finding, ScanReport
from kubeguard.loading.excerpt import SourceExcerpts
from kubeguard.reporters.families import family_title
from kubeguard.reporters.layout import clean
from kubeguard.rules.rule import Rule, Severity

_CLUSTER = "(cluster)"
_BAR_SPAN = 260


@cache
def _asset(name: str) -> str:
    return resources.files("kubeguard.reporters").joinpath("templates", name).read_text(encoding="utf-8")


@cache
def _environment() -> Environment:
    env = Environment(
        autoescape=select_autoescape(default=True, default_for_string=True), undefined=StrictUndefined
    )
    return env


@cache
def _markdown() -> MarkdownIt:
    # Rule docs are kubeguard's own text; raw HTML in them is still shown as text, not markup.
    return MarkdownIt("commonmark", {"html": False}).enable("table")


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


@dataclass(frozen=True, slots=True)
class _Line:
    number: int
    focus: bool
    segments: tuple[tuple[str, bool], ...]


def _finding_view(n: int, f: Finding, excerpts: SourceExcerpts) -> dict[str, Any]:
    obj = f.object
    location = f"{f.file}:{f.line}" if f.line is not None else f.file
    excerpt = excerpts.get(f.file, f.line)
    lines = (
        [_Line(line.number, line.number == excerpt.focus, line.segments) for line in excerpt.lines]
        if excerpt is not None
        else []
    )
    message = clean(f.message)
    return {
        "id": n,
        "severity": f.severity.label,
        "rule": f.rule.code,
        "family": f.rule.family,
        "namespace": obj.namespace or _CLUSTER,
        "object": clean(str(obj)),
        "file": clean(f.file),
        "line": f.line,
        "location": clean(location),
        "message": message,
        "fix": f.rule.remediation,
        "suppressed": f.suppressed,
        "suppression": clean(f.suppression or ""),
        "excerpt": lines,
        "search": " ".join((message, str(obj), location, f.rule.code, f.rule.slug, f.rule.title)).lower(),
    }


def _rule_view(rule: Rule, findings: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "code": rule.code,
        "slug": rule.slug,
        "title": rule.title,
        "severity": rule.severity.label,
        "doc": Markup(_markdown().render(rule.doc or rule.title)),
        "findings": findings,
    }


def _severity_chart(counts: dict[str, int]) -> dict[str, Any]:
    top = max(counts.values(), default=0) or 1
    bars = [
        {
            "label": s.label,
            "count": counts.get(s.label, 0),
            "y": i * 26,
            "width": round(_BAR_SPAN * counts.get(s.label, 0) / top, 1),
        }
        for i, s in enumerate(sorted(Severity, reverse=True))
    ]
    return {
        "width": 70 + _BAR_SPAN + 50,
        "height": len(bars) * 26,
        "left": 70,
        "span": _BAR_SPAN,
        "bars": bars,
    }


def _framework_views(assessments: list[FrameworkAssessment]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    views: list[dict[str, Any]] = []
    bars: list[dict[str, Any]] = []
    for i, a in enumerate(assessments):
        fw, score = a.framework, a.score
        text = "n/a" if score is None else f"{score:g}%"
        views.append(
            {"id": fw.id, "title": fw.title, "version": fw.version, "score_text": text, "counts": a.counts()}
        )
        width = 0.0 if score is None else round(_BAR_SPAN * score / 100, 1)
        bars.append(
            {
                "label": fw.id,
                "value": "" if score is None else f"{score:g}",
                "text": text,
                "y": i * 26,
                "width": width,
            }
        )
    left = 8 + 7 * max((len(a.framework.id) for a in assessments), default=0)
    chart = {
        "width": left + _BAR_SPAN + 60,
        "height": len(bars) * 26,
        "left": left,
        "span": _BAR_SPAN,
        "bars": bars,
    }
    return views, chart


def _frameworks(report: ScanReport) -> list[FrameworkAssessment]:
    return [a for a in assess_all(report) if a.controls]


def render(report: ScanReport, *, now: dt.datetime | None = None) -> str:
    """The scan report as one self-contained HTML page (with every bundled framework's score)."""
    return _page(report, _frameworks(report), title="kubeguard scan report", controls=False, now=now)


def render_compliance(
    assessments: Sequence[FrameworkAssessment], report: ScanReport, *, now: dt.datetime | None = None
) -> str:
    """``kubeguard compliance -f html``: the page of the scan, with the chosen frameworks' scores and
    each framework's controls (status, title, findings linked to their cards, what to check)."""
    return _page(report, list(assessments), title="kubeguard compliance report", controls=True, now=now)


def _control_tables(assessments: Sequence[FrameworkAssessment], ids: dict[int, int]) -> list[dict[str, Any]]:
    tables = []
    for a in assessments:
        rows = [
            {
                "id": c.id,
                "title": c.title,
                "status": c.status.value,
                "rules": ", ".join(c.rules),
                "findings": [ids[id(f)] for f in c.findings if id(f) in ids],
                "active": len(c.active_findings),
                "detail": c.detail or "",
            }
            for c in a.controls
        ]
        fw = a.framework
        tables.append({"id": fw.id, "title": fw.title, "version": fw.version, "controls": rows})
    return tables


def _page(
    report: ScanReport,
    assessments: Sequence[FrameworkAssessment],
    *,
    title: str,
    controls: bool,
    now: dt.datetime | None,
) -> str:
    excerpts = SourceExcerpts()
    ordered = sorted(report.findings, key=lambda f: (-f.severity, f.rule.code, *f.sort_key()))
    by_rule: dict[str, list[dict[str, Any]]] = {}
    rules = {r.code: r for r in report.rules}
    ids: dict[int, int] = {}
    for n, f in enumerate(ordered):
        rules.setdefault(f.rule.code, f.rule)
        ids[id(f)] = n
        by_rule.setdefault(f.rule.code, []).append(_finding_view(n, f, excerpts))
    rule_views = [_rule_view(rules[code], views) for code, views in by_rule.items()]
    summary = report.summary()
    by_severity = summary["bySeverity"]
    namespaces = sorted({f.object.namespace or _CLUSTER for f in report.findings})
    families = sorted({f.rule.family for f in report.findings})
    framework_views, framework_chart = _framework_views(list(assessments))
    css, js = _asset("report.css"), _asset("report.js")
    csp = f"default-src 'none'; script-src {_hash(js)}; style-src {_hash(css)}; img-src data:; base-uri 'none'; form-action 'none'"
    moment = now or _now()
    page = _environment().from_string(_asset("report.html.j2"))
    return page.render(
        title=title,
        version=__version__,
        generated=moment.strftime("%Y-%m-%d %H:%M UTC") if moment else "",
        summary=summary,
        severities=[
            {"label": s.label, "count": by_severity.get(s.label, 0)} for s in sorted(Severity, reverse=True)
        ],
        chart=_severity_chart(by_severity),
        frameworks=framework_views,
        fchart=framework_chart,
        control_tables=_control_tables(assessments, ids) if controls else [],
        families=[{"code": code, "title": family_title(code)} for code in families],
        namespaces=[{"value": ns, "label": ns} for ns in namespaces],
        rules=rule_views,
        errors=[clean(e) for e in report.errors]
        + [clean(f"{e.file}: rule {e.rule} failed on {e.object}: {e.message}") for e in report.rule_errors],
        warnings=[clean(w) for w in report.warnings],
        css=Markup(css),
        js=Markup(js),
        csp=csp,
    )


def _now() -> dt.datetime | None:
    """The time of the run, or ``SOURCE_DATE_EPOCH`` (reproducible builds' variable) when it is set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime.now(dt.UTC)
