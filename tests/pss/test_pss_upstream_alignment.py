"""Regressions found by running upstream's own conformance fixtures against the engine.

Each test reproduces, with a minimal pod of our own, one case where kubeguard once disagreed with
the fixtures of ``staging/src/k8s.io/pod-security-admission/test/testdata``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kubeguard.analyzers.pss import evaluate_pod, parse_version
from tests.pss.helpers import failed, messages, restricted_ok
from tests.pss.test_pss_conformance import expected_checks


@pytest.mark.parametrize("version", ["v1.0", "v1.21", "v1.25", "latest"])
@pytest.mark.parametrize(
    "volume",
    [
        {"name": "scratch"},
        {"name": "scratch", "nfs": None},
        {"name": "scratch", "hostPath": None, "emptyDir": None},
    ],
    ids=["name-only", "null-source", "all-null"],
)
def test_volume_without_source_is_an_implicit_empty_dir(volume, version):
    # The API server defaults a volume with no source to emptyDir before admission runs.
    assert failed(restricted_ok(volumes=[volume]), "restricted", version) == []


def test_sourceless_volume_is_not_listed_beside_a_restricted_one():
    spec = restricted_ok(
        volumes=[{"name": "scratch"}, {"name": "share", "nfs": {"server": "s", "path": "/"}}]
    )
    assert messages(spec, "restricted", "latest") == [
        'restricted volume types (volume "share" uses restricted volume type "nfs")'
    ]
    (result,) = evaluate_pod(spec, {}, "restricted", parse_version("latest"))
    assert [str(o.pointer) for o in result.offences] == ["/spec/volumes/1/nfs"]


def test_sourceless_volume_stays_allowed_at_baseline():
    assert failed(restricted_ok(volumes=[{"name": "scratch"}]), "baseline", "latest") == []


def test_fail_fixture_names_map_to_the_checks_that_may_report_them():
    # Upstream names a fail fixture after its check; at restricted, an overriding check reports it.
    assert expected_checks(Path("hostpathvolumes0.yaml"), "baseline") == {"hostPathVolumes"}
    assert expected_checks(Path("hostpathvolumes0.yaml"), "restricted") == {
        "hostPathVolumes",
        "restrictedVolumes",
    }
    assert expected_checks(Path("capabilities_baseline12.yaml"), "restricted") == {
        "capabilities_baseline",
        "capabilities_restricted",
    }
    assert expected_checks(Path("runasuser2.yaml"), "restricted") == {"runAsUser"}
    assert expected_checks(Path("base.yaml"), "restricted") is None
    assert expected_checks(Path("probe_host.yaml"), "baseline") is None


def _ulimits_pod(**container_sc):
    return restricted_ok(
        containers=[
            {
                "name": "app",
                "image": "x",
                "securityContext": {
                    "allowPrivilegeEscalation": False,
                    "capabilities": {"drop": ["ALL"]},
                    **container_sc,
                },
            }
        ]
    )


@pytest.mark.parametrize("level", ["baseline", "restricted"])
def test_ulimits_forbidden_from_v1_37(level):
    spec = _ulimits_pod(ulimits={"nofile": {"soft": 1024, "hard": 2048}})
    assert failed(spec, level, "v1.36") == []
    assert failed(spec, level, "v1.37") == ["ulimits"]
    assert failed(spec, level, "latest") == ["ulimits"]
    assert messages(spec, level, "v1.37") == [
        'ulimits (container "app" must not set securityContext.ulimits)'
    ]


def test_ulimits_empty_map_counts_and_null_does_not():
    assert failed(_ulimits_pod(ulimits={}), "baseline", "latest") == ["ulimits"]
    assert failed(_ulimits_pod(ulimits=None), "baseline", "latest") == []


def test_ulimits_lists_every_container_in_admission_order():
    spec = restricted_ok(
        initContainers=[{"name": "init", "image": "x", "securityContext": {"ulimits": {"core": {}}}}],
        containers=[{"name": "app", "image": "x", "securityContext": {"ulimits": {"nofile": {}}}}],
        ephemeralContainers=[{"name": "dbg", "image": "x", "securityContext": {"ulimits": {}}}],
    )
    (result,) = evaluate_pod(spec, {}, "baseline", parse_version("v1.37"))
    assert result.message == (
        'ulimits (containers "init", "app", "dbg" must not set securityContext.ulimits)'
    )
    assert [str(o.pointer) for o in result.offences] == [
        "/spec/initContainers/0/securityContext/ulimits",
        "/spec/containers/0/securityContext/ulimits",
        "/spec/ephemeralContainers/0/securityContext/ulimits",
    ]


def test_ulimits_rule_is_not_applicable_before_v1_37():
    from tests.pss.test_pss_rules import enabled_codes

    assert "PSS020" not in enabled_codes("baseline", "v1.36")
    assert "PSS020" in enabled_codes("baseline", "v1.37")
    assert "PSS020" in enabled_codes("restricted", "latest")
