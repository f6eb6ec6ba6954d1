"""The round-trip editor: apply a fix's edits to a manifest's text and change nothing else.

YAML is edited one document at a time with ruamel.yaml's round-trip mode; documents without edits
keep their bytes. Before editing a document the editor finds the indentation that reproduces it
(mapping indent, sequence indent and dash offset, tried in turn). A document that indents some
lists and not others is reproduced line for line but not byte for byte: then every line the edit
does not change is copied from the original, and each new line is indented as the lines around it
are. An end-of-line comment keeps its column there too (ruamel writes a comment at the column it
was read at, which is off by as much as its line is shifted, so the comment is moved by the
shift first); on a changed line it stays one space after a value that grew past it. A document whose
lines ruamel would change otherwise (line breaks, spacing inside flow collections) is refused rather
than rewritten, and so is an edit whose text, read back, does not mean what the edited data means. Separator and end markers (``---``, ``...``) and the comments beside them stay as
written. Comments that ruamel keeps on the last entry of a block move with the block's end when a
key is added after it or removed, so a comment never ends up above the wrong key.

JSON files stay JSON: they are decoded with their key order, edited, and written back with the
file's own indentation, again only when an unedited round trip reproduces the file exactly.
"""

from __future__ import annotations

import copy
import difflib
import io
import json
import re
from collections.abc import Iterable, Sequence
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString
from ruamel.yaml.tokens import CommentToken

from kubeguard.loading.yaml_loader import document_chunks, may_have_aliases
from kubeguard.rules.fix import Edit, EditOp

# (mapping indent, sequence indent, dash offset): the layouts seen in practice, commonest first.
_INDENTS = ((2, 2, 0), (2, 4, 2), (4, 4, 0), (4, 6, 4), (4, 4, 2), (2, 3, 1), (3, 3, 0), (4, 2, 0), (8, 8, 0))
_MERGE_KEY_RE = re.compile(r"^[ \t-]*<<[ \t]*:", re.MULTILINE)
_MARKER_RE = re.compile(r"^(---|\.\.\.)([ \t]+#.*)?[ \t]*$")


_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class EditError(Exception):
    """The file cannot be edited without changing more than the fix; nothing is written."""


class EditConflict(EditError):
    """An edit does not fit the document (a field of another type where a mapping is needed)."""


def _yaml(indent: tuple[int, int, int]) -> YAML:
    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = 1 << 16  # never rewrap a long line
    y.indent(mapping=indent[0], sequence=indent[1], offset=indent[2])
    return y


def _dump(y: YAML, data: Any) -> str:
    out = io.StringIO()
    y.dump(data, out)
    return out.getvalue()


# --- applying edits to decoded data (ruamel's or plain) ----------------------------------------------


def apply_to(data: Any, edits: Iterable[Edit], *, new_map: type = dict, new_seq: type = list) -> bool:
    """Apply ``edits`` to ``data`` in place; whether anything changed."""
    changed = False
    for edit in edits:
        changed |= _apply_one(data, edit, new_map, new_seq)
    return changed


def _walk(data: Any, path: Sequence[str | int]) -> tuple[Any, int]:
    """The deepest existing node on ``path`` and how many parts of the path lead to it."""
    node = data
    for depth, part in enumerate(path):
        if isinstance(node, dict) and isinstance(part, str):
            child = node.get(part)
            if child is None:
                return node, depth
            node = child
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            raise EditConflict(f"no field at /{'/'.join(map(str, path[: depth + 1]))}")
    return node, len(path)


def _nest(parts: Sequence[str | int], value: Any) -> Any:
    for part in reversed(parts):
        if not isinstance(part, str):
            raise EditConflict("an edit cannot create a list item")
        value = {part: value}
    return value


