"""Text for people: the one place where input text becomes terminal text, and the one table layout.

Every command's human-readable output goes through here, so that

- a value from the input is printed as itself: nothing is interpreted as markup (``nginx[/bold]``
  is an image name, not a style), and control characters and line breaks are shown escaped (``\\x1b``,
  ``\\n``) so that a manifest can neither drive the terminal nor break the layout;
- in a terminal, no line is longer than the terminal: a table shrinks its wrappable column, and
  when that column would become too narrow it moves onto its own indented lines;
- anywhere else (a pipe, a file), lines are plain: never wrapped, padded or coloured, and no line
  ends in spaces;
- it is fast: lines are built directly (rich's layout engine costs seconds per ten thousand rows).
"""

from __future__ import annotations

import os
import re
import shutil
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import IO, NamedTuple

from rich.cells import cell_len
from rich.color import ColorSystem
from rich.style import Style

# C0 and C1 controls (tab, newline and escape included) and the Unicode line and paragraph separators.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}

MIN_WIDTH = 40  # narrower terminals are laid out as if this wide: a table needs some room


def clean(value: object) -> str:
    """``value`` as printable text: control characters and line breaks shown escaped, nothing else changed."""
    text = str(value)
    if _CONTROL.search(text) is None:
        return text
    return _CONTROL.sub(lambda m: _NAMED.get(m.group(), f"\\x{ord(m.group()):02x}"), text)


@dataclass(frozen=True)
class Screen:
    """Where text goes: a terminal ``width`` columns wide (optionally coloured), or plain lines (``width=None``)."""

    width: int | None = None
    color: bool = False

    @classmethod
    def detect(cls, stream: IO[str] | None, *, to_file: bool = False) -> Screen:
        """The screen for ``stream``: its terminal's width when it is a terminal (and not redirected to a
        file), else plain lines. Colour follows the terminal unless ``NO_COLOR`` is set."""
        if to_file or stream is None or not _isatty(stream):
            return cls()
        width = shutil.get_terminal_size(fallback=(80, 24)).columns
        return cls(width=max(width, MIN_WIDTH), color="NO_COLOR" not in os.environ)

    def style(self, text: str, style: str | None) -> str:
        """``text`` in ``style`` (a rich style such as ``"bold red"``) when colour is on."""
        if not style or not self.color or not text:
            return text
        before, after = _ansi(style)
        return f"{before}{text}{after}"

    def fit(self, text: str, indent: int = 0, hang: int = 2) -> list[str]:
        """One line of text (already clean), wrapped to the terminal: continuation lines are indented by
        ``indent + hang``. Plain screens get it as one line."""
        line = " " * indent + text
        if self.width is None or cell_len(line) <= self.width:
            return [line.rstrip()]
        return _wrap(text, self.width, indent, indent + hang)


def _isatty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


@lru_cache(maxsize=64)
def _ansi(style: str) -> tuple[str, str]:
    marked = Style.parse(style).render("\x00", color_system=ColorSystem.STANDARD)
    before, _, after = marked.partition("\x00")
    return before, after


def _wrap(text: str, width: int, first: int, rest: int) -> list[str]:
    lines = textwrap.wrap(
        text,
        width=max(width - rest, 10) + rest,
        initial_indent=" " * first,
        subsequent_indent=" " * rest,
        break_on_hyphens=False,
        break_long_words=True,
    )
    return [line.rstrip() for line in lines] or [""]


class Styled(NamedTuple):
    """A cell's text with a rich style, applied only on colour screens."""

    text: str
    style: str


Cell = str | Styled


@dataclass(frozen=True)
class Column:
    """A table column. ``wrap``: may be wrapped to fit the terminal (the others are kept whole); a wrapped
    column narrower than ``min_width`` moves onto its own lines instead. ``right``: right-aligned."""

    header: str = ""
    wrap: bool = False
    right: bool = False
    min_width: int = 24


def table(
    columns: Sequence[Column],
    rows: Iterable[Sequence[Cell]],
    screen: Screen,
    *,
    indent: int = 0,
    header: bool = True,
    header_style: str = "bold",
    widths: Sequence[int] | None = None,
) -> list[str]:
    """The rows laid out under ``columns`` (two spaces between columns), as lines without trailing spaces.

    Every cell is cleaned (see :func:`clean`). On a plain screen nothing is wrapped. In a terminal wider
    than the table nothing changes either; otherwise the ``wrap`` columns shrink (the widest first) down
    to their ``min_width``; when that is not enough they move, the last first, onto their own lines
    below their row (in column order). ``widths`` (from :func:`measure`) lays several tables out alike.
    """
    body = [[_cell(c) for c in row] for row in rows]
    if not body:
        return []
    shown = header and any(c.header for c in columns)
    head = [(col.header, header_style) for col in columns] if shown else None
    every = [head, *body] if head else body
    plan = _plan(
        columns, list(widths) if widths is not None else _measure(every, len(columns)), screen, indent
    )
    out: list[str] = []
    for n, row in enumerate(every):
        out.extend(_row_lines(row, plan, columns, screen, indent, below=not (n == 0 and head)))
    return out


