"""The dashboard's ASGI app: overview, a source's scans, a scan's findings, a finding, a diff."""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable
from typing import Any

import jinja2
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from kubeguard._version import __version__
from kubeguard.dashboard.charts import COLOURS, trend_chart
from kubeguard.store import ScanRecord, Store, StoreError

PAGE_SIZE = 200
SEVERITIES = ("critical", "high", "medium", "low", "info")

# No script, no remote anything: the browser is told to load nothing but this page's inline styles.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}

_env = jinja2.Environment(
    loader=jinja2.PackageLoader("kubeguard.dashboard", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.globals.update(version=__version__, severities=SEVERITIES, colours=COLOURS)


def _int(value: str | None, what: str) -> int:
    try:
        return int(value or "")
    except ValueError:
        raise HTTPException(400, f"{what} must be a number") from None


def create_app(store: Store) -> Starlette:
    """The dashboard over ``store`` (which it only reads)."""

    def page(template: str, status: int = 200, **values: Any) -> HTMLResponse:
        html = _env.get_template(template).render(**values)
        return HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)

    def scan_or_404(scan_id: int) -> ScanRecord:
        record = store.scan(scan_id)
        if record is None:
            raise HTTPException(404, f"no scan {scan_id}")
        return record

    def overview(request: Request) -> Response:
        latest = {r.source_key: r for r in store.latest_per_source()}
        trend = store.trend()
        sources = [
            {"record": latest[key], "chart": trend_chart(points), "scans": len(points)}
            for key, points in sorted(trend.items())
            if key in latest
        ]
        frameworks = sorted({fw for r in latest.values() for fw in r.scores})
        return page("overview.html", sources=sources, frameworks=frameworks)

    def source_scans(request: Request) -> Response:
        key = request.query_params.get("key", "")
        records = store.scans(source=key)
        if not records:
            raise HTTPException(404, "no scans of this source")
        points = store.trend(source=key).get(key, [])
        return page("source.html", key=key, records=records, big=trend_chart(points, 640, 160))

    def scan_page(request: Request) -> Response:
        scan_id = _int(request.path_params["scan_id"], "scan")
        record = scan_or_404(scan_id)
        q = request.query_params
        chosen = {
            name: [v for v in q.getlist(name) if v != "*"] for name in ("severity", "rule", "namespace")
        }
        number = max(1, _int(q.get("page", "1"), "page"))
        severity, rule, namespace = chosen["severity"], chosen["rule"], chosen["namespace"]
        total = store.count_findings(scan_id, severity=severity, rule=rule, namespace=namespace)
        found = store.findings(
            scan_id,
            severity=severity,
            rule=rule,
            namespace=namespace,
            limit=PAGE_SIZE,
            offset=(number - 1) * PAGE_SIZE,
        )
        others = [r for r in store.scans(source=record.source_key) if r.id != scan_id]
        return page(
            "scan.html",
            record=record,
            findings=found,
            total=total,
            page=number,
            pages=max(1, math.ceil(total / PAGE_SIZE)),
            chosen=chosen,
            facets=store.facets(scan_id),
            others=others,
            query=[(k, v) for k, v in q.multi_items() if k != "page"],
        )

    def finding_page(request: Request) -> Response:
        scan_id = _int(request.path_params["scan_id"], "scan")
        record = scan_or_404(scan_id)
        fingerprint = request.path_params["fingerprint"]
        finding = store.finding(scan_id, fingerprint)
        if finding is None:
            raise HTTPException(404, "no such finding in this scan")
        history = [r for r in store.finding_history(fingerprint) if r.source_key == record.source_key]
        return page("finding.html", record=record, finding=finding, history=history)

    def diff_page(request: Request) -> Response:
        a = _int(request.query_params.get("a"), "a")
        b = _int(request.query_params.get("b"), "b")
        old, new = scan_or_404(a), scan_or_404(b)
        return page("diff.html", a=old, b=new, diff=store.diff(a, b))

    def threaded(handler: Callable[[Request], Response]) -> Callable[[Request], Awaitable[Response]]:
        # database calls block: answer in a worker thread, and never show a store error's traceback
        async def endpoint(request: Request) -> Response:
            try:
                return await run_in_threadpool(handler, request)
            except StoreError as exc:
                return page("error.html", status=503, message=str(exc))

        return endpoint

    async def error(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        message = exc.detail if isinstance(exc, HTTPException) else "internal error"
        return page("error.html", status=status, message=message)

    routes = [
        Route("/", threaded(overview)),
        Route("/source", threaded(source_scans)),
        Route("/scans/{scan_id}", threaded(scan_page)),
        Route("/scans/{scan_id}/findings/{fingerprint}", threaded(finding_page)),
        Route("/diff", threaded(diff_page)),
    ]
    return Starlette(routes=routes, exception_handlers={HTTPException: error, 404: error, 405: error})
