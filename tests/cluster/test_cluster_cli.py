"""``--cluster`` on every command that reads input, its exit codes, and what it never prints.

The commands run in-process against the fake API server through the real client. A cluster that
cannot be read (nothing listening, a certificate the kubeconfig's CA did not sign, a refused token,
an unknown context) is one line on stderr and exit 2, never a traceback. The bearer token appears
in no output of any format, nor on stderr.
"""

from __future__ import annotations

import json
import re
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from kubeguard.cli.common import PLUGIN_ENV
from kubeguard.cli.main import cli
from kubeguard.serve.certs import make_ca
from tests.cluster.fakeapi import TOKEN, FakeApiServer


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def assert_one_line_error(result: Result, *words: str) -> None:
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: cannot read the cluster: "), result.stderr
    assert "Traceback" not in result.output
    for word in words:
        assert word in lines[0]
    assert TOKEN not in result.output and TOKEN[:12] not in result.stderr


@pytest.fixture
def kubeconfig(
    examples: list[dict[str, Any]], fake_api: Callable[..., FakeApiServer], tmp_path: Path
) -> tuple[FakeApiServer, Path]:
    server = fake_api(examples, forbidden=["secrets"])
    return server, server.write_kubeconfig(tmp_path / "kubeconfig")


def test_scan_cluster_in_every_format_never_shows_the_token(
    kubeconfig: tuple[FakeApiServer, Path], tmp_path: Path
) -> None:
    server, path = kubeconfig
    outputs: list[str] = []
    for fmt in ("table", "json", "sarif", "junit"):
        result = run("scan", "--cluster", "--kubeconfig", str(path), "-f", fmt)
        assert result.exit_code == 1, result.output  # findings, and secrets were forbidden
        outputs += [result.stdout, result.stderr]
        written = tmp_path / f"out.{fmt}"
        result = run("scan", "--cluster", "--kubeconfig", str(path), "-f", fmt, "-o", str(written))
        outputs.append(written.read_text(encoding="utf-8"))
    for text in outputs:
        assert TOKEN not in text and TOKEN[-16:] not in text
    doc = json.loads(run("scan", "--cluster", "--kubeconfig", str(path), "-f", "json").stdout)
    assert doc["errors"][0]["message"].startswith("secrets: forbidden")
    assert doc["options"]["cluster"]["context"] == "fake-ctx"
    assert all(f["file"].startswith("k8s://fake-ctx/") for f in doc["findings"])
    sarif = json.loads(run("scan", "--cluster", "--kubeconfig", str(path), "-f", "sarif").stdout)
    uris = {
        loc["physicalLocation"]["artifactLocation"]["uri"]
        for r in sarif["runs"][0]["results"]
        for loc in r["locations"]
    }
    assert uris and all(u.startswith("k8s://fake-ctx/") for u in uris)
    assert server.requests  # the scans went through the server


def test_forbidden_input_without_findings_at_the_threshold_exits_3(
    kubeconfig: tuple[FakeApiServer, Path],
) -> None:
    _, path = kubeconfig
    result = run("scan", "--cluster", "--kubeconfig", str(path), "--fail-on", "critical")
    assert result.exit_code == 3, result.output
    assert "secrets: forbidden (cannot list)" in result.output


