"""Input text in people's output: markup-like names and control characters, through every command.

Manifest values such as an image ``nginx[/bold]:latest`` or a container named ``app[/x]`` once
reached rich as markup and crashed the table and ``netpol matrix`` with a traceback. Every value
from the input must be printed as itself, with control characters shown escaped, in a terminal
(colour and width on) and in plain output.
"""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from kubeguard.cli.main import cli
from kubeguard.reporters.layout import Screen

ANSI = re.compile(r"\x1b\[[0-9;]*m")

HOSTILE = """\
apiVersion: v1
kind: Pod
metadata:
  name: "app[/x]"
  namespace: "shop[bold]"
  labels: {app: web}
  annotations: {note: "[link=file:///etc/passwd]x[/link]"}
spec:
  serviceAccountName: "sa[/red]"
  containers:
  - name: "app[/x]\\u001b[2J"
    image: "nginx[/bold]:latest"
    ports: [{containerPort: 80}]
  - name: "[bold red]side[/]\\nnext"
    image: "busybox[/]:1.36"
---
apiVersion: v1
kind: Pod
metadata: {name: "db[/i]", namespace: "shop[bold]", labels: {app: db}}
spec:
  containers:
  - {name: "db[/i]", image: "postgres[/b]:16", ports: [{containerPort: 5432}]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: "rb[/x]", namespace: "shop[bold]"}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "edit[/x]"}
subjects:
- {kind: ServiceAccount, name: "sa[/red]", namespace: "shop[bold]"}
- {kind: User, name: "eve[/u]"}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: "edit[/x]"}
rules:
- {apiGroups: [""], resources: [pods, secrets], verbs: [get, create], resourceNames: ["n[/b]"]}
- {apiGroups: [""], resources: [pods], verbs: [create]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: "crb[/x]"}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "cluster-admin"}
subjects:
- {kind: ServiceAccount, name: "sa[/red]", namespace: "shop[bold]"}
"""

# the texts that must come out as themselves (escaped where they hold control characters)
SHOWN = ("app[/x]", "shop[bold]", "nginx[/bold]:latest", "app[/x]\\x1b[2J", "[bold red]side[/]\\nnext")


def _commands(path: str) -> list[tuple[list[str], tuple[str, ...]]]:
    """Each command with the payload texts its answer must show."""
    return [
        (["scan", path], ("app[/x]", "shop[bold]", "app[/x]\\x1b[2J", "[bold red]side[/]\\nnext")),
        (["pss", path], ("shop[bold]/app[/x]", "app[/x]\\x1b[2J")),
        (["netpol", "matrix", path], ("shop[bold]/app[/x]", "shop[bold]/db[/i]")),
        (
            [
                "netpol",
                "reach",
                path,
                "--from",
                "shop[bold]/app[/x]",
                "--to",
                "shop[bold]/db[/i]",
                "--port",
                "5432",
            ],
            ("shop[bold]/app[/x] -> shop[bold]/db[/i]",),
        ),
        (["netpol", "diff", path, path], ()),
        (["netpol", "generate", "quarantine", "shop[bold]/app[/x]", path], ("shop[bold]/app[/x]",)),
        (["rbac", "who-can", "create", "pods", "-n", "shop[bold]", path], ("eve[/u]", "rb[/x]", "edit[/x]")),
        (["rbac", "can", "user:eve[/u]", "create", "pods", "-n", "shop[bold]", path], ("eve[/u]", "rb[/x]")),
        (["rbac", "permissions", "user:eve[/u]", path], ("n[/b]", "rb[/x]", "edit[/x]")),
        (["rbac", "paths", path], ("sa[/red]", "crb[/x]")),
    ]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("hostile") / "hostile.yaml"
    path.write_text(HOSTILE, encoding="utf-8")
    return str(path)


def _run(args: list[str], monkeypatch: pytest.MonkeyPatch, screen: Screen | None) -> str:
    if screen is not None:
        monkeypatch.setattr(Screen, "detect", classmethod(lambda cls, stream, to_file=False: screen))
    result = CliRunner().invoke(cli, args)
    assert result.exit_code in (0, 1), (args, result.output, result.exception)
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), (
        result.exception
    )
    return result.stdout


@pytest.mark.parametrize("index", range(10))
@pytest.mark.parametrize(
    "screen", [None, Screen(width=80, color=True), Screen(width=120)], ids=["plain", "tty80", "tty120"]
)
def test_every_command_prints_input_text_as_itself(hostile, monkeypatch, index, screen):
    args, shown = _commands(hostile)[index]
    out = _run(args, monkeypatch, screen)
    plain = ANSI.sub("", out)
    # no control character from the input reaches the terminal (colour codes are ours)
    assert "\x1b[2J" not in out and "\x1b" not in plain
    assert all(line == line.rstrip() for line in plain.splitlines())
    if screen is not None and screen.width is not None:
        # generated YAML (a kubectl command in a comment) is for copying, never wrapped
        if args[1] != "generate":
            assert max(len(line) for line in plain.splitlines()) <= screen.width, plain
        # wrapping may split a payload across lines: compare with the line breaks and indents removed
        plain = re.sub(r"\s+", "", plain)
        shown = tuple(re.sub(r"\s+", "", s) for s in shown)
    for text in shown:
        assert text in plain, (args, text, plain)


@pytest.mark.parametrize("fmt", ["json", "sarif", "junit"])
def test_machine_formats_carry_the_payload(hostile, fmt):
    result = CliRunner().invoke(cli, ["scan", hostile, "-f", fmt])
    assert result.exit_code == 1, result.output
    assert "nginx[/bold]:latest" in result.stdout or "app[/x]" in result.stdout


@pytest.mark.parametrize("screen", [None, Screen(width=80, color=True)], ids=["plain", "tty80"])
def test_node_prints_file_names_and_flags_as_themselves(tmp_path, monkeypatch, screen):
    manifests = tmp_path / "etc" / "kubernetes" / "manifests"
    manifests.mkdir(parents=True)
    (manifests / "kube-apiserver[x].yaml").write_text(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: 'kube-apiserver[/x]', namespace: kube-system}\n"
        "spec:\n  containers:\n  - name: 'kube-apiserver[/bold]'\n    image: registry.k8s.io/kube-apiserver:v1.30.0\n"
        '    command: [kube-apiserver, "--token-auth-file=/etc/[/x]\\e[2J.csv"]\n'
    )
    out = _run(["node", "--root", str(tmp_path)], monkeypatch, screen)
    plain = ANSI.sub("", out)
    assert "\x1b" not in plain and all(line == line.rstrip() for line in plain.splitlines())
    if screen is not None:
        assert max(len(line) for line in plain.splitlines()) <= 80
    flat = re.sub(r"\s+", "", plain)
    for text in (
        "kube-apiserver[x].yaml",
        "Pod/kube-system/kube-apiserver[/x]",
        "--token-auth-file=/etc/[/x]\\x1b[2J.csv",
    ):
        assert re.sub(r"\s+", "", text) in flat, (text, plain)
