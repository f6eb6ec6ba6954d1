"""Validating ``.kubeguard.yaml`` against its JSON Schema, with messages that name the line and the key.

The schema (``schemas/kubeguard.schema.json``, published as ``docs/kubeguard.schema.json`` for
editors) is the one description of what the file may hold: every section, every key, every type.
A misspelled key, a section of the wrong type or a value out of range is an error when the file is
loaded, so a typo is never taken for a clean scan. Unknown keys and values get a did-you-mean.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from kubeguard.model.value_types import type_name

Path = tuple[str | int, ...]


@cache
def schema() -> dict[str, Any]:
    """The JSON Schema of ``.kubeguard.yaml``."""
    text = (
        resources.files("kubeguard.loading").joinpath("schemas", "kubeguard.schema.json").read_text("utf-8")
    )
    loaded: dict[str, Any] = json.loads(text)
    return loaded


class _ConfigLoader(yaml.SafeLoader):
    """PyYAML's safe loader, but dates stay strings (as JSON Schema and editors see them)."""


_ConfigLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class DuplicateKeyError(ValueError):
    """A key written twice in one mapping: YAML would keep only the last, silently."""

    def __init__(self, key: str, line: int) -> None:
        super().__init__(f"duplicate key {key!r} (only the last one would be read)")
        self.line = line


def read_yaml(text: str) -> tuple[Any, dict[Path, int]]:
    """The decoded file and the 1-based line of every key and list item, by path.

    Raises ``yaml.YAMLError`` for invalid YAML, :class:`DuplicateKeyError`, and ``ValueError`` for
    more than one document.
    """
    loader = _ConfigLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        lines: dict[Path, int] = {(): node.start_mark.line + 1}
        return _build(loader, node, (), lines), lines
    except yaml.composer.ComposerError as exc:
        if "expected a single document" in str(exc):
            raise ValueError("holds more than one YAML document") from None
        raise
    finally:
        loader.dispose()


def _build(loader: _ConfigLoader, node: Node, path: Path, lines: dict[Path, int]) -> Any:
    if isinstance(node, MappingNode):
        seen = set()
        for key_node, _ in node.value:
            if isinstance(key_node, ScalarNode) and key_node.value != "<<":
                if key_node.value in seen:
                    raise DuplicateKeyError(key_node.value, key_node.start_mark.line + 1)
                seen.add(key_node.value)
        loader.flatten_mapping(node)  # merge keys (<<); a key written here overrides a merged one
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                key = str(key)
            lines[(*path, key)] = key_node.start_mark.line + 1
            out[key] = _build(loader, value_node, (*path, key), lines)
        return out
    if isinstance(node, SequenceNode):
        items = []
        for i, item in enumerate(node.value):
            lines[(*path, i)] = item.start_mark.line + 1
            items.append(_build(loader, item, (*path, i), lines))
        return items
    assert isinstance(node, ScalarNode)
    return loader.construct_object(node, deep=True)


def _dates_as_text(value: Any) -> Any:
    """Data read by another YAML loader has ``datetime.date`` values where this file has text."""
    if isinstance(value, dict):
        return {k: _dates_as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_dates_as_text(v) for v in value]
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def dotted(path: Path) -> str:
    """``exceptions[0].match.kind``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


_TYPE_NAMES = {
    "object": "a mapping",
    "array": "a list",
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean",
}


def _did_you_mean(word: str, choices: Any) -> str:
    names = [str(c) for c in choices]
    by_lower = {n.lower(): n for n in names}
    close = difflib.get_close_matches(word.lower(), list(by_lower), n=1, cutoff=0.6)
    return f" (did you mean {by_lower[close[0]]!r}?)" if close else ""


def _messages(error: Any) -> Iterator[tuple[Path, str]]:
    """``(path, message)`` for one jsonschema error, in words a user of the file understands."""
    path: Path = tuple(error.absolute_path)
    where = dotted(path) or "the file"
    validator = error.validator
    instance = error.instance
    if validator == "additionalProperties" and isinstance(instance, dict):
        known = error.schema.get("properties", {})
        extra = [k for k in instance if k not in known]
        if not path and {"apiVersion", "kind"} <= set(instance):
            yield (
                (),
                (
                    "this is a Kubernetes manifest, not a kubeguard configuration "
                    "(pass manifests as PATH arguments; --config takes a .kubeguard.yaml)"
                ),
            )
            return
        for key in extra:
            section = f" in {where}" if path else ""
            yield (*path, key), f"unknown key {key!r}{section}{_did_you_mean(key, known)}"
    elif validator == "type":
        expected = (
            error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        )
        names = " or ".join(_TYPE_NAMES[t] for t in expected if t != "null")
        yield path, f"{where} must be {names}, not {type_name(instance)}"
    elif validator == "enum":
        choices = error.validator_value
        shown = f"{instance!r}" if isinstance(instance, str) else type_name(instance)
        hint = _did_you_mean(instance, choices) if isinstance(instance, str) else ""
        yield path, f"{where}: unknown value {shown}{hint}; choose from {', '.join(map(str, choices))}"
    elif validator == "required":
        missing = [k for k in error.validator_value if k not in instance]
        yield path, f"{where} needs {' and '.join(repr(k) for k in missing)}"
    elif validator == "minimum":
        yield path, f"{where} must be at least {error.validator_value}, not {instance}"
    elif validator in ("pattern", "minLength"):
        yield path, f"{where} must not be empty"
    elif validator == "format" and error.validator_value == "date":
        yield path, f"{where} must be a date (YYYY-MM-DD)"
    elif validator == "format" and error.validator_value == "regex":
        try:
            re.compile(instance)
            reason = ""
        except re.error as exc:
            reason = f": {exc}"
        yield path, f"{where} is not a valid regular expression{reason}"
    else:
        yield path, f"{where}: {error.message}"


def problems(data: Any) -> list[tuple[Path, str]]:
    """Every way ``data`` breaks the schema, as ``(path, message)``, in file order."""
    import jsonschema  # imported only when there is a configuration to check

    validator = jsonschema.Draft202012Validator(schema(), format_checker=jsonschema.FormatChecker())
    out: list[tuple[Path, str]] = []
    for error in validator.iter_errors(_dates_as_text(data)):
        out.extend(_messages(error))
    return out


def line_of(path: Path, lines: dict[Path, int]) -> int | None:
    """The line of ``path``, else of its closest ancestor that has one."""
    while path not in lines and path:
        path = path[:-1]
    return lines.get(path)
