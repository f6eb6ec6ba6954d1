"""The shared text layout: cleaning input text, terminal widths, plain lines."""

from __future__ import annotations

import re

import pytest

from kubeguard.api import scan
from kubeguard.model.config import Config
from kubeguard.reporters import render
from kubeguard.reporters.layout import Column, Screen, Styled, block, clean, table

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def test_clean_escapes_controls_and_keeps_everything_else():
    assert clean("nginx[/bold]:latest") == "nginx[/bold]:latest"
    assert clean("a\nb\tc\x1b[2Jd\x9be\u2028") == "a\\nb\\tc\\x1b[2Jd\\x9be\\x2028"
    assert clean(42) == "42"


COLUMNS = (Column("NAME"), Column("KIND"), Column("WHY", wrap=True, min_width=20))
ROWS = [
    ("web", "Deployment", "because " * 20 + "end"),
    ("a-much-longer-name", "Pod", "short"),
]


def test_plain_screen_keeps_rows_whole_and_aligned():
    lines = table(COLUMNS, ROWS, Screen())
    assert lines[0] == "NAME                KIND        WHY"
    assert lines[1].startswith("web                 Deployment  because because")
    assert lines[1].endswith("end")
    assert lines[2] == "a-much-longer-name  Pod         short"
    assert len(lines) == 3


@pytest.mark.parametrize("width", [40, 80, 120, 200])
def test_terminal_lines_fit_and_keep_every_word(width):
    lines = table(COLUMNS, ROWS, Screen(width=width))
    assert all(len(line) <= width for line in lines)
    assert all(line == line.rstrip() for line in lines)
    words = " ".join(lines).split()
    assert words.count("because") == 20 and "end" in words


def test_too_narrow_a_wrapped_column_moves_below_its_row():
    columns = (Column("NAME"), Column("WHY", wrap=True, min_width=30))
    lines = table(columns, [("x" * 30, "one two three four five six seven eight nine ten")], Screen(width=45))
    assert lines[1] == "x" * 30
    assert lines[2].startswith("    one two")


def test_a_cell_that_cannot_fit_is_folded_not_overflowing():
    lines = table((Column("A"), Column("B")), [("a" * 70, "b" * 30)], Screen(width=50), header=False)
    assert all(len(line) <= 50 for line in lines)
    assert "".join(line.strip() for line in lines).replace(" ", "") == "a" * 70 + "b" * 30


def test_colour_only_on_colour_screens():
    rows = [(Styled("HIGH", "bold red"), "x")]
    assert not ANSI.search("".join(table((Column(), Column()), rows, Screen(width=80))))
    coloured = table((Column(), Column()), rows, Screen(width=80, color=True))
    assert ANSI.search(coloured[0]) and ANSI.sub("", coloured[0]) == "HIGH  x"


def test_block_ends_lines_and_strips_trailing_spaces():
    assert block(["a  ", "", "b"]) == "a\n\nb\n"


@pytest.fixture(scope="module")
def report():
    return scan(["examples/insecure"], config=Config())


@pytest.mark.parametrize("width", [80, 120, 200])
def test_scan_table_fits_the_terminal(report, width):
    text = render(report, "table", screen=Screen(width=width))
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= width
    assert all(line == line.rstrip() for line in lines)
    # every finding's rule is shown, once per finding
    shown = sum(1 for line in lines if re.match(r"\s+(CRITICAL|HIGH|MEDIUM|LOW|INFO)\s", line))
    assert shown == sum(1 for f in report.findings if not f.suppressed)


def test_scan_table_not_a_terminal_is_one_line_per_finding(report):
    text = render(report, "table")
    lines = text.splitlines()
    assert all(line == line.rstrip() for line in lines)
    for f in report.findings:
        if not f.suppressed:
            assert any(line.endswith(f.message) and f.rule.code in line for line in lines), f.message


def test_scan_table_widths_use_the_room_a_wide_terminal_gives(report):
    wide = render(report, "table", screen=Screen(width=200)).splitlines()
    narrow = render(report, "table", screen=Screen(width=80)).splitlines()
    assert len(wide) < len(narrow)


class _Stream:
    def __init__(self, tty: bool) -> None:
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def test_screen_follows_the_terminal_and_only_the_terminal(monkeypatch):
    monkeypatch.setenv("COLUMNS", "93")
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert Screen.detect(_Stream(True)) == Screen(width=93, color=True)
    assert Screen.detect(_Stream(False)) == Screen()  # a pipe or a file: plain lines
    assert Screen.detect(_Stream(True), to_file=True) == Screen()  # --output FILE
    monkeypatch.setenv("NO_COLOR", "1")
    assert Screen.detect(_Stream(True)) == Screen(width=93, color=False)
    monkeypatch.setenv("COLUMNS", "12")
    assert Screen.detect(_Stream(True)).width == 40  # too narrow for any table: laid out as 40


def test_a_name_too_long_for_its_column_breaks_after_a_separator():
    # netpol matrix at 80 columns printed "monitoring/prometheus-operato" and "r" on the next line.
    lines = Screen(width=20).fit("monitoring/prometheus-operator", 0, 2)
    assert lines == ["monitoring/", "  prometheus-", "  operator"]
    assert Screen(width=10).fit("abcdefghijklmnopqrstuvwxyz", 0, 0) == ["abcdefghij", "klmnopqrst", "uvwxyz"]
