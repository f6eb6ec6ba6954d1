"""Reading ``.kubeguard.yaml``: exceptions (accepted risks) and per-family settings."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import yaml

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


def _date(value: Any, where: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ConfigError(f"{where}: expires must be a date (YYYY-MM-DD), got {value!r}") from None


def load_config(path: str) -> Config:
    try:
        with open(path, encoding="utf-8") as fh:
            data = yaml.safe_load(fh)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: invalid YAML: {exc}") from None
    return parse_config(data, path)


def parse_config(data: Any, path: str | None = None) -> Config:
    name = path or "config"
    if data is None:
        return Config(path=path)
    if not isinstance(data, dict):
        raise ConfigError(f"{name}: must be a mapping")
    entries = []
    for i, item in enumerate(data.get("exceptions") or []):
        where = f"{name}: exceptions[{i}]"
        if not isinstance(item, dict):
            raise ConfigError(f"{where}: must be a mapping")
        rule = item.get("rule")
        reason = item.get("reason")
        if not isinstance(rule, str) or not rule.strip():
            raise ConfigError(f"{where}: needs a 'rule' (code, prefix or slug)")
        if not isinstance(reason, str) or not reason.strip():
            raise ConfigError(f"{where}: needs a 'reason'")
        match = item.get("match") or {}
        if not isinstance(match, dict):
            raise ConfigError(f"{where}: 'match' must be a mapping of kind/namespace/name globs")
        unknown = set(match) - {"kind", "namespace", "name"}
        if unknown:
            raise ConfigError(f"{where}: unknown match keys {sorted(unknown)}")
        expires = _date(item["expires"], where) if item.get("expires") is not None else None
        entries.append(
            ExceptionEntry(
                rule=rule.strip(),
                reason=reason.strip(),
                kind=str(match.get("kind", "*")),
                namespace=str(match.get("namespace", "*")),
                name=str(match.get("name", "*")),
                expires=expires,
                index=i,
            )
        )
    sections = {k: v for k, v in data.items() if k != "exceptions"}
    return Config(exceptions=tuple(entries), sections=sections, path=path)
