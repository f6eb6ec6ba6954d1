"""Mapping rendered objects back to the files they came from.

Kustomize records where each object came from when asked (``buildMetadata: [originAnnotations]``):
``config.kubernetes.io/origin: {path: base/deployment.yaml}``. kubeguard asks for it, takes the
annotation off the object again (it is not part of what is deployed), and finds the object's
document in that file, so findings name the file and line a user edits. Helm's ``# Source:``
comments name the template that produced a document; templates are not YAML, so no line is mapped.
"""

from __future__ import annotations

import os
import re
from typing import Any

from kubeguard.loading.yaml_loader import document_chunks

ORIGIN_ANNOTATION = "config.kubernetes.io/origin"

_KIND_RE = re.compile(r"^kind:\s*['\"]?([A-Za-z0-9]+)", re.MULTILINE)
_TOP_KEY_RE = re.compile(r"^[A-Za-z\"']")
_NAME_RE = re.compile(r"^\s+name:\s*['\"]?([^'\"\s#]+)")


def _parse_origin(value: str) -> dict[str, str]:
    """The ``key: value`` lines of an origin annotation (a small YAML mapping of strings)."""
    out: dict[str, str] = {}
    for line in value.splitlines():
        key, sep, val = line.partition(":")
        if sep and not line.startswith((" ", "-")):
            out[key.strip()] = val.strip().strip("'\"")
    return out


def pop_origin(obj: dict[str, Any]) -> dict[str, str] | None:
    """Take kustomize's origin annotation off a rendered object and return it parsed."""
    metadata = obj.get("metadata")
    if not isinstance(metadata, dict):
        return None
    annotations = metadata.get("annotations")
    if not isinstance(annotations, dict):
        return None
    value = annotations.pop(ORIGIN_ANNOTATION, None)
    if not annotations:
        del metadata["annotations"]
    return _parse_origin(value) if isinstance(value, str) else None


class SourceDocuments:
    """Where each object of a source file starts: ``(document index, first line)`` by kind and
    name, read with a line scan (no YAML decoding) and kept per file for the scan."""

    def __init__(self) -> None:
        self._files: dict[str, list[tuple[int, int, str, str]]] = {}

    def _documents(self, path: str) -> list[tuple[int, int, str, str]]:
        found = self._files.get(path)
        if found is not None:
            return found
        docs: list[tuple[int, int, str, str]] = []
        try:
            with open(path, encoding="utf-8-sig") as fh:
                text = fh.read()
        except (OSError, UnicodeDecodeError):
            text = ""
        for index, (start, chunk) in enumerate(document_chunks(text)):
            lines = chunk.splitlines()
            first = next(
                (i for i, ln in enumerate(lines) if ln.strip() and not ln.lstrip().startswith(("#", "---"))),
                None,
            )
            if first is None:
                continue  # an empty document
            kind_match = _KIND_RE.search(chunk)
            kind = kind_match.group(1) if kind_match else ""
            docs.append((index, start + first + 1, kind, _name(lines)))
        self._files[path] = docs
        return docs

    def find(self, path: str, kind: str, name: str) -> tuple[int, int] | None:
        """``(document index, line)`` of the object of ``kind`` in ``path`` that became ``name``
        (prefixes and suffixes such as ``namePrefix`` may have been added), or ``None``."""
        docs = [d for d in self._documents(path) if d[2] == kind]
        exact = [d for d in docs if d[3] == name]
        if len(exact) == 1:
            return exact[0][0], exact[0][1]
        within = [d for d in docs if d[3] and d[3] in name]
        if len(within) >= 1:
            best = max(within, key=lambda d: len(d[3]))
            if sum(1 for d in within if len(d[3]) == len(best[3])) == 1:
                return best[0], best[1]
        if len(docs) == 1:
            return docs[0][0], docs[0][1]
        return None


def _name(lines: list[str]) -> str:
    """``metadata.name`` of a block-style document, from its lines."""
    indent: int | None = None
    for line in lines:
        if indent is None:
            if line.startswith("metadata:"):
                indent = 0
            continue
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if _TOP_KEY_RE.match(line):
            return ""
        depth = len(line) - len(line.lstrip())
        if indent == 0:
            indent = depth  # the indentation of metadata's own keys
        m = _NAME_RE.match(line)
        if m and depth == indent:
            return m.group(1)
    return ""


def display_path(path: str, like: str) -> str:
    """``path`` written the way the user wrote ``like``: relative when that was relative."""
    if os.path.isabs(like):
        return path
    rel = os.path.relpath(path)
    return rel if not rel.startswith(".." + os.sep + ".." + os.sep + "..") else path
