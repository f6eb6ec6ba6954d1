"""A fast path for mapping pointers to lines in block-style YAML, without composing the document.

Most manifests are block YAML: keys at one indentation, nested blocks deeper, sequences as ``- ``
lines. Each document with a finding is indexed once, in one pass over its lines (path -> position
of the key or item); pointers are then dictionary look-ups. Whatever the indexer does not model
exactly (flow collections it would have to enter, anchors, aliases, tags, merge keys, complex keys,
tabs) is marked unsure, and a pointer into it returns ``None``: the caller composes that document
instead, so it never guesses. A property test checks it against the composer on every
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
    """A file's lines and where its documents start, computed once per file; what the walker asks
    of each line (indentation, blank or comment) is worked out as it walks, only for the documents
    it indexes."""

    __slots__ = ("doc_starts", "docs", "lines")

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        # Documents already indexed, by the line where their root starts.
        self.docs: dict[int, _DocIndex] = {}
        self.doc_starts = [
            i
            for i, ln in enumerate(self.lines)
            if ln.startswith(("---", "...")) and (len(ln) == 3 or ln[3] in " \t")
        ]

    def doc_end(self, start: int) -> int:
        i = bisect.bisect_right(self.doc_starts, start)
        return self.doc_starts[i] if i < len(self.doc_starts) else len(self.lines)


def _no_structure(line: str) -> bool:
    """A blank or comment-only line, which carries no structure."""
    content = line.lstrip()
    return not content or content[0] == "#"


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
# A plain key and the spaces after its colon: group 1 is the key, the match ends where its value
# starts (what ``_key_at_col`` and ``_content_start`` find, in one match).
_SIMPLE_KEY_VALUE = re.compile(r"([A-Za-z0-9_./-]+):(?=[ \r\n]|$) *")


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


def _dash_at(line: str, col: int) -> bool:
    """A sequence dash at ``col`` ("- item", or "-" ending the line)."""
    return line.startswith("- ", col) or (len(line) == col + 1 and line.endswith("-"))


def _key_at_col(line: str, col: int) -> tuple[str, int] | None:
    """``_parse_key`` of ``line[col:]`` without copying the line for the common plain key."""
    m = _SIMPLE_KEY.match(line, col)
    if m is not None:
        colon = line.index(":", col)
        return line[col:colon], colon - col
    if line[col : col + 1] in ("'", '"'):
        return _parse_key(line[col:])
    return None


def _parse_key(text: str) -> tuple[str, int] | None:
    """``(key, index of its colon)`` for a block-mapping line's text, or ``None`` if not modelled."""
    m = _SIMPLE_KEY.match(text)
    if m is not None:
        colon = text.index(":")
        return text[:colon], colon
    if text[:1] in ("'", '"') and _looks_like_key(text):
        quote = text[0]
        close = text.find(quote, 1)
        if close < 0 or text[close + 1 : close + 2] != ":":
            return None
        key = text[1:close]
        if (quote == '"' and "\\" in key) or (quote == "'" and "''" in key):
            return None
        return key, close + 1
    return None


class _Frame:
    """An open block collection while indexing: a mapping or a sequence at a column."""

    __slots__ = ("col", "count", "is_map", "last", "path")

    def __init__(self, col: int, is_map: bool, path: tuple[str | int, ...]) -> None:
        self.col = col
        self.is_map = is_map
        self.path = path
        self.count = 0  # items seen (sequences)
        self.last: tuple[str | int, ...] | None = (
            None  # path of the last key or item, if its value is still open
        )


