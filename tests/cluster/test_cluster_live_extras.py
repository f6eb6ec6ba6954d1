"""What only a live cluster gives: each node's kubelet configuration through the API server's node
proxy (``configz``), judged by the kubelet rules, and the report's account of what was available."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from kubeguard import api
from kubeguard.api import ClusterSource, LoadOptions
from kubeguard.findings.report import ScanReport
from kubeguard.model.config import Config
from tests.cluster.fakeapi import FakeApiServer

NODE = {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "node-1"}}
#: A kubelet's live configuration as /configz shows it (defaults filled in), with two weak settings.
CONFIGZ = {
    "enableServer": True,
    "staticPodPath": "/etc/kubernetes/manifests",
    "authentication": {
        "x509": {"clientCAFile": "/etc/kubernetes/pki/ca.crt"},
        "webhook": {"enabled": True, "cacheTTL": "2m0s"},
        "anonymous": {"enabled": True},
    },
    "authorization": {"mode": "Webhook"},
    "readOnlyPort": 10255,
}


def cp_scan(server: FakeApiServer, tmp_path: Path) -> ScanReport:
    kubeconfig = server.write_kubeconfig(tmp_path / "kubeconfig")
    options = LoadOptions(cluster=ClusterSource(kubeconfig=str(kubeconfig)))
    return api.scan([], select=["CP"], load_options=options, config=Config())


def test_kubelet_configuration_from_configz_is_judged(
    examples: list[dict[str, Any]], fake_api: Callable[..., FakeApiServer], tmp_path: Path
) -> None:
    report = cp_scan(fake_api([*examples, NODE], configz={"node-1": CONFIGZ}), tmp_path)
    found = {(f.rule.code, f.pointer) for f in report.findings if f.object.kind == "KubeletConfiguration"}
    assert ("CP070", "/authentication/anonymous/enabled") in found
    assert ("CP073", "/readOnlyPort") in found
    assert not any(code == "CP071" for code, _ in found)  # authorization mode Webhook passes
    kubelet = next(f for f in report.findings if f.rule.code == "CP070")
    assert kubelet.file == "k8s://fake-ctx/KubeletConfiguration.kubelet.config.k8s.io/node-1"
    assert report.options["cluster"]["available"]["configz"] == "1 of 1 node(s)"


def test_configz_forbidden_is_said_and_not_fatal(
    examples: list[dict[str, Any]], fake_api: Callable[..., FakeApiServer], tmp_path: Path
) -> None:
    report = cp_scan(
        fake_api([*examples, NODE], configz={"node-1": CONFIGZ}, configz_forbidden=True), tmp_path
    )
    assert not any(f.object.kind == "KubeletConfiguration" for f in report.findings)
    assert report.options["cluster"]["available"]["configz"].startswith("forbidden (get nodes/proxy)")


def test_mirror_pods_are_counted(
    examples: list[dict[str, Any]], fake_api: Callable[..., FakeApiServer], tmp_path: Path
) -> None:
    mirror = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": "kube-apiserver-node-1",
            "namespace": "kube-system",
            "annotations": {"kubernetes.io/config.mirror": "0123abcd"},
        },
        "spec": {
            "containers": [
                {
                    "name": "kube-apiserver",
                    "image": "registry.k8s.io/kube-apiserver:v1.31.4",
                    "command": [
                        "kube-apiserver",
                        "--anonymous-auth=true",
                        "--authorization-mode=AlwaysAllow",
                    ],
                }
            ]
        },
    }
    report = cp_scan(fake_api([*examples, mirror]), tmp_path)
    assert report.options["cluster"]["available"]["mirrorPods"].startswith("1 mirror pod(s)")
    assert any(
        f.object.name == "kube-apiserver-node-1" and f.rule.code.startswith("CP") for f in report.findings
    )
