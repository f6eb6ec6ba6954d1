"""Keeping CustomResourceDefinitions cheap: their OpenAPI schemas are not decoded.

A CRD is mostly its ``openAPIV3Schema`` (argo-workflows' are megabytes each, and every overlay
that includes them renders them again), and no rule reads a schema: rules and commands use a CRD's
group, names, scope and versions. So before decoding, each block-style ``openAPIV3Schema:`` of a
top-level CustomResourceDefinition document keeps its header line and its body becomes empty
lines (the schema decodes as ``null``): every other line keeps its number, so findings and errors
keep their lines.
"""

from __future__ import annotations

import itertools
import re

_CRD_RE = re.compile(r"^kind:[ \t]*['\"]?CustomResourceDefinition['\"]?[ \t]*(?:#.*)?$", re.MULTILINE)
_SCHEMA_RE = re.compile(r"^([ ]*)openAPIV3Schema:[ \t]*(?:#[^\n]*)?$", re.MULTILINE)
_SEPARATOR_RE = re.compile(r"^(?:---(?:[ \t]|$)|\.\.\.[ \t]*$)", re.MULTILINE)
_CONTENT_RE = re.compile(r"^[ \t]*[^\s#]", re.MULTILINE)
_ENDS: dict[int, re.Pattern[str]] = {}


def _end_of_block(indent: int) -> re.Pattern[str]:
    """A line that ends a block indented past ``indent``: content at ``indent`` or less, or a separator."""
    pattern = _ENDS.get(indent)
    if pattern is None:
        pattern = _ENDS[indent] = re.compile(
            rf"^(?:[ ]{{0,{indent}}}[^\s#]|---(?:[ \t]|$)|\.\.\.[ \t]*$)", re.MULTILINE
        )
    return pattern


def blank_crd_schemas(text: str) -> str:
    """``text`` with the schemas of its CustomResourceDefinition documents emptied (see above)."""
    if "openAPIV3Schema:" not in text or _CRD_RE.search(text) is None:
        return text
    bounds = [0] + [m.start() for m in _SEPARATOR_RE.finditer(text)] + [len(text)]
    parts: list[str] = []
    done = 0
    for start, end in itertools.pairwise(bounds):
        if _CRD_RE.search(text, start, end) is None:
            continue
        pos = start
        while True:
            header = _SCHEMA_RE.search(text, pos, end)
            if header is None:
                break
            body_start = header.end()
            stop = _end_of_block(len(header.group(1))).search(text, body_start + 1, end)
            body_end = stop.start() if stop is not None else end
            body = text[body_start:body_end]
            pos = body_end
            if _CONTENT_RE.search(body) is None:
                continue  # nothing nested under it (a flow value on later lines is left alone)
            parts.append(text[done:body_start])
            parts.append("\n" * body.count("\n"))
            done = body_end
    if not parts:
        return text
    parts.append(text[done:])
    return "".join(parts)
