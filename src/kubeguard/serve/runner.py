"""Run an ASGI app on uvicorn: TLS with certificate reload, worker processes, graceful stop.

See :mod:`kubeguard.serve` for the API. Workers are forked from this process after the app is built
(as gunicorn does), so the app's rules and configuration are loaded once and shared, and the app
needs no import string. The supervisor restarts a worker that dies and, on SIGTERM or SIGINT, asks
every worker to stop and waits for them.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import multiprocessing
import os
import signal
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import uvicorn

from kubeguard.serve.metrics import Metrics, SharedSlots
from kubeguard.serve.tls import CertificateWatcher, TlsFiles, server_context

log = logging.getLogger("kubeguard.serve")

ASGIApp = Callable[..., Any]


@dataclass(frozen=True)
class ServeOptions:
    """Where and how to serve.

    ``tls=None`` serves plain HTTP, which is allowed only on a loopback address (a dashboard behind
    ``kubectl port-forward``); anything reachable from elsewhere must use TLS.
    ``reload_interval``: seconds between looks at the certificate files.
    ``graceful_timeout``: seconds that requests in flight get to finish after SIGTERM.
    """

    host: str = "127.0.0.1"
    port: int = 8443
    tls: TlsFiles | None = None
    workers: int = 1
    reload_interval: float = 10.0
    graceful_timeout: int = 20
    access_log: bool = False
    log_level: str = "info"


class ServeError(Exception):
    """The server cannot start as asked (plain HTTP off loopback, unreadable certificate, ...)."""


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class _Config(uvicorn.Config):
    """uvicorn's configuration with our own SSLContext (uvicorn would build one it cannot reload)."""

    def __init__(self, app: ASGIApp, context: ssl.SSLContext | None, **kwargs: Any) -> None:
        super().__init__(app, **kwargs)
        self._context = context

    def load(self) -> None:
        super().load()
        self.ssl = self._context


class _Server(uvicorn.Server):
    """A uvicorn server that also reloads the certificate and publishes metrics from its own loop."""

    def __init__(
        self, config: _Config, watcher: CertificateWatcher | None, interval: float, metrics: Metrics | None
    ):
        super().__init__(config)
        self._watcher = watcher
        self._interval = interval
        self._metrics = metrics

    async def _publish(self) -> None:
        assert self._metrics is not None
        while True:
            self._metrics.publish()
            await asyncio.sleep(1.0)

    async def serve(self, sockets: list[socket.socket] | None = None) -> None:
        tasks = []
        if self._watcher is not None:
            tasks.append(asyncio.create_task(self._watcher.watch(self._interval)))
        if self._metrics is not None:
            tasks.append(asyncio.create_task(self._publish()))
        try:
            await super().serve(sockets)
        finally:
            for task in tasks:
                task.cancel()
            if self._metrics is not None:
                self._metrics.publish()


def _check(options: ServeOptions) -> ssl.SSLContext | None:
    if options.workers < 1:
        raise ServeError(f"--workers must be at least 1, not {options.workers}")
    if options.tls is None:
        if not _is_loopback(options.host):
            raise ServeError(
                f"plain HTTP is served only on a loopback address, not on {options.host}: give a certificate and key"
            )
        return None
    try:
        return server_context(options.tls)
    except (OSError, ssl.SSLError) as exc:
        raise ServeError(
            f"cannot load the certificate {options.tls.cert_file} with the key {options.tls.key_file}: {exc}"
        ) from exc


def _server(
    app: ASGIApp, options: ServeOptions, context: ssl.SSLContext | None, metrics: Metrics | None
) -> _Server:
    config = _Config(
        app,
        context,
        host=options.host,
        port=options.port,
        lifespan="auto",
        http="httptools",  # C parser (a dependency): far cheaper per request than h11
        log_config=None,
        log_level=options.log_level,
        access_log=options.access_log,
        timeout_graceful_shutdown=options.graceful_timeout,
        server_header=False,
    )
    watcher = CertificateWatcher(context, options.tls) if context is not None and options.tls else None
    return _Server(config, watcher, options.reload_interval, metrics)


