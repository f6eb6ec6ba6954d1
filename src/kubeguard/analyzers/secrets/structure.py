"""Credentials inside a whole object tree, such as the copy of an object that ``kubectl apply``
keeps in the ``kubectl.kubernetes.io/last-applied-configuration`` annotation."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kubeguard.analyzers.secrets.detect import Detection, Memo, scan_arguments, scan_named, scan_text

MAX_DEPTH = 64


def scan_structure(
    node: Any, path: str = "", depth: int = 0, memo: Memo | None = None
) -> Iterator[tuple[str, Detection]]:
    """``(path, detection)`` for every credential in a decoded JSON/YAML tree.

    A mapping with string ``name`` and ``value`` (an env var, a header) is judged as that pair;
    other string values are judged with their key as the name; lists of strings as arguments.
    """
    if depth > MAX_DEPTH:
        return
    if isinstance(node, dict):
        name, value = node.get("name"), node.get("value")
        if isinstance(name, str) and isinstance(value, str):
            for d in scan_named(name, value, memo):
                yield f"{path}.value" if path else "value", d
        for key, child in node.items():
            child_path = f"{path}.{key}" if path else str(key)
            if isinstance(child, str):
                if key == "value" and isinstance(name, str):
                    continue
                for d in scan_named(str(key), child, memo):
                    yield child_path, d
            elif isinstance(child, (dict, list)):
                yield from scan_structure(child, child_path, depth + 1, memo)
    elif isinstance(node, list):
        if node and all(isinstance(x, str) for x in node):
            for i, d in scan_arguments(node, memo):
                yield f"{path}[{i}]", d
            return
        for i, child in enumerate(node):
            if isinstance(child, (dict, list)):
                yield from scan_structure(child, f"{path}[{i}]", depth + 1, memo)
            elif isinstance(child, str):
                for d in scan_text(child, memo):
                    yield f"{path}[{i}]", d


def string_leaves(node: Any, skip: object = None, depth: int = 0) -> Iterator[str]:
    """Every string value in a tree (``skip`` is an object left out, compared by identity)."""
    if depth > MAX_DEPTH or node is skip:
        return
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for child in node.values():
            yield from string_leaves(child, skip, depth + 1)
    elif isinstance(node, list):
        for child in node:
            yield from string_leaves(child, skip, depth + 1)
