"""Prometheus text exposition of counters and histograms, and their sum over worker processes."""

from __future__ import annotations

import os

import pytest

from kubeguard.serve.metrics import Counter, Metrics, SharedSlots


def test_exposition_format() -> None:
    metrics = Metrics()
    plain = metrics.counter("x_total", "Plain count.")
    reviews = metrics.counter("reviews_total", 'Reviews by "decision".', ("decision",))
    latency = metrics.histogram("latency_seconds", "Latency.", buckets=(0.01, 0.1))
    reviews.inc(decision="allow")
    reviews.inc(2, decision='de"ny\\')
    latency.observe(0.05)
    latency.observe(0.005)
    assert metrics.render() == (
        "# HELP x_total Plain count.\n"
        "# TYPE x_total counter\n"
        "x_total 0\n"
        '# HELP reviews_total Reviews by "decision".\n'
        "# TYPE reviews_total counter\n"
        'reviews_total{decision="allow"} 1\n'
        'reviews_total{decision="de\\"ny\\\\"} 2\n'
        "# HELP latency_seconds Latency.\n"
        "# TYPE latency_seconds histogram\n"
        'latency_seconds_bucket{le="0.01"} 1\n'
        'latency_seconds_bucket{le="0.1"} 2\n'
        'latency_seconds_bucket{le="+Inf"} 2\n'
        "latency_seconds_sum 0.055\n"
        "latency_seconds_count 2\n"
    )
    plain.inc()
    assert "x_total 1\n" in metrics.render()


def test_wrong_labels_and_negative_increments_are_refused() -> None:
    metrics = Metrics()
    reviews = metrics.counter("reviews_total", "Reviews.", ("decision",))
    with pytest.raises(ValueError, match="takes the labels"):
        reviews.inc(verdict="allow")
    with pytest.raises(ValueError, match="only goes up"):
        reviews.inc(-1, decision="allow")
    with pytest.raises(ValueError, match="already defined"):
        metrics.counter("reviews_total", "Again.")


def _worker_metrics() -> tuple[Metrics, Counter]:
    metrics = Metrics()
    return metrics, metrics.counter("hits_total", "Hits.", ("path",))


def test_workers_publish_into_slots_and_a_scrape_sums_them() -> None:
    slots = SharedSlots(2, slot_size=4096)
    pid = os.fork()
    if pid == 0:  # the other worker: counts 3 hits and publishes them
        try:
            metrics, hits = _worker_metrics()
            metrics.share(slots, 1)
            for _ in range(3):
                hits.inc(path="/a")
            metrics.publish()
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
    metrics, hits = _worker_metrics()
    metrics.share(slots, 0)
    hits.inc(path="/a")
    hits.inc(path="/b")
    rendered = metrics.render()
    assert 'hits_total{path="/a"} 4\n' in rendered
    assert 'hits_total{path="/b"} 1\n' in rendered
    # a worker replacing the one of slot 1 continues from its counts
    again, hits_again = _worker_metrics()
    again.share(slots, 1)
    hits_again.inc(path="/a")
    again.publish()
    assert 'hits_total{path="/a"} 5\n' in metrics.render()


def test_a_snapshot_too_large_for_its_slot_is_not_written() -> None:
    slots = SharedSlots(1, slot_size=64)
    assert slots.write(0, b"x" * 10)
    assert not slots.write(0, b"x" * 100)
    assert slots.read(0) == b"x" * 10