def _apply_one(data: Any, edit: Edit, new_map: type, new_seq: type) -> bool:
    *parent_path, last = edit.at
    node, depth = _walk(data, parent_path)
    if edit.op is EditOp.REMOVE:
        if depth == len(parent_path) and isinstance(node, dict) and isinstance(last, str) and last in node:
            _remove_key(node, last)
            return True
        return False
    if not isinstance(node, dict):
        raise EditConflict(f"{edit.at} is not inside a mapping")
    if depth < len(parent_path):
        # Build the missing mappings whole and add them at once, so comments move only once.
        leaf = [edit.value] if edit.op is EditOp.APPEND else edit.value
        missing = parent_path[depth:]
        value = _convert(_nest([*missing[1:], last], leaf), new_map, new_seq)
        if missing[0] in node:  # written without a value (null)
            node[missing[0]] = value
        else:
            _add_key(node, str(missing[0]), value)
        return True
    if not isinstance(last, str):
        raise EditConflict(f"{edit.at} is not a field of a mapping")
    if edit.op is EditOp.APPEND:
        items = node.get(last)
        if items is None:
            _add_key(node, last, _convert([edit.value], new_map, new_seq))
            return True
        if not isinstance(items, list):
            raise EditConflict(f"{edit.at} is not a list")
        if edit.value in items:
            return False
        _append(items, _convert(edit.value, new_map, new_seq))
        return True
    if last in node and node[last] is not None:
        if node[last] == edit.value and type(node[last]) is type(edit.value):
            return False
        node[last] = _convert(edit.value, new_map, new_seq)
        return True
    if last in node:  # a key written without a value (null): give it one in place
        node[last] = _convert(edit.value, new_map, new_seq)
        return True
    _add_key(node, last, _convert(edit.value, new_map, new_seq))
    return True


def _convert(value: Any, new_map: type, new_seq: type) -> Any:
    if isinstance(value, dict):
        out = new_map()
        for k, v in value.items():
            out[k] = _convert(v, new_map, new_seq)
        return out
    if isinstance(value, list):
        return new_seq(_convert(v, new_map, new_seq) for v in value)
    return value


# --- comments that ruamel keeps on the last entry of a block ----------------------------------------


def _last_slot(node: Any) -> tuple[Any, Any, int] | None:
    """The (collection, key, slot) holding the comment after the last line of ``node``'s block."""
    if isinstance(node, CommentedMap) and len(node):
        key = next(reversed(node))
        inner = _last_slot(node[key]) if _is_block(node[key]) else None
        return inner or (node, key, 2)
    if isinstance(node, CommentedSeq) and len(node):
        index = len(node) - 1
        inner = _last_slot(node[index]) if _is_block(node[index]) else None
        return inner or (node, index, 0)
    return None


def _is_block(node: Any) -> bool:
    return isinstance(node, CommentedMap | CommentedSeq) and len(node) > 0 and not node.fa.flow_style()


def _split_comment(entry: list[Any], index: int, value: Any) -> Any:
    """Detach the whole-line comments of the comment at ``entry[index]``, which follows ``value``;
    the end-of-line comment stays. The detached lines come back as a token to put elsewhere."""
    token = entry[index] if len(entry) > index else None
    if token is None:
        return None
    text: str = token.value
    moved = copy.copy(token)
    if isinstance(value, LiteralScalarString | FoldedScalarString):
        # A block scalar ends its own last line: every comment line after it is a whole line,
        # the first one written without its indentation.
        column = token.column if isinstance(getattr(token, "column", None), int) else 0
        moved.value = "\n" + " " * column + text
        entry[index] = None
        return moved
    head, sep, rest = text.partition("\n")
    if not sep or not rest:
        return None  # nothing but an end-of-line comment
    moved.value = "\n" + rest
    if head.strip():
        token.value = head + "\n"
    else:
        entry[index] = None
    return moved


def _take_following(node: Any) -> Any:
    """Detach the whole-line comments after ``node``'s last line (its end-of-line comment stays)."""
    slot = _last_slot(node)
    if slot is None:
        return None
    holder, key, index = slot
    entry = holder.ca.items.get(key)
    return _split_comment(entry, index, holder[key]) if entry else None


def _give_following(node: Any, token: Any) -> None:
    """Put detached comment lines after ``node``'s last line."""
    slot = _last_slot(node)
    if slot is None or token is None:
        return
    holder, key, index = slot
    entry = holder.ca.items.setdefault(key, [None, None, None, None])
    while len(entry) <= index:
        entry.append(None)
    current = entry[index]
    if current is None:
        entry[index] = token
    else:
        current.value = current.value + token.value[1:]


