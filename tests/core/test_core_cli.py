"""The command line: exit codes, formats, --output, selection, help, version."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from kubeguard import __version__
from kubeguard.cli.main import cli
from tests.core.conftest import pod


@pytest.fixture
def runner():
    return CliRunner()


def invoke(runner, *args, input=None):
    return runner.invoke(cli, ["scan", "--no-progress", *args], input=input, catch_exceptions=False)


def test_exit_codes(runner, tmp_path):
    clean = tmp_path / "clean.yaml"
    clean.write_text(pod("good"))
    bad = tmp_path / "bad.yaml"
    bad.write_text(pod("bad", ro="false"))
    broken = tmp_path / "broken.yaml"
    broken.write_text("kind: [\n")
    assert invoke(runner, str(clean), "--select", "WKL001").exit_code == 0
    assert invoke(runner, str(bad), "--select", "WKL001").exit_code == 1
    # WKL001 is medium: with --fail-on high it does not fail the run
    assert invoke(runner, str(bad), "--select", "WKL001", "--fail-on", "high").exit_code == 0
    assert invoke(runner, str(clean), str(broken), "--select", "WKL001").exit_code == 3
    assert invoke(runner, str(bad), str(broken), "--select", "WKL001").exit_code == 1
    empty = tmp_path / "empty"
    empty.mkdir()
    result = invoke(runner, str(empty))
    assert result.exit_code == 2 and "nothing to scan" in result.output
    assert invoke(runner).exit_code == 2
    result = invoke(runner, str(clean), "--select", "NOPE999")
    assert result.exit_code == 2 and "no rule matches 'NOPE999'" in result.output
    assert invoke(runner, str(clean), "--pss", "strict").exit_code == 2
    assert invoke(runner, str(clean), "--format", "xml").exit_code == 2


def test_stdin_json_and_output_file(runner, tmp_path):
    out = tmp_path / "r.json"
    result = invoke(
        runner, "-", "--select", "WKL001", "-f", "json", "-o", str(out), input=pod("in", ro="false")
    )
    assert result.exit_code == 1
    data = json.loads(out.read_text())
    (finding,) = data["findings"]
    assert finding["file"] == "<stdin>" and finding["line"] == 12


def test_config_file_from_option(runner, tmp_path):
    (tmp_path / "bad.yaml").write_text(pod("bad", ro="false"))
    cfg = tmp_path / "kg.yaml"
    cfg.write_text("exceptions:\n  - rule: WKL001\n    reason: accepted\n")
    assert (
        invoke(runner, str(tmp_path / "bad.yaml"), "--select", "WKL001", "--config", str(cfg)).exit_code == 0
    )
    cfg.write_text("exceptions:\n  - rule: WKL001\n")
    result = invoke(runner, str(tmp_path / "bad.yaml"), "--config", str(cfg))
    assert result.exit_code == 2 and "kg.yaml:2: exceptions[0] needs 'reason'" in result.output


def test_help_explains_options_with_examples(runner):
    result = runner.invoke(cli, ["scan", "--help"])
    assert result.exit_code == 0
    for text in (
        "--fail-on",
        "--select",
        "--exclude",
        "--pss",
        "Examples:",
        "Exit codes:",
        "kubeguard scan -",
    ):
        assert text in result.output
    assert runner.invoke(cli, ["--version"]).output.strip() == f"kubeguard, version {__version__}"


def test_rules_and_explain(runner):
    listed = runner.invoke(cli, ["rules", "--format", "json"])
    codes = [r["code"] for r in json.loads(listed.output)]
    assert "WKL001" in codes and codes == sorted(codes)
    explained = runner.invoke(cli, ["explain", "writable-root-filesystem"])
    assert explained.exit_code == 0
    assert "## Why it matters" in explained.output and "WKL001" in explained.output
    assert runner.invoke(cli, ["explain", "XYZ123"]).exit_code == 2
    assert runner.invoke(cli, ["rules", "--family", "NOPE"]).exit_code == 2
