"""Levels and versions are parsed, clamped and rejected as Pod Security Admission does."""

from __future__ import annotations

import pytest

from kubeguard.analyzers.pss.namespaces import namespace_policy
from kubeguard.analyzers.pss.versions import (
    NEWEST_POLICY_MINOR,
    PolicyVersionError,
    parse_level,
    parse_version,
)


@pytest.mark.parametrize(
    ("text", "minor"),
    [
        ("latest", NEWEST_POLICY_MINOR),
        ("v1.0", 0),
        ("v1.8", 8),
        ("v1.25", 25),
        ("v1.99", NEWEST_POLICY_MINOR),
    ],
)
def test_valid_versions(text, minor):
    assert parse_version(text) == minor


@pytest.mark.parametrize("text", ["v0.9", "v0.0", "1.30", "v1.30.1", "v1.01", "v2.0", "Latest", "", "v1."])
def test_invalid_versions_are_rejected(text):
    with pytest.raises(PolicyVersionError, match=r'"latest" or "v1\.x"'):
        parse_version(text)


def test_levels():
    assert parse_level("baseline") == "baseline"
    with pytest.raises(PolicyVersionError):
        parse_level("Baseline")


def test_namespace_labels_fall_back_like_admission():
    policy = namespace_policy(
        "ns",
        {
            "pod-security.kubernetes.io/enforce": "strict",
            "pod-security.kubernetes.io/audit": "bogus",
            "pod-security.kubernetes.io/warn": "baseline",
            "pod-security.kubernetes.io/warn-version": "v0.1",
        },
    )
    modes = {m.mode: m for m in policy.modes}
    assert modes["enforce"].level == "restricted"  # invalid enforce level fails closed
    assert modes["audit"].level == "privileged"  # invalid audit/warn levels fail open
    assert (modes["warn"].level, modes["warn"].version, modes["warn"].minor) == (
        "baseline",
        "latest",
        NEWEST_POLICY_MINOR,
    )
    assert len(policy.errors) == 3


def test_unlabelled_namespace_defaults_to_privileged():
    policy = namespace_policy("ns", {"app": "x"})
    assert not policy.labelled
    assert all(m.level == "privileged" for m in policy.modes)
