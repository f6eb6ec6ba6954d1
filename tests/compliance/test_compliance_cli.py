"""`kubeguard compliance`: frameworks chosen, JSON shape, table, exit codes, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kubeguard.cli.main import cli
from tests.core.conftest import pod

EXAMPLES = Path(__file__).parents[2] / "examples"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def invoke(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(cli, ["compliance", "--no-progress", *args], catch_exceptions=False)


def test_json_for_one_framework_has_the_documented_shape(runner: CliRunner) -> None:
    result = invoke(runner, str(EXAMPLES / "insecure"), "--framework", "cis-1.12", "-f", "json")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert set(doc) == {"framework", "score", "controls"}
    assert doc["framework"] == {"id": "cis-1.12", "title": "CIS Kubernetes Benchmark", "version": "1.12.0"}
    assert len(doc["controls"]) == 131
    by_id = {c["id"]: c for c in doc["controls"]}
    privileged = by_id["5.2.2"]
    assert privileged["status"] == "fail" and privileged["rules"] == ["PSS002"]
    assert [f["rule"] for f in privileged["findings"]] == ["PSS002"]
    assert privileged["findings"][0]["file"].endswith("deployment.yaml")
    # no API server in the examples: its controls are not assessed, and outside the score
    assert by_id["1.2.1"]["status"] == "not-assessed"
    assert by_id["3.1.1"]["status"] == "manual" and by_id["3.1.1"]["detail"]
    passed = sum(c["status"] == "pass" for c in doc["controls"])
    failed = sum(c["status"] == "fail" for c in doc["controls"])
    assert doc["score"] == round(100 * passed / (passed + failed), 1)


def test_several_frameworks_give_a_list_in_the_order_asked(runner: CliRunner) -> None:
    result = invoke(runner, str(EXAMPLES / "insecure"), "--framework", "mitre,pci-4.0", "-f", "json")
    docs = json.loads(result.stdout)
    assert [d["framework"]["id"] for d in docs] == ["mitre-attack", "pci-4.0"]


def test_all_frameworks_by_default(runner: CliRunner) -> None:
    result = invoke(runner, str(EXAMPLES / "insecure"), "-f", "json")
    ids = [d["framework"]["id"] for d in json.loads(result.stdout)]
    assert {"cis-1.12", "nsa", "mitre-attack", "pci-4.0", "soc2", "iso27001", "hipaa"} <= set(ids)
    assert (
        invoke(runner, str(EXAMPLES / "insecure"), "--framework", "all", "-f", "json").stdout == result.stdout
    )


def test_table_shows_score_statuses_and_failed_findings(runner: CliRunner) -> None:
    result = invoke(runner, str(EXAMPLES / "insecure"), "--framework", "cis")
    out = result.stdout
    assert out.startswith("CIS Kubernetes Benchmark 1.12.0 (cis-1.12): score ")
    assert "  fail          5.2.2" in out
    assert (
        "    PSS002  examples/insecure/deployment.yaml:" in out or "PSS002" in out.split("5.2.2 Minimize")[1]
    )
    assert "manual        3.1.1" in out


def test_exit_codes(runner: CliRunner, tmp_path: Path) -> None:
    clean = tmp_path / "clean.yaml"
    clean.write_text(pod("good"))
    bad = tmp_path / "bad.yaml"
    bad.write_text(pod("bad", ro="false"))
    broken = tmp_path / "broken.yaml"
    broken.write_text("kind: [\n")
    # WKL001 evidences CIS 5.6.3; a writable root filesystem fails it (medium)
    assert invoke(runner, str(clean), "-s", "WKL001", "--framework", "cis-1.12").exit_code == 0
    assert invoke(runner, str(bad), "-s", "WKL001", "--framework", "cis-1.12").exit_code == 1
    assert (
        invoke(runner, str(bad), "-s", "WKL001", "--framework", "cis-1.12", "--fail-on", "high").exit_code
        == 0
    )
    assert invoke(runner, str(bad), "-s", "WKL001", "--framework", "cis-1.12", "--exit-zero").exit_code == 0
    assert invoke(runner, str(clean), str(broken), "-s", "WKL001", "--framework", "cis-1.12").exit_code == 3
    # a finding of a rule the framework does not map does not fail the run: WKL001 is not in HIPAA
    assert invoke(runner, str(bad), "-s", "WKL001", "--framework", "hipaa").exit_code == 0


def test_suppressed_finding_does_not_fail_the_run(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(
        pod("bad", ro="false").replace(
            "  namespace: ns\n",
            '  namespace: ns\n  annotations: {"ignore.kubeguard.io/WKL001": "legacy app writes /tmp"}\n',
        )
    )
    result = invoke(runner, str(path), "-s", "WKL001", "--framework", "cis-1.12", "-f", "json")
    assert result.exit_code == 0
    control = next(c for c in json.loads(result.stdout)["controls"] if c["id"] == "5.6.3")
    assert control["status"] == "pass"
    assert [f["suppressed"] for f in control["findings"]] == [True]


def test_unknown_framework_is_a_usage_error_naming_the_choices(runner: CliRunner) -> None:
    result = runner.invoke(
        cli, ["compliance", "--no-progress", str(EXAMPLES / "insecure"), "--framework", "sox"]
    )
    assert result.exit_code == 2
    assert "unknown framework 'sox'" in result.output and "pci-4.0" in result.output


def test_nothing_to_scan(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["compliance", "--no-progress", str(tmp_path)])
    assert result.exit_code == 2 and "nothing to scan" in result.output
    assert runner.invoke(cli, ["compliance"]).exit_code == 2


def test_markdown_and_html_formats(runner: CliRunner, tmp_path: Path) -> None:
    md = invoke(runner, str(EXAMPLES / "insecure"), "--framework", "cis-1.12", "-f", "markdown")
    assert md.exit_code == 1 and md.stdout.startswith("## kubeguard compliance\n")
    assert "CIS Kubernetes Benchmark" in md.stdout
    out = tmp_path / "c.html"
    page = invoke(runner, str(EXAMPLES / "insecure"), "--framework", "pci-4.0", "-f", "html", "-o", str(out))
    assert page.exit_code == 1
    text = out.read_text()
    assert text.startswith("<!DOCTYPE html>") or text.lower().startswith("<!doctype html>")
    assert "PCI DSS" in text


def test_every_format_says_what_could_not_be_read(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text(pod("bad", ro="false"))
    (tmp_path / "broken.yaml").write_text("kind: [\n")
    (tmp_path / "dup.yaml").write_text(pod("bad", ro="false"))  # the same object twice: a warning
    args = (str(tmp_path), "-s", "WKL001", "--framework", "cis-1.12")
    table = invoke(runner, *args)
    assert table.exit_code == 1
    assert (
        "\nCould not read:\n  " in table.stdout
        and "broken.yaml:2" in table.stdout.split("Could not read:")[1]
    )
    assert "warning: " in table.stdout.split("Could not read:")[1]
    md = invoke(runner, *args, "-f", "markdown")
    assert "### Input errors\n\n- " in md.stdout and "broken.yaml:2" in md.stdout.split("### Input errors")[1]
    assert "### Warnings" in md.stdout
    js = invoke(runner, *args, "-f", "json")
    json.loads(js.stdout)  # the document keeps its documented shape
    assert (
        [line for line in js.stderr.splitlines() if line.startswith("error: ")]
        == [line for line in js.stderr.splitlines() if "broken.yaml:2" in line]
        != []
    )
