"""A small ASGI app served by the serve tests in a process of its own:
``python -m tests.serve.demo_app PORTFILE [--workers N] [--plain] [--client-ca FILE] [--cert F --key F]``."""

from __future__ import annotations

import argparse
import asyncio
import os
from typing import Any

from kubeguard.serve import CONTENT_TYPE, Metrics, ServeOptions, TlsFiles, run

metrics = Metrics()
hits = metrics.counter("demo_hits_total", "Requests to /hit.", ("path",))
latency = metrics.histogram("demo_seconds", "Time asleep.", buckets=(0.1, 1.0))


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    path = scope["path"]
    body = b"hello"
    content_type = b"text/plain"
    if path == "/pid":
        body = str(os.getpid()).encode()
    elif path == "/hit":
        hits.inc(path="/hit")
        body = str(os.getpid()).encode()
    elif path == "/slow":
        await asyncio.sleep(1.5)
        latency.observe(1.5)
        body = b"slept"
    elif path == "/metrics":
        body = metrics.render().encode()
        content_type = CONTENT_TYPE.encode()
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", content_type)]})
    await send({"type": "http.response.body", "body": body})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("portfile")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--plain", action="store_true")
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--client-ca")
    args = parser.parse_args()
    tls = None if args.plain else TlsFiles(args.cert, args.key, args.client_ca)

    def started(port: int) -> None:
        with open(args.portfile + ".tmp", "w") as f:
            f.write(str(port))
        os.replace(args.portfile + ".tmp", args.portfile)

    run(
        app,
        ServeOptions(port=0, tls=tls, workers=args.workers, reload_interval=0.2),
        metrics=metrics,
        started=started,
    )


if __name__ == "__main__":
    main()