def test_dead_server_exits_2_with_one_line(examples: list[dict[str, Any]], tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = FakeApiServer(examples)  # never started: only its CA and token are used
    path = server.write_kubeconfig(tmp_path / "kubeconfig", server=f"https://127.0.0.1:{port}")
    assert_one_line_error(
        run("scan", "--cluster", "--kubeconfig", str(path)), f"https://127.0.0.1:{port}", "connection refused"
    )


def test_certificate_from_another_ca_exits_2(kubeconfig: tuple[FakeApiServer, Path], tmp_path: Path) -> None:
    server, _ = kubeconfig
    other = server.write_kubeconfig(tmp_path / "other", ca_pem=make_ca("another-ca").cert_pem)
    assert_one_line_error(run("scan", "--cluster", "--kubeconfig", str(other)), server.url, "certificate")


def test_refused_credentials_exit_2(kubeconfig: tuple[FakeApiServer, Path], tmp_path: Path) -> None:
    server, _ = kubeconfig
    wrong = server.write_kubeconfig(tmp_path / "wrong", token="not-the-token-0123456789")
    result = run("pss", "--cluster", "--kubeconfig", str(wrong))
    assert_one_line_error(result, server.url, "401 Unauthorized", "'fake-ctx'")
    assert "not-the-token" not in result.output


def test_bad_kubeconfig_and_context_exit_2(kubeconfig: tuple[FakeApiServer, Path], tmp_path: Path) -> None:
    _, path = kubeconfig
    assert_one_line_error(
        run("scan", "--cluster", "--kubeconfig", str(path), "--context", "prod"),
        "no context 'prod'",
        "fake-ctx",
    )
    assert_one_line_error(run("scan", "--cluster", "--kubeconfig", str(tmp_path / "missing")), "kubeconfig")
    result = run("scan", "examples", "--context", "prod")
    assert result.exit_code == 2 and "add --cluster" in result.stderr


def test_every_reading_command_takes_the_cluster(kubeconfig: tuple[FakeApiServer, Path]) -> None:
    server, path = kubeconfig
    flags = ["--cluster", "--kubeconfig", str(path)]
    before = len(server.requests)
    pss = run("pss", *flags, "-f", "json")
    assert pss.exit_code == 0, pss.output  # pss never lists the forbidden Secrets
    assert json.loads(pss.stdout)["workloads"]
    assert not any("secrets" in r for r in server.requests[before:])
    who = run("rbac", "who-can", "delete", "pods", "-n", "shop", *flags)
    assert "ServiceAccount shop/default" in who.stdout or "sa:shop/default" in who.stdout, who.output
    can = run("rbac", "can", "sa:shop/default", "delete", "pods", "-n", "shop", *flags)
    assert can.exit_code in (0, 3) and "yes" in can.stdout.lower(), can.output
    perms = run("rbac", "permissions", "sa:shop/default", *flags)
    assert perms.exit_code in (0, 3) and "shop" in perms.stdout
    paths = run("rbac", "paths", *flags)
    assert paths.exit_code in (0, 1, 3) and "Traceback" not in paths.output
    matrix = run("netpol", "matrix", *flags)
    assert "shop/web" in matrix.stdout, matrix.output
    reach = run("netpol", "reach", "--from", "shop/web", "--to", "shop/web", "--port", "8080", *flags)
    assert reach.exit_code in (0, 1, 3) and "shop/web" in reach.stdout, reach.output
    # rbac reads roles, bindings and service accounts; it never lists pods
    assert not any(r.startswith("/api/v1/pods?") for r in server.requests if "rbac" in r)


def test_kubectl_plugin_reads_the_cluster_without_a_path(
    kubeconfig: tuple[FakeApiServer, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, path = kubeconfig
    monkeypatch.setenv(PLUGIN_ENV, "1")
    result = run("scan", "--kubeconfig", str(path), "-n", "shop", "-f", "json")
    assert result.exit_code == 1, result.output
    doc = json.loads(result.stdout)
    assert doc["options"]["cluster"]["namespaces"] == ["shop"]
    assert doc["findings"] and all(f["resource"]["namespace"] in ("shop", None) for f in doc["findings"])
    monkeypatch.setenv("KUBECONFIG", str(path))
    assert run("scan", "-f", "json").exit_code == 1  # KUBECONFIG, as kubectl reads it


def test_table_says_which_cluster_was_read_and_what_it_gave(
    kubeconfig: tuple[FakeApiServer, Path], tmp_path: Path
) -> None:
    server, path = kubeconfig
    flags = ["--cluster", "--kubeconfig", str(path)]
    cluster = json.loads(run("scan", *flags, "-f", "json").stdout)["options"]["cluster"]
    assert cluster["available"]
    snapshot = tmp_path / "c.kgsnap"
    assert run("snapshot", "--kubeconfig", str(path), "-o", str(snapshot)).exit_code == 3  # secrets
    for args, head in (
        (["scan", *flags], f"Read cluster context fake-ctx ({server.url}, v1.31.4) at "),
        (["compliance", *flags, "--framework", "pss"], "Read cluster context fake-ctx ("),
        (["scan", str(snapshot)], f"Read snapshot {snapshot} of context fake-ctx ("),
    ):
        out = run(*args).stdout
        assert head in out, out[-2000:]
        section = out.split(head, 1)[1]
        for key, value in cluster["available"].items():  # every source, on its own line
            assert re.search(rf"^  {key} +{re.escape(value)}$", section, re.M), (key, section[:1500])
    files = run("scan", str(Path(__file__).parents[2] / "examples" / "insecure")).stdout
    assert "Read cluster" not in files and "Read snapshot" not in files
