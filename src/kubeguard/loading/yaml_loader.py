"""YAML decoding the way Kubernetes decodes manifests.

kubectl and the API server read YAML 1.1 (``yes``/``no``/``on``/``off`` are booleans) and apply
merge keys (``<<``); strict decoding rejects a key repeated in one mapping. This loader does the
same on top of libyaml (PyYAML's C parser), constructs only plain data (any other tag is an error,
so no YAML tag can build a Python object), refuses recursive aliases and documents whose aliases
expand beyond a limit (the "billion laughs" bomb), and records duplicated keys with their lines.
Timestamps stay strings, as they do when Kubernetes converts YAML to JSON.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from kubeguard.model.redact import hint

try:
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - PyYAML without libyaml
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

STR_TAG = "tag:yaml.org,2002:str"
MAP_TAG = "tag:yaml.org,2002:map"
SEQ_TAG = "tag:yaml.org,2002:seq"
MERGE_TAG = "tag:yaml.org,2002:merge"

#: The most nodes a document may expand to once aliases are followed.
MAX_EXPANDED_NODES = 2_000_000

_intern = sys.intern
_RESOLVED: dict[str, str] = {}


def _key_text(key: Any) -> str:
    """Non-string keys become strings as in Kubernetes' YAML-to-JSON conversion."""
    if key is True:
        return "true"
    if key is False:
        return "false"
    if key is None:
        return "null"
    return str(key)


class KubeLoader(_BaseLoader):
    """A safe loader with Kubernetes' decoding rules; see the module docstring."""

    # libyaml's composer calls these two hooks around every node. They only serve path resolvers
    # (``add_path_resolver``), which this loader never has, so builtins that take the same
    # arguments and do nothing with them stand in: a C call instead of a Python one per node
    # (about 15% of decoding's instructions on bench_scan's corpus).
    descend_resolver = staticmethod(slice)  # type: ignore[assignment]
    ascend_resolver = staticmethod(tuple)  # type: ignore[assignment]

    def __init__(self, stream: str | bytes) -> None:
        super().__init__(stream)
        self.duplicates: list[tuple[str, int, int]] = []

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        # Manifests repeat the same plain scalars ("v1", "TCP", "true", label values) endlessly;
        # resolving each through PyYAML's regex table costs more than parsing it. Memoise plain,
        # short scalars (bounded, so hostile input cannot grow it without limit).
        if kind is ScalarNode and implicit[0]:
            tag = _RESOLVED.get(value)
            if tag is None:
                tag = super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]
                if len(value) <= 64:
                    if len(_RESOLVED) >= 50_000:
                        _RESOLVED.clear()
                    _RESOLVED[value] = tag
            return tag
        return super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]

    def construct_kube_map(self, node: Node) -> dict[str, Any]:
        if not isinstance(node, MappingNode):
            raise ConstructorError(
                None, None, f"expected a mapping, found {type(node).__name__}", node.start_mark
            )
        data: dict[str, Any] = {}
        merges: list[Node] | None = None
        construct = self.construct_object
        for key_node, value_node in node.value:
            tag = key_node.tag
            if tag == STR_TAG and type(key_node) is ScalarNode:
                key = _intern(key_node.value)
            elif tag == MERGE_TAG:
                if merges is None:
                    merges = []
                merges.append(value_node)
                continue
            else:
                k = construct(key_node, deep=True)
                if isinstance(k, (dict, list)):
                    raise ConstructorError(
                        "while constructing a mapping",
                        node.start_mark,
                        "found an unhashable key",
                        key_node.start_mark,
                    )
                key = _key_text(k)
            if value_node.tag == STR_TAG and type(value_node) is ScalarNode:
                value = value_node.value
            else:
                value = construct(value_node, deep=True)
            if key in data:
                self.duplicates.append((key, key_node.start_mark.line + 1, key_node.start_mark.column + 1))
            data[key] = value
        if merges:
            # Keys of the mapping itself win over merged ones; among merged sources, the first wins.
            for source in merges:
                sources = source.value if isinstance(source, SequenceNode) else [source]
                for src in sources:
                    if not isinstance(src, MappingNode):
                        raise ConstructorError(
                            "while constructing a mapping",
                            node.start_mark,
                            f"expected a mapping for merging, found {type(src).__name__}",
                            src.start_mark,
                        )
                    merged = construct(src, deep=True)
                    for k, v in merged.items():
                        if k not in data:
                            data[k] = v
        return data

    def construct_kube_seq(self, node: Node) -> list[Any]:
        if not isinstance(node, SequenceNode):
            raise ConstructorError(
                None, None, f"expected a sequence, found {type(node).__name__}", node.start_mark
            )
        construct = self.construct_object
        return [
            child.value if child.tag == STR_TAG and type(child) is ScalarNode else construct(child, deep=True)
            for child in node.value
        ]

    def construct_plain_text(self, node: Node) -> str:
        return str(node.value)


