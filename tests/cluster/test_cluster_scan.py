"""A cluster read through the real client from the fake API server scans exactly like files.

The fake server holds the repository's examples and every rule fixture with server fields added;
the same objects written to files give the same findings (rule, object, field, key, message),
whatever the page size, when continue tokens expire, and when a kind is forbidden (that kind's
findings are missing, and the report says so).
"""

from __future__ import annotations

import collections
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kubeguard import api
from kubeguard.api import ClusterSource, LoadOptions
from kubeguard.engine.needs import kinds_needed
from kubeguard.engine.registry import all_rules
from kubeguard.findings.report import Finding, ScanReport
from kubeguard.loading.cluster.source import SKIPPED_KINDS, object_uri
from kubeguard.loading.views import identity
from kubeguard.model.config import Config
from kubeguard.model.kinds import api_group
from kubeguard.rules.context import ScanOptions
from tests.cluster.conftest import write_objects
from tests.cluster.fakeapi import FakeApiServer

Key = tuple[str, str, str, str | None, str, str, str | None, str]


def key(f: Finding) -> Key:
    o = f.object
    return (f.rule.code, o.api_version, o.kind, o.namespace, o.name, f.pointer, f.key, f.message)


def cluster_scan(server: FakeApiServer, tmp_path: Path, **source: Any) -> ScanReport:
    kubeconfig = server.write_kubeconfig(tmp_path / "kubeconfig")
    options = LoadOptions(cluster=ClusterSource(kubeconfig=str(kubeconfig), **source))
    return api.scan([], load_options=options, config=Config())


def file_scan_in_cluster_order(
    objects: list[dict[str, Any]], server: FakeApiServer, tmp_path: Path
) -> ScanReport:
    """The same objects from files, in the order the cluster read gives them (rules that report
    the first workload of a namespace depend on order), as one view."""
    kubeconfig = server.write_kubeconfig(tmp_path / "kubeconfig-order")
    loaded = api.load_inputs(
        [],
        LoadOptions(cluster=ClusterSource(kubeconfig=str(kubeconfig)), kinds=kinds_needed(all_rules())),
    )
    order = {identity(r): i for i, r in enumerate(loaded.resources)}
    from kubeguard.model.resource import Resource, SourceLocation

    def rank(obj: dict[str, Any]) -> int:
        return order.get(identity(Resource(obj, SourceLocation("x"))), len(order))

    folder = write_objects(sorted(objects, key=rank), tmp_path / "objects")
    options = ScanOptions(builtin_rbac=False, k8s_version="v1.31", pss_version="v1.31")
    return api.scan([str(folder)], options=options, config=Config())


def test_cluster_scan_equals_file_scan(
    corpus: list[dict[str, Any]], fake_api: Callable[..., FakeApiServer], tmp_path: Path
) -> None:
    server = fake_api(corpus)
    live = cluster_scan(server, tmp_path)
    # ComponentStatus (a deprecated live probe, no configuration) is never read from a cluster.
    same = [o for o in corpus if (api_group(o["apiVersion"]), o["kind"]) not in SKIPPED_KINDS]
    assert len(same) < len(corpus)
    files = file_scan_in_cluster_order(same, server, tmp_path)
    assert not live.errors and not files.errors
    assert live.resources == files.resources == len(same)
    assert len(live.findings) > 1000  # the corpus exercises every family
    # Secret values never reach kubeguard from a cluster (kept keys, emptied values), so whether a
    # committed Secret holds a real value (SEC004) is judged on files only.
    file_keys = collections.Counter(key(f) for f in files.findings if f.rule.code != "SEC004")
    live_keys = collections.Counter(key(f) for f in live.findings)
    assert live_keys == file_keys
    assert any(f.rule.code == "SEC004" for f in files.findings)
    families = {f.rule.family for f in live.findings}
    assert {"PSS", "WKL", "IMG", "SEC", "RBAC", "NET", "CP"} <= families
    for f in live.findings:
        o = f.object
        assert f.file == object_uri("fake-ctx", api_group(o.api_version), o.kind, o.namespace, o.name)
        assert f.line is None
    assert live.options["k8sVersion"] == "v1.31" and live.options["pss"] == "restricted:v1.31"
    assert live.options["builtinRbac"] is False
    assert live.options["cluster"]["version"] == "v1.31.4"


def test_paging_with_limit_1_gives_the_same_scan(
    examples: list[dict[str, Any]], fake_api: Callable[..., FakeApiServer], tmp_path: Path
) -> None:
    server = fake_api(examples)
    whole = cluster_scan(server, tmp_path)
    before = len(server.requests)
    paged = cluster_scan(server, tmp_path, page_size=1)
    continued = [r for r in server.requests[before:] if "continue=" in r]
    assert len(continued) >= len(examples) - 25  # one request per object after each list's first
    assert all("limit=1" in r for r in server.requests[before:] if "continue=" in r)
    assert [key(f) for f in paged.findings] == [key(f) for f in whole.findings]
    assert paged.resources == whole.resources == len(examples)


def test_expired_continue_token_lists_again(
    examples: list[dict[str, Any]], fake_api: Callable[..., FakeApiServer], tmp_path: Path
) -> None:
    reference = cluster_scan(fake_api(examples), tmp_path)
    server = fake_api(examples, expire_continue=3)
    paged = cluster_scan(server, tmp_path, page_size=1, workers=1)
    assert server.expire_continue == 0  # three continue requests were answered 410 Expired
    assert not paged.errors
    assert paged.resources == reference.resources
    assert [key(f) for f in paged.findings] == [key(f) for f in reference.findings]


