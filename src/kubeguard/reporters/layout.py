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
    text = value if type(value) is str else str(value)
    if text.isprintable() or _CONTROL.search(text) is None:  # isprintable: the fast, common answer
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
        if self.width is None or _width(line) <= self.width:
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
    """Greedy word wrap to ``width`` (first line indented by ``first``, the others by ``rest``); a word
    longer than a line is cut. Much faster than textwrap, which matters for 100k-line reports."""
    if first + _width(text) <= width:
        return [(" " * first + text).rstrip()]
    out: list[str] = []
    line, used, empty = " " * first, first, True
    measure = len if text.isascii() else cell_len
    for word in text.split():
        size = measure(word)
        while True:
            room = width - used - (0 if empty else 1)
            if size <= room:
                line += word if empty else " " + word
                used += size if empty else size + 1
                empty = False
                break
            if not empty:
                out.append(line)
                line, used, empty = " " * rest, rest, True
                continue
            cut = max(room, 1)  # a word longer than a whole line
            # Names break best after a separator: "monitoring/" + "prometheus-" + "operator".
            soft = max(word.rfind("/", 0, cut), word.rfind("-", 0, cut))
            if soft > 0:
                cut = soft + 1
            out.append(line + word[:cut])
            word, size = word[cut:], measure(word[cut:])
            line, used = " " * rest, rest
    out.append(line)
    return [piece.rstrip() for piece in out]


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
    rows: Iterable[Sequence[Cell]] | Prepared,
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
    body = rows if isinstance(rows, Prepared) else prepare(rows)
    if not body:
        return []
    shown = header and any(c.header for c in columns)
    head = [(col.header, header_style) for col in columns] if shown else None
    every = [head, *body] if head else body
    plan = _plan(
        tuple(columns),
        tuple(widths) if widths is not None else tuple(_measure(every, len(columns))),
        screen,
        indent,
    )
    out: list[str] = []
    for n, row in enumerate(every):
        out.extend(_row_lines(row, plan, columns, screen, indent, below=not (n == 0 and head)))
    return out


@dataclass(frozen=True)
class _Plan:
    widths: tuple[int, ...]
    wrapped: frozenset[int]  # columns wrapped within their width
    below: tuple[int, ...]  # columns printed on their own lines below the row

    @property
    def starts(self) -> dict[int, int]:
        """Where each column on the row's line starts."""
        at, out = 0, {}
        for i, w in enumerate(self.widths):
            if i not in self.below:
                out[i] = at
                at += w + 2
        return out


@lru_cache(maxsize=256)
def _plan(columns: tuple[Column, ...], natural: tuple[int, ...], screen: Screen, indent: int) -> _Plan:
    """The layout of a table whose columns' widest cells are ``natural`` (cached: the scan's table asks
    once per object with the same widths)."""
    widths = list(natural)
    wrapped: set[int] = set()
    below: list[int] = []
    if screen.width is None:
        return _Plan(natural, frozenset(), ())
    shown = list(range(len(columns)))
    flexible = [i for i in shown if columns[i].wrap]
    while True:
        total = indent + sum(widths[i] for i in shown) + 2 * (len(shown) - 1)
        excess = total - screen.width
        floors = {i: min(widths[i], columns[i].min_width) for i in flexible}
        if excess <= 0 or not flexible:
            break  # fits; or lines still too long are folded as a whole (see _join)
        if sum(widths[i] - floors[i] for i in flexible) >= excess:
            for _ in range(excess):  # shave the widest flexible column, one cell at a time
                widest = max(flexible, key=lambda i: widths[i] - floors[i])
                widths[widest] -= 1
                wrapped.add(widest)
            break
        moved = flexible.pop()
        below.insert(0, moved)
        shown.remove(moved)
        wrapped.discard(moved)
    return _Plan(tuple(widths), frozenset(wrapped), tuple(below))


@lru_cache(maxsize=256)
def _starts(plan: _Plan) -> dict[int, int]:
    return plan.starts


def _width(text: str) -> int:
    return len(text) if text.isascii() else cell_len(text)


