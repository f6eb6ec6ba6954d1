"""The webhook's ASGI app: ``POST /validate`` (AdmissionReview v1), ``GET /healthz``, ``/readyz`` and
``/metrics``; run by :func:`kubeguard.serve.run`.

A body that is not an AdmissionReview this webhook can answer gets HTTP 400 with a plain-text
message saying why, and the body is read in chunks and refused as soon as it passes
:data:`~kubeguard.webhook.review.MAX_BODY`. An error while judging never becomes a 500: the request
is decided by ``--on-error`` and logged with the object's identity.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from kubeguard.serve import CONTENT_TYPE, Metrics
from kubeguard.webhook.review import MAX_BODY, BadReview, Decision, Judge, Request, parse_review

log = logging.getLogger("kubeguard.webhook")

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


class _TooLarge(Exception):
    pass


class WebhookApp:
    """The ASGI application; ``metrics`` is the :class:`Metrics` to give :func:`kubeguard.serve.run`."""

    def __init__(self, judge: Judge, *, max_body: int = MAX_BODY) -> None:
        self.judge = judge
        self.max_body = max_body
        self.metrics = Metrics()
        self._reviews = self.metrics.counter(
            "kubeguard_webhook_reviews_total",
            "Admission reviews answered, by decision (allowed, denied, warned, audited, exempt, unchanged, "
            "skipped, error-denied, error-allowed).",
            ("decision",),
        )
        self._rules = self.metrics.counter(
            "kubeguard_webhook_rule_findings_total",
            "Reviews in which a rule reported a finding at or above the threshold, by rule and decision.",
            ("rule", "decision"),
        )
        self._bad = self.metrics.counter(
            "kubeguard_webhook_bad_requests_total",
            "Requests answered with HTTP 400 (not a valid AdmissionReview).",
        )
        self._latency = self.metrics.histogram(
            "kubeguard_webhook_review_seconds", "Time from the end of a review's body to its answer."
        )
        self.ready = True

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        path, method = scope["path"], scope["method"]
        if path == "/validate":
            if method != "POST":
                await _plain(send, 405, "use POST for /validate\n", [(b"allow", b"POST")])
                return
            await self._validate(scope, receive, send)
        elif path in ("/healthz", "/readyz", "/metrics"):
            if method not in ("GET", "HEAD"):
                await _plain(send, 405, f"use GET for {path}\n", [(b"allow", b"GET, HEAD")])
            elif path == "/metrics":
                await _plain(send, 200, self.metrics.render(), content_type=CONTENT_TYPE)
            elif path == "/readyz" and not self.ready:
                await _plain(send, 503, "not ready\n")
            else:
                await _plain(send, 200, "ok\n")
        else:
            await _plain(send, 404, "not found: the webhook answers POST /validate\n")

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                self.ready = False
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _body(self, scope: Scope, receive: Receive) -> bytes:
        for name, value in scope.get("headers") or ():
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    raise BadReview("the Content-Length header is not a number") from None
                if declared > self.max_body:
                    raise _TooLarge
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise BadReview("the client went away before sending the whole body")
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                raise _TooLarge
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    async def _validate(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            body = await self._body(scope, receive)
            started = time.perf_counter()
            request = parse_review(body)
        except _TooLarge:
            self._bad.inc()
            await _plain(
                send,
                400,
                f"the body is larger than {self.max_body} bytes, more than the API server sends\n",
                [(b"connection", b"close")],  # the rest of the body is not read
            )
            return
        except BadReview as exc:
            self._bad.inc()
            await _plain(send, 400, f"{exc}\n")
            return
        decision = self._decide(request)
        answer = json.dumps(decision.response(request.uid)).encode()
        self._latency.observe(time.perf_counter() - started)
        self._reviews.inc(decision=decision.outcome)
        for code in sorted({f.rule.code for f in decision.findings}):
            self._rules.inc(rule=code, decision=decision.outcome)
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(answer)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": answer})

    def _decide(self, request: Request) -> Decision:
        try:
            decision = self.judge.decide(request)
        except Exception:  # never a 500: the API server would apply failurePolicy without our say
            log.exception(
                "error while judging %s; decided by --on-error %s", request.identity, self.judge.on_error
            )
            allowed = self.judge.on_error == "allow"
            return Decision(
                allowed,
                "error-allowed" if allowed else "error-denied",
                message=f"kubeguard could not judge {request.identity} (internal error; see the webhook's log)",
            )
        if decision.outcome == "denied" or decision.outcome.startswith("error"):
            log.info(
                "%s %s%s: %s",
                decision.outcome,
                request.identity,
                " (dry run)" if request.dry_run else "",
                ", ".join(sorted({f.rule.code for f in decision.findings})) or decision.message,
            )
        return decision


async def _plain(
    send: Send,
    status: int,
    text: str,
    headers: list[tuple[bytes, bytes]] | None = None,
    content_type: str = "text/plain; charset=utf-8",
) -> None:
    body = text.encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", content_type.encode()),
                (b"content-length", str(len(body)).encode()),
                *(headers or []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
