"""No secret value ever leaves kubeguard.

Canary secrets (unique random strings, generated from a fixed seed so the test is deterministic)
are hidden in every place a secret can hide: env values, args, command, init and ephemeral
containers, probe headers, ConfigMap data and binaryData, annotations, pod template annotations,
last-applied-configuration, Secret data (base64) and stringData, invalid base64, a JSON file, a
List item, standard input, a suppressed finding, and YAML/JSON files with syntax errors. Every
output format of ``kubeguard scan`` (to stdout and to ``--output FILE``) and the ``rules`` and
``explain`` commands must not contain a canary, its base64 form, or any 5-character piece of it.
"""

from __future__ import annotations

import base64
import json
import random
import string
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from kubeguard.cli.main import cli
from kubeguard.reporters import FORMATS
from kubeguard.reporters.compliance import FORMATS as COMPLIANCE_FORMATS

_RNG = random.Random(20261125)


def _body(n: int) -> str:
    """Random text in which every 5 characters hold an upper-case letter and a digit, so that no
    piece of a canary can turn up by chance in ordinary output (paths, words, rule codes)."""
    out = []
    for i in range(n):
        pool = (string.ascii_uppercase, string.ascii_lowercase, string.digits, string.ascii_lowercase)[i % 4]
        out.append(_RNG.choice(pool))
    return "".join(out)


def _upper_digits(n: int) -> str:
    return "".join(_RNG.choice("ABCDEFGHJKLMNPQRSTUVWXYZ" if i % 2 else "23456789") for i in range(n))


@dataclass(frozen=True)
class Canary:
    name: str
    secret: str  # the full secret as written (prefix included)
    body: str  # the random part no piece of which may appear

    def forbidden(self) -> list[str]:
        pieces = {self.secret, self.body, base64.b64encode(self.secret.encode()).decode()}
        pieces.update(self.body[i : i + 5] for i in range(len(self.body) - 4))
        return sorted(pieces)


def _canary(name: str, prefix: str = "", n: int = 24, suffix: str = "") -> Canary:
    body = _body(n)
    return Canary(name, prefix + body + suffix, body)


def _aws_key_id() -> Canary:
    body = _upper_digits(16)
    return Canary("aws-key-id", "AKIA" + body, body)