class _DocIndex:
    """Every field of one block-YAML document: path -> position of its key (or sequence item),
    and the paths whose contents the walker did not model (``unsure``). One pass over the lines."""

    __slots__ = ("complete", "positions", "unsure")

    def __init__(self, f: Lines, start: int) -> None:
        self.positions: dict[tuple[str | int, ...], Position] = {}
        self.unsure: set[tuple[str | int, ...]] = set()
        #: The walk reached the document's end; else a field not indexed may still be in the text.
        self.complete = True
        first = f.lines[start]
        col0 = len(first) - len(first.lstrip(" "))
        if first.startswith("---") or "\t" in first[: col0 + 1]:
            self.unsure.add(())
            return
        self.positions[()] = (start, col0)
        try:
            self._walk(f, start, f.doc_end(start))
        except _Unsure as exc:
            self.unsure.add(exc.path)
            self.complete = False

    def _walk(self, f: Lines, start: int, end: int) -> None:
        lines = f.lines
        positions, unsure = self.positions, self.unsure
        key_value = _SIMPLE_KEY_VALUE.match
        stack: list[_Frame] = []
        # ``opaque`` > -1: lines indented deeper than it belong to a scalar or an unmodelled value.
        opaque = -1
        # The hot loop of locating: the helpers' tests (_dash_at, _key_at_col, _content_start) are
        # written out inline where a line's common shapes meet them.
        for j in range(start, end):
            line = lines[j]
            rest = line.lstrip(" ")
            # blank and comment-only lines carry no structure (the exact test only when it may hold)
            if (not rest or rest[0] == "#" or rest[0].isspace()) and _no_structure(line):
                continue
            ind = len(line) - len(rest)
            if ind <= opaque:
                opaque = -1
            elif opaque >= 0:
                continue
            if "\t" in line and "\t" in line[: ind + 1]:
                raise _Unsure(stack[-1].path if stack else ())
            # Close collections this line is outside of (a sequence at this column continues only
            # with a dash; anything else there belongs to the mapping that holds it).
            dash = rest.startswith("- ") or rest == "-"
            while stack:
                top = stack[-1]
                if top.col > ind or (top.col == ind and not top.is_map and not dash):
                    stack.pop()
                else:
                    break
            col = ind
            parent: tuple[str | int, ...] = ()
            if not stack:
                if j != start:
                    raise _Unsure(())  # a second root node: not a plain document
                parent = ()
            else:
                top = stack[-1]
                if top.col == ind:
                    if top.is_map and dash:
                        # an indentless sequence: the value of the mapping's last key
                        if top.last is None:
                            raise _Unsure(top.path)
                        parent = top.last
                        top.last = None
                    else:
                        parent = top.path
                else:  # deeper: the open value of the last key or item
                    if top.last is None:
                        raise _Unsure(top.path)
                    parent = top.last
                    top.last = None
            if not dash and rest[0] in "{[" and stack and parent != stack[-1].path:
                # A flow collection on the line after its key ("tolerations:" then "  []"): not
                # modelled; its lines are skipped and the walk goes on after it.
                unsure.add(parent)
                opaque = stack[-1].col
                continue
            # Consume the line: possibly several nested nodes ("- - a", "- key: v"); ``dash``
            # says whether a sequence dash is at ``col``.
            while True:
                open_ = stack[-1] if stack else None
                if dash:
                    if open_ is not None and open_.col == col and not open_.is_map:
                        frame = open_
                    else:
                        # a new sequence (for an indentless one, ``parent`` is the key that holds it)
                        frame = _Frame(col, False, parent)
                        stack.append(frame)
                    item = (*frame.path, frame.count)
                    frame.count += 1
                    inner = _content_start(line, col + 1)
                    if inner is None:
                        frame.last = item  # its content follows on deeper lines
                        break
                    positions[item] = (j, inner)
                    if line.startswith(_SPECIAL_START, inner) or line[inner] in "{[|>\"'":
                        unsure.add(item)
                        opaque = col
                        break
                    dash = _dash_at(line, inner)
                    if dash or _key_at_col(line, inner) is not None:
                        parent, col = item, inner
                        continue
                    opaque = col  # a plain scalar item (continuation lines may follow)
                    break
                m = key_value(line, col)
                if m is not None:
                    key = m[1]
                    after = m.end()
                    value = None if after == len(line) or line[after] in "\r\n#" else after
                else:
                    # Not a plain key: a quoted one, or nothing modelled (a key never starts with
                    # one of _SPECIAL_START: plain keys start with a key character, quoted ones
                    # with a quote).
                    parsed = _key_at_col(line, col)
                    if parsed is None:
                        raise _Unsure(parent)
                    key, colon = parsed
                    value = _content_start(line, col + colon + 1)
                if open_ is not None and open_.col == col and open_.is_map:
                    frame = open_
                else:
                    frame = _Frame(col, True, parent)
                    stack.append(frame)
                child = (*frame.path, key)
                positions[child] = (j, col)  # the last of duplicated keys wins, as when decoding
                unsure.discard(child)
                frame.last = None
                if value is None:
                    frame.last = child  # block value (or null) on the following lines
                    break
                first_char = line[value]
                if first_char in "{[|>\"'" or line.startswith(_SPECIAL_START, value):
                    unsure.add(child)
                if (
                    line.startswith("- ", value)
                    or (first_char == "-" and len(line) == value + 1)
                    # a key (plain or quoted) needs a colon: most values have none
                    or (line.find(":", value) != -1 and _key_at_col(line, value) is not None)
                ):
                    raise _Unsure(child)  # "a: b: c" or "a: - b" is not valid block YAML
                opaque = col  # scalar (or unmodelled) value: deeper lines are its continuation
                break


class _Unsure(Exception):
    def __init__(self, path: tuple[str | int, ...]) -> None:
        super().__init__()
        self.path = path


def fast_locate(f: Lines, start_line: int, parts: Sequence[str | int]) -> Position | None:
    """Position of the pointer ``parts`` in the document whose root starts at ``start_line`` (0-based).

    Returns the key's position for a found field; for an absent one, the key (or sequence item) of
    its closest present ancestor, as the composer-based locator does; ``None`` when unsure.
    """
    if start_line >= len(f.lines) or _no_structure(f.lines[start_line]):
        return None
    index = f.docs.get(start_line)
    if index is None:
        index = f.docs[start_line] = _DocIndex(f, start_line)
    for part in parts:
        if isinstance(part, str) and (part in _AMBIGUOUS_KEYS or part.isdigit()):
            return None  # keys that YAML 1.1 may spell otherwise (yes: -> "true", 0x1: -> "1")
    path = tuple(parts)
    positions = index.positions
    if not index.complete and path not in positions:
        return None  # the walk stopped early: the field may be further down
    for k in range(len(path), -1, -1):
        prefix = path[:k] if k < len(path) else path
        found = positions.get(prefix)
        if found is not None:
            if k < len(path) and prefix in index.unsure:
                return None
            return found
        if prefix in index.unsure:
            return None
    return None
