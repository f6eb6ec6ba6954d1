"""Fixtures of the store tests: every store test runs against SQLite and a real PostgreSQL."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import pgkit


@pytest.fixture(scope="session")
def pg_server() -> Iterator[pgkit.PostgresServer]:
    """One throwaway PostgreSQL server per test session (per xdist worker)."""
    try:
        server = pgkit.start()
    except pgkit.PostgresUnavailable as exc:
        if os.environ.get("KUBEGUARD_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"{exc} (KUBEGUARD_REQUIRE_POSTGRES=1)", pytrace=False)
        pytest.skip(str(exc))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL of a new, empty store: a SQLite file, or a fresh database on the test PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    server: pgkit.PostgresServer = request.getfixturevalue("pg_server")
    return server.create_database()


POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: {name}
  namespace: {namespace}
spec:
  containers:
  - name: app
    image: registry.example/app@sha256:{digest}
    securityContext:
      privileged: {privileged}
"""


def write_pods(folder: Path, pods: dict[str, bool], namespace: str = "shop") -> Path:
    """A folder with one Pod per name (privileged or not); returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.yaml"):
        old.unlink()
    for name, privileged in pods.items():
        text = POD.format(name=name, namespace=namespace, digest="a" * 64, privileged=str(privileged).lower())
        (folder / f"{name}.yaml").write_text(textwrap.dedent(text))
    return folder
