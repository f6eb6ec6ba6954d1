"""``-f html``: one self-contained page (its behaviour in a real browser is in tests/browser)."""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path

from click.testing import CliRunner

from kubeguard.cli.main import cli
from kubeguard.findings.compliance import assess_all
from kubeguard.reporters import html, render
from tests.reports.helpers import EXAMPLES, example_report, hostile_finding

#: Attributes through which a page loads something (an <a href> is a link a person may follow).
_LOADING_ATTRS = {
    "src",
    "srcset",
    "data",
    "poster",
    "action",
    "formaction",
    "background",
    "xlink:href",
    "ping",
    "manifest",
}


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in = tag if tag in ("script", "style") else None

    def handle_endtag(self, tag: str) -> None:
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "script":
            self.scripts.append(data)
        elif self._in == "style":
            self.styles.append(data)


def _parse(text: str) -> _Page:
    page = _Page()
    page.feed(text)
    return page


def test_nothing_is_loaded_from_anywhere() -> None:
    text = render(example_report(), "html")
    page = _parse(text)
    external = re.compile(r"^\s*(https?:)?//", re.I)
    for tag, attrs in page.tags:
        for name, value in attrs.items():
            if name in _LOADING_ATTRS or (name == "href" and tag != "a"):
                assert not external.match(value or ""), (tag, name, value)
        assert tag not in ("link", "iframe", "object", "embed", "img", "video", "audio", "source", "base"), (
            tag
        )
    # no attribute but a link's href holds a URL at all (rule references are links a person may follow)
    for tag, attrs in page.tags:
        for name, value in attrs.items():
            if (tag, name) != ("a", "href"):
                assert "://" not in (value or ""), (tag, name, value)
    assert len(page.scripts) == 1 and len(page.styles) == 1
    css, js = page.styles[0], page.scripts[0]
    assert "url(" not in css and "@import" not in css and "http" not in css
    for word in ("fetch(", "XMLHttpRequest", "WebSocket", "http", "import(", "sendBeacon", "EventSource"):
        assert word not in js, word


def test_content_security_policy_allows_exactly_the_inline_script_and_style() -> None:
    text = render(example_report(), "html")
    page = _parse(text)
    (csp,) = [
        a["content"] for t, a in page.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"
    ]
    assert csp is not None and csp.startswith("default-src 'none';")

    def sha(s: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"

    assert f"script-src {sha(page.scripts[0])};" in csp
    assert f"style-src {sha(page.styles[0])};" in csp


def test_summary_counts_charts_and_frameworks() -> None:
    report = example_report()
    text = render(report, "html")
    s = report.summary()
    assert f'<div class="stat" id="stat-findings"><b>{s["findings"]}</b>' in text
    for label, n in s["bySeverity"].items():
        assert f'<rect class="bar-{label}" data-count="{n}"' in text
    for a in assess_all(report):
        if a.controls:
            score = "n/a" if a.score is None else f"{a.score:g}%"
            row = re.search(rf'<tr data-framework="{re.escape(a.framework.id)}">.*?</tr>', text, re.S)
            assert row is not None and f'<td class="num">{score}</td>' in row.group()


def test_every_finding_with_message_fix_excerpt_and_rule_docs() -> None:
    report = example_report()
    text = render(report, "html")
    cards = re.findall(r'<article class="finding[^"]*" id="f-\d+"', text)
    assert len(cards) == len(report.findings)
    priv = re.search(r'<article[^>]*data-rule="PSS002".*?</article>', text, re.S)
    assert priv is not None
    card = priv.group()
    assert 'data-severity="critical"' in card and 'data-namespace="shop"' in card
    assert "Remove securityContext.privileged or set it to false." in card
    assert '<span class="ln focus"><span class="no">32</span>            privileged: true</span>' in card
    assert '<section class="group" id="rule-PSS002"' in text
    docs = re.search(r'id="rule-PSS002".*?<details class="doc">(.*?)</details>', text, re.S)
    assert docs is not None and "<h2>What it does</h2>" in docs.group(1)


def test_input_text_is_escaped() -> None:
    report = example_report()
    report.findings = [hostile_finding(f, i) for i, f in enumerate(report.findings[:3])]
    report.warnings.append("<img src=x onerror=alert(1)>")
    text = render(report, "html")
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "<img" not in text and "&lt;img src=x onerror=alert(1)&gt;" in text
    assert "<i>x</i>" not in text


def test_cli_and_reproducible_time(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    result = CliRunner().invoke(
        cli,
        ["scan", "--no-progress", str(EXAMPLES / "insecure"), "-f", "html", "-o", str(out)],
        env={"SOURCE_DATE_EPOCH": "1700000000"},
    )
    assert result.exit_code == 1, result.output
    text = out.read_text()
    assert text.startswith("<!DOCTYPE html>") and "2023-11-14 22:13 UTC" in text
    assert html.render(example_report()).count("<html") == 1
