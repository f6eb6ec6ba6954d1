"""The one way kubeguard runs a server (admission webhook, audit receiver, dashboard).

An app is a plain ASGI application (Starlette or hand-written); this package runs it on uvicorn::

    from kubeguard.serve import Metrics, ServeOptions, TlsFiles, run

    metrics = Metrics()
    requests = metrics.counter("myapp_requests_total", "Requests answered, by outcome.", ("outcome",))
    latency = metrics.histogram("myapp_request_seconds", "Time to answer a request.")
    ...  # the app calls requests.inc(outcome="ok"), latency.observe(seconds),
         # and answers GET /metrics with metrics.render() (content type metrics.CONTENT_TYPE)

    run(app, ServeOptions(host="0.0.0.0", port=8443, tls=TlsFiles("tls.crt", "tls.key"), workers=2),
        metrics=metrics)

- :func:`run` blocks until SIGTERM or SIGINT, then stops accepting connections, lets the requests in
  flight finish (``graceful_timeout`` seconds at most) and returns. It raises :class:`ServeError` for
  what cannot start (plain HTTP off loopback, a certificate that does not load, a port in use).
- TLS (:class:`TlsFiles`): TLS 1.2 at least; ``client_ca_file`` requires client certificates (mutual
  TLS). The certificate and key are reloaded when their files change (looked at every
  ``reload_interval`` seconds) into the live context: new connections get the new certificate, open
  ones keep going (:mod:`kubeguard.serve.tls`).
- ``tls=None`` serves plain HTTP, on a loopback address only.
- ``workers=N`` forks N processes from the built app, sharing one listening socket; a worker that
  dies is replaced. :class:`Metrics` registered with :func:`run` are summed over the workers
  (:mod:`kubeguard.serve.metrics`).

It imports nothing of kubeguard above :mod:`kubeguard.model`, so any server may use it.
"""

from kubeguard.serve.metrics import CONTENT_TYPE, LATENCY_BUCKETS, Counter, Histogram, Metrics
from kubeguard.serve.runner import ServeError, ServeOptions, run
from kubeguard.serve.tls import CertificateWatcher, TlsFiles, server_context

__all__ = [
    "CONTENT_TYPE",
    "LATENCY_BUCKETS",
    "CertificateWatcher",
    "Counter",
    "Histogram",
    "Metrics",
    "ServeError",
    "ServeOptions",
    "TlsFiles",
    "run",
    "server_context",
]
