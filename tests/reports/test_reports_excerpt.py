"""Source excerpts: the lines around a finding, with nothing shown that could be a secret."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kubeguard.loading.excerpt import SourceExcerpts
from tests.reports.helpers import EXAMPLES

S = "Zq8v" + "K3pX" + "m9Tw" + "Q7rL"  # a secret-looking value; no piece of it may be shown


def _all_text(path: Path) -> str:
    """Every line's excerpt text, each line taken as the focus once."""
    ex = SourceExcerpts(context=0)
    n = len(path.read_text().splitlines())
    out = []
    for i in range(1, n + 1):
        e = ex.get(str(path), i)
        assert e is not None
        out.append(e.lines[0].text if e.lines else "")
    return "\n".join(out)


def _assert_hidden(text: str) -> None:
    for i in range(len(S) - 3):
        assert S[i : i + 4] not in text, (S[i : i + 4], text)


def test_example_deployment_window_and_what_is_shown() -> None:
    e = SourceExcerpts().get(str(EXAMPLES / "insecure" / "deployment.yaml"), 32)
    assert e is not None and e.focus == 32
    assert [line.number for line in e.lines] == list(range(29, 36))
    text = {line.number: line.text for line in e.lines}
    assert text[32].strip() == "privileged: true"
    assert text[33].strip() == "runAsUser: 0"
    assert text[36 - 1].strip() == "capabilities:"
    assert text[30].strip() == "secretKeyRef: {name: web-db, key: password}"


def test_example_configmap_values_hidden() -> None:
    e = SourceExcerpts().get(str(EXAMPLES / "insecure" / "configmap.yaml"), 8)
    assert e is not None
    line = next(x for x in e.lines if x.number == 8)
    assert line.text == "  DATABASE_URL: \u2026"
    assert [shown for _, shown in line.segments] == [True, False]


HOSTILE_YAML = f"""\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations:
    note: {S}
    backup.example.com/key: "{S}"
  labels: {{app: web, tier: front}}
spec:
  template:
    spec:
      containers:
        - name: app
          image: registry.example.com/app:1.0
          env:
            - {{name: DB_PASSWORD, value: "{S}"}}
            - name: TOKEN
              value: &tok {S}
            - name: OTHER
              value: *tok
          args: ["--db-password={S}", "--verbose=true", "--token", "{S}", "--port=8080"]
          command:
            - sh
            - -c
            - export API_TOKEN={S} && exec /app
          securityContext:
            privileged: true  # {S}
            runAsUser: !!int 0
          livenessProbe:
            httpGet:
              path: /healthz?token={S}
              port: 8080
      # {S}
      volumes:
        - name: cfg
          hostPath: {{path: /etc, type: Directory}}
---
apiVersion: v1
kind: Secret
metadata:
  name: s
stringData:
  user: {S}
  name: {S}
  cert: |
    -----BEGIN-----
    {S}
    -----END-----
data:
  path: {S}
---
apiVersion: example.com/v1
kind: Database
metadata:
  name: db
spec:
  user: {S}
  path: /{S}
  privileged: {S}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: broken
data:
  ok: "fine
  password: {S}
image: {S}
"""


def test_no_piece_of_a_secret_anywhere(tmp_path: Path) -> None:
    path = tmp_path / "hostile.yaml"
    path.write_text(HOSTILE_YAML)
    text = _all_text(path)
    _assert_hidden(text)
    # ... while the harmless parts are shown
    lines = text.splitlines()
    assert "          image: registry.example.com/app:1.0" in lines
    assert "            privileged: true  \u2026" in lines
    assert "  labels: {app: web, tier: front}" in lines  # labels identify, they are not secret
    # flag names shown, their values hidden unless a boolean or a number; a bare word is hidden
    assert (
        '          args: ["--db-password=\u2026, "--verbose=true", "--token", \u2026, "--port=8080"]' in lines
    )
    assert "            runAsUser: \u2026" in lines  # a tag: not shown, nor its value
    assert "          hostPath: {path: /etc, type: Directory}" in lines
    assert "  name: s" in lines and "  user: \u2026" in lines
    # a custom resource shows its identity only
    assert "  name: db" in lines and "  privileged: \u2026" in lines
    assert "kind: Database" in lines


def test_flag_names_shown_values_hidden(tmp_path: Path) -> None:
    path = tmp_path / "apiserver.yaml"
    path.write_text(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: kube-apiserver, namespace: kube-system}\nspec:\n"
        "  containers:\n  - name: kube-apiserver\n    command:\n    - kube-apiserver\n"
        f"    - --token-auth-file=/etc/{S}\n    - --anonymous-auth=true\n    - '--profiling=false'\n"
    )
    text = _all_text(path)
    _assert_hidden(text)
    assert "    - --token-auth-file=\u2026" in text.splitlines()
    assert "    - --anonymous-auth=true" in text.splitlines()
    assert "    - '--profiling=false'" in text.splitlines()
    assert "    - \u2026" in text.splitlines()  # a bare word: a flag's value or the program, hidden


def test_json_file(tmp_path: Path) -> None:
    path = tmp_path / "pod.json"
    doc = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "p", "annotations": {"k": S}},
        "spec": {"containers": [{"name": "c", "image": "nginx:1.27", "env": [{"name": "X", "value": S}]}]},
    }
    path.write_text(json.dumps(doc, indent=2))
    text = _all_text(path)
    _assert_hidden(text)
    lines = text.splitlines()
    assert '        "image": "nginx:1.27",' in lines and '            "name": "X",' in lines


def test_lines_after_a_syntax_error_are_hidden_whole(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  x: [\nspec:\n  image: nginx\n")
    ex = SourceExcerpts(context=10)
    e = ex.get(str(path), 2)
    assert e is not None
    texts = [line.text for line in e.lines]
    assert texts[0] == "apiVersion: v1" and texts[-1] == "\u2026"


def test_second_document_is_parsed_on_its_own(tmp_path: Path) -> None:
    path = tmp_path / "two.yaml"
    path.write_text("kind: [broken\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n")
    e = SourceExcerpts(context=1).get(str(path), 4)
    assert e is not None
    assert [(line.number, line.text) for line in e.lines] == [
        (3, "apiVersion: v1"),
        (4, "kind: Pod"),
        (5, "metadata:"),
    ]


@pytest.mark.parametrize(
    "file,line",
    [
        ("-", 1),
        ("/nonexistent/x.yaml", 1),
        (str(EXAMPLES / "insecure" / "deployment.yaml"), None),
        (str(EXAMPLES / "insecure" / "deployment.yaml"), 10_000),
    ],
)
def test_no_excerpt(file: str, line: int | None) -> None:
    assert SourceExcerpts().get(file, line) is None
