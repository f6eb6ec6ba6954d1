"""``kubeguard deploy manifests``: the fleet's scheduled scanner (and dashboard) pass kubeguard's own
scan with zero findings, are valid Kubernetes objects, bind the read-only ClusterRole of
deploy/kubeguard-scanner-rbac.yaml, and the CronJob's command line really stores a scan."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml
from click.testing import CliRunner

from kubeguard.cli.main import cli
from kubeguard.store import open_store

ROOT = Path(__file__).resolve().parents[2]
IMAGE = "registry.example/kubeguard@sha256:" + "0123456789abcdef" * 4
K8S = "1.31"


def _manifests(*extra: str) -> tuple[str, list[dict[str, Any]]]:
    args = [
        "deploy",
        "manifests",
        "--store-secret",
        "kg-store",
        "--cluster-name",
        "prod-eu",
        "--image",
        IMAGE,
        *extra,
    ]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    return result.stdout, [d for d in yaml.safe_load_all(result.stdout) if d]


def _one(docs: list[dict[str, Any]], kind: str, name: str | None = None) -> dict[str, Any]:
    found = [d for d in docs if d["kind"] == kind and (name is None or d["metadata"]["name"] == name)]
    assert len(found) == 1, (kind, name)
    return found[0]


@pytest.mark.parametrize("extra", [(), ("--dashboard",)], ids=["scanner", "with-dashboard"])
def test_the_manifests_pass_kubeguard_scan_with_zero_findings(extra: tuple[str, ...], tmp_path: Path) -> None:
    text, docs = _manifests(*extra)
    path = tmp_path / "fleet.yaml"
    path.write_text(text)
    result = CliRunner().invoke(
        cli, ["scan", "--no-progress", "-f", "json", str(path)], catch_exceptions=False
    )
    report = json.loads(result.stdout)
    assert result.exit_code == 0, result.stdout
    assert report["summary"]["findings"] == 0
    assert report["summary"]["errors"] == 0
    assert report["summary"]["resources"] == len(docs)
    # every accepted risk is written down with its reason
    assert all(f["suppression"].startswith("annotation: ") for f in report["findings"])
    assert {f["rule"] for f in report["findings"]} <= {"WKL010", "SEC006", "NET002", "RBAC002"}


@pytest.mark.parametrize("extra", [(), ("--dashboard",)], ids=["scanner", "with-dashboard"])
def test_every_object_is_valid_kubernetes(extra: tuple[str, ...]) -> None:
    _, docs = _manifests(*extra)
    for doc in docs:
        kubernetes_validate.validate(doc, K8S, strict=True)


def test_the_scanner_uses_the_read_only_cluster_role_of_the_deploy_file() -> None:
    _, docs = _manifests()
    rbac = [d for d in yaml.safe_load_all((ROOT / "deploy" / "kubeguard-scanner-rbac.yaml").read_text()) if d]
    role = _one(docs, "ClusterRole")
    assert role == next(
        d for d in rbac if d["kind"] == "ClusterRole" and d["metadata"]["name"] == "kubeguard-scanner"
    )
    verbs = {v for rule in role["rules"] for v in rule["verbs"]}
    assert verbs <= {"get", "list", "watch"}
    binding = _one(docs, "ClusterRoleBinding")
    assert binding["roleRef"]["name"] == role["metadata"]["name"]
    account = _one(docs, "ServiceAccount")
    assert binding["subjects"] == [
        {
            "kind": "ServiceAccount",
            "name": account["metadata"]["name"],
            "namespace": account["metadata"]["namespace"],
        }
    ]
    pod = _one(docs, "CronJob")["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    assert pod["serviceAccountName"] == account["metadata"]["name"]


def test_the_cronjob() -> None:
    _, docs = _manifests()
    cron = _one(docs, "CronJob")
    assert cron["spec"]["concurrencyPolicy"] == "Forbid"
    pod = cron["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    assert container["image"] == IMAGE
    assert container["args"][:4] == ["scan", "--cluster", "--store", "$(KUBEGUARD_STORE)"]
    assert container["env"] == [
        {"name": "KUBEGUARD_STORE", "valueFrom": {"secretKeyRef": {"name": "kg-store", "key": "url"}}}
    ]
    assert set(container["resources"]["limits"]) >= {"cpu", "memory"}
    sc = container["securityContext"]
    assert sc["allowPrivilegeEscalation"] is False and sc["readOnlyRootFilesystem"] is True
    assert sc["capabilities"] == {"drop": ["ALL"]} and sc["runAsNonRoot"] is True
    assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}


def test_the_cronjob_command_line_stores_a_scan(tmp_path: Path) -> None:
    """The container's arguments, with the cluster replaced by a folder, as the kubelet would
    expand them: they parse, and the scan lands in the store under the cluster's name."""
    _, docs = _manifests()
    (container,) = _one(docs, "CronJob")["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"]
    url = f"sqlite:///{tmp_path / 'store.db'}"
    args = [url if a == "$(KUBEGUARD_STORE)" else a for a in container["args"]]
    args[args.index("--cluster")] = str(ROOT / "examples" / "insecure")
    args[args.index("/dev/null")] = str(tmp_path / "report.json")
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    assert "stored scan 1 in sqlite+pysqlite:///" in result.stderr
    with open_store(url) as store:
        (record,) = store.scans()
        assert record.source_key == "cluster:prod-eu"
        assert record.summary == json.loads((tmp_path / "report.json").read_text())["summary"]


def test_the_dashboard_serves_https_behind_a_service() -> None:
    _, docs = _manifests("--dashboard")
    deployment = _one(docs, "Deployment")
    pod = deployment["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    assert container["args"][:5] == ["dashboard", "--host", "0.0.0.0", "--port", "8443"]
    assert "--tls-cert" in container["args"] and "--tls-key" in container["args"]
    assert pod["automountServiceAccountToken"] is False
    service = _one(docs, "Service")
    assert service["spec"]["type"] == "ClusterIP"
    assert service["spec"]["selector"] == deployment["spec"]["selector"]["matchLabels"]
    assert (
        _one(docs, "NetworkPolicy", "dashboard-ingress")["spec"]["podSelector"]["matchLabels"]
        == service["spec"]["selector"]
    )


def test_an_image_without_a_digest_is_warned_about() -> None:
    result = CliRunner().invoke(
        cli, ["deploy", "manifests", "--store-secret", "s", "--cluster-name", "c", "--image", "kubeguard:1"]
    )
    assert result.exit_code == 0
    assert "not pinned by digest" in result.stderr
