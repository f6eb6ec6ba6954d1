"""The store on SQLite and on a real PostgreSQL: what is saved is what is read back, diffs and trends
are right, migrations are versioned and safe under concurrency, a scan is written whole or not at all,
and no secret reaches the database."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from kubeguard.api import scan
from kubeguard.findings.report import ScanReport
from kubeguard.reporters.json_report import to_dict
from kubeguard.store import StoreError, describe_source, open_store
from kubeguard.store import store as store_module
from kubeguard.store.migrate import LATEST
from kubeguard.store.schema import findings as findings_table
from kubeguard.store.schema import scans as scans_table
from kubeguard.store.schema import schema_version
from tests.store.conftest import write_pods

ROOT = Path(__file__).resolve().parents[2]
PRIVILEGED = "PSS002"


def _scan(folder: Path) -> ScanReport:
    return scan([str(folder)], config=None)


def _count(url: str, table: sa.Table) -> int:
    store = open_store(url)
    try:
        with store.engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar() or 0)
    finally:
        store.close()


def test_saved_scan_reads_back_as_the_json_report(store_url: str, tmp_path: Path) -> None:
    folder = write_pods(tmp_path / "m", {"a": True, "b": False})
    report = _scan(folder)
    assert report.findings
    with open_store(store_url) as store:
        scan_id = store.save(
            report, describe_source([str(folder)], report.options), seconds=1.5, scores={"cis": 61.5}
        )
        record = store.scan(scan_id)
        assert record is not None
        assert record.summary == report.summary()
        assert record.options == report.options
        assert record.source["key"] == str(folder)
        assert record.source["paths"] == [str(folder)]
        assert record.timing == {"seconds": 1.5}
        assert record.scores == {"cis": 61.5}
        assert store.findings(scan_id) == to_dict(report)["findings"]
        assert [s.id for s in store.scans()] == [scan_id]
        assert store.scan(scan_id + 1) is None


def test_framework_scores_are_stored_by_default(store_url: str, tmp_path: Path) -> None:
    from kubeguard.findings.compliance import assess_all

    folder = write_pods(tmp_path / "m", {"a": True, "b": False})
    report = _scan(folder)
    expected = {a.framework.id: a.score for a in assess_all(report)}
    assert expected and any(v is not None for v in expected.values())
    with open_store(store_url) as store:
        scan_id = store.save(report, describe_source([str(folder)], report.options))
        record = store.scan(scan_id)
        assert record is not None and record.scores == expected
        assert store.trend()[str(folder)][0].scores == expected


def test_filters_by_severity_rule_and_namespace(store_url: str, tmp_path: Path) -> None:
    shop = write_pods(tmp_path / "m" / "shop", {"a": True}, namespace="shop")
    write_pods(tmp_path / "m" / "web", {"w": True}, namespace="web")
    report = _scan(shop.parent)
    all_findings = to_dict(report)["findings"]
    with open_store(store_url) as store:
        scan_id = store.save(report, describe_source([str(shop.parent)], report.options))
        only_rule = store.findings(scan_id, rule=[PRIVILEGED])
        assert {(f["rule"], f["resource"]["name"]) for f in only_rule} == {
            (PRIVILEGED, "a"),
            (PRIVILEGED, "w"),
        }
        web = store.findings(scan_id, namespace=["web"])
        assert web == [f for f in all_findings if f["resource"]["namespace"] == "web"]
        assert web and len(web) < len(all_findings)
        high = store.findings(scan_id, severity=["HIGH"])
        assert high == [f for f in all_findings if f["severity"] == "high"]
        assert store.findings(scan_id, severity=["critical"], rule=[PRIVILEGED], namespace=["shop"]) == [
            f for f in only_rule if f["resource"]["name"] == "a"
        ]
        facets = store.facets(scan_id)
        assert facets["namespace"] == ["shop", "web"]
        assert PRIVILEGED in facets["rule"]


def test_filtered_pages_are_the_report_in_order(store_url: str, tmp_path: Path) -> None:
    folder = write_pods(tmp_path / "m", {f"p{i}": i % 2 == 0 for i in range(7)})
    report = _scan(folder)
    expected = to_dict(report)["findings"]
    by_severity = [f for f in expected if f["severity"] in ("critical", "high")]
    assert 3 < len(by_severity) < len(expected)
    with open_store(store_url) as store:
        scan_id = store.save(report, describe_source([str(folder)], report.options))
        for wanted, filters in ((expected, {}), (by_severity, {"severity": ["critical", "HIGH"]})):
            assert store.count_findings(scan_id, **filters) == len(wanted)
            pages = [
                store.findings(scan_id, **filters, limit=3, offset=start)
                for start in range(0, len(wanted), 3)
            ]
            assert [len(page) for page in pages[:-1]] == [3] * (len(pages) - 1)
            assert [f for page in pages for f in page] == wanted
            assert store.findings(scan_id, **filters, limit=3, offset=len(wanted)) == []
        privileged = [f for f in expected if f["rule"] == PRIVILEGED]
        assert store.findings(scan_id, rule=[PRIVILEGED], limit=2, offset=1) == privileged[1:3]
        assert store.facets(scan_id) == {
            "severity": sorted({f["severity"] for f in expected}),
            "rule": sorted({f["rule"] for f in expected}),
            "namespace": ["shop"],
        }


def test_diff_by_fingerprint(store_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "m"
    first = _scan(write_pods(folder, {"a": True, "b": True}))
    second = _scan(write_pods(folder, {"a": False, "b": True, "c": True}))
    with open_store(store_url) as store:
        source = describe_source([str(folder)], first.options)
        one = store.save(first, source)
        two = store.save(second, source)
        diff = store.diff(one, two)
    assert {f["resource"]["name"] for f in diff.new} == {"c"}
    assert [(f["rule"], f["resource"]["name"]) for f in diff.fixed] == [(PRIVILEGED, "a")]
    # b's findings and a's findings other than privileged are the same in both scans
    b_findings = [f for f in second.findings if f.object.name == "b"]
    a_kept = [f for f in second.findings if f.object.name == "a"]
    assert diff.unchanged == len(b_findings) + len(a_kept)
    new_expected = [f.to_dict() for f in second.findings if f.object.name == "c"]
    assert diff.new == new_expected
    assert diff.to_dict().keys() == {"new", "fixed", "unchanged"}


def test_diff_of_a_missing_scan_is_an_error(store_url: str) -> None:
    with open_store(store_url) as store, pytest.raises(StoreError, match="no scan 7"):
        store.diff(7, 8)


def test_trend_per_source_oldest_first(store_url: str, tmp_path: Path) -> None:
    one = tmp_path / "one"
    two = tmp_path / "two"
    r1 = _scan(write_pods(one, {"a": True}))
    r2 = _scan(write_pods(two, {"a": True, "b": True}))
    with open_store(store_url) as store:
        s1 = store.save(r1, describe_source([str(one)], r1.options), scores={"pss": 10.0})
        s2 = store.save(r2, describe_source([str(two)], r2.options))
        r3 = _scan(write_pods(one, {"a": False}))
        s3 = store.save(r3, describe_source([str(one)], r3.options), scores={"pss": 90.0})
        trend = store.trend()
        assert list(trend) == sorted([str(one), str(two)])
        assert [p.scan for p in trend[str(one)]] == [s1, s3]
        assert [p.scores for p in trend[str(one)]] == [{"pss": 10.0}, {"pss": 90.0}]
        assert trend[str(one)][0].by_severity == r1.summary()["bySeverity"]
        assert trend[str(one)][1].findings == r3.summary()["findings"] < r1.summary()["findings"]
        assert [p.scan for p in trend[str(two)]] == [s2]
        assert {r.id for r in store.latest_per_source()} == {s2, s3}
        assert list(store.trend(source=str(two))) == [str(two)]
        # the same object (shop/a) is privileged in scans 1 and 2 (of two folders), no longer in 3
        privileged = next(f for f in r1.findings if f.rule.code == PRIVILEGED)
        assert [r.id for r in store.finding_history(privileged.fingerprint)] == [s2, s1]


def test_migrations_are_versioned_and_idempotent(store_url: str) -> None:
    open_store(store_url).close()
    store = open_store(store_url)
    with store.engine.connect() as conn:
        versions = conn.execute(sa.select(schema_version.c.version)).scalars().all()
    store.close()
    assert versions == list(range(1, LATEST + 1))


def test_a_newer_schema_is_refused(store_url: str) -> None:
    store = open_store(store_url)
    with store.engine.connect().execution_options(immediate=True) as conn, conn.begin():
        conn.execute(sa.insert(schema_version).values(version=LATEST + 1, applied="later"))
    store.close()
    with pytest.raises(StoreError, match=f"schema is version {LATEST + 1}, newer"):
        open_store(store_url)


def test_an_error_mid_write_leaves_no_scan(
    store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_pods(tmp_path / "m", {"a": True, "b": True})
    report = _scan(folder)
    assert len(report.findings) > 4
    monkeypatch.setattr(store_module, "BATCH", 2)
    real = store_module._insert
    batches = []

    def failing(conn: sa.Connection, rows: list[dict[str, object]]) -> None:
        batches.append(len(rows))
        if len(batches) == 2:
            raise RuntimeError("disk on fire")
        real(conn, rows)

    with open_store(store_url) as store:
        monkeypatch.setattr(store_module, "_insert", failing)
        with pytest.raises(RuntimeError, match="disk on fire"):
            store.save(report, describe_source([str(folder)], report.options))
        monkeypatch.setattr(store_module, "_insert", real)
        assert batches == [2, 2]  # one batch was inserted before the failure
        assert store.scans() == []
    assert _count(store_url, findings_table) == 0
    assert _count(store_url, scans_table) == 0


def _proc(url: str, mode: str, folder: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.store.writer_proc", url, mode, str(folder), *extra],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_a_writer_killed_mid_write_leaves_no_scan(store_url: str, tmp_path: Path) -> None:
    folder = write_pods(tmp_path / "m", {"a": True, "b": True})
    open_store(store_url).close()
    marker = tmp_path / "marker"
    proc = _proc(store_url, "hang", folder, str(marker))
    try:
        for _ in range(1200):  # the child scans and writes; bounded wait, not a speed limit
            if marker.exists() or proc.poll() is not None:
                break
            time.sleep(0.05)
        assert marker.exists(), proc.stderr.read() if proc.stderr and proc.poll() is not None else "no marker"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait(timeout=30)
    assert _count(store_url, scans_table) == 0
    assert _count(store_url, findings_table) == 0
    report = _scan(folder)  # the store is still usable: the next scan is written whole
    with open_store(store_url) as store:
        scan_id = store.save(report, describe_source([str(folder)], report.options))
        assert len(store.findings(scan_id)) == len(report.findings)


def test_concurrent_writers_both_land_whole_on_a_new_store(store_url: str, tmp_path: Path) -> None:
    """Two scanners start at once on a store that does not exist yet: both migrate, both store."""
    one = write_pods(tmp_path / "one", {"a": True, "b": True})
    two = write_pods(tmp_path / "two", {"c": True, "d": False, "e": True})
    procs = [_proc(store_url, "save", one), _proc(store_url, "save", two)]
    outs = [p.communicate(timeout=300) for p in procs]
    for p, (_out, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, err
    expected = {str(one): len(_scan(one).findings), str(two): len(_scan(two).findings)}
    with open_store(store_url) as store:
        stored = {r.source_key: len(store.findings(r.id)) for r in store.scans()}
        with store.engine.connect() as conn:
            versions = conn.execute(sa.select(schema_version.c.version)).scalars().all()
    assert stored == expected
    assert versions == list(range(1, LATEST + 1))


def test_concurrent_migrations_apply_once(store_url: str, tmp_path: Path) -> None:
    procs = [_proc(store_url, "open", tmp_path) for _ in range(4)]
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    with open_store(store_url) as store, store.engine.connect() as conn:
        versions = conn.execute(sa.select(schema_version.c.version)).scalars().all()
    assert versions == list(range(1, LATEST + 1))


def test_no_secret_reaches_the_store(store_url: str, tmp_path: Path) -> None:
    from tests.secrets.test_secrets_canary import _assert_clean, _manifests

    folder = tmp_path / "manifests"
    folder.mkdir()
    for name, text in _manifests().items():
        (folder / name).write_text(text, encoding="utf-8")
    report = _scan(folder)
    assert report.findings
    with open_store(store_url) as store:
        store.save(report, describe_source([str(folder)], report.options))
        dumped = []
        with store.engine.connect() as conn:
            for table in (scans_table, findings_table):
                for row in conn.execute(sa.select(table)):
                    dumped.append(repr(tuple(row)))
    assert any(PRIVILEGED in d or "SEC" in d for d in dumped)
    _assert_clean("store rows", "\n".join(dumped))
    if store_url.startswith("sqlite"):
        db = Path(store_url.removeprefix("sqlite:///"))
        raw = b"".join(p.read_bytes() for p in db.parent.glob(db.name + "*"))
        _assert_clean("SQLite files", raw.decode("utf-8", errors="replace"))