C = {
    c.name: c
    for c in (
        _canary("env-password"),
        _aws_key_id(),
        _canary("aws-secret-key", n=40),
        _canary("github-token", "ghp_", 36),
        _canary("args-password"),
        _canary("args-flag-value"),
        _canary("command-export"),
        _canary("init-env-token"),
        _canary("ephemeral-url-password"),
        _canary("probe-bearer", n=32),
        _canary("configmap-properties"),
        _canary("configmap-slack", "xoxb-1234567890-", 24),
        _canary("configmap-binary"),
        _canary("annotation-gitlab", "glpat-", 24),
        _canary("template-annotation"),
        _canary("last-applied-stale"),
        _canary("secret-data-b64"),
        _canary("secret-string-data"),
        _canary("secret-pem", n=64),
        _canary("secret-invalid-b64", suffix="&!"),
        _canary("json-input-password"),
        _canary("list-item-url"),
        _canary("stdin-token"),
        _canary("suppressed-password"),
        _canary("broken-yaml-quote"),
        _canary("broken-yaml-tag"),
        _canary("broken-yaml-alias"),
        _canary("broken-json"),
    )
}


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def _manifests() -> dict[str, str]:
    stale = json.dumps(
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "canary-workloads"},
            "spec": {
                "template": {
                    "spec": {
                        "containers": [
                            {
                                "name": "app",
                                "env": [{"name": "OLD_PASSWORD", "value": C["last-applied-stale"].secret}],
                            }
                        ]
                    }
                }
            },
        }
    )
    pem = (
        "-----BEGIN RSA PRIVATE KEY-----\nMIIE" + C["secret-pem"].secret + "\n-----END RSA PRIVATE KEY-----\n"
    )
    workloads = f"""
apiVersion: apps/v1
kind: Deployment
metadata:
  name: canary-workloads
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: {json.dumps(stale)}
spec:
  selector: {{matchLabels: {{app: a}}}}
  template:
    metadata:
      labels: {{app: a}}
      annotations:
        backup.example.com/encryption-key: "{C["template-annotation"].secret}"
    spec:
      initContainers:
        - name: init
          image: registry.example.com/init:1.0.0
          env:
            - {{name: REGISTRY_TOKEN, value: "{C["init-env-token"].secret}"}}
      containers:
        - name: app
          image: registry.example.com/app:1.0.0
          env:
            - {{name: DB_PASSWORD, value: "{C["env-password"].secret}"}}
            - {{name: AWS_ACCESS_KEY_ID, value: "{C["aws-key-id"].secret}"}}
            - {{name: AWS_SECRET_ACCESS_KEY, value: "{C["aws-secret-key"].secret}"}}
            - {{name: CI, value: "{C["github-token"].secret}"}}
          args: ["--db-password={C["args-password"].secret}", "--token", "{C["args-flag-value"].secret}"]
          command: ["sh", "-c", "export API_TOKEN={C["command-export"].secret} && exec /app"]
          livenessProbe:
            httpGet:
              path: /healthz
              port: 8080
              httpHeaders: [{{name: Authorization, value: "Bearer {C["probe-bearer"].secret}"}}]
      ephemeralContainers:
        - name: debug
          image: busybox:1.36
          args: ["psql", "postgres://admin:{C["ephemeral-url-password"].secret}@db:5432/app"]
---
apiVersion: v1
kind: Pod
metadata:
  name: canary-suppressed
  annotations:
    ignore.kubeguard.io/SEC001: accepted for the canary test
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
      env: [{{name: ADMIN_PASSWORD, value: "{C["suppressed-password"].secret}"}}]
"""
    config = f"""
apiVersion: v1
kind: ConfigMap
metadata:
  name: canary-configmap
  annotations:
    monitoring.example.com/api-token: {C["annotation-gitlab"].secret}
data:
  application.properties: |
    spring.datasource.url=jdbc:postgresql://db:5432/app
    spring.datasource.password={C["configmap-properties"].secret}
  SLACK: {C["configmap-slack"].secret}
binaryData:
  credentials: {_b64("client_secret = " + C["configmap-binary"].secret + chr(10))}
---
apiVersion: v1
kind: Secret
metadata:
  name: canary-secret
type: Opaque
data:
  password: {_b64(C["secret-data-b64"].secret)}
  tls.key: {_b64(pem)}
stringData:
  token: "{C["secret-string-data"].secret}"
---
apiVersion: v1
kind: Secret
metadata:
  name: canary-invalid-base64
data:
  password: "{C["secret-invalid-b64"].secret}"
"""
    json_pod = json.dumps(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "canary-json"},
            "spec": {
                "containers": [
                    {
                        "name": "app",
                        "image": "registry.example.com/app:1.0.0",
                        "env": [{"name": "SMTP_PASSWORD", "value": C["json-input-password"].secret}],
                    }
                ]
            },
        },
        indent=2,
    )
    list_doc = f"""
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: ConfigMap
    metadata: {{name: canary-list-item}}
    data:
      DATABASE_URL: "mysql://app:{C["list-item-url"].secret}@db:3306/app"
"""
    broken_yaml = f"""
apiVersion: v1
kind: ConfigMap
metadata: {{name: canary-broken-quote}}
data:
  password: "{C["broken-yaml-quote"].secret}
---
apiVersion: v1
kind: ConfigMap
metadata: {{name: canary-broken-tag}}
data:
  password: !{C["broken-yaml-tag"].secret}
---
apiVersion: v1
kind: ConfigMap
metadata: {{name: canary-broken-alias}}
data:
  password: *{C["broken-yaml-alias"].secret}
"""
    broken_json = (
        '{"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "x"}, "stringData": {"password": "'
        + (C["broken-json"].secret + '"')
    )
    return {
        "workloads.yaml": workloads,
        "config.yaml": config,
        "pod.json": json_pod,
        "list.yaml": list_doc,
        "broken.yaml": broken_yaml,
        "broken.json": broken_json,
    }


#: Objects that must have at least one finding, so that the test cannot pass by finding nothing.
EXPECTED_FINDINGS = {
    ("SEC001", "canary-workloads"),
    ("SEC001", "canary-suppressed"),
    ("SEC001", "canary-json"),
    ("SEC001", "canary-stdin"),
    ("SEC002", "canary-configmap"),
    ("SEC002", "canary-list-item"),
    ("SEC003", "canary-configmap"),
    ("SEC003", "canary-workloads"),
    ("SEC004", "canary-secret"),
    ("SEC004", "canary-invalid-base64"),
}

