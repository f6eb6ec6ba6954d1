"""Which component a Pod starts: the per-resource memo of the cheap test."""

from __future__ import annotations

from typing import Any

from kubeguard.model.controlplane.static_pod import pod_component
from kubeguard.model.resource import Resource, SourceLocation


def _pod(*containers: dict[str, Any]) -> Resource:
    raw = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "p", "namespace": "kube-system"},
        "spec": {"containers": list(containers)},
    }
    return Resource(raw, SourceLocation("x.yaml"))


def test_memo_builds_once_per_resource_and_key():
    r = _pod({"name": "c", "image": "nginx"})
    calls: list[Resource] = []

    def build(res: Resource) -> int:
        calls.append(res)
        return len(calls)

    assert r.memo("a", build) == 1
    assert r.memo("a", build) == 1
    assert r.memo("b", build) == 2
    assert _pod({"name": "c"}).memo("a", build) == 3
    assert calls[0] is r


def test_pod_component_is_per_resource_even_when_objects_are_shared():
    # Two resources over the same decoded object (a List item re-read, a rendered copy) and a third
    # over another object, asked in turn: each answer belongs to its own resource.
    api = {"name": "a", "command": ["kube-apiserver"]}
    first = _pod(api)
    twin = Resource(first.raw, SourceLocation("y.yaml"))
    etcd = _pod({"name": "e", "command": ["etcd"]})
    for _ in range(2):
        assert pod_component(first) == "kube-apiserver"
        assert pod_component(etcd) == "etcd"
        assert pod_component(twin) == "kube-apiserver"
    assert pod_component(_pod({"name": "n", "command": ["nginx"]})) is None
