"""Fix declarations: the catalogue shows each rule's fix, findings say whether theirs can be fixed."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from click.testing import CliRunner

from kubeguard.api import scan
from kubeguard.cli.main import cli
from kubeguard.engine.registry import catalogue, find_rule
from kubeguard.reporters import json_report
from kubeguard.rules.fix import FixSafety

SCHEMA = json.loads(
    (Path(__file__).parents[2] / "src/kubeguard/reporters/schemas/report.schema.json").read_text()
)

POD = """\
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: app}
spec:
  containers:
    - name: web
      image: registry.example.com/web:1.2.3
    - name: priv
      image: registry.example.com/priv:1.2.3
      securityContext:
        privileged: true
"""


def test_rules_json_and_table_show_the_fix():
    result = CliRunner().invoke(cli, ["rules", "-f", "json"])
    rows = {r["code"]: r["fix"] for r in json.loads(result.output)}
    assert rows["PSS014"] == "safe"
    assert rows["WKL001"] == "unsafe"
    assert rows["RBAC001"] is None
    assert set(rows.values()) <= {"safe", "unsafe", None}
    assert rows == {r.code: (r.fix.safety.value if r.fix else None) for r in catalogue()}
    table = CliRunner().invoke(cli, ["rules", "--family", "PSS"]).output
    header, first = table.splitlines()[:2]
    assert "FIX" in header
    assert first.split()[:4] == ["PSS001", "host-namespaces", "high", "unsafe"]


def test_explain_names_the_fix_and_its_safety():
    out = CliRunner().invoke(cli, ["explain", "PSS014"]).output
    assert "Fix (safe): set securityContext.allowPrivilegeEscalation: false" in out
    assert "Fix: none" in CliRunner().invoke(cli, ["explain", "RBAC001"]).output


def test_findings_say_whether_a_fix_is_offered(tmp_path):
    path = tmp_path / "pod.yaml"
    path.write_text(POD)
    report = scan([str(path)], select=["PSS014", "PSS002"], config=str(_empty_config(tmp_path)))
    data = json_report.to_dict(report)
    jsonschema.validate(data, SCHEMA)
    by = {(f["rule"], f["pointer"]): f["fix"] for f in data["findings"]}
    # allowPrivilegeEscalation: false is refused by the API server beside privileged: true: no fix there
    assert by == {
        ("PSS014", "/spec/containers/0/securityContext/allowPrivilegeEscalation"): "safe",
        ("PSS014", "/spec/containers/1/securityContext/allowPrivilegeEscalation"): None,
        ("PSS002", "/spec/containers/1/securityContext/privileged"): "unsafe",
    }
    assert data["schemaVersion"] == "1.1"


def test_a_safe_fix_is_unsafe_where_the_container_may_run_as_root(tmp_path):
    path = tmp_path / "pod.yaml"
    path.write_text(
        POD.replace(
            "      securityContext:\n        privileged: true\n",
            "      securityContext:\n        runAsUser: 10001\n",
        )
    )
    report = scan([str(path)], select=["PSS018"], config=str(_empty_config(tmp_path)))
    assert find_rule("PSS018").fix.safety is FixSafety.SAFE  # type: ignore[union-attr]
    assert {f.object.name + f.pointer: f.fix for f in report.findings} == {
        "p/spec/containers/0/securityContext/capabilities": "unsafe",  # may run as root: keeps its defaults
        "p/spec/containers/1/securityContext/capabilities": "safe",
    }


def _empty_config(tmp_path: Path) -> Path:
    path = tmp_path / ".kubeguard.yaml"
    path.write_text("{}\n")
    return path
