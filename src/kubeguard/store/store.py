"""The store itself: save a scan in one transaction; list, show, diff and trend stored scans."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from kubeguard._version import __version__
from kubeguard.findings.compliance import assess_all
from kubeguard.findings.report import ScanReport
from kubeguard.store import schema
from kubeguard.store.migrate import migrate
from kubeguard.store.records import Diff, ScanRecord, TrendPoint
from kubeguard.store.source import ScanSource
from kubeguard.store.url import StoreError, create_engine, engine_url, shown

#: Rows per INSERT batch: large enough to amortise round trips, small enough to bound memory.
BATCH = 5000


def _dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


_COLUMNS = ("scan_id", "seq", "fingerprint", "rule", "severity", "namespace", "suppressed", "data")


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class Store:
    """An open store. Use :func:`open_store`; close it (or use it as a context manager) when done."""

    def __init__(self, url: str) -> None:
        self.url = engine_url(url)
        self.shown = shown(self.url)
        self.engine = create_engine(self.url)
        with self._errors("open"):
            migrate(self.engine)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        """Database errors become one clear :class:`StoreError` naming the store (never its password)."""
        try:
            yield
        except StoreError:
            raise
        except SQLAlchemyError as exc:
            reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            raise StoreError(f"cannot {doing} store {self.shown}: {reason}") from None

    @contextmanager
    def _write(self) -> Iterator[sa.Connection]:
        with (
            self._errors("write to"),
            self.engine.connect().execution_options(immediate=True) as conn,
            conn.begin(),
        ):
            yield conn

    @contextmanager
    def _read(self) -> Iterator[sa.Connection]:
        with self._errors("read"), self.engine.connect() as conn, conn.begin():
            yield conn

    # -- writing -------------------------------------------------------------------------------

    def save(
        self,
        report: ScanReport,
        source: ScanSource,
        *,
        started: dt.datetime | None = None,
        seconds: float | None = None,
        scores: Mapping[str, Any] | None = None,
        command: str = "scan",
    ) -> int:
        """Store ``report`` and its findings in one transaction; return the new scan's id.

        Either the scan and every finding are stored, or (an error, a crash, a kill) nothing is.
        ``scores``: framework id -> score; by default every bundled framework's score on ``report``
        (:func:`kubeguard.findings.compliance.assess_all`; ``None`` where nothing was judged).
        """
        if scores is None:
            scores = {a.framework.id: a.score for a in assess_all(report)}
        rows = [
            {
                "seq": i,
                "fingerprint": d["fingerprint"],
                "rule": d["rule"],
                "severity": d["severity"],
                "namespace": d["resource"]["namespace"],
                "suppressed": bool(d["suppressed"]),
                "data": _dumps(d),
            }
            for i, d in enumerate(f.to_dict() for f in report.findings)
        ]
        summary = report.summary()
        scan_row = {
            "time": _utc(started or dt.datetime.now(dt.UTC)),
            "command": command,
            "source_key": source.key,
            "source": _dumps(source.to_dict()),
            "options": _dumps(report.options),
            "timing": _dumps({"seconds": seconds} if seconds is not None else {}),
            "summary": _dumps(summary),
            "scores": _dumps(dict(scores)),
            "tool_version": __version__,
            "findings_count": summary["findings"],
        }
        with self._write() as conn:
            key = conn.execute(sa.insert(schema.scans).values(scan_row)).inserted_primary_key
            assert key is not None
            scan_id = int(key[0])
            for chunk in _chunks(rows, BATCH):
                for row in chunk:
                    row["scan_id"] = scan_id
                _insert(conn, chunk)
        return scan_id

    # -- reading -------------------------------------------------------------------------------

    def scans(self, *, source: str | None = None, limit: int | None = None) -> list[ScanRecord]:
        """Stored scans, newest first; only those of ``source`` (a source key) when given."""
        query = sa.select(schema.scans).order_by(schema.scans.c.time.desc(), schema.scans.c.id.desc())
        if source is not None:
            query = query.where(schema.scans.c.source_key == source)
        if limit is not None:
            query = query.limit(limit)
        with self._read() as conn:
            return [_record(row) for row in conn.execute(query).mappings()]

    def scan(self, scan_id: int) -> ScanRecord | None:
        with self._read() as conn:
            row = conn.execute(sa.select(schema.scans).where(schema.scans.c.id == scan_id)).mappings().first()
        return _record(row) if row is not None else None

    def latest_per_source(self) -> list[ScanRecord]:
        """The newest scan of every source, by source key."""
        s = schema.scans
        newest = (
            sa.select(s.c.source_key, sa.func.max(s.c.time).label("time")).group_by(s.c.source_key).subquery()
        )
        query = (
            sa.select(s)
            .join(newest, sa.and_(s.c.source_key == newest.c.source_key, s.c.time == newest.c.time))
            .order_by(s.c.source_key, s.c.id.desc())
        )
        with self._read() as conn:
            seen: dict[str, ScanRecord] = {}
            for row in conn.execute(query).mappings():
                seen.setdefault(row["source_key"], _record(row))
        return list(seen.values())

    def _filtered(
        self,
        query: sa.Select[Any],
        severity: Sequence[str],
        rule: Sequence[str],
        namespace: Sequence[str],
        suppressed: bool,
    ) -> sa.Select[Any]:
        f = schema.findings
        if severity:
            query = query.where(f.c.severity.in_([s.lower() for s in severity]))
        if rule:
            query = query.where(f.c.rule.in_(list(rule)))
        if namespace:
            named = [n for n in namespace if n]
            cond: sa.ColumnElement[bool] = f.c.namespace.in_(named)
            if "" in namespace:
                cond = sa.or_(cond, f.c.namespace.is_(None))
            query = query.where(cond)
        if not suppressed:
            query = query.where(f.c.suppressed.is_(False))
        return query

    def findings(
        self,
        scan_id: int,
        *,
        severity: Sequence[str] = (),
        rule: Sequence[str] = (),
        namespace: Sequence[str] = (),
        suppressed: bool = True,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[dict[str, Any]]:
        """A scan's findings in the JSON report's shape, in report order, filtered when asked
        (``namespace`` ``""`` means cluster-scoped objects); ``limit``/``offset`` page through them."""
        f = schema.findings
        if limit is None:
            query = sa.select(f.c.data).where(f.c.scan_id == scan_id).order_by(f.c.seq)
            query = self._filtered(query, severity, rule, namespace, suppressed)
        else:
            # a page's places first, from the scan index alone (filtering and skipping over its
            # small entries, not over rows and their JSON), then the JSON of those rows only
            places = sa.select(f.c.seq).where(f.c.scan_id == scan_id).order_by(f.c.seq)
            places = self._filtered(places, severity, rule, namespace, suppressed).limit(limit).offset(offset)
            query = sa.select(f.c.data).where(f.c.scan_id == scan_id, f.c.seq.in_(places)).order_by(f.c.seq)
        with self._read() as conn:
            return [json.loads(data) for data in conn.execute(query).scalars()]

    def count_findings(
        self,
        scan_id: int,
        *,
        severity: Sequence[str] = (),
        rule: Sequence[str] = (),
        namespace: Sequence[str] = (),
        suppressed: bool = True,
    ) -> int:
        """How many findings :meth:`findings` would give without a limit."""
        f = schema.findings
        query = sa.select(sa.func.count()).select_from(f).where(f.c.scan_id == scan_id)
        query = self._filtered(query, severity, rule, namespace, suppressed)
        with self._read() as conn:
            return int(conn.execute(query).scalar() or 0)

    def facets(self, scan_id: int) -> dict[str, list[str]]:
        """The severities, rules and namespaces a scan's findings have (for filter choices)."""
        f = schema.findings
        # one pass over the scan index: the combinations are few (rules x namespaces at most)
        query = sa.select(f.c.severity, f.c.rule, f.c.namespace).where(f.c.scan_id == scan_id).distinct()
        found: dict[str, set[str]] = {"severity": set(), "rule": set(), "namespace": set()}
        with self._read() as conn:
            for sev, rule, namespace in conn.execute(query):
                found["severity"].add(sev)
                found["rule"].add(rule)
                found["namespace"].add(namespace or "")
        return {name: sorted(values) for name, values in found.items()}

    def finding(self, scan_id: int, fingerprint: str) -> dict[str, Any] | None:
        f = schema.findings
        query = (
            sa.select(f.c.data)
            .where(f.c.scan_id == scan_id, f.c.fingerprint == fingerprint)
            .order_by(f.c.seq)
            .limit(1)
        )
        with self._read() as conn:
            data = conn.execute(query).scalar()
        return json.loads(data) if data is not None else None

    def finding_history(self, fingerprint: str) -> list[ScanRecord]:
        """Every stored scan that reported this finding, newest first."""
        f, s = schema.findings, schema.scans
        ids = sa.select(f.c.scan_id).where(f.c.fingerprint == fingerprint).distinct()
        query = sa.select(s).where(s.c.id.in_(ids)).order_by(s.c.time.desc(), s.c.id.desc())
        with self._read() as conn:
            return [_record(row) for row in conn.execute(query).mappings()]

    def diff(self, a: int, b: int) -> Diff:
        """What changed from scan ``a`` to scan ``b``, matched by fingerprint (unsuppressed findings)."""
        for scan_id in (a, b):
            if self.scan(scan_id) is None:
                raise StoreError(f"no scan {scan_id} in store {self.shown}")
        f = schema.findings
        with self._read() as conn:
            # fingerprints first (small); the findings' JSON only for those that changed
            sides: list[dict[str, int]] = []
            for scan_id in (a, b):
                query = (
                    sa.select(f.c.fingerprint, f.c.seq)
                    .where(f.c.scan_id == scan_id, f.c.suppressed.is_(False))
                    .order_by(f.c.seq)
                )
                side: dict[str, int] = {}
                for fp, seq in conn.execute(query):
                    side.setdefault(fp, seq)
                sides.append(side)
            old, new = sides
            added = self._data(conn, b, [seq for fp, seq in new.items() if fp not in old])
            fixed = self._data(conn, a, [seq for fp, seq in old.items() if fp not in new])
        return Diff(a=a, b=b, new=added, fixed=fixed, unchanged=sum(1 for fp in new if fp in old))

    @staticmethod
    def _data(conn: sa.Connection, scan_id: int, seqs: list[int]) -> list[dict[str, Any]]:
        """The findings of ``scan_id`` at these places, in report order."""
        f = schema.findings
        out: list[tuple[int, str]] = []
        for start in range(0, len(seqs), 500):
            chunk = seqs[start : start + 500]
            query = sa.select(f.c.seq, f.c.data).where(f.c.scan_id == scan_id, f.c.seq.in_(chunk))
            out.extend((seq, data) for seq, data in conn.execute(query))
        return [json.loads(data) for _, data in sorted(out)]

    def trend(self, *, source: str | None = None) -> dict[str, list[TrendPoint]]:
        """Per source key, every scan oldest first: findings by severity and framework scores."""
        s = schema.scans
        query = sa.select(s.c.id, s.c.time, s.c.source_key, s.c.summary, s.c.scores).order_by(
            s.c.source_key, s.c.time, s.c.id
        )
        if source is not None:
            query = query.where(s.c.source_key == source)
        out: dict[str, list[TrendPoint]] = {}
        with self._read() as conn:
            for row in conn.execute(query):
                summary = json.loads(row.summary)
                out.setdefault(row.source_key, []).append(
                    TrendPoint(
                        scan=row.id,
                        time=row.time,
                        findings=int(summary.get("findings", 0)),
                        by_severity=dict(summary.get("bySeverity", {})),
                        scores=json.loads(row.scores),
                    )
                )
        return out


