"""Field types of the built-in kinds, checked as the API server's decoder checks them.

The API server decodes an object into typed Go structs: a string where a boolean belongs
(``privileged: "true"``), a number where a string belongs (``image: 5``), a list where a mapping
belongs (``template: []``) or a YAML 1.1 boolean where a string belongs (``namespace: y``) makes it
reject the whole object. Such an object can never exist in a cluster, so it is reported as an input
error and kept out of the checks.

The types come from ``fieldtypes.json``, generated from the Kubernetes OpenAPI schema by
``tools/gen_fieldtypes.py`` (see there for its compact notation). Only fields the table knows are
checked; unknown fields are left alone, and so is everything but ``metadata`` in custom resources and
in API versions the table lacks. ``null`` is accepted everywhere, as the decoder accepts it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from kubeguard.model.kinds import CONFIG_GROUPS, api_group
from kubeguard.model.pointer import Pointer
from kubeguard.model.value_types import type_name

_INT32 = 2**31
_INT64 = 2**63

# Compiled specs: (accepted type, tag, argument). A value whose type is the accepted type passes at
# once (a string in a string field); anything else goes to the slow path, which knows the exceptions
# (8080.0 for an integer, 0.5 for a quantity) and names the problem. Leaves carry their letter,
# containers their element spec, objects their field table. Fields that take anything are left out.
_LEAF, _LIST, _MAP, _OBJECT = 0, 1, 2, 3

Spec = tuple[type | None, int, Any]
Fields = dict[str, Spec]

_FAST: dict[str, type | None] = {"s": str, "b": bool, "l": int, "n": float, "q": str, "x": str, "i": None}

_EXPECTED = {
    "s": "a string",
    "b": "a boolean",
    "i": "an integer (int32)",
    "l": "an integer",
    "n": "a number",
    "q": "a quantity (a string such as 500m, or a number)",
    "x": "an integer or a string",
}


@dataclass(frozen=True, slots=True)
class TypeProblem:
    """A field whose value the API server cannot decode into the field's type."""

    pointer: Pointer
    found: str
    expected: str
    hint: str = ""

    def path(self) -> str:
        """``spec.template.spec.containers[0].image`` (kubectl's way of naming a field)."""
        out = ""
        for part in self.pointer:
            if isinstance(part, int):
                out += f"[{part}]"
            elif out and ("." in part or "/" in part):
                out += f"[{part}]"  # a map key such as an annotation name
            else:
                out += f".{part}" if out else part
        return out

    def message(self) -> str:
        hint = f" ({self.hint})" if self.hint else ""
        return f"{self.path()} is {self.found}, expected {self.expected}{hint}"


@cache
def _table() -> tuple[dict[str, dict[str, str]], dict[str, Fields]]:
    text = resources.files("kubeguard.loading").joinpath("fieldtypes.json").read_text(encoding="utf-8")
    data = json.loads(text)
    raw_types: dict[str, dict[str, str]] = data["types"]
    compiled: dict[str, Fields] = {name: {} for name in raw_types}

    def spec(code: str) -> Spec | None:
        if code == "*":
            return None
        if code[0] in "[{":
            inner = spec(code[1:])
            if inner is None:  # a list or map of anything: only the container's own type matters
                return (list, _LEAF, "[") if code[0] == "[" else (dict, _LEAF, "{")
            return (None, _LIST, inner) if code[0] == "[" else (None, _MAP, inner)
        if len(code) == 1:
            return (_FAST[code], _LEAF, code)
        return (None, _OBJECT, compiled[code])  # filled in below; types may refer to themselves

    for name, fields in raw_types.items():
        table = compiled[name]
        for field, code in fields.items():
            compiled_spec = spec(code)
            if compiled_spec is not None:
                table[field] = compiled_spec
    return data["kinds"], compiled


def root_fields(api_version: str, kind: str) -> Fields | None:
    """The field table of a kind: all of a built-in kind's fields; only ``metadata`` of any other
    API object (the API server decodes a custom resource's metadata into ObjectMeta too); ``None``
    for component configuration files, which no API server reads."""
    kinds, types = _table()
    name = kinds.get(api_version, {}).get(kind)
    if name is not None:
        return types[name]
    if api_group(api_version) in CONFIG_GROUPS:
        return None
    return _metadata_only()


@cache
def _metadata_only() -> Fields:
    return {"metadata": (None, _OBJECT, _table()[1]["meta.v1.ObjectMeta"])}


