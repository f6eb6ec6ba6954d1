"""The fake API server speaks the protocol the official client's own typed API expects.

If the client's generated ``CoreV1Api`` can page through it, read its discovery and gets the
errors a real server gives, the collector's tests against it exercise the real protocol.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from kubernetes import client, config
from kubernetes.client.exceptions import ApiException

from tests.cluster.fakeapi import FakeApiServer


def typed_client(server: FakeApiServer, tmp_path: Path, **kubeconfig: Any) -> client.ApiClient:
    path = server.write_kubeconfig(tmp_path / "kubeconfig", **kubeconfig)
    return config.new_client_from_config(config_file=str(path), persist_config=False)


def test_typed_client_pages_and_discovers(
    examples: list[dict[str, Any]], fake_api: Callable[..., FakeApiServer], tmp_path: Path
) -> None:
    server = fake_api(examples)
    api = client.CoreV1Api(typed_client(server, tmp_path))
    names: list[str] = []
    token = None
    while True:
        page = api.list_namespaced_config_map("shop", limit=1, _continue=token)
        names += [item.metadata.name for item in page.items]
        token = page.metadata._continue
        if not token:
            break
    expected = sorted(
        o["metadata"]["name"]
        for o in examples
        if o["kind"] == "ConfigMap" and o["metadata"]["namespace"] == "shop"
    )
    assert names == expected
    resources = api.get_api_resources()
    pods = next(r for r in resources.resources if r.name == "pods")
    assert pods.namespaced and pods.kind == "Pod" and "list" in pods.verbs
    version = client.VersionApi(typed_client(server, tmp_path)).get_code()
    assert version.git_version == "v1.31.4"


def test_errors_are_status_objects(
    examples: list[dict[str, Any]], fake_api: Callable[..., FakeApiServer], tmp_path: Path
) -> None:
    server = fake_api(examples, forbidden=["secrets"], expire_continue=1)
    api = client.CoreV1Api(typed_client(server, tmp_path))
    with pytest.raises(ApiException) as forbidden:
        api.list_secret_for_all_namespaces()
    assert forbidden.value.status == 403 and '"reason": "Forbidden"' in str(forbidden.value.body)
    networking = client.NetworkingV1Api(typed_client(server, tmp_path))
    page = networking.list_network_policy_for_all_namespaces(limit=1)
    assert page.metadata._continue and page.metadata.remaining_item_count == 3
    with pytest.raises(ApiException) as expired:
        networking.list_network_policy_for_all_namespaces(limit=1, _continue=page.metadata._continue)
    assert expired.value.status == 410 and '"reason": "Expired"' in str(expired.value.body)
    anonymous = client.CoreV1Api(typed_client(server, tmp_path, token="wrong"))
    with pytest.raises(ApiException) as unauthorized:
        anonymous.list_namespace()
    assert unauthorized.value.status == 401