def _add_key(mapping: dict[str, Any], key: str, value: Any) -> None:
    if not isinstance(mapping, CommentedMap) or not len(mapping) or mapping.fa.flow_style():
        mapping[key] = value
        return
    if _scalar_list(value) and any(_scalar_list(v) and v.fa.flow_style() for v in mapping.values()):
        value.fa.set_flow_style()  # beside `add: [NET_BIND_SERVICE]`, write `drop: [ALL]`
    previous = mapping[next(reversed(mapping))]
    token = _take_following(previous) if _is_block(previous) else _take_scalar_following(mapping)
    mapping[key] = value
    if token is not None:
        if _is_block(value):
            _give_following(value, token)
        else:
            mapping.ca.items[key] = [None, None, token, None]


def _scalar_list(value: Any) -> bool:
    return isinstance(value, CommentedSeq) and all(not isinstance(v, dict | list) for v in value)


def _take_scalar_following(mapping: CommentedMap) -> Any:
    last = next(reversed(mapping))
    entry = mapping.ca.items.get(last)
    return _split_comment(entry, 2, mapping[last]) if entry else None


def _append(items: list[Any], value: Any) -> None:
    if not isinstance(items, CommentedSeq) or not len(items) or items.fa.flow_style():
        items.append(value)
        return
    token = _take_following(items)
    items.append(value)
    _give_following(items, token)


def _remove_key(mapping: dict[str, Any], key: str) -> None:
    if not isinstance(mapping, CommentedMap) or mapping.fa.flow_style():
        del mapping[key]
        return
    value = mapping[key]
    if _is_block(value):
        token = _take_following(value)
    else:
        entry = mapping.ca.items.get(key)
        token = _split_comment(entry, 2, value) if entry else None
    keys = list(mapping)
    position = keys.index(key)
    del mapping[key]
    mapping.ca.items.pop(key, None)
    if token is None or not len(mapping):
        return
    if position == 0:
        # The comment lines now come before the mapping's first key.
        first, sep, rest = token.value[1:].partition("\n")
        token.value = first.lstrip(" ") + sep + rest
        if mapping.ca.comment is None:
            mapping.ca.comment = [None, [token]]
        else:
            mapping.ca.comment[1] = [*(mapping.ca.comment[1] or []), token]
        return
    before = keys[position - 1]
    if _is_block(mapping[before]):
        _give_following(mapping[before], token)
    else:
        entry = mapping.ca.items.setdefault(before, [None, None, None, None])
        if entry[2] is None:
            entry[2] = token
        else:
            entry[2].value += token.value[1:]


# --- documents and files ---------------------------------------------------------------------------


def _split_markers(chunk: str) -> tuple[str, str, str]:
    """(``---`` line, body, trailing ``...`` line and what follows it) of one document's text."""
    lines = chunk.splitlines(keepends=True)
    head = ""
    if lines and lines[0].startswith("---"):
        if not _MARKER_RE.match(lines[0].rstrip("\n")):
            raise EditError("a document that starts on its '---' line cannot be edited without rewriting it")
        head = lines.pop(0)
    tail_at = next((i for i, ln in enumerate(lines) if ln.rstrip("\n").startswith("...")), None)
    tail = ""
    if tail_at is not None:
        tail = "".join(lines[tail_at:])
        if any(ln.strip() and not ln.lstrip().startswith("#") for ln in lines[tail_at + 1 :]):
            raise EditError("content after a '...' end marker without '---' cannot be edited safely")
        lines = lines[:tail_at]
    return head, "".join(lines), tail


def _indent_of(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _same_lines(a: list[str], b: list[str]) -> bool:
    return len(a) == len(b) and all(x.strip() == y.strip() for x, y in zip(a, b, strict=True))


# (comment token, the mark it was read with): the comments written after content on their line.
_EolComments = list[tuple[CommentToken, Any]]


def _end_of_line_comments(data: Any, lines: list[str]) -> _EolComments:
    """Every comment of ``data`` that follows content on its line (``lines``: the text read)."""
    found: _EolComments = []
    seen: set[int] = set()
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, CommentedMap):
            stack.extend(node.values())
        elif isinstance(node, CommentedSeq):
            stack.extend(node)
        else:
            continue
        slots: list[Any] = [node.ca.comment, *node.ca.items.values()]
        while slots:
            slot = slots.pop()
            if isinstance(slot, list):
                slots.extend(slot)
            elif isinstance(slot, CommentToken) and id(slot) not in seen:
                seen.add(id(slot))
                mark = slot.start_mark
                if mark is None or slot.value.startswith("\n") or not 0 <= mark.line < len(lines):
                    continue
                if lines[mark.line][: mark.column].strip():
                    found.append((slot, mark))
    return found


