"""A fast path for mapping pointers to lines in block-style YAML, without composing the document.

Most manifests are block YAML: keys at one indentation, nested blocks deeper, sequences as ``- ``
lines. This walker follows a pointer through such text line by line. Whenever it meets something
it does not model exactly (flow collections it would have to enter, anchors, aliases, tags, merge
keys, complex keys, tabs, a value it cannot place) it returns ``None`` and the caller composes the
document instead, so it never guesses. A property test checks it against the composer on every
fixture of the project.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

Position = tuple[int, int]  # 0-based line, 0-based column

_AMBIGUOUS_KEYS = frozenset({"true", "false", "null", ""})
_SPECIAL_START = ("&", "*", "!", "? ", "<<", "%", "@", "`")


class Lines:
    """A file's lines with what the walker asks of each, computed once per file."""

    __slots__ = ("doc_starts", "indent", "items", "keys", "lines", "skip")

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.indent = [len(ln) - len(ln.lstrip(" ")) for ln in self.lines]
        # blank and comment-only lines carry no structure
        self.skip = [not ln.strip() or ln.lstrip().startswith("#") for ln in self.lines]
        # Mapping and sequence regions already indexed: (line, col) -> keys / item starts.
        self.keys: dict[tuple[int, int], dict[str, tuple[int, int]] | None] = {}
        self.items: dict[tuple[int, int], list[tuple[int, int]] | None] = {}
        self.doc_starts = [
            i
            for i, ln in enumerate(self.lines)
            if ln.startswith(("---", "...")) and (len(ln) == 3 or ln[3] in " \t")
        ]

    def doc_end(self, start: int) -> int:
        i = bisect.bisect_right(self.doc_starts, start)
        return self.doc_starts[i] if i < len(self.doc_starts) else len(self.lines)


def _is_dash(text: str) -> bool:
    return text.startswith("- ") or text.rstrip() == "-"


def _key_at(line: str, col: int, key: str) -> int | None:
    """If ``line`` has ``key:`` at ``col``, the column where its value text starts (after ':')."""
    first = line[col : col + 1]
    if first != key[:1] and first not in ("'", '"'):
        return None
    for quoted in (key, f'"{key}"', f"'{key}'"):
        end = col + len(quoted)
        if line.startswith(quoted, col) and line.startswith(":", end):
            after = end + 1
            if after >= len(line) or line[after] in " \r\n":
                return after
    return None


def _content_start(line: str, col: int) -> int | None:
    """First non-space column at or after ``col`` on ``line`` that is not a comment."""
    i = col
    n = len(line)
    while i < n and line[i] == " ":
        i += 1
    if i >= n or line[i] in "\r\n#":
        return None
    return i


_SIMPLE_KEY = re.compile(r"[A-Za-z0-9_./-]+:(?:[ \r\n]|$)")


def _looks_like_key(text: str) -> bool:
    if _SIMPLE_KEY.match(text):
        return True
    i = text.find(":")
    while i != -1:
        if i + 1 >= len(text) or text[i + 1] in " \r\n":
            head = text[:i]
            return head[:1] in "\"'" or not any(c in head for c in "{}[],#&*!|>%@`")
        i = text.find(":", i + 1)
    return False


def _next_content(f: Lines, after: int, end: int) -> int | None:
    skip = f.skip
    for j in range(after + 1, end):
        if not skip[j]:
            return j
    return None


def _value_start(f: Lines, line: int, value_col: int, parent_col: int, end: int) -> tuple[int, int] | None:
    """Where the block value of a key (or item) starts, when it is a block collection."""
    text_line = f.lines[line]
    start = _content_start(text_line, value_col)
    if start is not None:
        text = text_line[start:]
        if text.startswith(_SPECIAL_START) or text[0] in "{[|>\"'":
            return None  # inline collection, block scalar, anchor, alias, tag: let the composer decide
        if _is_dash(text) or _looks_like_key(text):
            return line, start
        return None  # a plain scalar: nothing inside it
    j = _next_content(f, line, end)
    if j is None:
        return None
    ind = f.indent[j]
    text = f.lines[j][ind:]
    if text.startswith("\t") or text.startswith(_SPECIAL_START):
        return None
    if ind > parent_col or (ind == parent_col and _is_dash(text)):
        return j, ind
    return None