def _row_lines(
    row: Sequence[tuple[str, str]],
    plan: _Plan,
    columns: Sequence[Column],
    screen: Screen,
    indent: int,
    *,
    below: bool = True,
) -> list[str]:
    if not plan.wrapped and not plan.below:
        return _join(
            [(i, text, style) for i, (text, style) in enumerate(row)], plan.widths, columns, screen, indent
        )
    starts = _starts(plan)
    if len(plan.wrapped) == 1 and not plan.below:
        # One column wraps (the scan table's message): its first piece goes on the row's line, the
        # others on lines of their own at the column's start.
        (f,) = plan.wrapped
        text, style = row[f]
        if not columns[f].right and text:
            first, *rest = _wrap(text, plan.widths[f], 0, 0)
            cells = [(i, first if i == f else t, st) for i, (t, st) in enumerate(row)]
            pad = " " * (indent + starts[f])
            return [
                *_join(cells, plan.widths, columns, screen, indent),
                *(pad + screen.style(p, style) for p in rest),
            ]
    pieces = {i: _wrap(row[i][0], plan.widths[i], 0, 0) for i in plan.wrapped if row[i][0]}
    height = max((len(p) for p in pieces.values()), default=1)
    lines = []
    for k in range(height):
        more = [(i, p[k]) for i, p in pieces.items() if k < len(p)]
        if k and len(more) == 1 and not columns[more[0][0]].right:
            # a continuation line holding one wrapped cell (the common case): no need to lay out the row
            i, piece = more[0]
            lines.append(" " * (indent + starts[i]) + screen.style(piece, row[i][1]))
            continue
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
    last = len(cells) - 1
    while last >= 0 and not cells[last][1]:
        last -= 1
    plain: list[str] = []
    for n in range(last + 1):
        i, text, _ = cells[n]
        gap = " " * (widths[i] - _width(text))
        plain.append(gap + text if columns[i].right else text if n == last else text + gap)
    line = " " * indent + "  ".join(plain)
    if screen.width is not None and _width(line) > screen.width:
        # Even the narrowest layout is too wide (long names in columns that never wrap): fold the line.
        return _wrap(line.strip(), screen.width, indent, indent + 4)
    if not screen.color:
        return [line.rstrip()]
    styled: list[str] = []
    for n in range(last + 1):
        i, text, style = cells[n]
        gap = " " * (widths[i] - _width(text))
        text = screen.style(text, style)
        styled.append(gap + text if columns[i].right else text if n == last else text + gap)
    return [(" " * indent + "  ".join(styled)).rstrip()]


class Prepared(list[list[tuple[str, str]]]):
    """Rows with every cell cleaned, as (text, style): to measure and lay out without cleaning twice."""


def prepare(rows: Iterable[Sequence[Cell]]) -> Prepared:
    return Prepared([_cell(c) for c in row] for row in rows)


def measure(
    columns: Sequence[Column], rows: Iterable[Sequence[Cell]] | Prepared, *, header: bool = True
) -> list[int]:
    """Column widths that fit every row (and the headers): pass to :func:`table` to align several tables."""
    every: list[list[tuple[str, str]]] = list(rows if isinstance(rows, Prepared) else prepare(rows))
    if header and any(c.header for c in columns):
        every.append([(c.header, "") for c in columns])
    return _measure(every, len(columns))


def _measure(rows: Sequence[Sequence[tuple[str, str]]], n: int) -> list[int]:
    widths = []
    for i in range(n):
        texts = [r[i][0] for r in rows]
        ascii_only = "".join(texts).isascii()  # one C call instead of one per cell
        widths.append(max(map(len if ascii_only else cell_len, texts), default=0))
    return widths


def _cell(value: Cell) -> tuple[str, str]:
    if isinstance(value, Styled):
        return clean(value.text), value.style
    return clean(value), ""


def block(lines: Iterable[str]) -> str:
    """Lines as output text: each ends in a newline, none in spaces."""
    return "".join(line.rstrip() + "\n" for line in lines)