@contextlib.contextmanager
def _stop_on_signal(handler: Callable[[int, Any], None]) -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():  # signals reach the main thread only
        yield
        return
    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def _bind(host: str, port: int) -> socket.socket:
    """A listening socket, made here (not by uvicorn) so that the workers forked later share it and
    connections made before they run wait in the backlog rather than fail."""
    family, kind, proto, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(2048)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def run(
    app: ASGIApp,
    options: ServeOptions,
    *,
    metrics: Metrics | None = None,
    started: Callable[[int], None] | None = None,
) -> None:
    """Serve ``app`` until SIGTERM or SIGINT, then finish the requests in flight and return.

    ``metrics``: the app's :class:`Metrics`, shared between the workers. ``started`` is called with
    the bound port once the socket listens (useful with ``port=0``). Raises :class:`ServeError`.
    """
    context = _check(options)
    try:
        sock = _bind(options.host, options.port)
    except OSError as exc:
        raise ServeError(f"cannot listen on {options.host}:{options.port}: {exc.strerror or exc}") from exc
    port = sock.getsockname()[1]
    log.info("kubeguard serving on %s://%s:%d", "https" if context else "http", options.host, port)
    if started is not None:
        started(port)
    try:
        if options.workers == 1:
            _run_worker(app, options, context, metrics, sock)
        else:
            _supervise(app, options, context, metrics, sock)
    finally:
        sock.close()


def _run_worker(
    app: ASGIApp,
    options: ServeOptions,
    context: ssl.SSLContext | None,
    metrics: Metrics | None,
    sock: socket.socket,
) -> None:
    server = _server(app, options, context, metrics)
    # uvicorn re-raises the stop signal once it has shut down; a handler of ours absorbs it so the
    # process ends normally (exit 0) instead of by the signal
    with _stop_on_signal(lambda _sig, _frame: None):
        server.run(sockets=[sock])


def _worker_main(
    app: ASGIApp,
    options: ServeOptions,
    metrics: Metrics | None,
    sock: socket.socket,
    index: int,
    slots: SharedSlots | None,
) -> None:
    # each worker makes its own context: an SSLContext must not be shared across a fork
    context = server_context(options.tls) if options.tls else None
    if metrics is not None and slots is not None:
        metrics.share(slots, index)
    _run_worker(app, options, context, metrics, sock)


def _supervise(
    app: ASGIApp,
    options: ServeOptions,
    context: ssl.SSLContext | None,
    metrics: Metrics | None,
    sock: socket.socket,
) -> None:
    del context  # checked; each worker loads its own
    fork = multiprocessing.get_context("fork")
    slots = SharedSlots(options.workers) if metrics is not None else None
    stopping = False

    def stop(_sig: int, _frame: Any) -> None:
        nonlocal stopping
        stopping = True

    def start(index: int) -> multiprocessing.process.BaseProcess:
        process = fork.Process(
            target=_worker_main,
            args=(app, options, metrics, sock, index, slots),
            name=f"kubeguard-worker-{index}",
            daemon=False,
        )
        process.start()
        return process

    with _stop_on_signal(stop):
        workers = [start(i) for i in range(options.workers)]
        started = [time.monotonic()] * options.workers
        while not stopping:
            time.sleep(0.2)
            for index, process in enumerate(workers):
                if process.is_alive() or stopping:
                    continue
                if time.monotonic() - started[index] < 5:
                    time.sleep(1)  # a worker that cannot start must not be restarted in a tight loop
                log.warning(
                    "worker %d (pid %s) exited with %s; starting another",
                    index,
                    process.pid,
                    process.exitcode,
                )
                workers[index] = start(index)
                started[index] = time.monotonic()
        for process in workers:
            if process.pid is not None and process.is_alive():
                os.kill(process.pid, signal.SIGTERM)
        for process in workers:
            process.join(options.graceful_timeout + 5)
            if process.is_alive():
                process.kill()
                process.join()
