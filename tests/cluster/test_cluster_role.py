"""The read-only ClusterRole in deploy/ grants what a scan lists, and nothing but get and list."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from kubeguard import api
from kubeguard.api import ClusterSource, LoadOptions
from kubeguard.model.config import Config
from kubeguard.model.kinds import BUILTIN_KINDS
from tests.cluster.fakeapi import FakeApiServer

ROLE_FILE = Path(__file__).resolve().parents[2] / "deploy" / "kubeguard-scanner-rbac.yaml"


def roles() -> dict[str, dict[str, Any]]:
    docs = list(yaml.safe_load_all(ROLE_FILE.read_text(encoding="utf-8")))
    return {d["metadata"]["name"]: d for d in docs if d and d["kind"] == "ClusterRole"}


def granted(role: dict[str, Any]) -> set[tuple[str, str]]:
    return {
        (group, resource)
        for rule in role["rules"]
        if "list" in rule["verbs"]
        for group in rule["apiGroups"]
        for resource in rule["resources"]
    }


def test_roles_are_read_only() -> None:
    for name, role in roles().items():
        for rule in role["rules"]:
            assert set(rule["verbs"]) <= {"get", "list"}, name
            assert "*" not in rule["resources"] and "*" not in rule["apiGroups"], name


def test_scanner_role_grants_every_built_in_list_of_a_scan(
    corpus: list[dict[str, Any]], fake_api: Callable[..., FakeApiServer], tmp_path: Path
) -> None:
    server = fake_api(corpus)
    kubeconfig = server.write_kubeconfig(tmp_path / "kubeconfig")
    api.scan([], load_options=LoadOptions(cluster=ClusterSource(kubeconfig=str(kubeconfig))), config=Config())
    listed: set[tuple[str, str]] = set()
    for request in server.requests:
        path = request.split("?")[0]
        if "limit=" not in request:
            continue
        parts = path.strip("/").split("/")
        group = "" if parts[0] == "api" else parts[1]
        if group in BUILTIN_KINDS:
            listed.add((group, parts[-1]))
    assert {("", "pods"), ("", "secrets"), ("rbac.authorization.k8s.io", "roles")} <= listed
    missing = listed - granted(roles()["kubeguard-scanner"])
    assert not missing
    assert granted(roles()["kubeguard-scanner-kubelet"]) == set()  # get only, on nodes/proxy
