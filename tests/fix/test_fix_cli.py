"""``kubeguard fix`` and ``scan --fix``/``--diff`` on the command line: what is written, what is
printed, exit codes; fixing a copy of examples/insecure leaves no finding whose fix is safe."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kubeguard.api import fix, scan
from kubeguard.cli.main import cli

ROOT = Path(__file__).parents[2]
POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: app   # the app
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0
"""


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def _config(tmp_path: Path) -> str:
    path = tmp_path / ".kubeguard.yaml"
    path.write_text("{}\n")
    return str(path)


def test_diff_prints_the_change_writes_nothing_and_exits_1(runner, tmp_path):
    target = tmp_path / "pod.yaml"
    target.write_text(POD)
    common = [str(target), "--select", "PSS014", "-c", _config(tmp_path), "--no-progress"]
    args = ["fix", *common, "--diff"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 1
    assert target.read_text() == POD
    assert "+      securityContext:\n+        allowPrivilegeEscalation: false\n" in result.stdout
    assert result.stdout.startswith("--- a/")
    assert "would fix 1 finding(s) in 1 file(s)" in result.stderr
    # Fixed: the same diff shows nothing and exits 0.
    assert runner.invoke(cli, ["fix", *common]).exit_code == 0
    again = runner.invoke(cli, args)
    assert again.exit_code == 0 and again.stdout == ""


def test_fix_reports_what_remains_with_the_scan_exit_codes(runner, tmp_path):
    target = tmp_path / "pod.yaml"
    target.write_text(POD)
    base = [str(target), "--select", "PSS014,WKL001", "-c", _config(tmp_path), "--no-progress"]
    result = runner.invoke(cli, ["fix", *base])
    # WKL001's fix is unsafe: it stays, and the exit code says so
    assert result.exit_code == 1
    assert "WKL001" in result.stdout and "PSS014" not in result.stdout
    assert "1 more with an unsafe fix (--unsafe-fixes)" in result.stderr
    result = runner.invoke(cli, ["scan", "--fix", "--unsafe-fixes", *base])
    assert result.exit_code == 0, result.stdout
    assert "readOnlyRootFilesystem: true" in target.read_text()
    assert "name: app   # the app" in target.read_text()


def test_unsafe_fixes_alone_is_a_usage_error(runner, tmp_path):
    target = tmp_path / "pod.yaml"
    target.write_text(POD)
    result = runner.invoke(cli, ["scan", str(target), "--unsafe-fixes", "--no-progress"])
    assert result.exit_code == 2 and "--fix or --diff" in result.stderr


def test_fixing_examples_insecure_leaves_no_finding_with_a_safe_fix(tmp_path):
    copy = tmp_path / "insecure"
    shutil.copytree(ROOT / "examples" / "insecure", copy)
    config = _config(tmp_path)
    before = scan([str(copy)], config=config)
    safe = [f for f in before.findings if f.fix == "safe"]
    assert safe, "the example has findings with a safe fix"
    result = fix([str(copy)], config=config)
    assert result.fixed == len(safe)
    assert [f for f in result.report.findings if f.fix == "safe"] == []
    # The rules whose fixes ran are clean now, and nothing else changed in the report.
    fixed_keys = {(f.rule.code, f.object, f.pointer) for f in safe}
    assert not fixed_keys & {(f.rule.code, f.object, f.pointer) for f in result.report.findings}
    remaining = {(f.rule.code, f.object, f.pointer) for f in before.findings} - fixed_keys
    after = {(f.rule.code, f.object, f.pointer) for f in result.report.findings}
    assert after <= remaining
    # With --unsafe-fixes as well, every finding with a fix is fixed, and a second run does nothing.
    result = fix([str(copy)], config=config, unsafe_fixes=True)
    assert [f for f in result.report.findings if f.fix is not None] == []
    assert fix([str(copy)], config=config, unsafe_fixes=True).changes == []
