"""Snapshots: ``kubeguard snapshot`` of the fake cluster scans exactly like the live cluster.

The snapshot is taken through the real client from the fake API server; scanning the file gives
the same findings (rule, object, field, location URI, message), the same errors for what was
forbidden and the same server version as the live scan. It holds no token and no Secret value.
"""

from __future__ import annotations

import base64
import gzip
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from kubeguard import api
from kubeguard.api import ClusterSource, LoadOptions
from kubeguard.cli.main import cli
from kubeguard.findings.report import Finding
from kubeguard.model.config import Config
from tests.cluster.fakeapi import TOKEN, FakeApiServer


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def full_key(f: Finding) -> tuple[Any, ...]:
    o = f.object
    return (
        f.rule.code,
        o.api_version,
        o.kind,
        o.namespace,
        o.name,
        f.pointer,
        f.key,
        f.message,
        f.file,
        f.line,
    )


def secret_values(objects: list[dict[str, Any]]) -> list[str]:
    """Every Secret value of the corpus (decoded and as written) long enough to be recognised."""
    out: list[str] = []
    for obj in objects:
        if obj["kind"] != "Secret":
            continue
        for field in ("data", "stringData"):
            for value in (obj.get(field) or {}).values():
                if not isinstance(value, str) or len(value) < 12:
                    continue
                out.append(value)
                if field == "data":
                    try:
                        decoded = base64.b64decode(value, validate=True).decode()
                    except ValueError:
                        continue
                    if len(decoded) >= 12:
                        out.append(decoded)
    return out


def test_snapshot_scans_exactly_like_the_live_cluster(
    corpus: list[dict[str, Any]], fake_api: Callable[..., FakeApiServer], tmp_path: Path
) -> None:
    server = fake_api(corpus, forbidden=["ingresses"])
    kubeconfig = server.write_kubeconfig(tmp_path / "kubeconfig")
    snapshot = tmp_path / "prod.kgsnap"
    taken = run("snapshot", "--kubeconfig", str(kubeconfig), "-o", str(snapshot))
    assert taken.exit_code == 3, taken.output  # written, but ingresses could not be listed
    assert "ingresses.networking.k8s.io: forbidden" in taken.stderr
    assert f"to {snapshot}" in taken.stderr
    live = api.scan(
        [], load_options=LoadOptions(cluster=ClusterSource(kubeconfig=str(kubeconfig))), config=Config()
    )
    requests = len(server.requests)
    offline = api.scan([str(snapshot)], config=Config())
    assert len(server.requests) == requests  # the snapshot is read without the server
    assert [full_key(f) for f in offline.findings] == [full_key(f) for f in live.findings]
    assert len(live.findings) > 1000
    assert [str(e) for e in offline.errors] == [str(e) for e in live.errors]
    assert offline.resources == live.resources
    assert {k: offline.options[k] for k in ("pss", "k8sVersion", "builtinRbac")} == {
        k: live.options[k] for k in ("pss", "k8sVersion", "builtinRbac")
    }
    assert offline.options["cluster"]["version"] == "v1.31.4"
    assert offline.options["cluster"]["source"] == str(snapshot)
    # ... and with a narrower selection, as a live scan with that selection
    live_pss = api.scan(
        [],
        select=["PSS"],
        load_options=LoadOptions(cluster=ClusterSource(kubeconfig=str(kubeconfig))),
        config=Config(),
    )
    offline_pss = api.scan([str(snapshot)], select=["PSS"], config=Config())
    assert [full_key(f) for f in offline_pss.findings] == [full_key(f) for f in live_pss.findings]


def test_snapshot_holds_no_token_and_no_secret_value(
    corpus: list[dict[str, Any]], fake_api: Callable[..., FakeApiServer], tmp_path: Path
) -> None:
    server = fake_api(corpus)
    kubeconfig = server.write_kubeconfig(tmp_path / "kubeconfig")
    snapshot = tmp_path / "s.kgsnap"
    assert run("snapshot", "--kubeconfig", str(kubeconfig), "-o", str(snapshot)).exit_code == 0
    text = gzip.decompress(snapshot.read_bytes()).decode()
    document = json.loads(text)
    assert document["kind"] == "KubeguardSnapshot" and document["schemaVersion"] == 1
    assert document["cluster"]["context"] == "fake-ctx"
    assert TOKEN not in text and TOKEN[-16:] not in text
    # values the fixtures also write outside Secrets (env values, ConfigMaps) are not Secret values here
    elsewhere = json.dumps([o for o in corpus if o["kind"] != "Secret"])
    values = [v for v in secret_values(corpus) if v not in elsewhere]
    assert len(values) > 10
    leaked = [v[:4] for v in values if v in text]
    assert not leaked
    secrets = [o for o in document["objects"] if o["kind"] == "Secret"]
    assert secrets and all(set((s.get("data") or {}).values()) <= {""} for s in secrets)
    assert not any(
        "managedFields" in o["metadata"] or "status" in o for o in document["objects"] if o["kind"] != "Node"
    )


def test_every_command_reads_a_snapshot(
    examples: list[dict[str, Any]], fake_api: Callable[..., FakeApiServer], tmp_path: Path
) -> None:
    server = fake_api(examples)
    snapshot = tmp_path / "s.kgsnap"
    kubeconfig = server.write_kubeconfig(tmp_path / "kubeconfig")
    assert run("snapshot", "--kubeconfig", str(kubeconfig), "-o", str(snapshot)).exit_code == 0
    flags = ["--cluster", "--kubeconfig", str(kubeconfig)]
    for args in (
        ["pss", "-f", "json"],
        ["rbac", "who-can", "delete", "pods", "-n", "shop"],
        ["rbac", "permissions", "sa:shop/default"],
        ["netpol", "matrix"],
    ):
        live = run(*args[:1], *args[1:], *flags)
        offline = run(*args, str(snapshot))
        assert offline.exit_code == live.exit_code, (args, offline.output)
        assert offline.stdout == live.stdout, args


def test_a_damaged_or_foreign_snapshot_is_an_input_error(tmp_path: Path) -> None:
    newer = tmp_path / "newer.kgsnap"
    newer.write_bytes(gzip.compress(json.dumps({"kind": "KubeguardSnapshot", "schemaVersion": 99}).encode()))
    result = run("scan", str(newer))
    assert result.exit_code == 3
    assert (
        "cannot read the snapshot: snapshot schema version 99; this kubeguard reads version 1"
        in result.output
    )
    other = tmp_path / "logs.gz"
    other.write_bytes(gzip.compress(b"just text"))
    result = run("scan", str(other))
    assert result.exit_code == 3 and "not JSON inside the gzip data" in result.output
    cut = tmp_path / "cut.kgsnap"
    cut.write_bytes(gzip.compress(b'{"kind": "KubeguardSnapshot"')[:20])
    result = run("scan", str(cut))
    assert result.exit_code == 3 and "cannot read the snapshot" in result.output
    assert "Traceback" not in result.output
