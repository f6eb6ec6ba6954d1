"""The netpol benchmark runs at a tiny size, and its generated inputs agree with the reference evaluator."""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path

import pytest

from kubeguard.analyzers.netpol.engine import Network
from tests.netpol.test_netpol_engine import _ref_reach

BENCH = Path(__file__).parents[2] / "benchmarks" / "bench_netpol.py"


def _bench():
    spec = importlib.util.spec_from_file_location("bench_netpol", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bench_runs_and_prints_throughput():
    out = io.StringIO()
    figures = _bench().run(40, 25, 4, 3, out=out)
    assert "pod-pair verdicts/s" in out.getvalue()
    assert figures["one_rate"] > 0


@pytest.mark.parametrize("seed", range(4))
def test_bench_inputs_agree_with_reference_evaluator(seed):
    inputs = _bench().build_inputs(30, 24, 3, seed)
    net = Network.from_resources(inputs)
    objs = [r.raw for r in inputs]
    pods = [o for o in objs if o["kind"] == "Pod"]
    assert not net.invalid
    allowed = 0
    for number, proto in sorted(
        {(p.number, p.protocol) for e in net.endpoints for p in e.ports} | {(8500, "TCP")}
    ):
        rows = net.pod_matrix(number, proto)
        allowed += sum(row.count(1) for row in rows)
        for i, src in enumerate(pods):
            for j, dst in enumerate(pods):
                if i != j:
                    assert bool(rows[i][j]) == _ref_reach(objs, src, dst, number, proto), (i, j, number)
    assert allowed  # not a trivially all-denied input
