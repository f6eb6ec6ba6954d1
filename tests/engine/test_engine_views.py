"""Findings from several views: the same statement at the same place is listed once."""

from __future__ import annotations

from kubeguard.engine.runner import evaluate
from kubeguard.model.config import EMPTY_CONFIG
from kubeguard.model.resource import Resource, SourceLocation
from kubeguard.rules.context import ScanContext, ScanOptions
from tests.engine.test_engine_health import flag_all, rule


def pod_from(file: str, name: str = "web") -> Resource:
    raw = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": "shop"},
        "spec": {"containers": [{"name": "app", "image": "nginx:1.27"}]},
    }
    return Resource(raw, SourceLocation(file=file))


def view(*resources: Resource) -> ScanContext:
    return ScanContext(list(resources), ScanOptions(), EMPTY_CONFIG)


def test_overlays_sharing_a_base_report_its_finding_once() -> None:
    # Two overlays render the same base object; origin mapping names the base file for both.
    dev, prod = view(pod_from("base/pod.yaml")), view(pod_from("base/pod.yaml"))
    report = evaluate([dev, prod], [rule("T001", check=flag_all)])
    assert [(f.rule.code, f.file, f.object.name) for f in report.findings] == [
        ("T001", "base/pod.yaml", "web")
    ]
    assert report.resources == 2  # each view's object is still evaluated


def test_same_object_in_two_files_is_reported_in_each() -> None:
    a, b = view(pod_from("envs/dev/pod.yaml")), view(pod_from("envs/prod/pod.yaml"))
    report = evaluate([a, b], [rule("T001", check=flag_all)])
    assert sorted(f.file for f in report.findings) == ["envs/dev/pod.yaml", "envs/prod/pod.yaml"]