def _shift_comments(comments: _EolComments, shifts: dict[int, int]) -> None:
    """Make ruamel write each comment ``shifts[line]`` columns left of where it was read (none:
    where it was read), so that the line shifted back by as much puts it at its own column."""
    for token, mark in comments:
        shift = shifts.get(mark.line, 0)
        if shift:
            moved = copy.copy(mark)
            moved.column = mark.column - shift
            token.start_mark = moved
        else:
            token.start_mark = mark


def _reproduce(body: str) -> tuple[YAML, Any, str]:
    """The YAML settings that reproduce ``body``, its data, and ruamel's text of it.

    The text equals ``body`` when one setting reproduces it exactly; else it has the same lines
    but other indentation (a document that indents some lists and not others), which
    :func:`_reindent` maps back. For that text, end-of-line comments are written as many columns
    off as their lines are, and stay so for the edited text. A document that neither reproduces
    is refused.
    """
    if may_have_aliases(body) or _MERGE_KEY_RE.search(body):
        # An edit of a node that an alias or merge key shares would change every place using it.
        raise EditError(
            "it uses YAML anchors and aliases (or merge keys), which an edit could change in several places"
        )
    near: tuple[YAML, str, dict[int, int]] | None = None
    lines = body.splitlines()
    try:
        data = _yaml(_INDENTS[0]).load(body)  # indentation matters only when dumping
        comments = _end_of_line_comments(data, lines)
        for indent in _INDENTS:
            y = _yaml(indent)
            _shift_comments(comments, {})
            text = _dump(y, data)
            if text == body:
                return y, data, text
            if near is not None:
                continue
            out = text.splitlines()
            shifts: dict[int, int] = {}
            if len(out) == len(lines):
                for _token, mark in comments:
                    shift = _indent_of(lines[mark.line]) - _indent_of(out[mark.line])
                    if shift:
                        shifts[mark.line] = shift
            if shifts:
                _shift_comments(comments, shifts)
                text = _dump(y, data)
                out = text.splitlines()
            if _same_lines(out, lines):
                near = (y, text, shifts)
    except YAMLError as exc:
        raise EditError(f"cannot be read for editing: {exc}") from None
    if near is None:
        raise EditError(
            "its layout (line breaks, flow style or spacing) cannot be reproduced by the YAML editor, "
            "so it is left as it is"
        )
    y, text, shifts = near
    _shift_comments(comments, shifts)
    return y, data, text


def _reindent(body: str, unedited: str, edited: str) -> str:
    """``edited`` in the indentation of ``body``: lines that did not change are ``body``'s own; a new
    line is shifted as much as the nearest line above it at its level (or above it) was."""
    original = (body if body.endswith("\n") else body + "\n").splitlines(keepends=True)
    old = unedited.splitlines(keepends=True)
    new = edited.splitlines(keepends=True)
    out: list[str] = []
    # Per line written: its indent in ruamel's text, whether it starts a list item, its shift.
    levels: list[tuple[int, bool, int]] = []

    def shift_for(indent: int, dash: bool) -> int:
        # A key takes the shift of the nearest key at its level (or of its parent); a list item
        # dash at the same indent belongs to a list under such a key, whose shift may differ.
        for level, level_dash, shift in reversed(levels):
            if level < indent or (level == indent and (dash or not level_dash)):
                return shift
        return 0

    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for i in range(i1, i2):
                out.append(original[i])
                if original[i].strip() and not original[i].lstrip().startswith("#"):
                    shift = _indent_of(original[i]) - _indent_of(old[i])
                    levels.append((_indent_of(old[i]), old[i].lstrip(" ").startswith("- "), shift))
            continue
        for line in new[j1:j2]:
            stripped = line.lstrip(" ")
            if not stripped.strip() or stripped.startswith("#"):
                out.append(line)  # comments keep the column they were written at
                continue
            indent = _indent_of(line)
            dash = stripped.startswith("- ")
            shift = shift_for(indent, dash)
            out.append(" " * max(indent + shift, 0) + stripped)
            levels.append((indent, dash, shift))
    return "".join(out)


