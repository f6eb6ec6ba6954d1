"""``kubeguard dashboard``: the read-only web UI over a results store."""

from __future__ import annotations

import click

from kubeguard.cli.common import fail_usage
from kubeguard.cli.history import opened, store_option
from kubeguard.serve import ServeError, ServeOptions, TlsFiles, run


@click.command("dashboard")
@store_option()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. Loopback by default; anything else (0.0.0.0) must be asked for, and needs TLS.",
)
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8080, show_default=True, help="Port (0: any free one)."
)
@click.option("--tls-cert", metavar="FILE", default=None, help="Serve HTTPS with this certificate (PEM).")
@click.option("--tls-key", metavar="FILE", default=None, help="The certificate's private key (PEM).")
def dashboard_command(
    store_url: str, host: str, port: int, tls_cert: str | None, tls_key: str | None
) -> None:
    """Serve a read-only dashboard of the stored scans until interrupted.

    Pages: every source with its latest score and a trend chart; a source's scans; a scan's findings
    (filter by severity, rule, namespace); a finding; the diff between two scans. The pages load
    nothing from anywhere else.

    \b
    Examples:
      kubeguard dashboard --store results.db
      kubeguard dashboard --store postgresql://kubeguard@db/kubeguard --port 9000
      kubeguard dashboard --store "$URL" --host 0.0.0.0 \\
          --tls-cert tls.crt --tls-key tls.key
    """
    if (tls_cert is None) != (tls_key is None):
        fail_usage("--tls-cert and --tls-key go together")
    tls = TlsFiles(tls_cert, tls_key) if tls_cert and tls_key else None
    with opened(store_url) as store:
        from kubeguard.dashboard import create_app  # Starlette and Jinja2, only when served

        app = create_app(store)
        scheme = "https" if tls else "http"

        def started(bound: int) -> None:
            shown = f"[{host}]" if ":" in host else host
            click.echo(f"kubeguard dashboard on {scheme}://{shown}:{bound}/ (store {store.shown})", err=True)

        try:
            run(app, ServeOptions(host=host, port=port, tls=tls), started=started)
        except ServeError as exc:
            fail_usage(str(exc))


COMMAND = dashboard_command
