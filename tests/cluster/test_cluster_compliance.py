"""``kubeguard compliance --cluster``: the live cluster judged against a framework, like ``scan --cluster``."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from kubeguard.cli.main import cli
from tests.cluster.fakeapi import TOKEN, FakeApiServer


def test_compliance_reads_the_cluster(
    examples: list[dict[str, Any]], fake_api: Callable[..., FakeApiServer], tmp_path: Path
) -> None:
    server = fake_api(examples)
    path = server.write_kubeconfig(tmp_path / "kubeconfig")
    args = ["compliance", "--no-progress", "--cluster", "--kubeconfig", str(path), "--framework", "cis-1.12"]
    result = CliRunner().invoke(cli, [*args, "-f", "json"], catch_exceptions=False)
    assert result.exit_code == 1, result.output
    doc = json.loads(result.stdout)
    failed = [c for c in doc["controls"] if c["status"] == "fail"]
    assert failed, "the examples hold insecure objects"
    files = {f["file"] for c in failed for f in c["findings"]}
    assert files and all(name.startswith("k8s://fake-ctx/") for name in files)
    table = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert table.exit_code == 1 and table.stdout.startswith("CIS Kubernetes Benchmark 1.12.0 (cis-1.12)")
    for text in (result.stdout, result.stderr, table.stdout, table.stderr):
        assert TOKEN not in text


def test_compliance_cluster_that_cannot_be_read_is_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    result = CliRunner().invoke(
        cli,
        ["compliance", "--no-progress", "--cluster", "--kubeconfig", str(missing)],
        catch_exceptions=False,
    )
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert result.stderr.strip().startswith("Error:")
