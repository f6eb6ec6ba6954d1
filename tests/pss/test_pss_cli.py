"""``kubeguard pss``: outcomes per workload, namespace labels, formats, exit codes."""

from __future__ import annotations

import json
import re
import textwrap

import pytest
from click.testing import CliRunner

from kubeguard.cli.main import cli

GOOD = """
apiVersion: v1
kind: Pod
metadata: {name: good, namespace: team}
spec:
  securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
  containers:
    - name: app
      image: nginx:1.27
      securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
"""

BASELINE_ONLY = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: team}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: app, image: nginx:1.27}]
"""

PRIVILEGED = """
apiVersion: v1
kind: Pod
metadata: {name: priv, namespace: team}
spec:
  containers: [{name: app, image: nginx:1.27, securityContext: {privileged: true}}]
"""

NAMESPACE = """
apiVersion: v1
kind: Namespace
metadata:
  name: team
  labels:
    pod-security.kubernetes.io/enforce: baseline
    pod-security.kubernetes.io/enforce-version: v1.30
    pod-security.kubernetes.io/audit: restricted
    pod-security.kubernetes.io/warn: restricted
    pod-security.kubernetes.io/warn-version: v1.24
"""


@pytest.fixture
def runner():
    return CliRunner()


def write(tmp_path, name, *docs):
    path = tmp_path / name
    path.write_text("---\n".join(textwrap.dedent(d).lstrip("\n") for d in docs))
    return str(path)


def _line_of(path, needle):
    with open(path) as fh:
        return next(i for i, line in enumerate(fh, 1) if needle in line)


def run(runner, *args):
    return runner.invoke(cli, ["pss", *args], catch_exceptions=False)


def test_all_allowed_exits_zero(runner, tmp_path):
    result = run(runner, write(tmp_path, "a.yaml", GOOD))
    assert result.exit_code == 0, result.output
    assert "ALLOWED  Pod/team/good" in result.output
    assert "1 of 1 workload(s) allowed at restricted:latest" in result.output


def test_violations_exit_one_with_admission_wording(runner, tmp_path):
    result = run(runner, write(tmp_path, "a.yaml", GOOD, BASELINE_ONLY))
    assert result.exit_code == 1
    assert "DENIED   Deployment/team/web" in result.output
    # each violation: its line, its control, the admission controller's wording, on one plain line
    assert re.search(
        r'^    :\d+  PSS014  allowPrivilegeEscalation != false \(container "app" must set '
        r"securityContext\.allowPrivilegeEscalation=false\)$",
        result.output,
        re.M,
    )


def test_level_and_version_options(runner, tmp_path):
    path = write(tmp_path, "a.yaml", GOOD, BASELINE_ONLY)
    assert run(runner, path, "--level", "baseline").exit_code == 0
    assert run(runner, path, "--level", "privileged").exit_code == 0
    assert (
        run(runner, path, "--level", "restricted", "--policy-version", "v1.7").exit_code == 1
    )  # runAsNonRoot since v1.0


def test_json_output(runner, tmp_path):
    path = write(tmp_path, "a.yaml", GOOD, PRIVILEGED)
    result = run(runner, path, "--format", "json", "--level", "baseline", "--policy-version", "1.30")
    assert result.exit_code == 1
    doc = json.loads(result.output)
    assert (doc["level"], doc["version"], doc["allowed"]) == ("baseline", "v1.30", False)
    by_name = {w["name"]: w for w in doc["workloads"]}
    assert by_name["good"]["allowed"] is True and by_name["good"]["violations"] == []
    priv = by_name["priv"]
    assert (priv["file"], priv["kind"], priv["namespace"], priv["allowed"]) == (path, "Pod", "team", False)
    assert priv["violations"] == [
        {
            "control": "PSS002",
            "check": "privileged",
            "message": 'privileged (container "app" must not set securityContext.privileged=true)',
            "pointer": "/spec/containers/0/securityContext/privileged",
            "pointers": ["/spec/containers/0/securityContext/privileged"],
            "line": _line_of(path, "privileged: true"),
        }
    ]
    assert priv["namespacePolicy"] is None


def test_namespace_labels_give_admission_outcomes(runner, tmp_path):
    path = write(tmp_path, "a.yaml", NAMESPACE, GOOD, BASELINE_ONLY, PRIVILEGED)
    result = run(runner, path, "-f", "json")
    doc = json.loads(result.output)
    by_name = {w["name"]: w for w in doc["workloads"]}
    assert by_name["good"]["admission"] == ["allowed"]
    # meets baseline (enforced) but not restricted (audited, warned)
    assert by_name["web"]["admission"] == ["audited", "warned"]
    modes = {m["mode"]: m for m in by_name["web"]["namespacePolicy"]}
    assert (modes["enforce"]["level"], modes["enforce"]["version"]) == ("baseline", "v1.30")
    assert (modes["warn"]["level"], modes["warn"]["version"]) == ("restricted", "v1.24")
    assert by_name["priv"]["admission"] == ["rejected", "audited", "warned"]
    assert doc["summary"]["rejectedByNamespace"] == 1
    assert doc["namespaces"]["team"]["enforce"] == {"level": "baseline", "version": "v1.30"}
    table = run(runner, path).output
    assert "namespace enforce=baseline:v1.30 -> rejected" in table
    assert "namespace warn=restricted:v1.24 -> warned" in table


def test_namespace_rejection_alone_fails_the_run(runner, tmp_path):
    path = write(tmp_path, "a.yaml", NAMESPACE, PRIVILEGED)
    assert run(runner, path, "--level", "privileged").exit_code == 1


def test_usage_errors(runner, tmp_path):
    path = write(tmp_path, "a.yaml", GOOD)
    result = run(runner, path, "--policy-version", "v0.9")
    assert result.exit_code == 2 and "v1.x" in result.output
    assert run(runner, path, "--level", "strict").exit_code == 2
    assert run(runner).exit_code == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run(runner, str(empty)).exit_code == 2


def test_output_file_and_stdin(runner, tmp_path):
    out = tmp_path / "out.json"
    result = runner.invoke(cli, ["pss", "-", "-f", "json", "-o", str(out)], input=textwrap.dedent(PRIVILEGED))
    assert result.exit_code == 1
    assert json.loads(out.read_text())["workloads"][0]["name"] == "priv"


def test_help_has_examples(runner):
    result = runner.invoke(cli, ["pss", "--help"])
    assert result.exit_code == 0
    assert "Examples:" in result.output and "--level" in result.output
