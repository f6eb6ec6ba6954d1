"""``kubeguard history``: stored scans listed, shown, compared and followed over time."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

import click

from kubeguard.cli.common import fail_usage, format_option, screen_for, write_output
from kubeguard.findings.report import ScanReport
from kubeguard.reporters.layout import Column, block, table

if TYPE_CHECKING:
    from kubeguard.store import Store

F = TypeVar("F", bound=Callable[..., Any])

SEVERITIES = ("critical", "high", "medium", "low", "info")


def store_option(required: bool = True) -> Callable[[F], F]:
    """``--store URL`` (into ``store_url``), also from ``KUBEGUARD_STORE``."""
    return click.option(
        "--store",
        "store_url",
        metavar="URL",
        envvar="KUBEGUARD_STORE",
        required=required,
        help="Results store: sqlite:///path.db, a file path, or postgresql://user@host/db "
        "(default: $KUBEGUARD_STORE).",
    )


def keep_options() -> Callable[[F], F]:
    """``--store URL`` and ``--source-name NAME``: keep the scan in the results store."""

    def decorate(f: F) -> F:
        f = click.option(
            "--source-name",
            metavar="NAME",
            default=None,
            help="With --store: what the scan is stored as (default: the cluster context, or the "
            "paths scanned).",
        )(f)
        return store_option(required=False)(f)

    return decorate


def store_scan(
    url: str, report: ScanReport, paths: list[str], started: dt.datetime, seconds: float, name: str | None
) -> None:
    """Keep a scan in the results store; a store problem is an error (exit 2) after the report."""
    from kubeguard.store import describe_source

    with opened(url) as store:
        source = describe_source(paths, report.options, name=name)
        scan_id = store.save(report, source, started=started, seconds=seconds)
        click.echo(f"stored scan {scan_id} in {store.shown}", err=True)


@contextmanager
def opened(url: str) -> Iterator[Store]:
    """The store ``url`` names; a store problem is a clear error (exit 2), never a traceback."""
    # SQLAlchemy is imported when a store is used: every other command starts without it
    from kubeguard.store import StoreError, open_store

    try:
        store = open_store(url)
    except StoreError as exc:
        fail_usage(str(exc))
    try:
        yield store
    except StoreError as exc:
        fail_usage(str(exc))
    finally:
        store.close()


def _json(value: object) -> str:
    return json.dumps(value, indent=2) + "\n"


def _counts(summary: dict[str, Any]) -> str:
    by = summary.get("bySeverity", {})
    return " ".join(f"{s[0].upper()}:{by.get(s, 0)}" for s in SEVERITIES if s != "info")


def _source(record_source: dict[str, Any]) -> str:
    git = record_source.get("git") or {}
    text = str(record_source.get("key", ""))
    if git.get("commit"):
        text += f" @{git.get('branch') or 'detached'} {git['commit'][:12]}"
    return text


def _lines(rows: list[list[str]], columns: list[Column]) -> str:
    return block(table(columns, rows, screen_for(None))) if rows else ""


@click.group("history")
def history() -> None:
    """Stored scans (kept with `scan --store URL`): list, show, diff and trend.

    \b
    Examples:
      kubeguard scan k8s/ --store results.db
      kubeguard history list --store results.db
      kubeguard history diff 3 4 --store results.db -f json
      kubeguard history trend --store postgresql://kubeguard@db/kubeguard
    """


@history.command("list")
@store_option()
@format_option(["table", "json"])
@click.option("--source", default=None, metavar="KEY", help="Only the scans of this source.")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most this many (newest first).")
def list_command(store_url: str, fmt: str, source: str | None, limit: int | None) -> None:
    """The stored scans, newest first: id, time, source and summary."""
    with opened(store_url) as store:
        records = store.scans(source=source, limit=limit)
    if fmt == "json":
        out = [{"id": r.id, "time": r.time, "source": r.source, "summary": r.summary} for r in records]
        write_output(_json(out), None)
        return
    rows = [
        [
            str(r.id),
            r.time[:19].replace("T", " "),
            _source(r.source),
            str(r.summary.get("findings", 0)),
            _counts(r.summary),
        ]
        for r in records
    ]
    columns = [
        Column("ID", right=True),
        Column("TIME (UTC)"),
        Column("SOURCE", wrap=True),
        Column("FINDINGS", right=True),
        Column("BY SEVERITY"),
    ]
    write_output(_lines(rows, columns) or "no stored scans\n", None)


@history.command("show")
@click.argument("scan_id", type=int, metavar="ID")
@store_option()
@format_option(["table", "json"])
def show_command(scan_id: int, store_url: str, fmt: str) -> None:
    """One stored scan with its findings (JSON: the scan's record and its findings in the scan JSON's shape)."""
    with opened(store_url) as store:
        record = store.scan(scan_id)
        if record is None:
            fail_usage(f"no scan {scan_id} in store {store.shown}")
        found = store.findings(scan_id)
    if fmt == "json":
        write_output(_json({**record.to_dict(), "findings": found}), None)
        return
    head = [
        f"scan {record.id}  {record.time}  {record.command}",
        f"source: {_source(record.source)}",
        f"findings: {record.summary.get('findings', 0)} ({_counts(record.summary)}), "
        f"suppressed {record.summary.get('suppressed', 0)}",
    ]
    if record.scores:
        head.append("scores: " + ", ".join(f"{k} {v}" for k, v in sorted(record.scores.items())))
    write_output(block(head) + _findings_table(found), None)


def _findings_table(found: list[dict[str, Any]]) -> str:
    rows = [
        [
            f["severity"].upper(),
            f["rule"],
            f"{f['resource']['kind']}/{f['resource']['name']}"
            + (f" -n {f['resource']['namespace']}" if f["resource"]["namespace"] else ""),
            # where it is, as the scan's table says it: without it a stored finding cannot be found
            f"{f['file']}:{f['line']}: {f['message']}" if f.get("line") else f"{f['file']}: {f['message']}",
        ]
        for f in found
        if not f.get("suppressed")
    ]
    columns = [Column("SEVERITY"), Column("RULE"), Column("OBJECT"), Column("MESSAGE", wrap=True)]
    return _lines(rows, columns)


@history.command("diff")
@click.argument("a", type=int)
@click.argument("b", type=int)
@store_option()
@format_option(["table", "json"])
def diff_command(a: int, b: int, store_url: str, fmt: str) -> None:
    """What changed from scan A to scan B: new, fixed and unchanged findings, matched by fingerprint.

    Suppressed findings are left out on both sides.
    """
    with opened(store_url) as store:
        diff = store.diff(a, b)
    if fmt == "json":
        write_output(_json(diff.to_dict()), None)
        return
    text = f"scan {a} -> scan {b}: {len(diff.new)} new, {len(diff.fixed)} fixed, {diff.unchanged} unchanged\n"
    if diff.new:
        text += "\nnew:\n" + _findings_table(diff.new)
    if diff.fixed:
        text += "\nfixed:\n" + _findings_table(diff.fixed)
    write_output(text, None)


@history.command("trend")
@store_option()
@format_option(["table", "json"])
@click.option("--source", default=None, metavar="KEY", help="Only this source.")
def trend_command(store_url: str, fmt: str, source: str | None) -> None:
    """Per source, every scan oldest first: findings by severity and framework scores.

    JSON: ``{"<source key>": [{"scan", "time", "findings", "bySeverity", "scores"}, ...]}``.
    """
    with opened(store_url) as store:
        trend = store.trend(source=source)
    if fmt == "json":
        write_output(_json({k: [p.to_dict() for p in points] for k, points in trend.items()}), None)
        return
    parts = []
    for key, points in trend.items():
        rows = [
            [
                str(p.scan),
                p.time[:19].replace("T", " "),
                str(p.findings),
                *(str(p.by_severity.get(s, 0)) for s in SEVERITIES[:4]),
                ", ".join(f"{k} {v}" for k, v in sorted(p.scores.items())),
            ]
            for p in points
        ]
        columns = [
            Column("SCAN", right=True),
            Column("TIME (UTC)"),
            Column("FINDINGS", right=True),
            *(Column(s.upper(), right=True) for s in SEVERITIES[:4]),
            Column("SCORES", wrap=True),
        ]
        parts.append(f"{key}\n" + _lines(rows, columns))
    write_output("\n".join(parts) or "no stored scans\n", None)


COMMAND = history
