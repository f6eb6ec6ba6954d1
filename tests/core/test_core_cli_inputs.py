"""Every manifest-reading command takes the same input options and reads through the library entry;
nothing read is never a green answer; option spellings are the same across commands."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from kubeguard.cli.main import cli

POD = """
apiVersion: v1
kind: Pod
metadata: {{name: {name}, namespace: {ns}, labels: {{app: {name}}}}}
spec:
  containers:
    - name: app
      image: nginx:1.27
      ports: [{{containerPort: 80}}]
      securityContext: {{privileged: {privileged}}}
"""

ROLE_AND_BINDING = """
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: read-secrets}
rules: [{apiGroups: [""], resources: [secrets], verbs: [get]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: mallory-reads}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: read-secrets}
subjects: [{kind: User, name: mallory, apiGroup: rbac.authorization.k8s.io}]
"""

CONFIGMAP = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: a}\ndata: {k: v}\n"


def pod(name: str, ns: str = "a", privileged: str = "false") -> str:
    return textwrap.dedent(POD.format(name=name, ns=ns, privileged=privileged)).lstrip()


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, list(args), env=env)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """``keep/`` holds an allowed pod in namespace a; ``skip/`` a privileged pod and an RBAC binding,
    each one a command would answer differently about."""
    (tmp_path / "keep").mkdir()
    (tmp_path / "skip").mkdir()
    (tmp_path / "keep" / "web.yaml").write_text(pod("web"))
    (tmp_path / "skip" / "bad.yaml").write_text(pod("bad", privileged="true") + "---\n" + ROLE_AND_BINDING)
    return tmp_path


# --- the shared loading options are honoured by every command ------------------------------------


@pytest.mark.parametrize(
    ("command", "excluded_code", "included_code"),
    [
        (["scan", "--no-progress", "--select", "PSS002"], 0, 1),
        (["pss", "--level", "baseline"], 0, 1),
        (["rbac", "can", "user:mallory", "get", "secrets"], 1, 0),
        (["netpol", "reach", "--from", "a/web", "--to", "a/bad", "--port", "80"], 2, 0),
    ],
)
def test_exclude_is_honoured_by_every_command(tree, command, excluded_code, included_code):
    # rbac's command takes PATH after its positional arguments; scan, pss and netpol reach take it first
    with_skip = run(*command, str(tree))
    without = run(*command, str(tree), "--exclude", "skip")
    assert with_skip.exit_code == included_code, with_skip.output
    assert without.exit_code == excluded_code, without.output


@pytest.mark.parametrize(
    "command",
    [
        ["scan", "--no-progress", "--select", "PSS002"],
        ["pss"],
        ["rbac", "who-can", "get", "secrets"],
        ["netpol", "matrix"],
    ],
)
def test_max_file_size_is_honoured_by_every_command(tmp_path, command):
    big = tmp_path / "big.yaml"
    big.write_text(pod("web") + "# " + "x" * (1024 * 1024) + "\n")
    within = run(*command, str(big), "--max-file-size", "2")
    over = run(*command, str(big), "--max-file-size", "1")
    assert within.exit_code in (0, 1), within.output
    # the only file is over the limit: reported, and nothing was read: exit 3, never a green answer
    assert over.exit_code == 3, over.output
    assert "over the 1 MiB limit (--max-file-size)" in over.output


@pytest.mark.parametrize(
    "command",
    [
        ["scan", "--no-progress"],
        ["pss"],
        ["rbac", "who-can", "get", "secrets"],
        ["netpol", "matrix"],
        ["netpol", "generate", "default-deny"],
    ],
)
def test_jobs_option_and_environment_variable(tree, command):
    assert run(*command, str(tree), "--jobs", "2").exit_code in (0, 1)
    assert run(*command, str(tree), env={"KUBEGUARD_JOBS": "2"}).exit_code in (0, 1)
    bad = run(*command, str(tree), env={"KUBEGUARD_JOBS": "many"})
    assert bad.exit_code == 2 and "KUBEGUARD_JOBS" in bad.output


def test_help_of_every_reading_command_lists_the_same_input_options():
    commands = [
        ["scan"],
        ["pss"],
        ["rbac", "who-can"],
        ["rbac", "can"],
        ["rbac", "permissions"],
        ["rbac", "paths"],
        ["netpol", "reach"],
        ["netpol", "matrix"],
        ["netpol", "diff"],
        ["netpol", "generate", "default-deny"],
        ["netpol", "generate", "quarantine"],
    ]
    for command in commands:
        text = run(*command, "--help").output
        for option in ("--exclude", "--max-file-size", "--jobs", "--values", "--set", "--no-progress"):
            assert option in text, (command, option)
        assert "--output" in text, command


# --- nothing read is exit 2 (nothing found) or 3 (input failed), never 0 -------------------------


@pytest.mark.parametrize(
    "command",
    [
        ["scan", "--no-progress"],
        ["pss"],
        ["rbac", "who-can", "get", "secrets"],
        ["rbac", "paths"],
        ["netpol", "matrix"],
        ["netpol", "reach", "--from", "a/web", "--to", "a/db", "--port", "80"],
        ["netpol", "generate", "default-deny"],
    ],
)
def test_nothing_read_is_never_a_green_answer(tmp_path, command):
    empty = tmp_path / "empty"
    empty.mkdir()
    found_nothing = run(*command, str(empty))
    assert found_nothing.exit_code == 2, found_nothing.output
    assert "nothing to" in found_nothing.output
    unreadable = run(*command, str(tmp_path / "no-such-dir"))
    assert unreadable.exit_code == 3, unreadable.output
    assert "no such file or directory" in unreadable.output


def test_pss_without_workloads_is_nothing_to_evaluate(tmp_path):
    only_config = tmp_path / "cm.yaml"
    only_config.write_text(CONFIGMAP)
    result = run("pss", str(only_config))
    assert result.exit_code == 2 and "no workload" in result.output
    assert "0 of 0" not in result.output
    (tmp_path / "broken.yaml").write_text("kind: [\n")
    result = run("pss", str(only_config), str(tmp_path / "broken.yaml"))
    assert result.exit_code == 3, result.output


def test_a_pass_resting_on_unreadable_input_is_exit_3(tmp_path):
    good = tmp_path / "web.yaml"
    good.write_text(pod("web"))
    broken = tmp_path / "broken.yaml"
    broken.write_text("kind: [\n")
    assert run("pss", "-l", "baseline", str(good)).exit_code == 0
    assert run("pss", "-l", "baseline", str(good), str(broken)).exit_code == 3
    bad = tmp_path / "bad.yaml"
    bad.write_text(pod("bad", privileged="true"))
    assert run("pss", "-l", "baseline", str(bad), str(broken)).exit_code == 1  # a denial stands
    assert run("netpol", "matrix", str(good)).exit_code == 0
    assert run("netpol", "matrix", str(good), str(broken)).exit_code == 3


def test_netpol_diff_with_an_empty_side_is_nothing_to_compare(tmp_path):
    old = tmp_path / "old.yaml"
    old.write_text(pod("web"))
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run("netpol", "diff", str(old), str(old)).exit_code == 0
    assert run("netpol", "diff", str(old), str(empty)).exit_code == 2
    assert run("netpol", "diff", str(old), str(tmp_path / "missing")).exit_code == 3


# --- option consistency ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ["scan", "--no-progress"],
        ["pss"],
        ["rbac", "who-can", "get", "secrets"],
        ["netpol", "matrix"],
        ["node", "--root"],
    ],
)
def test_output_named_like_a_format_is_refused_with_a_hint(tree, tmp_path, monkeypatch, command):
    monkeypatch.chdir(tmp_path)
    result = run(*command, str(tree), "-o", "json")
    assert result.exit_code == 2
    assert "use -f json" in result.output and "-o ./json" in result.output
    assert not (tmp_path / "json").exists()


def test_output_path_spelled_as_a_path_is_written(tree, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("pss", "-l", "baseline", str(tree / "keep"), "-f", "json", "-o", "./json")
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "json").read_text())["allowed"] is True


def test_scan_namespace_filter_reports_only_that_namespace(tmp_path):
    path = tmp_path / "pods.yaml"
    path.write_text(pod("in-a", "a", "true") + "---\n" + pod("in-b", "b", "true"))
    report = json.loads(run("scan", "--no-progress", "-f", "json", "--select", "PSS002", str(path)).stdout)
    assert {f["resource"]["name"] for f in report["findings"]} == {"in-a", "in-b"}
    only_b = run("scan", "--no-progress", "-f", "json", "--select", "PSS002", "-n", "b", str(path))
    report = json.loads(only_b.stdout)
    assert {f["resource"]["name"] for f in report["findings"]} == {"in-b"}
    assert report["summary"]["resources"] == 1
    none = run("scan", "--no-progress", "--select", "PSS002", "-n", "c", str(path))
    assert none.exit_code == 2 and "no object in namespace(s) c" in none.output


def test_scan_namespace_filter_keeps_cross_resource_context(tmp_path):
    # the Namespace object of b belongs to b; its PSS labels still decide for b's pods, and a
    # cluster-wide binding elsewhere in the input still counts for RBAC rules
    path = tmp_path / "in.yaml"
    namespace = "apiVersion: v1\nkind: Namespace\nmetadata: {name: b}\n"
    path.write_text(pod("web", "b") + "---\n" + CONFIGMAP + "---\n" + namespace + "---\n" + ROLE_AND_BINDING)
    doc = json.loads(run("scan", "--no-progress", "-f", "json", "-n", "b", str(path)).stdout)
    assert doc["summary"]["resources"] == 2  # the pod and the Namespace b
    assert {f["resource"]["name"] for f in doc["findings"]} <= {"web", "b"}
    assert any(f["resource"]["kind"] == "Namespace" for f in doc["findings"])


def test_pss_namespace_filter(tmp_path):
    path = tmp_path / "pods.yaml"
    path.write_text(pod("ok", "a") + "---\n" + pod("priv", "b", "true"))
    assert run("pss", "--level", "baseline", str(path)).exit_code == 1
    only_a = run("pss", "--level", "baseline", "-n", "a", str(path))
    assert only_a.exit_code == 0 and "1 of 1 workload(s) allowed" in only_a.output
    assert run("pss", "--level", "baseline", "-n", "b", str(path)).exit_code == 1
    assert run("pss", "-n", "nowhere", str(path)).exit_code == 2


def test_pss_policy_version_and_the_old_spellings(tmp_path):
    path = tmp_path / "pod.yaml"
    path.write_text(pod("web"))
    new = run("pss", str(path), "--level", "baseline", "--policy-version", "v1.30", "-f", "json")
    assert new.exit_code == 0 and json.loads(new.stdout)["version"] == "v1.30"
    for old in ("-v", "--version"):
        result = run("pss", str(path), "--level", "baseline", old, "v1.30", "-f", "json")
        assert result.exit_code == 0 and json.loads(result.stdout)["version"] == "v1.30"
        assert "--policy-version" in result.stderr
    both = run("pss", str(path), "-v", "v1.29", "--policy-version", "v1.30")
    assert both.exit_code == 2
    assert "-v," not in run("pss", "--help").output


def test_netpol_reach_says_table_and_still_takes_text(tmp_path):
    path = tmp_path / "pods.yaml"
    path.write_text(pod("web") + "---\n" + pod("db"))
    args = ["netpol", "reach", str(path), "--from", "a/web", "--to", "a/db", "--port", "80"]
    table = run(*args, "-f", "table")
    assert table.exit_code == 0 and table.stdout.startswith("ALLOWED: a/web -> a/db")
    old = run(*args, "-f", "text")
    assert old.exit_code == 0 and old.stdout == table.stdout
    assert "--format table" in old.stderr
    assert "text" not in run("netpol", "reach", "--help").output.split("--format")[1].split("\n")[0]


def test_netpol_commands_write_to_output(tmp_path):
    path = tmp_path / "pods.yaml"
    path.write_text(pod("web") + "---\n" + pod("db"))
    out = tmp_path / "out"
    reach = ["reach", str(path), "--from", "a/web", "--to", "a/db", "--port", "80", "-f", "json"]
    cases = [
        (reach, lambda text: json.loads(text)["allowed"] is True),
        (["matrix", str(path), "-f", "json"], lambda text: len(json.loads(text)) > 0),
        (["matrix", str(path)], lambda text: "a/web" in text and "allowed" in text),
        (["diff", str(path), str(path), "-f", "json"], lambda text: json.loads(text) == []),
        (["generate", "default-deny", "-n", "a"], lambda text: "kind: NetworkPolicy" in text),
        (["generate", "quarantine", "a/web"], lambda text: "kind: NetworkPolicy" in text),
    ]
    for args, check in cases:
        if out.exists():
            out.unlink()
        result = run("netpol", *args, "-o", str(out))
        assert result.exit_code == 0, (args, result.output)
        assert result.stdout == "", args
        assert check(out.read_text()), args
