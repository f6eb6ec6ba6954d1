"""Rendered input mapped back to source files and lines; failed renders fall back; --no-render;
Helm's ``# Source:`` on stdin; the optional in-process Helm engine."""

from __future__ import annotations

import io
import shutil
import sys
import types
from pathlib import Path

import pytest

from kubeguard.api import scan
from kubeguard.loading.config import parse_config
from kubeguard.loading.files import LoadOptions, load
from kubeguard.loading.helm_sdk import render_in_process

FIXTURES = Path(__file__).parent / "fixtures"
needs_kubectl = pytest.mark.skipif(shutil.which("kubectl") is None, reason="needs kubectl kustomize")

DEPLOYMENT = """\
# a comment before the object
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    name: not-the-name
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: registry.example/web:1.4.2
          securityContext:
            privileged: true
"""

CONFIGMAP = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata: {a: b}\n"


def _line(path: Path, text: str) -> int:
    content = path.read_text()
    return content.count("\n", 0, content.index(text)) + 1


def _tree(tmp_path: Path) -> Path:
    base = tmp_path / "base"
    base.mkdir()
    (base / "app.yaml").write_text(CONFIGMAP + "---\n" + DEPLOYMENT)
    (base / "kustomization.yaml").write_text("resources: [app.yaml]\n")
    prod = tmp_path / "overlays" / "prod"
    prod.mkdir(parents=True)
    (prod / "kustomization.yaml").write_text(
        "namespace: shop\nnamePrefix: prod-\nresources: [../../base]\npatches: [{path: patch.yaml}]\n"
    )
    (prod / "patch.yaml").write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 3}\n"
    )
    return tmp_path


@needs_kubectl
def test_kustomize_findings_name_the_source_file_and_line(tmp_path):
    root = _tree(tmp_path)
    report = scan([str(root)], select=["PSS002"], config=parse_config(None))
    (finding,) = report.findings
    source = root / "base" / "app.yaml"
    assert str(finding.object) == "Deployment/shop/prod-web"  # namePrefix applied, still found
    assert finding.file == str(source)
    assert finding.line == _line(source, "privileged: true")
    # kustomize's origin annotation is not part of the deployed object
    loaded = load([str(root)])
    assert all("config.kubernetes.io/origin" not in r.annotations for r in loaded.resources)
    assert {r.source.file for r in loaded.resources} == {str(source)}


@needs_kubectl
def test_failed_render_falls_back_to_the_listed_manifests(tmp_path):
    root = _tree(tmp_path)
    (root / "overlays" / "prod" / "patch.yaml").unlink()  # a missing patch: the render fails
    loaded = load([str(root)])
    (error,) = loaded.errors
    assert error.file == str(root / "overlays" / "prod")
    assert "scanned its 1 plain manifest file(s) as they are instead" in error.message
    assert sorted((r.kind, r.name, r.source.file, r.source.line) for r in loaded.resources) == [
        ("ConfigMap", "settings", str(root / "base" / "app.yaml"), 1),
        ("Deployment", "web", str(root / "base" / "app.yaml"), 8),
    ]


def test_no_render_scans_the_files_as_they_are_without_kustomization_or_patches(tmp_path):
    root = _tree(tmp_path)
    chart = root / "chart"
    chart.mkdir()
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: c\nversion: 0.1.0\n")
    loaded = load([str(root)], LoadOptions(render=False))
    assert sorted((r.kind, r.name, r.source.origin) for r in loaded.resources) == [
        ("ConfigMap", "settings", "file"),
        ("Deployment", "web", "file"),
    ]
    (error,) = loaded.errors
    assert error.file == str(chart) and "--no-render" in error.message


def test_helm_template_on_stdin_names_the_template(monkeypatch):
    text = (
        "---\n# Source: demo/templates/cm.yaml\n"
        + CONFIGMAP
        + "---\n# Source: demo/templates/deploy.yaml\n"
        + DEPLOYMENT
    )
    monkeypatch.setattr(sys, "stdin", types.SimpleNamespace(buffer=io.BytesIO(text.encode())))
    report = scan(["-"], select=["PSS002"], config=parse_config(None))
    (finding,) = report.findings
    assert (finding.file, finding.line) == ("demo/templates/deploy.yaml", None)