def _index_keys(f: Lines, line0: int, col: int, end: int) -> dict[str, tuple[int, int]] | None:
    """Every plain or quoted key of the block mapping at (line0, col) -> (line, value column);
    ``None`` when the mapping holds anything the walker does not model."""
    lines, indent, skip = f.lines, f.indent, f.skip
    keys: dict[str, tuple[int, int]] = {}
    if "\t" in lines[line0][:col]:
        return None
    for j in range(line0, end):
        cur = lines[j]
        if j != line0:
            if skip[j]:
                continue
            ind = indent[j]
            if ind != col:
                if ind < col:
                    break
                continue
            if _is_dash(cur[col:]):
                continue  # an indentless sequence belonging to the previous key
        text = cur[col:]
        if text.startswith(_SPECIAL_START) or text.startswith("\t"):
            return None
        m = _SIMPLE_KEY.match(text)
        if m is not None:
            colon = text.index(":")
            key = text[:colon]
        elif text[:1] in ("'", '"') and _looks_like_key(text):
            quote = text[0]
            close = text.find(quote, 1)
            if close < 0 or text[close + 1 : close + 2] != ":":
                return None
            key = text[1:close]
            colon = close + 1
            if (quote == '"' and "\\" in key) or (quote == "'" and "''" in key):
                return None
        else:
            return None
        keys[key] = (j, col + colon + 1)
    return keys


def _find_key(f: Lines, line0: int, col: int, end: int, key: str) -> tuple[int, int] | bool | None:
    """``(line, value_col)`` of ``key`` in the block mapping at (line0, col); ``False`` if surely
    absent; ``None`` if unsure."""
    region = (line0, col)
    if region in f.keys:
        keys = f.keys[region]
    else:
        keys = f.keys[region] = _index_keys(f, line0, col, end)
    if keys is None:
        return None
    return keys.get(key, False)


def _index_items(f: Lines, line0: int, col: int, end: int) -> list[tuple[int, int]] | None:
    lines, indent, skip = f.lines, f.indent, f.skip
    items: list[tuple[int, int]] = []
    for j in range(line0, end):
        if skip[j]:
            continue
        ind = col if j == line0 else indent[j]
        if ind < col:
            break
        if ind > col:
            continue
        cur = lines[j]
        if not _is_dash(cur[col:]):
            if not items:
                return None
            break
        inner = _content_start(cur, col + 1)
        if inner is None:
            nxt = _next_content(f, j, end)
            if nxt is None or indent[nxt] <= col:
                items.append((-1, -1))  # an empty item: unsure what is inside
                continue
            inner_line, inner_col = nxt, indent[nxt]
        else:
            inner_line, inner_col = j, inner
        if lines[inner_line][inner_col:].startswith(_SPECIAL_START):
            items.append((-1, -1))
            continue
        items.append((inner_line, inner_col))
    return items


def _find_item(f: Lines, line0: int, col: int, end: int, index: int) -> tuple[int, int] | bool | None:
    """Start of item ``index`` of the block sequence whose first dash is at (line0, col)."""
    region = (line0, col)
    if region in f.items:
        items = f.items[region]
    else:
        items = f.items[region] = _index_items(f, line0, col, end)
    if items is None:
        return None
    if index >= len(items):
        return False
    found = items[index]
    return None if found[0] < 0 else found


def fast_locate(f: Lines, start_line: int, parts: Sequence[str | int]) -> Position | None:
    """Position of the pointer ``parts`` in the document whose root starts at ``start_line`` (0-based).

    Returns the key's position for a found field; for an absent one, the key (or sequence item) of
    its closest present ancestor, as the composer-based locator does; ``None`` when unsure.
    """
    if start_line >= len(f.lines) or f.skip[start_line]:
        return None
    root = f.lines[start_line]
    if root.startswith("---") or root[: f.indent[start_line] + 1].find("\t") != -1:
        return None
    line, col = start_line, f.indent[start_line]
    anchor = (line, col)  # what an absent field maps to: the key (or item) that holds it
    end = f.doc_end(start_line)
    last_index = len(parts) - 1
    for i, part in enumerate(parts):
        is_seq = _is_dash(f.lines[line][col:])
        if isinstance(part, int):
            if not is_seq:
                return None
            item = _find_item(f, line, col, end, part)
            if item is False:
                return anchor
            if item is None or item is True:
                return None
            if i == last_index:
                return item
            line, col = anchor = item
            continue
        if is_seq or part in _AMBIGUOUS_KEYS or part.isdigit():
            return None  # keys that YAML 1.1 may spell otherwise (yes: -> "true", 0x1: -> "1")
        found = _find_key(f, line, col, end, part)
        if found is False:
            return anchor
        if found is None or found is True:
            return None
        kline, value_col = found
        if i == last_index:
            return kline, col
        value = _value_start(f, kline, value_col, col, end)
        if value is None:
            return None
        anchor = (kline, col)
        line, col = value
    return line, col
