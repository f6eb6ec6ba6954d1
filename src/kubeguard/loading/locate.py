"""Mapping a JSON pointer inside a resource to the line and column where it is written.

Done lazily, only for resources that have findings: the file (or kept text) is composed again into
YAML nodes, once per file, and the pointer is walked through them (merge keys and aliases included).
A pointer to a field that is absent maps to its closest present ancestor.
"""

from __future__ import annotations

import bisect
import os
from collections.abc import Mapping

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from kubeguard.loading.fastlocate import Lines, fast_locate
from kubeguard.loading.files import decode_bytes
from kubeguard.loading.yaml_loader import MERGE_TAG, compose_documents, compose_nodes
from kubeguard.model.pointer import Pointer
from kubeguard.model.resource import SourceLocation

_BOOL_SPELLINGS = {
    "true": {"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"},
    "false": {"n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"},
    "null": {"~", "null", "Null", "NULL", ""},
}


def _key_matches(key: ScalarNode, part: str | int) -> bool:
    text = str(part)
    if key.value == text:
        return True
    # A plain key such as `yes:` decodes to the boolean true, which becomes the key "true".
    return not key.style and key.value in _BOOL_SPELLINGS.get(text, ())


def _child(node: Node, part: str | int, depth: int = 0) -> Node | None:
    if isinstance(node, MappingNode):
        merges: list[Node] = []
        found: Node | None = None
        for key, value in node.value:
            if isinstance(key, ScalarNode):
                if key.tag == MERGE_TAG or (key.value == "<<" and not key.style):
                    merges.append(value)
                elif _key_matches(key, part):
                    found = value  # the last of duplicated keys is the one decoded
        if found is not None:
            return found
        for merge in merges:
            sources = merge.value if isinstance(merge, SequenceNode) else [merge]
            for src in sources:
                if depth < 20:
                    found = _child(src, part, depth + 1)
                    if found is not None:
                        return found
        return None
    if isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        child: Node = node.value[part]
        return child
    return None


def _key_node(node: Node, part: str | int) -> Node | None:
    """The key node of ``part`` in a mapping, so a scalar finding points at the key's line."""
    if isinstance(node, MappingNode):
        found: Node | None = None
        for key, _ in node.value:
            if isinstance(key, ScalarNode) and _key_matches(key, part):
                found = key
        return found
    return None


class Locator:
    """Resolves pointers to ``(line, column)``.

    Block-style YAML is walked line by line (:mod:`fastlocate`); anything else composes the file,
    once per file while it is current.
    """

    def __init__(self, texts: Mapping[str, str] | None = None, fast: bool = True) -> None:
        self._texts = texts or {}
        self._fast = fast
        self._key: str | None = None
        self._text: str | None = None
        self._lines: Lines | None = None
        self._docs: list[tuple[Node | None, int]] | None = None
        self._doc_nodes: dict[int, tuple[Node | None, int]] = {}

    def _load(self, key: str) -> None:
        if key == self._key:
            return
        self._key = key
        self._lines = None
        self._docs = None
        self._doc_nodes = {}
        text = self._texts.get(key)
        if text is None and os.path.isfile(key):
            try:
                with open(key, "rb") as fh:
                    text, _, _ = decode_bytes(fh.read())
            except OSError:
                text = None
        self._text = text

    def _line_list(self) -> Lines:
        if self._lines is None:
            self._lines = Lines(self._text or "")
        return self._lines

    def _documents(self, key: str) -> list[tuple[Node | None, int]]:
        self._load(key)
        if self._docs is None:
            self._docs = []
            if self._text is not None:
                try:
                    self._docs = compose_documents(self._text)
                except Exception:  # a file that changed since it was read; fall back to document lines
                    self._docs = []
        return self._docs

    def _document_node(self, source: SourceLocation) -> tuple[Node | None, int] | None:
        """Compose only the document that holds ``source`` (not the whole file)."""
        assert source.line is not None
        f = self._line_list()
        root = source.line - 1
        cached = self._doc_nodes.get(root)
        if cached is not None:
            return cached
        k = bisect.bisect_right(f.doc_starts, root)
        start = min(f.doc_starts[k - 1] + 1 if k > 0 else 0, root)
        try:
            nodes = compose_nodes("\n".join(f.lines[start : f.doc_end(root)]) + "\n")
        except Exception:
            return None
        if len(nodes) != 1:
            return None
        self._doc_nodes[root] = (nodes[0], start)
        return nodes[0], start

    def locate(self, source: SourceLocation, pointer: Pointer) -> tuple[int | None, int | None]:
        if source.text_key is None:
            # Rendered output has no lines of its own that a user could open; a rendered object
            # mapped back to its source file has that file as its text_key.
            return (source.line, None) if source.origin not in ("kustomize", "helm") else (None, None)
        parts = (*source.base, *pointer)
        if self._fast and source.line is not None:
            self._load(source.text_key)
            found = fast_locate(self._line_list(), source.line - 1, parts)
            if found is not None:
                return found[0] + 1, found[1] + 1
        found_node = self._document_node(source) if self._fast and source.line is not None else None
        if found_node is None:
            docs = self._documents(source.text_key)
            if source.document >= len(docs) or docs[source.document][0] is None:
                return source.line, None
            found_node = docs[source.document]
        node, offset = found_node
        assert node is not None
        best: Node = node
        anchor: Node = node  # what an absent field maps to: the key (or item) that holds it
        for i, part in enumerate(parts):
            nxt = _child(best, part)
            if nxt is None:
                best = anchor
                break
            key = _key_node(best, part)
            if isinstance(nxt, ScalarNode) or i == len(parts) - 1:
                # Point at the key ("privileged: true", "securityContext:") rather than inside the value.
                best = key if key is not None else nxt
                break
            anchor = key if key is not None else nxt
            best = nxt
        return best.start_mark.line + 1 + offset, best.start_mark.column + 1
