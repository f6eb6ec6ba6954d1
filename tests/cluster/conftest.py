"""Fixtures for the live-cluster tests: the corpus a fake API server holds, and servers that stop
at the end of each test."""

from __future__ import annotations

import glob
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from kubeguard.api import load_inputs
from tests.cluster.fakeapi import FakeApiServer, cluster_objects

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def corpus() -> list[dict[str, Any]]:
    """Real manifests as a cluster would hold them: the examples and every rule fixture."""
    paths = [
        str(ROOT / "examples"),
        *sorted(
            p for p in glob.glob(str(ROOT / "tests/checks/*/*/*.yaml")) if not p.endswith(".options.yaml")
        ),
    ]
    return cluster_objects(load_inputs(paths).resources)


@pytest.fixture(scope="session")
def examples() -> list[dict[str, Any]]:
    return cluster_objects(load_inputs([str(ROOT / "examples")]).resources)


@pytest.fixture
def fake_api() -> Iterator[Callable[..., FakeApiServer]]:
    """``fake_api(objects, **options)``: a started FakeApiServer, stopped after the test."""
    started: list[FakeApiServer] = []

    def start(objects: list[dict[str, Any]], **options: Any) -> FakeApiServer:
        server = FakeApiServer(objects, **options)
        server.start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def write_objects(objects: list[dict[str, Any]], folder: Path) -> Path:
    """Each object as a JSON file of its own, named in order, in ``folder`` (one view)."""
    folder.mkdir(parents=True, exist_ok=True)
    for i, obj in enumerate(objects):
        (folder / f"{i:05d}.json").write_text(json.dumps(obj), encoding="utf-8")
    return folder
