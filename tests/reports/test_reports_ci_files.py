"""``.pre-commit-hooks.yaml`` and ``action.yml``: they parse, and the commands they run work as written."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from kubeguard.cli.main import cli
from tests.reports.helpers import EXAMPLES, ROOT


def _kubeguard_bin() -> Path:
    here = Path(sys.executable).parent / "kubeguard"
    found = here if here.exists() else shutil.which("kubeguard")
    assert found, "the kubeguard command is not installed"
    return Path(found).parent


def test_pre_commit_hook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    (hook,) = hooks
    # pre-commit's required keys, and the hook's own
    assert {"id", "name", "entry", "language"} <= hook.keys()
    assert (
        hook["id"] == "kubeguard"
        and hook["entry"].startswith("kubeguard scan")
        and hook["language"] == "python"
    )
    assert hook["pass_filenames"] is False  # folders are judged together, not changed files alone
    files = re.compile(hook["files"])
    assert all(files.search(name) for name in ("deploy/app.yaml", "x.yml", "k8s/pod.json"))
    assert not any(files.search(name) for name in ("README.md", "yaml.py", "Chart.lock"))
    # pre-commit runs entry + args in the repository's root
    argv = shlex.split(hook["entry"])[1:] + hook["args"]
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "hardened", repo / "deploy")
    (repo / ".pre-commit-config.yaml").write_text("repos:\n- repo: local\n  hooks: []\n")
    (repo / "ci.yml").write_text("name: ci\non: push\njobs: {}\n")
    monkeypatch.chdir(repo)
    clean = CliRunner().invoke(cli, argv)
    assert clean.exit_code == 0, clean.output  # other tools' files are skipped, not errors
    shutil.copytree(EXAMPLES / "insecure", repo / "deploy-insecure")
    result = CliRunner().invoke(cli, argv)
    assert result.exit_code == 1, result.output  # findings fail the commit
    assert "PSS002" in result.stdout


def _action() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "action.yml").read_text())


def test_action_shape() -> None:
    action = _action()
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    ids = {s.get("id") for s in steps}
    used_inputs = set(re.findall(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}", (ROOT / "action.yml").read_text()))
    assert used_inputs <= set(action["inputs"]), used_inputs - set(action["inputs"])
    for output in action["outputs"].values():
        (step,) = re.findall(r"steps\.([\w-]+)\.outputs", output["value"])
        assert step in ids
    for step in steps:
        if "run" in step:
            assert step["shell"] == "bash"
            # inputs reach scripts through env, never pasted into the script (script injection)
            assert "${{" not in step["run"]
    install = next(s for s in steps if s.get("name") == "Install kubeguard")
    assert '"$GITHUB_ACTION_PATH"' in install["run"] and (ROOT / "pyproject.toml").exists()
    assert any(s.get("uses", "").startswith("actions/setup-python@") for s in steps)


def _run_scan_step(tmp_path: Path, **inputs: str) -> tuple[int, str, dict[str, str], Path]:
    action = _action()
    step = next(s for s in action["runs"]["steps"] if s.get("id") == "scan")
    values = {name: spec.get("default", "") for name, spec in action["inputs"].items()} | inputs
    env = dict(os.environ)
    for key, expr in step["env"].items():
        (name,) = re.findall(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}", expr)
        env[key] = values[name]
    summary, outputs = tmp_path / "summary.md", tmp_path / "outputs"
    env |= {
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_OUTPUT": str(outputs),
        "PATH": f"{_kubeguard_bin()}{os.pathsep}{env.get('PATH', '')}",
    }
    # GitHub runs a bash step as `bash --noprofile --norc -eo pipefail {0}`
    script = tmp_path / "step.sh"
    script.write_text(step["run"])
    proc = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    got = dict(line.split("=", 1) for line in outputs.read_text().splitlines())
    return proc.returncode, summary.read_text(), got, ROOT / got["sarif-file"]


def test_action_scan_step_writes_sarif_and_summary(tmp_path: Path) -> None:
    sarif_path = tmp_path / "out.sarif"
    code, summary, outputs, sarif = _run_scan_step(
        tmp_path,
        paths="examples/insecure examples/hardened",
        args="--select PSS,RBAC",
        **{"sarif-file": str(sarif_path)},
    )
    assert code == 1 and outputs["exit-code"] == "1"
    assert sarif == sarif_path
    doc = json.loads(sarif.read_text())
    assert doc["version"] == "2.1.0" and doc["runs"][0]["results"]
    assert {r["ruleId"][:3] for r in doc["runs"][0]["results"]} <= {"PSS", "RBA"}
    assert summary.startswith("## kubeguard scan\n") and "| CRITICAL | `PSS002`" in summary


@pytest.mark.parametrize(("fail_on", "expected"), [("none", 0), ("critical", 1), ("low", 1)])
def test_action_fail_on(tmp_path: Path, fail_on: str, expected: int) -> None:
    code, _, outputs, _ = _run_scan_step(
        tmp_path, paths="examples/insecure", **{"fail-on": fail_on, "sarif-file": str(tmp_path / "k.sarif")}
    )
    assert code == expected and outputs["exit-code"] == str(expected)


def test_action_clean_input_passes(tmp_path: Path) -> None:
    code, summary, outputs, _ = _run_scan_step(
        tmp_path, paths="examples/hardened", **{"sarif-file": str(tmp_path / "k.sarif")}
    )
    assert code == 0 and outputs["exit-code"] == "0"
    assert "**0 finding(s)**" in summary


def test_readme_snippets_use_real_ids_and_inputs() -> None:
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("### In CI: pre-commit and GitHub Actions") :]
    blocks = [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", section, re.S)[:2]]
    (repo,) = blocks[0]
    assert [h["id"] for h in repo["hooks"]] == ["kubeguard"]
    assert len(re.findall(r"```yaml\n(.*?)```", section, re.S)[0].strip().splitlines()) == 3
    workflow = blocks[1]
    ours = next(s for s in workflow["steps"] if s.get("uses", "").startswith("kubeguard/kubeguard@"))
    assert set(ours["with"]) <= set(_action()["inputs"])
    upload = next(s for s in workflow["steps"] if "upload-sarif" in s.get("uses", ""))
    assert upload["with"]["sarif_file"] == _action()["inputs"]["sarif-file"]["default"]