@dataclass
class _Plan:
    widths: list[int]
    wrapped: set[int]  # columns wrapped within their width
    below: list[int]  # columns printed on their own lines below the row


def _plan(columns: Sequence[Column], widths: list[int], screen: Screen, indent: int) -> _Plan:
    plan = _Plan(widths, set(), [])
    if screen.width is None:
        return plan
    shown = list(range(len(columns)))
    flexible = [i for i in shown if columns[i].wrap]
    while True:
        total = indent + sum(widths[i] for i in shown) + 2 * (len(shown) - 1)
        excess = total - screen.width
        if excess <= 0:
            return plan
        floors = {i: min(widths[i], columns[i].min_width) for i in flexible}
        if sum(widths[i] - floors[i] for i in flexible) >= excess:
            for _ in range(excess):  # shave the widest flexible column, one cell at a time
                widest = max(flexible, key=lambda i: widths[i] - floors[i])
                widths[widest] -= 1
                plan.wrapped.add(widest)
            return plan
        if not flexible:
            return plan  # lines still too long are folded as a whole (see _join)
        moved = flexible.pop()
        plan.below.insert(0, moved)
        shown.remove(moved)
        plan.wrapped.discard(moved)


def _row_lines(
    row: Sequence[tuple[str, str]],
    plan: _Plan,
    columns: Sequence[Column],
    screen: Screen,
    indent: int,
    *,
    below: bool = True,
) -> list[str]:
    pieces = {i: _wrap(row[i][0], plan.widths[i], 0, 0) for i in plan.wrapped if row[i][0]}
    height = max((len(p) for p in pieces.values()), default=1)
    lines = []
    for k in range(height):
        cells = []
        for i, (text, style) in enumerate(row):
            if i in plan.below:
                continue
            if i in pieces:
                text = pieces[i][k] if k < len(pieces[i]) else ""
            elif k:
                text = ""
            cells.append((i, text, style))
        if k == 0 and plan.below and not any(text for _, text, _ in cells):
            continue  # a row that only continues the column below
        lines.extend(_join(cells, plan.widths, columns, screen, indent))
    for i in plan.below if below else ():
        text, style = row[i]
        if text:
            lines.extend(screen.style(line, style) for line in screen.fit(text, indent + 4, 2))
    return lines


def _join(
    cells: Sequence[tuple[int, str, str]],
    widths: Sequence[int],
    columns: Sequence[Column],
    screen: Screen,
    indent: int,
) -> list[str]:
    last = max((n for n, (_, text, _) in enumerate(cells) if text), default=-1)
    plain: list[str] = []
    styled: list[str] = []
    for n, (i, text, style) in enumerate(cells[: last + 1]):
        gap = " " * (widths[i] - cell_len(text))
        if columns[i].right:
            plain.append(gap + text)
            styled.append(gap + screen.style(text, style))
        elif n == last:
            plain.append(text)
            styled.append(screen.style(text, style))
        else:
            plain.append(text + gap)
            styled.append(screen.style(text, style) + gap)
    line = " " * indent + "  ".join(plain)
    if screen.width is not None and cell_len(line) > screen.width:
        # Even the narrowest layout is too wide (long names in columns that never wrap): fold the line.
        return _wrap(line.strip(), screen.width, indent, indent + 4)
    return [(" " * indent + "  ".join(styled)).rstrip()]


def measure(columns: Sequence[Column], rows: Iterable[Sequence[Cell]], *, header: bool = True) -> list[int]:
    """Column widths that fit every row (and the headers): pass to :func:`table` to align several tables."""
    every = [[_cell(c) for c in row] for row in rows]
    if header and any(c.header for c in columns):
        every.append([(c.header, "") for c in columns])
    return _measure(every, len(columns))


def _measure(rows: Sequence[Sequence[tuple[str, str]]], n: int) -> list[int]:
    return [max((cell_len(r[i][0]) for r in rows), default=0) for i in range(n)]


def _cell(value: Cell) -> tuple[str, str]:
    if isinstance(value, Styled):
        return clean(value.text), value.style
    return clean(value), ""


def block(lines: Iterable[str]) -> str:
    """Lines as output text: each ends in a newline, none in spaces."""
    return "".join(line.rstrip() + "\n" for line in lines)