def _leaf_problem(value: Any, code: str, ptr: tuple[str | int, ...]) -> TypeProblem | None:
    """``None`` when the decoder accepts ``value`` for a leaf of type ``code``."""
    t = type(value)
    if code == "s":
        if t is str:
            return None
        if t is bool:
            hint = "unquoted y, yes, on, n, no, off are YAML 1.1 booleans: quote the value"
            return TypeProblem(Pointer(ptr), "a boolean", "a string", hint)
        if t is int or t is float:
            return TypeProblem(Pointer(ptr), type_name(value), "a string", "quote the value")
        return TypeProblem(Pointer(ptr), type_name(value), "a string")
    if code == "b":
        if t is bool:
            return None
        hint = "write true or false without quotes" if t is str else ""
        return TypeProblem(Pointer(ptr), type_name(value), "a boolean", hint)
    if code in ("i", "l"):
        if t is float and value.is_integer():
            value = int(value)  # 8080.0 reaches the server as 8080
            t = int
        if t is int:
            bound = _INT32 if code == "i" else _INT64
            if -bound <= value < bound:
                return None
            return TypeProblem(Pointer(ptr), "an integer out of range", _EXPECTED[code])
        if t is float:
            return TypeProblem(Pointer(ptr), "a number with a fraction", _EXPECTED[code])
        return TypeProblem(
            Pointer(ptr), type_name(value), _EXPECTED[code], "write it without quotes" if t is str else ""
        )
    if code == "n":
        return None if t is int or t is float else TypeProblem(Pointer(ptr), type_name(value), "a number")
    if code == "q":
        return (
            None
            if t is str or t is int or t is float
            else TypeProblem(Pointer(ptr), type_name(value), _EXPECTED["q"])
        )
    if code == "x":
        if t is str or t is int or (t is float and value.is_integer()):
            return None
        return TypeProblem(Pointer(ptr), type_name(value), _EXPECTED["x"])
    if code == "[":
        return None if t is list else TypeProblem(Pointer(ptr), type_name(value), "a list")
    if code == "{":
        return None if t is dict else TypeProblem(Pointer(ptr), type_name(value), "a mapping")
    raise AssertionError(f"unknown field type {code!r}")


def _check(value: Any, spec: Spec, ptr: tuple[str | int, ...], out: list[TypeProblem]) -> None:
    """Check a value that did not pass at once (its type is not the spec's accepted type)."""
    _, tag, arg = spec
    t = type(value)
    if tag == _OBJECT:
        if t is dict:
            _check_object(value, arg, ptr, out)
        else:
            out.append(TypeProblem(Pointer(ptr), type_name(value), "a mapping"))
    elif tag == _LIST:
        if t is not list:
            out.append(TypeProblem(Pointer(ptr), type_name(value), "a list"))
            return
        fast = arg[0]
        for i, item in enumerate(value):
            if type(item) is not fast and item is not None:
                _check(item, arg, (*ptr, i), out)
    elif tag == _MAP:
        if t is not dict:
            out.append(TypeProblem(Pointer(ptr), type_name(value), "a mapping"))
            return
        fast = arg[0]
        for key, item in value.items():
            if type(item) is not fast and item is not None:
                _check(item, arg, (*ptr, key), out)
    else:
        problem = _leaf_problem(value, arg, ptr)
        if problem is not None:
            out.append(problem)


def _check_object(
    obj: dict[str, Any], fields: Fields, ptr: tuple[str | int, ...], out: list[TypeProblem]
) -> None:
    for key, value in obj.items():
        spec = fields.get(key)
        # Most fields are leaves holding the accepted type: one lookup, one comparison.
        if spec is None or type(value) is spec[0] or value is None:
            continue
        tag = spec[1]
        # The common nestings are walked here rather than through _check: one call less per level.
        if tag == _OBJECT and type(value) is dict:
            _check_object(value, spec[2], (*ptr, key), out)
        elif tag == _LIST and type(value) is list and spec[2][1] == _OBJECT:
            item_spec = spec[2]
            fields_of_item = item_spec[2]
            for i, item in enumerate(value):
                if type(item) is dict:
                    _check_object(item, fields_of_item, (*ptr, key, i), out)
                elif item is not None:
                    _check(item, item_spec, (*ptr, key, i), out)
        else:
            _check(value, spec, (*ptr, key), out)


def _valid(obj: dict[str, Any], fields: Fields) -> bool:
    """Whether every field of ``obj`` has an accepted type: :func:`_check_object` without pointers.

    Nearly every object passes, so this walk does only what passing needs (no pointer is built, no
    problem named); any object it rejects is walked again by :func:`_check_object`, which names
    the problems. A property test keeps the two in agreement.
    """
    for key, value in obj.items():
        spec = fields.get(key)
        if spec is None or type(value) is spec[0] or value is None:
            continue
        tag = spec[1]
        if tag == _OBJECT:
            if type(value) is not dict or not _valid(value, spec[2]):
                return False
        elif tag == _LEAF:
            if _leaf_problem(value, spec[2], ()) is not None:
                return False
        else:
            items: Iterable[Any]
            if tag == _LIST and type(value) is list:
                items = value
            elif tag == _MAP and type(value) is dict:
                items = value.values()
            else:
                return False
            fast, item_tag, item_arg = spec[2]
            for item in items:
                if type(item) is fast or item is None:
                    continue
                if item_tag == _OBJECT:
                    if type(item) is not dict or not _valid(item, item_arg):
                        return False
                elif item_tag == _LEAF:
                    if _leaf_problem(item, item_arg, ()) is not None:
                        return False
                else:
                    return False  # a list of lists or maps (rare): let the full walk judge it
    return True


def type_problems(obj: dict[str, Any], api_version: str, kind: str) -> list[TypeProblem]:
    """Every field of ``obj`` whose value has a type the API server rejects (empty: all is well)."""
    fields = root_fields(api_version, kind)
    if not fields or _valid(obj, fields):
        return []
    out: list[TypeProblem] = []
    _check_object(obj, fields, (), out)
    return out
