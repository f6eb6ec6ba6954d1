"""The benchmark runs end to end on a tiny corpus (no timing asserted)."""

from __future__ import annotations

import importlib.util
from pathlib import Path


def test_bench_pss_runs(capsys):
    path = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_pss.py"
    spec = importlib.util.spec_from_file_location("bench_pss", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main(["--pods", "25", "--repeat", "1"])
    out = capsys.readouterr().out
    assert "pods:                        25 (20 not allowed at restricted:latest)" in out
    assert "(parse+evaluate)/parse:" in out and "evaluate/parse:" in out