def test_empty_documents_keep_helm_sources_aligned(monkeypatch):
    # An empty document (`---` and a comment only) still counts as a document index.
    text = (
        "---\n# Source: demo/templates/cm.yaml\n" + CONFIGMAP + "---\n# Source: demo/templates/empty.yaml\n"
        "# nothing rendered\n---\n# Source: demo/templates/deploy.yaml\n" + DEPLOYMENT
    )
    monkeypatch.setattr(sys, "stdin", types.SimpleNamespace(buffer=io.BytesIO(text.encode())))
    (deployment,) = [r for r in load(["-"]).resources if r.kind == "Deployment"]
    assert deployment.source.file == "demo/templates/deploy.yaml"


class _FakeChart:
    """Stands in for helm_python.Chart: what Helm's engine returns, a manifest per template."""

    seen: dict[str, object] = {}

    @classmethod
    def load(cls, path: str) -> _FakeChart:
        cls.seen["path"] = path
        return cls()

    def merge_values(self, values: dict[str, object]) -> dict[str, object]:
        return {"replicas": 1, **values}

    def render(self, values: dict[str, object], **opts: object) -> dict[str, str]:
        self.seen.update(values=values, opts=opts)
        return {
            "demo/templates/NOTES.txt": "thanks",
            "demo/templates/two.yaml": CONFIGMAP + "---\n" + DEPLOYMENT,
            "demo/templates/empty.yaml": "\n# nothing\n",
        }


def test_in_process_helm_output_reads_like_helm_template(tmp_path, monkeypatch):
    fake = types.SimpleNamespace(
        Chart=_FakeChart,
        values_from_yaml=lambda text: {"fromfile": text.strip()},
        parse_set_string=lambda expr: dict([expr.split("=", 1)]),
    )
    monkeypatch.setitem(sys.modules, "helm_python", fake)
    values = tmp_path / "v.yaml"
    values.write_text("x\n")
    text, error = render_in_process("charts/demo", "demo", [str(values)], ["image=b"])
    assert error is None and text is not None
    assert _FakeChart.seen["values"] == {"replicas": 1, "fromfile": "x", "image": "b"}
    assert text.count("# Source: demo/templates/two.yaml") == 2  # one per document, like helm
    assert "NOTES" not in text and "empty.yaml" not in text


def test_without_helm_or_sdk_the_error_says_how_to_get_one(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setitem(sys.modules, "helm_python", None)
    chart = tmp_path / "chart"
    chart.mkdir()
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: c\nversion: 0.1.0\n")
    (error,) = load([str(chart)]).errors
    assert "kubeguard[helm]" in error.message


def _has_sdk() -> bool:
    try:
        import helm_python  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.mark.skipif(not _has_sdk(), reason="needs the optional helm-python-sdk")
def test_real_in_process_helm_render(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no helm binary
    chart = tmp_path / "demo"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: demo\nversion: 0.1.0\n")
    (chart / "values.yaml").write_text("privileged: false\n")
    (chart / "templates" / "deploy.yaml").write_text(
        DEPLOYMENT.replace("name: web\n  labels", "name: {{ .Release.Name }}-web\n  labels").replace(
            "privileged: true", "privileged: {{ .Values.privileged }}"
        )
    )
    report = scan(
        [str(chart)],
        select=["PSS002"],
        load_options=LoadOptions(helm_set=("privileged=true",)),
        config=parse_config(None),
    )
    (finding,) = report.findings
    assert str(finding.object) == "Deployment/default/demo-web"
    assert (finding.file, finding.line) == (str(chart / "templates" / "deploy.yaml"), None)
    assert f"{chart}: rendered with helm-python-sdk" in report.warnings[0]
