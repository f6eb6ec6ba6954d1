"""Reading ``.kubeguard.yaml``: exceptions (accepted risks) and per-family settings, validated on load."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import yaml

from kubeguard.loading.config_schema import DuplicateKeyError, Path, line_of, problems, read_yaml
from kubeguard.model.config import Config, ExceptionEntry

DEFAULT_CONFIG_NAMES = (".kubeguard.yaml", ".kubeguard.yml")


class ConfigError(ValueError):
    """The configuration file is unreadable or invalid; the message names the file and entry."""


def find_config(start: str | None = None) -> str | None:
    """``.kubeguard.yaml`` in the current directory, if there is one."""
    directory = start or os.getcwd()
    for name in DEFAULT_CONFIG_NAMES:
        path = os.path.join(directory, name)
        if os.path.isfile(path):
            return path
    return None


def _date(value: Any) -> dt.date:
    """A date the schema accepted (``YYYY-MM-DD`` text, or a date another YAML loader made)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)


def load_config(path: str) -> Config:
    """Read and validate a configuration file; ``ConfigError`` names each problem with its line."""
    try:
        with open(path, encoding="utf-8-sig") as fh:
            text = fh.read()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    try:
        data, lines = read_yaml(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: invalid YAML: {exc}") from None
    except DuplicateKeyError as exc:
        raise ConfigError(f"{path}:{exc.line}: {exc}") from None
    except ValueError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    _raise_for_problems(data, path, lines)
    return parse_config(data, path, lines=lines, validated=True)


def _raise_for_problems(data: Any, name: str, lines: dict[Path, int]) -> None:
    found = problems(data)
    if not found:
        return
    # a problem the schema states twice (the same requirement in two of its branches) is shown once
    unique = dict.fromkeys((line_of(p, lines), m) for p, m in found)
    located = sorted(unique, key=lambda lm: (lm[0] or 0, lm[1]))
    text = "\n".join(
        f"{name}:{line}: {message}" if line else f"{name}: {message}" for line, message in located
    )
    raise ConfigError(f"invalid configuration:\n{text}" if len(located) > 1 else text)


def parse_config(
    data: Any, path: str | None = None, *, lines: dict[Path, int] | None = None, validated: bool = False
) -> Config:
    """A :class:`Config` from decoded data (checked against the schema unless ``validated``)."""
    name = path or "config"
    if not validated:
        _raise_for_problems(data, name, lines or {})
    if data is None:
        return Config(path=path)
    entries = []
    for i, item in enumerate(data.get("exceptions") or []):
        match = item.get("match") or {}
        expires = item.get("expires")
        entries.append(
            ExceptionEntry(
                rule=item["rule"].strip(),
                reason=item["reason"].strip(),
                kind=match.get("kind", "*"),
                namespace=match.get("namespace", "*"),
                name=match.get("name", "*"),
                expires=_date(expires) if expires is not None else None,
                index=i,
                line=line_of(("exceptions", i), lines or {}),
            )
        )
    sections = {k: v for k, v in data.items() if k != "exceptions"}
    return Config(exceptions=tuple(entries), sections=sections, path=path)