def _insert(conn: sa.Connection, rows: list[dict[str, Any]]) -> None:
    """Insert one batch of finding rows: COPY on PostgreSQL, ``executemany`` on SQLite."""
    if conn.dialect.name == "postgresql":
        _copy(conn, rows)
    else:
        conn.execute(sa.insert(schema.findings), rows)


def _copy(conn: sa.Connection, rows: list[dict[str, Any]]) -> None:
    """PostgreSQL's bulk path, COPY, on the transaction's own connection: several times faster
    than batched INSERTs for tens of thousands of rows."""
    dbapi = conn.connection.driver_connection
    assert dbapi is not None
    names = ", ".join(_COLUMNS)
    with dbapi.cursor() as cursor, cursor.copy(f"COPY {schema.findings.name} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([row[c] for c in _COLUMNS])


def _chunks(rows: list[dict[str, Any]], size: int) -> Iterable[list[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _record(row: sa.RowMapping) -> ScanRecord:
    return ScanRecord(
        id=int(row["id"]),
        time=row["time"],
        command=row["command"],
        source=json.loads(row["source"]),
        options=json.loads(row["options"]),
        timing=json.loads(row["timing"]),
        summary=json.loads(row["summary"]),
        scores=json.loads(row["scores"]),
        tool_version=row["tool_version"],
    )


def open_store(url: str) -> Store:
    """Open (creating or migrating as needed) the store ``url`` names; raises :class:`StoreError`."""
    return Store(url)