def edit_yaml_document(body: str, edits: Sequence[Edit]) -> str:
    """Apply ``edits`` to one YAML document's text (no markers); the new text."""
    y, data, unedited = _reproduce(body)
    if not apply_to(data, edits, new_map=CommentedMap, new_seq=CommentedSeq):
        return body
    edited = _dump(y, data)
    result = edited if unedited == body else _reindent(body, unedited, edited)
    # Correct by construction: the text written must mean what the edited data means.
    try:
        same = yaml.load(result, Loader=_SafeLoader) == yaml.load(edited, Loader=_SafeLoader)
    except yaml.YAMLError:
        same = False
    if not same:
        raise EditError("the edited document could not be written in its own layout, so it is left as it is")
    return result


def edit_yaml(
    text: str, edits_by_document: dict[int, Sequence[Edit]], problems: dict[int, str] | None = None
) -> str:
    """Apply edits to the documents of a YAML stream (document index -> edits); the new text.

    With ``problems``, a document that cannot be edited faithfully is kept as it is and its reason
    recorded there (by document index); without it, :class:`EditError` is raised.
    """
    chunks = document_chunks(text)
    if max(edits_by_document, default=-1) >= len(chunks):
        raise EditError("the file has fewer documents than when it was read")
    lines = text.splitlines(keepends=True)
    out: list[str] = []
    position = 0
    for index, (start, chunk) in enumerate(chunks):
        edits = edits_by_document.get(index)
        if not edits:
            continue
        out.append("".join(lines[position:start]))
        try:
            head, body, tail = _split_markers(chunk)
            new_body = edit_yaml_document(body, edits)
        except EditError as exc:
            if problems is None:
                raise
            problems[index] = str(exc)
            head, body, tail = "", chunk, ""
            new_body = chunk
        if body.endswith("\n") and not new_body.endswith("\n"):
            new_body += "\n"
        elif not body.endswith("\n") and new_body.endswith("\n") and not tail:
            new_body = new_body[:-1]  # keep a file without a final newline so
        out.append(head + new_body + tail)
        position = start + len(chunk.splitlines(keepends=True))
    out.append("".join(lines[position:]))
    return "".join(out)


def _json_indent(text: str) -> int | None:
    for line in text.splitlines()[1:]:
        stripped = line.lstrip(" ")
        if stripped and stripped != line:
            return len(line) - len(stripped)
    return None


def edit_json(text: str, edits_by_document: dict[int, Sequence[Edit]]) -> str:
    """Apply edits to a JSON file (one document, index 0), keeping its key order and indentation."""
    if set(edits_by_document) - {0}:
        raise EditError("a JSON file holds one document")
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise EditError(f"cannot be read for editing: {exc}") from None
    indent = _json_indent(text)
    trailing = text[len(text.rstrip("\r\n")) :]
    for ascii_only in (True, False):
        if json.dumps(data, indent=indent, ensure_ascii=ascii_only) + trailing == text:
            break
    else:
        raise EditError("its layout cannot be reproduced exactly by the JSON editor, so it is left as it is")
    if not apply_to(data, edits_by_document.get(0, ())):
        return text
    return json.dumps(data, indent=indent, ensure_ascii=ascii_only) + trailing


def edit_text(
    text: str,
    edits_by_document: dict[int, Sequence[Edit]],
    *,
    is_json: bool,
    problems: dict[int, str] | None = None,
) -> str:
    """The text with the edits applied; :class:`EditError` when it cannot be edited faithfully
    (for YAML with ``problems``: the documents that cannot be edited are kept and named there)."""
    if is_json:
        return edit_json(text, edits_by_document)
    return edit_yaml(text, edits_by_document, problems)
