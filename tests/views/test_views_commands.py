"""Views in the commands that answer for one cluster: pss judges each view under its own Namespace
labels; rbac and netpol say when the views they answer for define the same objects."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from kubeguard.api import assess_pod_security, load_inputs, merged_views
from kubeguard.cli.main import cli

ROOT = Path(__file__).parents[2]
EXAMPLES = ROOT / "examples"
ENVS = Path(__file__).parent / "fixtures" / "envs"


def test_pss_judges_each_example_under_its_own_namespace_labels():
    # Both examples define Namespace shop; only the hardened one carries the PSA labels. Merged, the
    # unlabelled one replaced it and the hardened Deployment lost its namespace's enforce policy.
    report = assess_pod_security(load_inputs([str(EXAMPLES)]), "restricted", "latest")
    modes = {
        Path(w.resource.source.file).parent.name: [m.mode for m in w.namespace_modes]
        for w in report.workloads
    }
    assert modes == {"hardened": ["enforce", "audit", "warn"], "insecure": []}


def test_merged_views_warns_only_when_views_define_the_same_objects():
    assert merged_views(load_inputs([str(ENVS / "dev"), str(ENVS / "prod")])) is not None
    assert merged_views(load_inputs([str(ENVS / "prod")])) is None


def test_rbac_and_netpol_warn_about_mixed_deployments():
    runner = CliRunner()
    for args in (
        ["rbac", "who-can", "get", "pods", str(ENVS)],
        ["netpol", "matrix", str(ENVS)],
    ):
        result = runner.invoke(cli, args)
        assert "separate deployments" in result.stderr, args
        alone = runner.invoke(cli, [*args[:-1], str(ENVS / "prod")])
        assert "separate deployments" not in alone.stderr, args
