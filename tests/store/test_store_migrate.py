"""Migrations on stores that already hold scans: a store of schema 1 (before the scan index) is
brought to the latest schema when it is opened, by several processes at once, and reads the same;
and the dashboard's queries on a scan read the scan index, not the findings' rows."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from kubeguard.api import scan
from kubeguard.reporters.json_report import to_dict
from kubeguard.store import Store, StoreError, describe_source, open_store
from kubeguard.store.migrate import LATEST
from kubeguard.store.schema import findings_scan_index, schema_version
from tests import pgkit
from tests.store.conftest import write_pods

ROOT = Path(__file__).resolve().parents[2]
FINDINGS = "kubeguard_findings"


def _indexes(store: Store) -> dict[str, list[str]]:
    with store.engine.connect() as conn:
        return {ix["name"]: list(ix["column_names"]) for ix in sa.inspect(conn).get_indexes(FINDINGS)}


def _as_schema_1(store: Store) -> None:
    """Make a store what migration 1 left (its tables and the fingerprint index, version 1 only):
    migration 2 adds the scan index and nothing else."""
    with store.engine.connect().execution_options(immediate=True) as conn, conn.begin():
        conn.execute(sa.text(f"DROP INDEX {findings_scan_index.name}"))
        conn.execute(sa.delete(schema_version).where(schema_version.c.version > 1))


def _versions(store: Store) -> list[int]:
    with store.engine.connect() as conn:
        return list(
            conn.execute(sa.select(schema_version.c.version).order_by(schema_version.c.version)).scalars()
        )


def test_a_store_of_schema_1_is_migrated_on_open_and_reads_the_same(store_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "m"
    first = scan([str(write_pods(folder, {"a": True, "b": False, "c": True}))], config=None)
    second = scan([str(write_pods(folder, {"a": False, "b": False, "c": True, "d": True}))], config=None)
    with open_store(store_url) as store:
        source = describe_source([str(folder)], first.options)
        one, two = store.save(first, source), store.save(second, source)
        _as_schema_1(store)
        assert _indexes(store) == {"ix_kubeguard_findings_fingerprint": ["fingerprint", "scan_id"]}
        assert _versions(store) == [1]
    # three processes open the old store at once: one migrates, the others wait and find it current
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.store.writer_proc", store_url, "open", str(tmp_path)],
            cwd=ROOT,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    expected = to_dict(second)["findings"]
    high = [f for f in expected if f["severity"] == "high"]
    with open_store(store_url) as store:
        assert _versions(store) == list(range(1, LATEST + 1))
        assert _indexes(store)[findings_scan_index.name] == [c.name for c in findings_scan_index.columns]
        assert store.findings(two) == expected
        assert store.count_findings(two, severity=["high"]) == len(high)
        assert store.findings(two, severity=["high"], limit=2, offset=1) == high[1:3]
        assert store.facets(two)["namespace"] == ["shop"]
        diff = store.diff(one, two)
        assert {f["resource"]["name"] for f in diff.new} == {"d"}
        assert {f["resource"]["name"] for f in diff.fixed} == {"a"}


def test_scan_page_queries_read_the_scan_index_not_the_rows(tmp_path: Path) -> None:
    """SQLite's plans (EXPLAIN QUERY PLAN): counting, filter choices, a filtered page's places and a
    diff's fingerprints read only the scan index; the JSON is read for the page's rows only, by key."""
    folder = write_pods(tmp_path / "m", {"a": True, "b": False})
    report = scan([str(folder)], config=None)
    statements: list[tuple[str, Any]] = []
    with open_store(f"sqlite:///{tmp_path / 'store.db'}") as store:
        scan_id = store.save(report, describe_source([str(folder)], report.options))
        other = store.save(report, describe_source([str(folder)], report.options))

        @sa.event.listens_for(store.engine, "before_cursor_execute")
        def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
            if FINDINGS in statement and not statement.startswith("EXPLAIN"):
                statements.append((statement, parameters))

        store.count_findings(scan_id, severity=["high"], rule=["PSS002"], namespace=["shop", ""])
        store.facets(scan_id)
        store.findings(scan_id, severity=["high"], namespace=["shop"], suppressed=False, limit=2, offset=1)
        store.diff(scan_id, other)
        assert len(statements) >= 5
        with store.engine.connect() as conn:
            for statement, parameters in statements:
                plan = [row[3] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)]
                reads = [step for step in plan if FINDINGS in step]
                assert reads, (statement, plan)
                for step in reads:
                    by_key = "(scan_id=? AND seq=?)" in step  # a page's rows, or a diff's, by their place
                    assert by_key or f"COVERING INDEX {findings_scan_index.name}" in step, (statement, plan)


def test_a_user_who_cannot_migrate_is_told_what_to_do(pg_server: pgkit.PostgresServer) -> None:
    """A dashboard's read-only user on a store of an older schema: a clear error naming the versions
    and the remedy; after the owner opened it once, the same user reads it."""
    url = pg_server.create_database()
    with open_store(url) as store:
        _as_schema_1(store)
        with store.engine.connect() as conn, conn.begin():
            conn.execute(sa.text("CREATE ROLE kg_reader LOGIN"))
            conn.execute(sa.text("GRANT SELECT ON ALL TABLES IN SCHEMA public TO kg_reader"))
    reader = url.replace("postgresql://kubeguard@", "postgresql://kg_reader@")
    with pytest.raises(
        StoreError,
        match=r"schema is version 1 and this kubeguard needs \d+, but migrating it failed: .*owner",
    ):
        open_store(reader)
    open_store(url).close()
    with open_store(reader) as store:
        assert store.scans() == []