STDIN_DOC = f"""
apiVersion: v1
kind: Pod
metadata: {{name: canary-stdin}}
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
      env: [{{name: API_TOKEN, value: "{C["stdin-token"].secret}"}}]
"""


@pytest.fixture
def canary_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "manifests"
    root.mkdir()
    for name, text in _manifests().items():
        (root / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # no .kubeguard.yaml from the repository
    return root


def _assert_clean(where: str, text: str) -> None:
    for canary in C.values():
        for piece in canary.forbidden():
            assert piece not in text, f"{where}: leaks canary {canary.name!r} (piece {piece!r})"


def _scan(args: list[str], stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["scan", "--no-progress", *args], input=stdin, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_canaries_are_found(canary_dir: Path) -> None:
    code, out, err = _scan([str(canary_dir), "-", "-f", "json"], stdin=STDIN_DOC)
    assert code == 1, err
    report = json.loads(out)
    got = {(f["rule"], f["resource"]["name"]) for f in report["findings"]}
    assert got >= EXPECTED_FINDINGS, sorted(EXPECTED_FINDINGS - got)
    assert any(f["suppressed"] for f in report["findings"] if f["resource"]["name"] == "canary-suppressed")
    errors = " ".join(e["message"] for e in report["errors"])
    assert "invalid YAML" in errors and "invalid JSON" in errors
    # every broken document is reported as an input error
    assert len([e for e in report["errors"] if e["file"].endswith("broken.yaml")]) >= 3


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_canary_in_stdout_or_stderr(canary_dir: Path, fmt: str) -> None:
    code, out, err = _scan([str(canary_dir), "-", "-f", fmt], stdin=STDIN_DOC)
    assert code == 1
    assert out.strip()
    _assert_clean(f"scan -f {fmt} (stdout)", out)
    _assert_clean(f"scan -f {fmt} (stderr)", err)


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_canary_in_output_file(canary_dir: Path, tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"report.{fmt}"
    code, out, err = _scan([str(canary_dir), "-", "-f", fmt, "--output", str(target)], stdin=STDIN_DOC)
    assert code == 1
    text = target.read_text(encoding="utf-8")
    assert text.strip()
    if fmt == "html":  # the page shows the source lines around each finding: they are checked too
        assert text.count('<pre class="excerpt">') >= len(EXPECTED_FINDINGS)
    for where, content in ((f"--output {fmt}", text), ("stdout", out), ("stderr", err)):
        _assert_clean(where, content)


def test_no_canary_in_broken_files_alone(canary_dir: Path) -> None:
    """Input errors only: the messages about syntax errors never quote the offending line."""
    for name in ("broken.yaml", "broken.json"):
        for fmt in FORMATS:
            code, out, err = _scan([str(canary_dir / name), "-f", fmt])
            assert code == 3, (name, fmt, out, err)
            _assert_clean(f"{name} -f {fmt}", out + err)


def test_no_canary_in_rules_and_explain(canary_dir: Path) -> None:
    runner = CliRunner()
    outputs = [runner.invoke(cli, ["rules"]), runner.invoke(cli, ["rules", "--family", "SEC", "-f", "json"])]
    outputs += [runner.invoke(cli, ["explain", code]) for code in ("SEC001", "SEC002", "SEC003", "SEC004")]
    for result in outputs:
        assert result.exit_code == 0, result.output
        _assert_clean("rules/explain", result.stdout + result.stderr)


#: Other commands that read manifests: their output and their input-error messages stay clean too.
OTHER_COMMANDS = [
    ["pss"],
    ["pss", "-f", "json"],
    ["rbac", "who-can", "get", "secrets"],
    ["netpol", "matrix"],
    # every format of `kubeguard compliance` (findings with their messages, in every framework)
    *[["compliance", "-f", fmt] for fmt in COMPLIANCE_FORMATS],
]


@pytest.mark.parametrize("command", OTHER_COMMANDS, ids=lambda c: " ".join(c))
def test_no_canary_in_other_commands(canary_dir: Path, command: list[str]) -> None:
    result = CliRunner().invoke(cli, [*command, str(canary_dir)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    _assert_clean(" ".join(command), result.stdout + result.stderr)
