"""``kubeguard audit serve``: the API server's audit webhook backend.

- :mod:`.app`: the ASGI app: authenticates the API server (bearer token; client certificates are
  checked by TLS), appends each batch to the spool and answers 200 only once it is on disk.
- :mod:`.spool`: the append-only, fsync'd spool with a persisted read offset.
- :mod:`.detector`: the consumer: reads the spool in order, runs the AUD rules, hands alerts to
  the sinks (stdout JSON lines, a Falcosidekick-compatible URL), records its offset.

Servers sit at the top beside the CLI: this package uses the library (loading, engine, reporters)
and :mod:`kubeguard.serve` to run, and holds no rule logic of its own.
"""
