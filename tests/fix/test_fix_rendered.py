"""Rendered inputs are never edited: Kustomize output, Helm output and stdin get a suggested
strategic-merge patch, which applied to the object fixes it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from kubeguard.api import fix
from kubeguard.cli.main import cli
from kubeguard.fix.patches import strategic_merge_patch
from kubeguard.model.pointer import Pointer
from kubeguard.rules.fix import append, remove, set_value

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      hostPID: true
      containers:
        - name: sidecar
          image: registry.example.com/sidecar:1.0
          securityContext: {allowPrivilegeEscalation: false, runAsUser: 10001}
        - name: web
          image: registry.example.com/web:1.0
          securityContext:
            runAsUser: 10001
            capabilities:
              drop: [NET_RAW]
"""


def test_helm_output_on_stdin_gets_a_patch_naming_the_template(tmp_path):
    config = tmp_path / ".kubeguard.yaml"
    config.write_text("{}\n")
    rendered = "---\n# Source: shop/templates/deployment.yaml\n" + DEPLOYMENT
    result = CliRunner().invoke(
        cli, ["fix", "-", "--select", "PSS014,PSS018", "-c", str(config), "--no-progress"], input=rendered
    )
    assert result.exit_code == 1  # nothing was edited: the findings remain
    err = result.stderr
    assert "shop/templates/deployment.yaml: Deployment/default/web: suggested fix for PSS014, PSS018" in err
    assert "rendered by Helm" in err
    patch = yaml.safe_load("\n".join(line[4:] for line in err.splitlines() if line.startswith("    ")))
    assert patch["spec"]["template"]["spec"]["containers"] == [
        {"name": "sidecar", "securityContext": {"capabilities": {"drop": ["ALL"]}}},
        {
            "name": "web",
            "securityContext": {
                "capabilities": {"drop": ["NET_RAW", "ALL"]},
                "allowPrivilegeEscalation": False,
            },
        },
    ]
    assert patch["metadata"] == {"name": "web"}


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="needs kubectl kustomize")
def test_kustomize_output_is_not_edited_and_gets_an_overlay_patch(tmp_path):
    base = tmp_path / "base"
    overlay = tmp_path / "overlay"
    base.mkdir()
    overlay.mkdir()
    (base / "deploy.yaml").write_text(DEPLOYMENT)
    (base / "kustomization.yaml").write_text("resources: [deploy.yaml]\n")
    (overlay / "kustomization.yaml").write_text("resources: [../base]\nnamespace: prod\n")
    config = tmp_path / ".kubeguard.yaml"
    config.write_text("{}\n")
    result = fix([str(overlay)], select=["PSS014"], config=str(config))
    assert result.changes == [] and (base / "deploy.yaml").read_text() == DEPLOYMENT
    (suggestion,) = result.suggestions
    assert suggestion.origin == "kustomize" and "patches:" in suggestion.reason
    assert suggestion.file.endswith("deploy.yaml")
    assert suggestion.patch["metadata"] == {"name": "web", "namespace": "prod"}
    assert suggestion.patch["spec"] == {
        "template": {
            "spec": {"containers": [{"name": "web", "securityContext": {"allowPrivilegeEscalation": False}}]}
        }
    }


def test_strategic_merge_patch_of_each_edit_kind():
    raw = yaml.safe_load(DEPLOYMENT)
    c = Pointer.parse("/spec/template/spec/containers/1/securityContext")
    patch = strategic_merge_patch(
        raw,
        [
            remove(Pointer.parse("/spec/template/spec/hostPID")),
            append(c / "capabilities" / "drop", "ALL"),
            set_value(c / "readOnlyRootFilesystem", True),
        ],
    )
    assert patch == {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web"},
        "spec": {
            "template": {
                "spec": {
                    "hostPID": None,  # null deletes the field
                    "containers": [
                        {
                            "name": "web",
                            "securityContext": {
                                "capabilities": {
                                    "drop": ["NET_RAW", "ALL"]
                                },  # a list of scalars is replaced whole
                                "readOnlyRootFilesystem": True,
                            },
                        }
                    ],
                }
            }
        },
    }
    assert strategic_merge_patch(raw, [set_value(c / "runAsUser", 10001)]) is None


def test_stdin_is_read_once_and_named(tmp_path: Path):
    config = tmp_path / ".kubeguard.yaml"
    config.write_text("{}\n")
    result = CliRunner().invoke(
        cli, ["fix", "-", "--select", "PSS014", "-c", str(config), "--no-progress"], input=DEPLOYMENT
    )
    assert "<stdin>: Deployment/default/web: suggested fix for PSS014" in result.stderr
    assert "read from standard input" in result.stderr
    assert "PSS014" in result.stdout  # the remaining finding is reported


def test_every_origin_that_is_not_a_file_says_why_it_is_not_edited():
    from kubeguard.fix.plan import Suggestion
    from kubeguard.model.resource import ObjectRef

    ref = ObjectRef("v1", "Pod", "ns", "p")
    reasons = {o: Suggestion("f", ref, o, {}).reason for o in ("kustomize", "helm", "stdin", "cluster")}
    assert "Kustomize" in reasons["kustomize"] and "Helm" in reasons["helm"]
    assert "standard input" in reasons["stdin"] and "live cluster" in reasons["cluster"]
    assert len(set(reasons.values())) == 4
