"""A store with a few scans, and ``kubeguard dashboard`` over it as a real server process."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from kubeguard.api import scan
from kubeguard.store import describe_source, open_store
from tests.browserkit import browser, browser_page
from tests.store.conftest import write_pods

__all__ = ["browser", "browser_page"]

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Dashboard:
    url: str  # http://127.0.0.1:PORT
    store: str
    shop: str  # the source key of scans 1 and 2
    odd: str  # the source key of scan 3: a folder name with markup in it


def _save(store_url: str, folder: Path) -> int:
    report = scan([str(folder)], config=None)
    with open_store(store_url) as store:
        return store.save(report, describe_source([str(folder)], report.options))


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dashboard]:
    """Scans 1 and 2 of one folder (pod a fixed, pod c added between them), scan 3 of another;
    the dashboard serving them on a free loopback port; stopped with SIGTERM at the end."""
    tmp = tmp_path_factory.mktemp("dash")
    store_url = f"sqlite:///{tmp / 'store.db'}"
    shop = tmp / "shop"
    assert _save(store_url, write_pods(shop, {"a": True, "b": True})) == 1
    assert _save(store_url, write_pods(shop, {"a": False, "b": True, "c": True}, namespace="shop")) == 2
    odd = tmp / "odd<b>folder</b>"
    write_pods(odd / "x", {"x": True}, namespace="web")
    assert _save(store_url, odd) == 3
    proc = subprocess.Popen(
        [sys.executable, "-m", "kubeguard", "dashboard", "--store", store_url, "--port", "0"],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stderr is not None
        line = proc.stderr.readline()  # blocks until the server listens (or the process dies)
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert found, line + proc.stderr.read()
        yield Dashboard(f"http://127.0.0.1:{found.group(1)}", store_url, str(shop), str(odd))
    finally:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        time.sleep(0)
