"""The project configuration (``.kubeguard.yaml``) as typed data: exceptions and per-family settings."""

from __future__ import annotations

import datetime as dt
import fnmatch
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any


@dataclass(frozen=True, slots=True)
class ExceptionEntry:
    """An accepted risk: findings of ``rule`` on objects matching the globs are suppressed."""

    rule: str
    reason: str
    kind: str = "*"
    namespace: str = "*"
    name: str = "*"
    expires: dt.date | None = None
    index: int = 0
    #: The line of the entry in the configuration file, where known.
    line: int | None = None

    def expired(self, today: dt.date) -> bool:
        return self.expires is not None and self.expires < today

    def matches_object(self, kind: str, namespace: str | None, name: str) -> bool:
        return (
            fnmatch.fnmatchcase(kind, self.kind)
            and fnmatch.fnmatchcase(namespace or "", self.namespace)
            and fnmatch.fnmatchcase(name, self.name)
        )


@dataclass(frozen=True, slots=True)
class Config:
    """Settings read from ``.kubeguard.yaml``; ``sections`` holds each family's own settings."""

    exceptions: tuple[ExceptionEntry, ...] = ()
    sections: Mapping[str, Any] = field(default_factory=dict)
    path: str | None = None

    def __post_init__(self) -> None:
        # Read-only: one Config (EMPTY_CONFIG above all) is shared by every rule of every scan.
        object.__setattr__(self, "sections", MappingProxyType(dict(self.sections)))

    def section(self, name: str) -> dict[str, Any]:
        value = self.sections.get(name)
        return value if isinstance(value, dict) else {}


EMPTY_CONFIG = Config()
