"""Kubernetes versions and Pod Security Standards levels: one grammar for every place that reads them.

A version is ``latest`` or ``v1.N`` (``N`` without leading zeros), the form of Pod Security
Admission's ``*-version`` labels. :meth:`KubeVersion.parse` also takes what people type (``1.30``,
``V1.30``, surrounding spaces); :meth:`KubeVersion.parse_label` takes only the exact label form, as
admission does. Levels are ``privileged``, ``baseline`` and ``restricted``, likewise exact in labels
and case-insensitive from people. Errors are :class:`VersionError` (a ``ValueError``) naming the
value and what was expected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class VersionError(ValueError):
    """A Kubernetes version or Pod Security level that is not one."""


_VERSION_RE = re.compile(r"v1\.(0|[1-9][0-9]*)")
_LATEST = "latest"


@dataclass(frozen=True, slots=True)
class KubeVersion:
    """``v1.<minor>``, or ``latest`` when ``minor`` is ``None``."""

    minor: int | None = None

    @classmethod
    def parse(cls, text: str) -> KubeVersion:
        """``latest``, ``v1.N`` or ``1.N``, in any case and with surrounding spaces."""
        t = str(text).strip().lower()
        if t and t != _LATEST and not t.startswith("v"):
            t = "v" + t
        try:
            return cls.parse_label(t)
        except VersionError:
            raise VersionError(f'version must be "latest" or "v1.x" (v1.0 or newer), not {text!r}') from None

    @classmethod
    def parse_label(cls, text: str) -> KubeVersion:
        """Exactly ``latest`` or ``v1.N``, as Pod Security Admission reads its version labels."""
        if text == _LATEST:
            return LATEST
        m = _VERSION_RE.fullmatch(text)
        if m is None:
            raise VersionError(f'version must be "latest" or "v1.x" (v1.0 or newer), not {text!r}')
        return cls(int(m.group(1)))

    @property
    def is_latest(self) -> bool:
        return self.minor is None

    def __str__(self) -> str:
        return _LATEST if self.minor is None else f"v1.{self.minor}"


LATEST = KubeVersion()


class PssLevel(StrEnum):
    """A Pod Security Standards level; compares equal to its name."""

    PRIVILEGED = "privileged"
    BASELINE = "baseline"
    RESTRICTED = "restricted"

    @classmethod
    def parse(cls, text: str) -> PssLevel:
        """A level in any case, with surrounding spaces."""
        return cls.parse_label(str(text).strip().lower(), shown=text)

    @classmethod
    def parse_label(cls, text: str, shown: str | None = None) -> PssLevel:
        """Exactly ``privileged``, ``baseline`` or ``restricted``, as in namespace labels."""
        try:
            return cls(text)
        except ValueError:
            names = ", ".join(level.value for level in cls)
            bad = text if shown is None else shown
            raise VersionError(f"level must be one of {names}, not {bad!r}") from None


@dataclass(frozen=True, slots=True)
class PssPolicy:
    """A Pod Security Standards level at a policy version (``restricted:latest``)."""

    level: PssLevel = PssLevel.RESTRICTED
    version: KubeVersion = LATEST

    @classmethod
    def parse(cls, text: str) -> PssPolicy:
        """``LEVEL[:VERSION]`` as people write it (``baseline``, ``Restricted:1.30``)."""
        level, _, version = str(text).partition(":")
        return cls(PssLevel.parse(level), KubeVersion.parse(version) if version.strip() else LATEST)

    def __str__(self) -> str:
        return f"{self.level}:{self.version}"
