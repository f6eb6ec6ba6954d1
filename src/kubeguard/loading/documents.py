"""From decoded documents to Resources: List kinds unpacked, objects validated, problems recorded."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from typing import Any

from kubeguard.loading.crd import blank_crd_schemas
from kubeguard.loading.fieldtypes import type_problems
from kubeguard.loading.yaml_loader import Document, iter_documents
from kubeguard.model.errors import InputError
from kubeguard.model.kinds import BUILTIN_KINDS, CONFIG_GROUPS, api_group
from kubeguard.model.pointer import ROOT, Pointer
from kubeguard.model.resource import Resource, SourceLocation
from kubeguard.model.value_types import type_name

Item = Resource | InputError


def resources_from_documents(
    docs: Iterator[Document], file: str, origin: str, text_key: str | None
) -> Iterator[Item]:
    for doc in docs:
        if doc.error is not None:
            yield InputError(file, doc.error, doc.error_line, doc.error_column, doc.index)
            continue
        data = doc.data
        if data is None:
            continue  # an empty document
        if not isinstance(data, dict):
            yield InputError(
                file,
                f"document is {type_name(data)}, not a Kubernetes object",
                doc.line,
                None,
                doc.index,
                foreign=True,
            )
            continue
        yield from _objects(data, doc, file, origin, text_key)


def _objects(
    data: dict[str, Any],
    doc: Document,
    file: str,
    origin: str,
    text_key: str | None,
    base: Pointer = ROOT,
) -> Iterator[Item]:
    kind = data.get("kind")
    items = data.get("items")
    if isinstance(kind, str) and kind.endswith("List") and isinstance(items, list):
        # `kind: List` and typed lists such as PodList (whose items may omit kind and apiVersion).
        # A list inside a list is unpacked too, as kubectl does.
        item_kind = kind[: -len("List")] or None
        list_api = data.get("apiVersion")
        for i, item in enumerate(items):
            item_base = base / "items" / i
            if not isinstance(item, dict):
                yield InputError(
                    file,
                    f"{_path(item_base)} is {type_name(item)}, not a Kubernetes object",
                    doc.line,
                    None,
                    doc.index,
                )
                continue
            if item_kind and "kind" not in item:
                item = {"kind": item_kind, **item}
                if isinstance(list_api, str) and "apiVersion" not in item:
                    item["apiVersion"] = list_api
            yield from _objects(item, doc, file, origin, text_key, item_base)
        return
    yield from _validated(data, doc, file, origin, text_key, base)


def _path(base: Pointer) -> str:
    """``items[2]`` (or ``items[0].items[1]`` in a nested list) for an item of a List."""
    return ".".join(f"items[{base[i + 1]}]" for i in range(0, len(base), 2))


def _validated(
    obj: dict[str, Any], doc: Document, file: str, origin: str, text_key: str | None, base: Pointer
) -> Iterator[Item]:
    where = f"{_path(base)}: " if base else ""
    kind = obj.get("kind")
    api = obj.get("apiVersion")
    problems: list[str] = []
    if not isinstance(kind, str) or not kind:
        problems.append("has no kind")
    if api is not None and not isinstance(api, str):
        problems.append("has an apiVersion that is not a string")
    elif not api:
        problems.append("has no apiVersion")
    metadata = obj.get("metadata")
    if isinstance(api, str) and api_group(api) in CONFIG_GROUPS:
        pass  # component configuration files (KubeletConfiguration, audit Policy, ...) have no metadata
    elif not isinstance(metadata, dict):
        problems.append("has no metadata" if metadata is None else "has metadata that is not a mapping")
    elif not (metadata.get("name") or metadata.get("generateName")):
        problems.append("has no metadata.name")
    if problems:
        # no kind and no apiVersion a Kubernetes object could have (Grafana's provisioning files
        # say `apiVersion: 1`): another tool's document
        foreign = not base and "kind" not in obj and not isinstance(api, str)
        yield InputError(
            file,
            f"{where}object {' and '.join(problems)}; not scanned",
            doc.line,
            None,
            doc.index,
            foreign=foreign,
        )
        return
    assert isinstance(kind, str) and isinstance(api, str)
    group = api_group(api)
    known = BUILTIN_KINDS.get(group)
    if known is not None and kind not in known:
        yield InputError(
            file,
            f"{where}unknown kind {kind!r} for apiVersion {api!r}; not scanned",
            doc.line,
            None,
            doc.index,
        )
        return
    source = SourceLocation(file, doc.index, doc.line, base, origin, text_key)
    resource = Resource(obj, source)
    if doc.duplicates and not base:
        for key, line, col in doc.duplicates:
            yield InputError(
                file,
                f"duplicate key {key!r} in a mapping (kubectl's strict decoding rejects this object; "
                "the last value was scanned)",
                line,
                col,
                doc.index,
                str(resource.ref),
            )
    elif doc.duplicates and all(part == 0 for part in base[1::2]):
        # Report a List's duplicates once, against the first item's document.
        for key, line, col in doc.duplicates:
            yield InputError(
                file, f"duplicate key {key!r} in a mapping (the last value was scanned)", line, col, doc.index
            )
    yield resource


class _DuplicateKeyError(ValueError):
    pass


def _strict_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            raise _DuplicateKeyError(k)
        out[k] = v
    return out


def json_documents(text: str) -> Iterator[Document]:
    """A JSON file is one document (none when it is empty, like an empty YAML file); a duplicated
    key is recorded, like in YAML."""
    if not text.strip():
        return
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        yield Document(
            index=0, line=1, error=f"invalid JSON: {exc.msg}", error_line=exc.lineno, error_column=exc.colno
        )
        return
    except RecursionError:
        yield Document(index=0, line=1, error="document is nested too deeply to decode", error_line=1)
        return
    doc = Document(index=0, line=1, data=data)
    try:
        json.loads(text, object_pairs_hook=_strict_pairs)
    except _DuplicateKeyError as exc:
        doc.duplicates = [(str(exc), _line_of_key(text, str(exc)), 1)]
    yield doc


def _line_of_key(text: str, key: str) -> int:
    needle = json.dumps(key)
    first = text.find(needle)
    second = text.find(needle, first + 1) if first >= 0 else -1
    pos = second if second >= 0 else max(first, 0)
    return text.count("\n", 0, pos) + 1


def parse_text(
    text: str, file: str, *, origin: str = "file", text_key: str | None = None, is_json: bool = False
) -> Iterator[Item]:
    if not is_json:
        text = blank_crd_schemas(text)  # same lines; no rule reads a CRD's schema
    docs = json_documents(text) if is_json else iter_documents(text)
    return _type_checked(resources_from_documents(docs, file, origin, text_key), text)


def object_items(data: Any, file: str, origin: str) -> list[Item]:
    """One object decoded elsewhere (an admission request's object) as a Resource, with the same checks
    a file's object gets (kind, apiVersion, metadata, field types), or the input errors it has."""
    items: list[Item] = []
    for item in resources_from_documents(iter([Document(index=0, line=None, data=data)]), file, origin, None):
        if isinstance(item, Resource):
            name = item.name if isinstance(item.metadata.get("name"), str) else "?"
            problems = type_problems(item.raw, item.api_version, item.kind)
            items.extend(
                InputError(
                    file,
                    f"{problem.message()}; the API server rejects the object; not scanned",
                    None,
                    None,
                    0,
                    f"{item.kind}/{name}",
                )
                for problem in problems
            )
            if problems:
                continue
        items.append(item)
    return items


_TEXT_KEY = "<decoded text>"


def _type_checked(items: Iterator[Item], text: str) -> Iterator[Item]:
    """Built-in objects with a field of the wrong type become input errors: the API server rejects them."""
    locator = None
    for item in items:
        if isinstance(item, InputError):
            yield item
            continue
        problems = type_problems(item.raw, item.api_version, item.kind)
        if not problems:
            yield item
            continue
        if locator is None:
            from kubeguard.loading.locate import Locator  # locate reads files: imported only when needed

            locator = Locator({_TEXT_KEY: text})
        source = dataclasses.replace(item.source, text_key=_TEXT_KEY)
        name = item.name if isinstance(item.metadata.get("name"), str) else "?"
        for problem in problems:
            line, column = locator.locate(source, problem.pointer)
            yield InputError(
                item.source.file,
                f"{problem.message()}; the API server rejects the object; not scanned",
                line,
                column,
                item.source.document,
                f"{item.kind}/{name}",
            )
