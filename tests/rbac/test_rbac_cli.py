"""``kubeguard rbac`` commands through click's CliRunner: output, JSON shape, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kubeguard.cli.main import cli
from tests.rbac.rbac_helpers import binding, role, sa, user

SCENARIO = (
    binding("alice-edit", "ClusterRole", "edit", [user("alice")], "build")
    + binding("ci-admin", "ClusterRole", "cluster-admin", [sa("ci", "build")])
    + role("metrics", [{"nonResourceURLs": ["/metrics"], "verbs": ["get"]}])
    + binding("prom", "ClusterRole", "metrics", [user("prometheus")])
)


@pytest.fixture
def manifests(tmp_path: Path) -> str:
    path = tmp_path / "rbac.yaml"
    path.write_text(SCENARIO)
    return str(path)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["rbac", *args])
    return result.exit_code, result.stdout, result.stderr


def test_who_can_table_and_json(manifests):
    code, out, _ = run("who-can", "get", "secrets", "-n", "build", manifests)
    assert code == 0
    assert "User alice" in out and "RoleBinding build/alice-edit" in out and "ClusterRole edit" in out
    assert "ServiceAccount build/ci" in out
    code, out, _ = run("who-can", "get", "secrets", "-n", "prod", "-f", "json", manifests)
    doc = json.loads(out)
    assert code == 0
    assert doc["request"] == {
        "verb": "get",
        "apiGroup": "",
        "resource": "secrets",
        "subresource": "",
        "namespace": "prod",
        "name": None,
    }
    subjects = {(g["subject"]["kind"], g["subject"]["name"]) for g in doc["grants"]}
    assert ("User", "alice") not in subjects and ("ServiceAccount", "ci") in subjects
    grant = next(g for g in doc["grants"] if g["subject"]["name"] == "ci")
    assert grant["scope"] == "cluster" and grant["binding"]["name"] == "ci-admin" and grant["role"]["builtin"]


def test_who_can_all_namespaces_and_url(manifests):
    code, out, _ = run("who-can", "create", "pods", "-A", "-f", "json", manifests)
    doc = json.loads(out)
    alice = next(g for g in doc["grants"] if g["subject"]["name"] == "alice")
    assert alice["scope"] == "build" and alice["aggregatedFrom"]["name"] == "system:aggregate-to-edit"
    code, out, _ = run("who-can", "get", "--url", "/metrics", manifests)
    assert code == 0 and "User prometheus" in out and "User alice" not in out


def test_can_yes_and_no(manifests):
    code, out, _ = run("can", "user:alice", "create", "deployments", "-n", "build", manifests)
    assert code == 0 and out.startswith("yes:") and "RoleBinding build/alice-edit -> ClusterRole edit" in out
    code, out, _ = run("can", "user:alice", "create", "deployments", "-n", "prod", manifests)
    assert code == 1 and out.startswith("no:")
    code, out, _ = run("can", "sa:build/ci", "delete", "nodes", "-f", "json", manifests)
    doc = json.loads(out)
    assert code == 0 and doc["allowed"] and doc["subject"] == "sa:build/ci"
    assert "system:serviceaccounts:build" in doc["groups"]
    code, _, _ = run("can", "user:prometheus", "get", "/metrics", manifests)
    assert code == 0
    code, _, _ = run("can", "user:bob", "get", "pods", "-n", "x", "--group", "system:masters", manifests)
    assert code == 0


def test_bad_subject_and_usage_errors(manifests):
    code, _, err = run("can", "alice", "get", "pods", manifests)
    assert code == 2 and "user:NAME, group:NAME or sa:NAMESPACE/NAME" in err
    code, _, err = run("can", "sa:nonamespace", "get", "pods", manifests)
    assert code == 2 and "sa:NAMESPACE/NAME" in err
    code, _, err = run("permissions", "robot:x", manifests)
    assert code == 2 and "not user, group or sa" in err
    code, _, err = run("who-can", "get")
    assert code == 2
    code, _, err = run("who-can", "get", "pods")
    assert code == 2 and "PATH" in err
    code, _, err = run("who-can", "get", "pods/exec/x", manifests)
    assert code == 2
    code, _, _ = run("who-can", "get", "pods", "--format", "yaml", manifests)
    assert code == 2


def test_permissions(manifests):
    code, out, _ = run("permissions", "user:alice", "-f", "json", manifests)
    doc = json.loads(out)
    assert code == 0 and doc["subject"] == "user:alice"
    pods = [e for e in doc["namespaces"]["build"] if e["resource"] == "pods" and e["apiGroup"] == ""]
    assert pods and {"create", "get", "list"} <= set(pods[0]["verbs"])
    assert any(e.get("nonResourceURL") == "/api" for e in doc["clusterWide"])  # system:discovery
    code, out, _ = run("permissions", "user:alice", "-n", "prod", manifests)
    assert code == 0 and "build" not in out.split("\n")[1]


def test_paths(manifests):
    code, out, _ = run("paths", manifests)
    assert code == 0
    assert "user:alice" in out and "=> sa:build/ci" in out and "=> cluster-admin" in out
    code, out, _ = run("paths", "--subject", "user:alice", "-f", "json", manifests)
    doc = json.loads(out)
    assert doc["paths"] and all(p["subject"] == "user:alice" for p in doc["paths"])
    first = doc["paths"][0]
    assert first["length"] == 2 and first["steps"][0]["grantedBy"][0]["binding"]["name"] == "alice-edit"
    code, out, _ = run("paths", "--subject", "user:prometheus", manifests)
    assert code == 0 and out.strip().endswith("0 path(s) to cluster-admin for 0 subject(s)")


def test_no_builtin_rbac(manifests):
    code, out, _ = run(
        "can", "user:alice", "create", "deployments", "-n", "build", "--no-builtin-rbac", manifests
    )
    assert code == 1  # edit does not exist in the input
    code, out, _ = run(
        "who-can", "get", "secrets", "-n", "build", "--no-builtin-rbac", "-f", "json", manifests
    )
    assert json.loads(out)["grants"] == [] and json.loads(out)["builtinRbac"] is False


def test_help_has_examples():
    for sub in ("who-can", "can", "permissions", "paths"):
        code, out, _ = run(sub, "--help")
        assert code == 0 and "Examples:" in out


def test_system_masters_is_allowed_without_rbac(manifests):
    code, out, _ = run(
        "can", "group:system:masters", "delete", "nodes", "--no-builtin-rbac", "-f", "json", manifests
    )
    doc = json.loads(out)
    assert code == 0 and doc["allowed"] and doc["privilegedGroup"] and doc["grants"] == []


def test_nothing_read_is_no_answer(tmp_path):
    # unreadable input: 3 (it may have held the bindings asked about); nothing found: 2
    code, _, err = run("who-can", "get", "pods", str(tmp_path / "missing.yaml"))
    assert code == 3 and "could not be read" in err
    empty = tmp_path / "empty.yaml"
    empty.write_text("# nothing\n")
    code, _, err = run("paths", str(empty))
    assert code == 2 and "no Kubernetes manifests" in err


def test_paths_k8s_version_decides_legacy_token_secrets(tmp_path):
    path = tmp_path / "nginx.yaml"
    path.write_text(
        role("secrets", [{"apiGroups": [""], "resources": ["secrets"], "verbs": ["list"]}])
        + binding("nginx", "ClusterRole", "secrets", [sa("ingress-nginx", "ingress-nginx")])
        + binding("ci-admin", "ClusterRole", "cluster-admin", [sa("ci", "build")])
    )
    code, out, _ = run("paths", "--subject", "sa:ingress-nginx/ingress-nginx", str(path))
    assert code == 0 and "0 path(s)" in out
    code, out, _ = run(
        "paths", "--subject", "sa:ingress-nginx/ingress-nginx", "--k8s-version", "1.23", str(path)
    )
    assert code == 0 and "before v1.24" in out and "=> sa:build/ci" in out
    code, _, err = run("paths", "--k8s-version", "one", str(path))
    assert code == 2 and "--k8s-version" in err


def test_kubectl_style_names_and_typos(tmp_path):
    # issue: `can ... list secret` answered no while `secrets` answered yes
    path = tmp_path / "nginx.yaml"
    path.write_text(
        role("nginx", [{"apiGroups": [""], "resources": ["secrets"], "verbs": ["list"]}])
        + binding("nginx", "ClusterRole", "nginx", [sa("ingress-nginx", "ingress-nginx")])
    )
    for name in ("secrets", "secret", "Secret"):
        code, out, _ = run("can", "sa:ingress-nginx/ingress-nginx", "list", name, "-n", "default", str(path))
        assert code == 0 and out.startswith("yes: sa:ingress-nginx/ingress-nginx can list secrets"), name
    code, out, _ = run("who-can", "list", "secret", "-n", "default", str(path))
    assert code == 0 and "ServiceAccount ingress-nginx/ingress-nginx" in out
    code, _, err = run("can", "sa:ingress-nginx/ingress-nginx", "gett", "secrets", "-n", "default", str(path))
    assert code == 2 and "unknown verb 'gett'; did you mean 'get'?" in err
    code, _, err = run("who-can", "list", "secert", "-n", "default", str(path))
    assert code == 2 and "did you mean secrets" in err
    code, _, err = run("who-can", "get", "--url", "/metrics", "-f", "json", str(path))
    assert code == 0
    code, _, err = run("can", "user:alice", "gte", "/metrics", str(path))
    assert code == 2 and "did you mean 'get'" in err
