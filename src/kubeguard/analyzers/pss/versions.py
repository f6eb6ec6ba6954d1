"""Pod Security Standards levels and policy versions, parsed the way Pod Security Admission parses them.

The grammar is the model's (:mod:`kubeguard.model.versions`); this module adds admission's reading of
it. Internally a policy version is its minor number; ``latest`` and every version newer than the
newest policy revision resolve to that newest revision, as the admission controller clamps them.
Labels must be exact: :func:`parse_version` raises (a namespace's bad label then evaluates as
``latest`` with an error, as admission does; see :mod:`.namespaces`).
"""

from __future__ import annotations

from kubeguard.model.versions import KubeVersion, PssLevel, PssPolicy, VersionError

PRIVILEGED = PssLevel.PRIVILEGED.value
BASELINE = PssLevel.BASELINE.value
RESTRICTED = PssLevel.RESTRICTED.value
LEVELS = (PRIVILEGED, BASELINE, RESTRICTED)

#: The newest minor version at which any control changes (in v1.37 the ``sysctls`` allow-list gained
#: two entries and the ``ulimits`` check appeared). ``latest`` and future versions evaluate as this one.
NEWEST_POLICY_MINOR = 37

LATEST = "latest"

#: A level or version that Pod Security Admission would not accept (the model's error).
PolicyVersionError = VersionError


def parse_level(text: str) -> str:
    """``privileged``, ``baseline`` or ``restricted`` (exact, lower-case, as in namespace labels)."""
    return PssLevel.parse_label(text).value


def policy_minor(version: KubeVersion) -> int:
    """The policy revision (minor) that admission evaluates for a version: newer ones clamp."""
    return NEWEST_POLICY_MINOR if version.minor is None else min(version.minor, NEWEST_POLICY_MINOR)


def parse_version(text: str) -> int:
    """The minor version to evaluate for ``latest`` or ``v1.N``; newer than the newest revision clamps.

    Raises :class:`PolicyVersionError` for anything else, including versions older than v1.0.
    """
    return policy_minor(KubeVersion.parse_label(text))


def policy_key(policy: PssPolicy) -> tuple[str, int]:
    """(level, minor) that the policy tables are indexed by."""
    return policy.level.value, policy_minor(policy.version)
