"""How the type of a decoded YAML or JSON value is named in messages ("a list", "an integer")."""

from __future__ import annotations

from typing import Any


def type_name(value: Any) -> str:
    """``value``'s type as a reader of the input would say it (a YAML boolean before a number)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__
