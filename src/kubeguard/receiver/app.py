"""The audit webhook ASGI app: authenticate, spool durably, then answer.

``POST`` (any path; the API server posts to the ``server`` of its webhook kubeconfig) with an
``EventList`` body: 401 without the right bearer token (when ``--token-file`` is set; a client
certificate, with ``--client-ca``, is checked by TLS before any request is read), 413 over the size
limit, 400 for a body that is not JSON, 503 when the spool cannot be written (the API server keeps
the batch and retries), else 200 once the batch is fsync'd. ``GET /healthz`` answers 200;
``GET /metrics`` the Prometheus counters.
"""

from __future__ import annotations

import asyncio
import hmac
import time
from collections.abc import Awaitable, Callable
from typing import Any

import orjson

from kubeguard.receiver.spool import Spool
from kubeguard.serve.metrics import CONTENT_TYPE, Metrics

#: Largest batch accepted (the API server's --audit-webhook-truncate-max-batch-size is 10 MB by default).
MAX_BODY = 64 * 1024 * 1024

Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


class ReceiverApp:
    """See the module docstring."""

    def __init__(
        self, spool: Spool, token: str | None, metrics: Metrics | None = None, max_body: int = MAX_BODY
    ) -> None:
        self.spool = spool
        self._token = f"Bearer {token}".encode() if token else None
        self.max_body = max_body
        self.metrics = metrics or Metrics()
        self._requests = self.metrics.counter(
            "kubeguard_audit_requests_total", "Webhook requests answered, by HTTP status.", ("code",)
        )
        self._events = self.metrics.counter(
            "kubeguard_audit_batches_spooled_total", "Batches written to the spool and acknowledged."
        )
        self._latency = self.metrics.histogram(
            "kubeguard_audit_request_seconds", "Time to answer a webhook request (spool fsync included)."
        )

    async def __call__(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":
            return
        method = scope["method"]
        path = scope["path"]
        if method == "GET" and path == "/healthz":
            await _answer(send, 200, b"ok\n")
        elif method == "GET" and path == "/metrics":
            await _answer(send, 200, self.metrics.render().encode(), CONTENT_TYPE)
        elif method == "POST":
            started = time.monotonic()
            code = await self._post(scope, receive, send)
            self._requests.inc(code=str(code))
            self._latency.observe(time.monotonic() - started)
        else:
            await _answer(send, 405, b"method not allowed\n")

    def _authorized(self, scope: dict[str, Any]) -> bool:
        if self._token is None:
            return True
        for name, value in scope.get("headers", ()):
            if name == b"authorization":
                return hmac.compare_digest(value, self._token)
        return False

    async def _post(self, scope: dict[str, Any], receive: Receive, send: Send) -> int:
        if not self._authorized(scope):
            await _answer(send, 401, b"unauthorized\n", extra=[(b"www-authenticate", b"Bearer")])
            return 401
        body = bytearray()
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return 499
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > self.max_body:
                await _answer(send, 413, b"batch too large\n")
                return 413
        data = bytes(body)
        try:
            value = orjson.loads(data)
        except orjson.JSONDecodeError:
            await _answer(send, 400, b"body is not JSON\n")
            return 400
        if not isinstance(value, dict | list):
            await _answer(send, 400, b"body is not an EventList\n")
            return 400
        try:
            await asyncio.to_thread(self.spool.append, data)
        except (OSError, ValueError):
            await _answer(send, 503, b"cannot spool the batch\n")
            return 503
        self._events.inc()
        await _answer(send, 200, b"{}\n", b"application/json")
        return 200


async def _answer(
    send: Send,
    status: int,
    body: bytes,
    content_type: bytes | str = b"text/plain; charset=utf-8",
    extra: list[tuple[bytes, bytes]] | None = None,
) -> None:
    ctype = content_type.encode() if isinstance(content_type, str) else content_type
    headers = [(b"content-type", ctype), (b"content-length", str(len(body)).encode()), *(extra or [])]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
