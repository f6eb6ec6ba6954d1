"""Kustomize and Helm: rendered with the user's tools (stand-ins here), clear errors without them."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from kubeguard.loading.files import LoadOptions, load
from tests.core.conftest import pod


def make_tool(bindir: Path, name: str, script: str) -> None:
    path = bindir / name
    path.write_text("#!/bin/sh\n" + script)
    path.chmod(path.stat().st_mode | stat.S_IEXEC)


@pytest.fixture
def bindir(tmp_path, monkeypatch):
    d = tmp_path / "bin"
    d.mkdir()
    monkeypatch.setenv("PATH", str(d))
    return d


def test_kustomize_directory_rendered_once_and_named_by_directory(tmp_path, bindir):
    app = tmp_path / "overlay"
    app.mkdir()
    (app / "kustomization.yaml").write_text("resources: [pod.yaml]\n")
    (app / "pod.yaml").write_text(pod("raw"))
    rendered = tmp_path / "rendered.out"
    rendered.write_text(pod("rendered"))
    make_tool(bindir, "kustomize", f'[ "$1" = build ] && /bin/cat {rendered}\n')
    result = load([str(tmp_path)])
    assert [(r.name, r.source.file, r.source.origin) for r in result.resources] == [
        ("rendered", str(app), "kustomize")
    ]


def test_kubectl_is_preferred_for_kustomize(tmp_path, bindir):
    app = tmp_path / "k"
    app.mkdir()
    (app / "Kustomization").write_text("resources: []\n")
    out = tmp_path / "o.out"
    out.write_text(pod("via-kubectl"))
    make_tool(bindir, "kubectl", f'[ "$1" = kustomize ] && /bin/cat {out}\n')
    make_tool(bindir, "kustomize", "exit 9\n")
    assert [r.name for r in load([str(app)]).resources] == ["via-kubectl"]


def test_a_folder_named_like_a_kustomization_or_chart_file_is_a_folder(tmp_path, bindir):
    # argo-cd's reposerver testdata has a folder named Kustomization beside dozens of app folders:
    # kustomize and helm look for files of those names, so the parent is plain manifests
    make_tool(bindir, "kubectl", "echo 'kubectl must not run' >&2; exit 9\n")
    make_tool(bindir, "helm", "echo 'helm must not run' >&2; exit 9\n")
    for marker in ("Kustomization", "kustomization.yaml", "Chart.yaml"):
        root = tmp_path / marker.replace(".", "-")
        (root / marker).mkdir(parents=True)
        (root / marker / "inside.yaml").write_text(pod("inside"))
        (root / "app").mkdir()
        (root / "app" / "pod.yaml").write_text(pod("nested"))
        (root / "top.yaml").write_text(pod("top"))
        result = load([str(root)])
        assert not result.errors, (marker, result.errors)
        assert sorted(r.name for r in result.resources) == ["inside", "nested", "top"], marker


def test_kustomize_missing_tools_is_a_clear_error(tmp_path, bindir):
    app = tmp_path / "k"
    app.mkdir()
    (app / "kustomization.yml").write_text("resources: []\n")
    (tmp_path / "other.yaml").write_text(pod("other"))
    result = load([str(tmp_path)])
    assert [r.name for r in result.resources] == ["other"]
    (error,) = result.errors
    assert error.file == str(app) and "neither `kubectl` nor `kustomize`" in error.message


def test_helm_chart_values_and_set_passed_through_and_templates_never_parsed(tmp_path, bindir):
    chart = tmp_path / "chart"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: demo\nversion: 0.1.0\n")
    (chart / "templates" / "pod.yaml").write_text("{{ if .Values.x }}\nkind: [broken\n{{ end }}\n")
    args_file = tmp_path / "args"
    out = tmp_path / "o.out"
    out.write_text("# Source: demo/templates/pod.yaml\n" + pod("from-helm"))
    make_tool(bindir, "helm", f'echo "$@" > {args_file}\n/bin/cat {out}\n')
    result = load([str(tmp_path)], LoadOptions(helm_values=("v.yaml",), helm_set=("a=b", "c=d")))
    assert [(r.name, r.source.file, r.source.origin) for r in result.resources] == [
        ("from-helm", str(chart / "templates" / "pod.yaml"), "helm")
    ]
    assert result.errors == []
    assert args_file.read_text().split() == [
        "template",
        "chart",
        str(chart),
        "--values",
        "v.yaml",
        "--set",
        "a=b",
        "--set",
        "c=d",
    ]


def test_helm_missing_and_failing(tmp_path, bindir, monkeypatch):
    monkeypatch.setitem(sys.modules, "helm_python", None)  # the optional in-process renderer is absent
    chart = tmp_path / "chart"
    chart.mkdir()
    (chart / "Chart.yaml").write_text("name: demo\n")
    (error,) = load([str(chart)]).errors
    assert "`helm` is not on PATH" in error.message
    make_tool(bindir, "helm", 'echo "Error: values don\'t meet the specifications" >&2; exit 1\n')
    (error,) = load([str(chart)]).errors
    assert error.file == str(chart) and "values don't meet the specifications" in error.message


@pytest.mark.skipif(
    not any(
        os.access(os.path.join(p, "kubectl"), os.X_OK) for p in os.environ.get("PATH", "").split(os.pathsep)
    ),
    reason="kubectl not installed",
)
def test_real_kubectl_kustomize(tmp_path):
    app = tmp_path / "app"
    app.mkdir()
    (app / "kustomization.yaml").write_text("namespace: shop\nresources: [pod.yaml]\n")
    (app / "pod.yaml").write_text(pod("real"))
    (resource,) = load([str(app)]).resources
    assert resource.namespace == "shop" and resource.source.origin == "kustomize"


def test_kubectl_multiline_error_is_reported_by_its_content(tmp_path, bindir):
    # kubectl's logger prints a multi-line error as `err=<`, indented lines, and a closing `>`
    app = tmp_path / "k"
    app.mkdir()
    (app / "kustomization.yaml").write_text("resources: []\n")
    make_tool(
        bindir,
        "kubectl",
        "echo 'E0101 run.go:72] \"command failed\" err=<' >&2\n"
        "printf '\\tFailed to read kustomization file:\\n\\tapiVersion should be v1beta1\\n >\\n' >&2\n"
        "exit 1\n",
    )
    (error,) = load([str(app)]).errors
    assert error.message.endswith("failed: Failed to read kustomization file: apiVersion should be v1beta1")


def test_kubectl_klog_error_line_is_reported_by_its_error_value(tmp_path, bindir):
    # a one-line klog error: timestamp, process id, source line, quoted message and Go-quoted err value
    app = tmp_path / "k"
    app.mkdir()
    (app / "kustomization.yaml").write_text("resources: [../common]\n")
    make_tool(
        bindir,
        "kubectl",
        'echo \'E1203 10:08:53.664371   16725 run.go:72] "command failed" '
        'err="accumulating resources from \\x27../common\\x27: \\"common\\" must resolve to a file"\' >&2\n'
        "exit 1\n",
    )
    (error,) = load([str(app)]).errors
    detail = error.message.split("failed: ", 1)[1]
    assert detail == "accumulating resources from '../common': \"common\" must resolve to a file"
    assert "E1203" not in error.message and "run.go" not in error.message