def test_forbidden_kind_is_reported_once_and_the_scan_goes_on(
    examples: list[dict[str, Any]], fake_api: Callable[..., FakeApiServer], tmp_path: Path
) -> None:
    reference = cluster_scan(fake_api(examples), tmp_path)
    report = cluster_scan(fake_api(examples, forbidden=["rolebindings"]), tmp_path)
    assert [str(e) for e in report.errors] == [
        "k8s://fake-ctx: rolebindings.rbac.authorization.k8s.io: forbidden (cannot list) — "
        "RBAC, SEC, WKL rules did not run on RoleBinding objects"
    ]
    assert report.options["cluster"]["forbidden"] == [
        {"resource": "rolebindings.rbac.authorization.k8s.io", "kind": "RoleBinding", "namespace": None}
    ]
    # Everything else was read and judged: only what rests on the RoleBindings is missing.
    assert report.resources == reference.resources - sum(1 for o in examples if o["kind"] == "RoleBinding")
    missing = {key(f) for f in reference.findings} - {key(f) for f in report.findings}
    assert missing and all(k[0].startswith("RBAC") for k in missing)
    others = {f.rule.family for f in reference.findings} - {"RBAC"}
    assert others and others <= {f.rule.family for f in report.findings}
    assert report.exit_code() == 1


def test_select_reads_only_the_kinds_its_rules_need(
    corpus: list[dict[str, Any]], fake_api: Callable[..., FakeApiServer], tmp_path: Path
) -> None:
    server = fake_api(corpus)
    kubeconfig = server.write_kubeconfig(tmp_path / "kubeconfig")
    options = LoadOptions(cluster=ClusterSource(kubeconfig=str(kubeconfig)))
    whole = api.scan([], load_options=options, config=Config())
    for family in ("PSS", "RBAC", "NET", "WKL", "IMG", "SEC", "CP"):
        before = len(server.requests)
        report = api.scan([], select=[family], load_options=options, config=Config())
        listed = {r.split("?")[0].rsplit("/", 1)[-1] for r in server.requests[before:] if "limit=" in r}
        if family == "PSS":
            assert {"pods", "deployments", "namespaces", "statefulsets", "cronjobs"} <= listed
            assert not listed & {"secrets", "rolebindings", "clusterroles", "configmaps", "services"}
        if family == "RBAC":
            assert {
                "roles",
                "rolebindings",
                "clusterroles",
                "clusterrolebindings",
                "serviceaccounts",
            } <= listed
        # Reading fewer kinds loses no finding of the family.
        expected = [key(f) for f in whole.findings if f.rule.family == family]
        assert expected and [key(f) for f in report.findings] == expected, family


def test_namespaces_limit_namespaced_lists(
    corpus: list[dict[str, Any]], fake_api: Callable[..., FakeApiServer], tmp_path: Path
) -> None:
    server = fake_api(corpus)
    report = cluster_scan(server, tmp_path, namespaces=("shop",))
    lists = [r.split("?")[0] for r in server.requests if "limit=" in r]
    assert "/api/v1/namespaces/shop/pods" in lists and "/api/v1/pods" not in lists
    assert "/api/v1/namespaces" in lists  # cluster-scoped kinds are read whole
    whole = cluster_scan(fake_api(corpus), tmp_path)
    shop = [o for o in corpus if o["metadata"].get("namespace") == "shop"]
    assert shop and report.resources < whole.resources
    assert report.options["cluster"]["namespaces"] == ["shop"]


def test_events_and_subresources_are_never_listed(
    examples: list[dict[str, Any]], fake_api: Callable[..., FakeApiServer], tmp_path: Path
) -> None:
    server = fake_api(
        [*examples, {"apiVersion": "v1", "kind": "Event", "metadata": {"name": "e", "namespace": "shop"}}]
    )
    report = cluster_scan(server, tmp_path)
    listed = {r.split("?")[0] for r in server.requests if "limit=" in r}
    assert "/api/v1/events" not in listed and not any(p.rsplit("/", 1)[-1] == "bindings" for p in listed)
    assert report.resources == len(examples)


def test_what_was_available_is_in_the_report(
    examples: list[dict[str, Any]], fake_api: Callable[..., FakeApiServer], tmp_path: Path
) -> None:
    report = cluster_scan(fake_api(examples, forbidden=["nodes"]), tmp_path)
    available = report.options["cluster"]["available"]
    assert available["version"] == "v1.31.4"
    assert available["namespaces"].endswith("namespace(s) with their labels")
    assert available["nodes"] == "forbidden (nodes)"
    assert available["configz"].startswith("not read")
    assert available["mirrorPods"].startswith("none visible")


def test_forbidden_custom_resources_read_by_shape_are_a_warning(
    examples: list[dict[str, Any]], fake_api: Callable[..., FakeApiServer], tmp_path: Path
) -> None:
    widget = {
        "apiVersion": "example.com/v1",
        "kind": "Widget",
        "metadata": {"name": "w", "namespace": "shop"},
        "spec": {
            "template": {
                "spec": {
                    "containers": [{"name": "c", "image": "nginx", "securityContext": {"privileged": True}}]
                }
            }
        },
    }
    allowed = cluster_scan(fake_api([*examples, widget]), tmp_path)
    assert any(f.object.kind == "Widget" and f.rule.code == "PSS002" for f in allowed.findings)
    report = cluster_scan(fake_api([*examples, widget], forbidden=["widgets"]), tmp_path)
    assert not report.errors
    assert report.warnings == [
        "1 custom resource kind(s) could not be listed (forbidden: widgets.example.com); pod templates in "
        "them were not checked"
    ]
    assert not any(f.object.kind == "Widget" for f in report.findings)
