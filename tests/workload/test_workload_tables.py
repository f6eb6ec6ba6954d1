"""The data tables behind the workload rules: host paths and API version changes."""

from __future__ import annotations

import pytest

from kubeguard.checks.workload._api_versions import _TABLE, CHANGES, status
from kubeguard.checks.workload._host_paths import HOST_PATHS, SOCKETS, exposed, normalise


@pytest.mark.parametrize(
    ("written", "normal"),
    [
        ("/", "/"),
        ("//", "/"),
        ("/var/", "/var"),
        ("/var//lib///kubelet/", "/var/lib/kubelet"),
        ("/opt/../etc", "/etc"),
        ("/../../etc/./ssl", "/etc/ssl"),
        ("/etc/..", "/"),
        ("relative/path", None),
        ("C:\\Windows", None),
        (None, None),
        (42, None),
    ],
)
def test_normalise(written, normal):
    assert normalise(written) == normal


def _paths(path, table):
    return [(e.path, how) for e, how in exposed(path, table)]


def test_exact_inside_and_parent_matches():
    assert _paths("/etc", HOST_PATHS)[0] == ("/etc", "is")
    assert _paths("/etc/kubernetes/pki/ca.key", HOST_PATHS) == [("/etc/kubernetes/pki", "inside")]
    assert ("/var/lib/kubelet", "contains") in _paths("/var", HOST_PATHS)
    assert ("/var/log", "contains") in _paths("/var", HOST_PATHS)
    assert _paths("/", HOST_PATHS) == [("/", "is")]
    assert _paths("/opt/data", HOST_PATHS) == []
    assert _paths("/etcetera", HOST_PATHS) == []
    assert _paths("/var/lib/kubelet-plugins", HOST_PATHS) == []


def test_socket_matches():
    assert _paths("/var/run/docker.sock", SOCKETS) == [("/var/run/docker.sock", "is")]
    assert _paths("/run/containerd", SOCKETS) == [("/run/containerd/containerd.sock", "contains")]
    assert _paths("/var/run", SOCKETS)
    assert _paths("/", SOCKETS)
    assert _paths("/var/lib/kubelet", SOCKETS) == []


def test_api_version_table_is_consistent():
    assert len(CHANGES) == len(_TABLE), "duplicate (apiVersion, kind) entries"
    for change in _TABLE:
        assert change.replacement
        assert change.removed_in is None or change.deprecated_in < change.removed_in, change
        assert change.api_version != change.replacement.split(" ")[0], change


def test_status_by_target_version():
    cronjob = CHANGES[("batch/v1beta1", "CronJob")]
    assert (cronjob.deprecated_in, cronjob.removed_in) == (21, 25)
    assert status(cronjob, 20) is None
    assert status(cronjob, 21) == "deprecated"
    assert status(cronjob, 24) == "deprecated"
    assert status(cronjob, 25) == "removed"
    assert status(cronjob, None) == "removed"
    endpoints = CHANGES[("v1", "Endpoints")]
    assert status(endpoints, None) == "deprecated"
    assert status(endpoints, 32) is None