def _resolvers_like_kubernetes() -> None:
    """Scalar resolution as go-yaml v2 (which Kubernetes' sigs.k8s.io/yaml uses) does it:
    ``y``/``n`` are booleans too, ``1:30``-style sexagesimal numbers are strings, not 90, and ``=``
    is the string "=" (PyYAML reads it as YAML 1.1's value key, a tag Kubernetes does not know)."""
    import re

    table = {k: [(tag, rx) for tag, rx in v] for k, v in KubeLoader.yaml_implicit_resolvers.items()}
    for first in list(table):
        table[first] = [
            (tag, rx)
            for tag, rx in table[first]
            if tag
            not in (
                "tag:yaml.org,2002:bool",
                "tag:yaml.org,2002:int",
                "tag:yaml.org,2002:float",
                "tag:yaml.org,2002:value",
            )
        ]
    KubeLoader.yaml_implicit_resolvers = {k: v for k, v in table.items() if v}
    KubeLoader.add_implicit_resolver(
        "tag:yaml.org,2002:bool",
        re.compile(
            r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$"
        ),
        list("yYnNtTfFoO"),
    )
    KubeLoader.add_implicit_resolver(
        "tag:yaml.org,2002:int",
        re.compile(
            r"""^(?:[-+]?0b[0-1_]+
                    |[-+]?0[0-7_]+
                    |[-+]?(?:0|[1-9][0-9_]*)
                    |[-+]?0x[0-9a-fA-F_]+)$""",
            re.X,
        ),
        list("-+0123456789"),
    )
    KubeLoader.add_implicit_resolver(
        "tag:yaml.org,2002:float",
        re.compile(
            r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?
                    |\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?
                    |[-+]?\.(?:inf|Inf|INF)
                    |\.(?:nan|NaN|NAN))$""",
            re.X,
        ),
        list("-+0123456789."),
    )


_BOOLS = {v: True for v in ("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON")}
_BOOLS.update(
    {v: False for v in ("n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF")}
)


def _construct_bool(loader: KubeLoader, node: Node) -> bool:
    return _BOOLS[str(node.value)]


_resolvers_like_kubernetes()
KubeLoader.add_constructor("tag:yaml.org,2002:bool", _construct_bool)
KubeLoader.add_constructor(MAP_TAG, KubeLoader.construct_kube_map)
KubeLoader.add_constructor(SEQ_TAG, KubeLoader.construct_kube_seq)
KubeLoader.add_constructor("tag:yaml.org,2002:timestamp", KubeLoader.construct_plain_text)
KubeLoader.add_constructor("tag:yaml.org,2002:binary", KubeLoader.construct_plain_text)


def _reject_unknown(loader: KubeLoader, node: Node) -> Any:
    # A plain value that starts with "!" is read as a tag, and it may be a password: name it by a
    # redacted hint only (at most its first characters and its length), never in full.
    raise ConstructorError(
        None,
        None,
        f"tag {hint(node.tag)} is not allowed in a Kubernetes manifest (quote the value if it is text)",
        node.start_mark,
    )


KubeLoader.add_constructor(None, _reject_unknown)
KubeLoader.yaml_constructors.pop("tag:yaml.org,2002:omap", None)
KubeLoader.yaml_constructors.pop("tag:yaml.org,2002:pairs", None)
KubeLoader.yaml_constructors.pop("tag:yaml.org,2002:set", None)


def expanded_size(root: Node, limit: int = MAX_EXPANDED_NODES) -> int:
    """Number of nodes ``root`` expands to when aliases are followed, stopping past ``limit``.

    Shared nodes (aliases) are counted once per reference; sizes are memoised per node so the cost
    is linear in the number of distinct nodes. A recursive alias counts as over the limit.
    """
    sizes: dict[int, int] = {}
    active: set[int] = set()

    def size(node: Node) -> int:
        key = id(node)
        known = sizes.get(key)
        if known is not None:
            return known
        if key in active:
            return limit + 1
        total = 1
        if isinstance(node, SequenceNode):
            active.add(key)
            for child in node.value:
                total += size(child)
                if total > limit:
                    break
            active.discard(key)
        elif isinstance(node, MappingNode):
            active.add(key)
            for k, v in node.value:
                total += size(k) + size(v)
                if total > limit:
                    break
            active.discard(key)
        sizes[key] = total
        return total

    return size(root)


@dataclass(slots=True)
class Document:
    """One decoded YAML document, or the reason it could not be decoded."""

    index: int
    line: int | None
    data: Any = None
    error: str | None = None
    error_line: int | None = None
    error_column: int | None = None
    duplicates: list[tuple[str, int, int]] = field(default_factory=list)


def _mark_of(exc: yaml.YAMLError) -> tuple[int | None, int | None]:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is None:
        return None, None
    return mark.line + 1, mark.column + 1


def _describe(exc: yaml.YAMLError) -> str:
    problem = getattr(exc, "problem", None)
    context = getattr(exc, "context", None)
    if problem:
        return f"invalid YAML: {context + ': ' if context else ''}{problem}"
    return f"invalid YAML: {str(exc).splitlines()[0]}"


# An alias (`*name`) or an anchor (`&name`) token: after the start of a line, a space or a flow
# indicator, followed by an anchor character. Loose on purpose: text in a plain scalar may match
# too, which only costs the walk, never misses a real alias.
_ALIAS_TOKEN = re.compile(r"(?:^|[\s\[\]{},:?-])\*[^\s\[\]{},]", re.MULTILINE)
_ANCHOR_TOKEN = re.compile(r"(?:^|[\s\[\]{},:?-])&[^\s\[\]{},]", re.MULTILINE)


def may_have_aliases(text: str) -> bool:
    """Whether ``text`` may use YAML aliases: the alias-bomb size walk is needed only then (an
    alias needs an anchor, so both must appear)."""
    return (
        "*" in text and "&" in text and bool(_ALIAS_TOKEN.search(text)) and bool(_ANCHOR_TOKEN.search(text))
    )


def iter_documents(
    text: str, *, check_aliases: bool | None = None, line_offset: int = 0, index_offset: int = 0
) -> Iterator[Document]:
    """Decode every document of ``text``.

    A syntax error does not lose the rest of the stream: like kubectl, which splits a stream on
    ``---`` lines before decoding, the remaining documents are decoded one by one.
    """
    if check_aliases is None:
        check_aliases = may_have_aliases(text)
    loader = KubeLoader(text)
    index = index_offset
    try:
        while True:
            try:
                if not loader.check_node():
                    return
                node = loader.get_node()
                assert node is not None
            except yaml.YAMLError as exc:
                loader.dispose()
                yield from _recover(text, exc, index, check_aliases, line_offset, index_offset)
                return
            yield _construct(loader, node, index, check_aliases, line_offset)
            index += 1
    finally:
        loader.dispose()


def _construct(loader: KubeLoader, node: Node, index: int, check_aliases: bool, line_offset: int) -> Document:
    line = node.start_mark.line + 1 + line_offset
    doc = Document(index=index, line=line)
    if check_aliases and expanded_size(node) > MAX_EXPANDED_NODES:
        doc.error = (
            f"document expands to more than {MAX_EXPANDED_NODES:,} nodes through YAML aliases "
            "(an alias bomb?); not decoded"
        )
        doc.error_line = line
        return doc
    loader.duplicates = []
    try:
        doc.data = loader.construct_document(node)
    except yaml.YAMLError as exc:
        doc.error = _describe(exc)
        eline, ecol = _mark_of(exc)
        doc.error_line = eline + line_offset if eline is not None else line
        doc.error_column = ecol
    except RecursionError:
        doc.error = "document is nested too deeply to decode"
        doc.error_line = line
    finally:
        # construct_document leaves state behind when it raises; start clean for the next document.
        loader.constructed_objects = {}
        loader.recursive_objects = {}
        loader.state_generators = []
    if loader.duplicates:
        doc.duplicates = [(k, ln + line_offset, col) for k, ln, col in loader.duplicates]
    return doc


def split_documents(text: str) -> list[tuple[int, str]]:
    """Split a stream on ``---`` separator lines: ``(first line number - 1, chunk)`` pairs."""
    chunks: list[tuple[int, str]] = []
    start = 0
    current: list[str] = []
    for lineno, line in enumerate(text.splitlines(keepends=True)):
        if (line.startswith("---") and line[3:].strip() in ("",)) or line.startswith("--- "):
            if current:
                chunks.append((start, "".join(current)))
            current = [line]
            start = lineno
        else:
            current.append(line)
    if current:
        chunks.append((start, "".join(current)))
    return chunks


def document_chunks(text: str) -> list[tuple[int, str]]:
    """The chunks of :func:`split_documents` that YAML counts as documents, so that their positions
    are document indexes: a chunk with content, or one opened by ``---`` (an empty document)."""
    out = []
    for start, chunk in split_documents(text):
        if chunk.startswith("---") or any(
            ln.strip() and not ln.lstrip().startswith("#") for ln in chunk.splitlines()
        ):
            out.append((start, chunk))
    return out


def _recover(
    text: str,
    first_error: yaml.YAMLError,
    index: int,
    check_aliases: bool,
    line_offset: int,
    index_offset: int,
) -> Iterator[Document]:
    """Decode the stream chunk by chunk after a syntax error, re-reading from the start."""
    chunks = split_documents(text)
    if len(chunks) <= 1:
        eline, ecol = _mark_of(first_error)
        yield Document(
            index=index,
            line=None,
            error=_describe(first_error),
            error_line=eline + line_offset if eline is not None else None,
            error_column=ecol,
        )
        return
    idx = index_offset
    for start, chunk in chunks:
        loader = KubeLoader(chunk)
        try:
            while True:
                try:
                    if not loader.check_node():
                        break
                    node = loader.get_node()
                    assert node is not None
                except yaml.YAMLError as exc:
                    eline, ecol = _mark_of(exc)
                    yield Document(
                        index=idx,
                        line=start + 1 + line_offset,
                        error=_describe(exc),
                        error_line=(eline + start + line_offset)
                        if eline is not None
                        else start + 1 + line_offset,
                        error_column=ecol,
                    )
                    idx += 1
                    break
                if idx >= index:  # documents before ``index`` were decoded by the fast path already
                    yield _construct(loader, node, idx, check_aliases, start + line_offset)
                idx += 1
        finally:
            loader.dispose()


class _StructureLoader(_BaseLoader):
    """Composes node trees without resolving scalar types: for locating fields only, where the
    structure and the marks matter and resolving every scalar would cost more than parsing."""

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        if kind is ScalarNode:
            return STR_TAG
        return SEQ_TAG if kind is SequenceNode else MAP_TAG


def compose_nodes(text: str) -> list[Node]:
    loader = _StructureLoader(text)
    try:
        out: list[Node] = []
        while loader.check_node():
            node = loader.get_node()
            if node is not None:
                out.append(node)
        return out
    finally:
        loader.dispose()


def compose_documents(text: str) -> list[tuple[Node | None, int]]:
    """The node trees of every document with the line offset of their marks (non-zero when a
    syntax error made us compose chunk by chunk); broken chunks give ``None``."""
    try:
        return [(node, 0) for node in compose_nodes(text)]
    except yaml.YAMLError:
        out: list[tuple[Node | None, int]] = []
        for start, chunk in split_documents(text):
            try:
                out.extend((node, start) for node in compose_nodes(chunk))
            except yaml.YAMLError:
                out.append((None, start))
        return out
