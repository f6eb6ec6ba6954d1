"""The RBAC benchmark runs end to end at a tiny size (figures are not checked here)."""

from __future__ import annotations

import importlib.util
from pathlib import Path


def test_bench_rbac_smoke(capsys):
    path = Path(__file__).parents[2] / "benchmarks" / "bench_rbac.py"
    spec = importlib.util.spec_from_file_location("bench_rbac", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--objects", "200", "--namespaces", "5", "--queries", "5"]) == 0
    out = capsys.readouterr().out
    for word in ("load:", "who-can:", "escalation graph:"):
        assert word in out
