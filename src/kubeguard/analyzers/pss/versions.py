"""Pod Security Standards levels and policy versions, parsed the way Pod Security Admission parses them.

A policy version is ``latest`` or ``v1.N`` (no patch, no leading zeros). Internally a version is its
minor number; ``latest`` and every version newer than the newest policy revision resolve to that
newest revision, as the admission controller clamps them. Anything else (``v0.9``, ``1.30``,
``v1.30.2``, ``v2.0``) is not a policy version: :func:`parse_version` raises, and
:func:`parse_version_label` falls back to ``latest`` with an error, as admission does for a bad label.
"""

from __future__ import annotations

import re

PRIVILEGED = "privileged"
BASELINE = "baseline"
RESTRICTED = "restricted"
LEVELS = (PRIVILEGED, BASELINE, RESTRICTED)

#: The newest minor version at which any control changes (in v1.37 the ``sysctls`` allow-list gained
#: two entries and the ``ulimits`` check appeared). ``latest`` and future versions evaluate as this one.
NEWEST_POLICY_MINOR = 37

LATEST = "latest"

_VERSION_RE = re.compile(r"^v1\.(0|[1-9][0-9]*)$")


class PolicyVersionError(ValueError):
    """A level or version that Pod Security Admission would not accept."""


def parse_level(text: str) -> str:
    """``privileged``, ``baseline`` or ``restricted`` (exact, lower-case, as in namespace labels)."""
    if text in LEVELS:
        return text
    raise PolicyVersionError(f"level must be one of {', '.join(LEVELS)}, not {text!r}")


def parse_version(text: str) -> int:
    """The minor version to evaluate for ``latest`` or ``v1.N``; newer than the newest revision clamps.

    Raises :class:`PolicyVersionError` for anything else, including versions older than v1.0.
    """
    if text == LATEST:
        return NEWEST_POLICY_MINOR
    m = _VERSION_RE.match(text)
    if m is None:
        raise PolicyVersionError(f'version must be "latest" or "v1.x" (v1.0 or newer), not {text!r}')
    return min(int(m.group(1)), NEWEST_POLICY_MINOR)


def parse_version_label(text: str) -> tuple[int, str | None]:
    """A ``*-version`` namespace label: (minor, error). Invalid values evaluate as ``latest``."""
    try:
        return parse_version(text), None
    except PolicyVersionError as exc:
        return NEWEST_POLICY_MINOR, str(exc)


def normalize_cli_version(text: str) -> str:
    """Accept ``latest``, ``v1.N`` and ``1.N`` from people; return the canonical label form."""
    t = text.strip().lower()
    if t != LATEST and not t.startswith("v"):
        t = "v" + t
    parse_version(t)
    return t


def version_label(minor: int) -> str:
    return f"v1.{minor}"
