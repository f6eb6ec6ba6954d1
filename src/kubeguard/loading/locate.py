"""Mapping a JSON pointer inside a resource to the line and column where it is written.

Done lazily, only for resources that have findings: the file (or kept text) is composed again into
YAML nodes, once per file, and the pointer is walked through them (merge keys and aliases included).
A pointer to a field that is absent maps to its closest present ancestor.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from kubeguard.loading.files import decode_bytes
from kubeguard.loading.yaml_loader import MERGE_TAG, compose_documents
from kubeguard.model.pointer import Pointer
from kubeguard.model.resource import SourceLocation


def _child(node: Node, part: str | int, depth: int = 0) -> Node | None:
    if isinstance(node, MappingNode):
        merges: list[Node] = []
        for key, value in node.value:
            if isinstance(key, ScalarNode):
                if key.tag == MERGE_TAG:
                    merges.append(value)
                elif key.value == str(part) or (key.value in ("true", "yes", "on") and part == "true"):
                    return key if value is None else value
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
        for key, _ in node.value:
            if isinstance(key, ScalarNode) and key.value == str(part):
                return key
    return None


class Locator:
    """Resolves pointers to ``(line, column)``, composing each file at most once while it is current."""

    def __init__(self, texts: Mapping[str, str] | None = None) -> None:
        self._texts = texts or {}
        self._key: str | None = None
        self._docs: list[Node | None] = []

    def _documents(self, key: str) -> list[Node | None]:
        if key != self._key:
            self._key = key
            self._docs = []
            text = self._texts.get(key)
            if text is None and os.path.isfile(key):
                try:
                    with open(key, "rb") as fh:
                        text, _, _ = decode_bytes(fh.read())
                except OSError:
                    text = None
            if text is not None:
                try:
                    self._docs = compose_documents(text)
                except Exception:  # a file that changed since it was read; fall back to document lines
                    self._docs = []
        return self._docs

    def locate(self, source: SourceLocation, pointer: Pointer) -> tuple[int | None, int | None]:
        if source.text_key is None or source.origin in ("kustomize", "helm"):
            # Rendered output has no lines of its own that a user could open.
            return (source.line, None) if source.origin not in ("kustomize", "helm") else (None, None)
        docs = self._documents(source.text_key)
        if source.document >= len(docs) or docs[source.document] is None:
            return source.line, None
        node = docs[source.document]
        assert node is not None
        parts = (*source.base, *pointer)
        best: Node = node
        for i, part in enumerate(parts):
            nxt = _child(best, part)
            if nxt is None:
                break
            key = _key_node(best, part)
            if isinstance(nxt, ScalarNode) or i == len(parts) - 1:
                # Point at the key ("privileged: true", "securityContext:") rather than inside the value.
                best = key if key is not None else nxt
                break
            best = nxt
        return best.start_mark.line + 1, best.start_mark.column + 1
