"""``kubeguard audit FILE... | -``: output formats, the JSON shape, selection, exit codes, and no
secret value in any output."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kubeguard.cli.main import cli

EXEC = {
    "kind": "Event",
    "apiVersion": "audit.k8s.io/v1",
    "level": "Metadata",
    "auditID": "5f0c3a52-7c55-4a0c-9b39-0a4a4f4d2b11",
    "stage": "ResponseStarted",
    "requestURI": "/api/v1/namespaces/shop/pods/web-0/exec?command=sh&container=web",
    "verb": "create",
    "user": {"username": "kubernetes-admin", "groups": ["dev", "system:authenticated"]},
    "sourceIPs": ["10.0.0.7"],
    "objectRef": {
        "resource": "pods",
        "namespace": "shop",
        "name": "web-0",
        "apiVersion": "v1",
        "subresource": "exec",
    },
    "responseStatus": {"code": 101},
    "stageTimestamp": "2026-12-01T10:00:00.000000Z",
}
DENIED = {**EXEC, "auditID": "d-1", "stage": "ResponseComplete", "responseStatus": {"code": 403}}
CANARY = "Kg7CnqZq9Xw2Vbt4"


def write(tmp_path: Path, *events: dict[str, Any], extra: bytes = b"") -> str:
    path = tmp_path / "audit.log"
    path.write_bytes(b"".join(json.dumps(e).encode() + b"\n" for e in events) + extra)
    return str(path)


def run(*args: str, input: bytes | None = None) -> Any:
    return CliRunner().invoke(cli, ["audit", *args], input=input)


def test_json_shape(tmp_path: Path):
    result = run(write(tmp_path, EXEC), "-f", "json")
    assert result.exit_code == 1, result.output
    doc = json.loads(result.output)
    assert doc["alerts"] == [
        {
            "rule": "AUD001",
            "title": "Exec or attach into a pod",
            "severity": "medium",
            "time": "2026-12-01T10:00:00.000000Z",
            "auditID": "5f0c3a52-7c55-4a0c-9b39-0a4a4f4d2b11",
            "user": "kubernetes-admin",
            "groups": ["dev", "system:authenticated"],
            "sourceIPs": ["10.0.0.7"],
            "verb": "create",
            "resource": "pods",
            "subresource": "exec",
            "namespace": "shop",
            "name": "web-0",
            "message": "kubernetes-admin opened exec into pod shop/web-0 running 'sh'",
            "frameworks": {"mitre-attack": ["T1609"]},
            "aliases": {
                "falco": ["Attach/Exec Pod"],
                "panther": [
                    "Kubernetes.Pod.Exec",
                    "GCP.K8s.ExecIntoPod",
                    "Kubernetes.UnauthorizedPodExecution",
                ],
            },
        }
    ]
    assert doc["errors"] == []
    assert doc["summary"]["events"] == 1 and doc["summary"]["byRule"] == {"AUD001": 1}


def test_jsonl_streams_one_alert_per_line_from_stdin(tmp_path: Path):
    data = Path(write(tmp_path, EXEC, DENIED)).read_bytes()
    result = run("-", "-f", "jsonl", input=data)
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(a["rule"], a["auditID"]) for a in lines] == [
        ("AUD001", "5f0c3a52-7c55-4a0c-9b39-0a4a4f4d2b11"),
        ("AUD002", "d-1"),
    ]
    assert result.exit_code == 1


def test_table_names_alerts_errors_and_counts(tmp_path: Path):
    result = run(write(tmp_path, EXEC, extra=b"{broken\n"), "--fail-on", "high")
    assert "AUD001 exec-into-pod" in result.output
    assert f"{tmp_path / 'audit.log'}:2: invalid JSON" in result.output
    assert "1 alert(s) (1 medium) from 1 event(s)" in result.output
    assert result.exit_code == 3  # nothing reached --fail-on high, and a record was lost


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["--fail-on", "medium"], 1),
        (["--fail-on", "high"], 0),
        (["--select", "AUD002"], 0),  # the exec succeeded: only AUD001 could alert
        (["--ignore", "exec-into-pod"], 0),
        (["--select", "NOPE1"], 2),
        (["--input-format", "gke"], 3),  # every record is an error then
    ],
)
def test_exit_codes(tmp_path: Path, args: list[str], code: int):
    result = run(write(tmp_path, EXEC), *args)
    assert result.exit_code == code, result.output


def test_unreadable_input_and_usage_errors(tmp_path: Path):
    missing = run(str(tmp_path / "nope.log"), "-f", "json")
    assert missing.exit_code == 3
    assert json.loads(missing.output)["errors"][0]["message"].startswith("cannot read")
    assert run().exit_code == 2
    config = tmp_path / "bad.yaml"
    config.write_text("audit:\n  execAllowedUsers: 5\n")
    bad = run(write(tmp_path, EXEC), "--config", str(config))
    assert bad.exit_code == 2 and "execAllowedUsers" in bad.output


def test_config_allow_list_applies(tmp_path: Path):
    config = tmp_path / "kg.yaml"
    config.write_text("audit:\n  execAllowedUsers: [kubernetes-admin]\n")
    assert run(write(tmp_path, EXEC), "--config", str(config)).exit_code == 0


def test_binary_garbage_is_record_errors_not_a_traceback(tmp_path: Path):
    path = tmp_path / "garbage.bin"
    path.write_bytes(bytes(range(256)) * 64 + b"\n\xff\xfe\n")
    result = run(str(path), "-f", "json")
    assert result.exit_code == 3  # an uncaught exception would be exit code 1
    assert json.loads(result.output)["summary"]["recordsWithErrors"] >= 1


def test_no_secret_value_in_any_output(tmp_path: Path):
    secret = {
        "kind": "Secret",
        "apiVersion": "v1",
        "metadata": {"name": "db", "namespace": "shop"},
        "data": {"password": base64.b64encode(CANARY.encode()).decode()},
        "stringData": {"token": CANARY},
    }
    events = [
        {
            **EXEC,
            "auditID": "c-1",
            "requestURI": f"/api/v1/namespaces/shop/pods/web-0/exec?command=mysql&command=-p{CANARY}",
        },
        {
            **DENIED,
            "auditID": "c-2",
            "level": "RequestResponse",
            "requestObject": secret,
            "responseObject": secret,
            "responseStatus": {"code": 403, "message": f"denied {CANARY}"},
        },
        {**EXEC, "auditID": "c-3", "kind": CANARY},
    ]
    path = write(tmp_path, *events, extra=f'{{"verb": "{CANARY}\n'.encode())
    pieces = {CANARY[i : i + 5] for i in range(len(CANARY) - 4)}
    for fmt in ("table", "json", "jsonl"):
        result = run(path, "-f", fmt)
        out = result.stdout + result.stderr
        assert "AUD001" in out or fmt == "jsonl"
        leaked = sorted(p for p in pieces if p in out)
        assert not leaked, (fmt, leaked)
