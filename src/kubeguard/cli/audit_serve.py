"""``kubeguard audit serve``: the API server's audit webhook backend (see :mod:`kubeguard.receiver`).

Added to the ``audit`` group by :mod:`kubeguard.cli.audit_cmd`.
"""

from __future__ import annotations

import sys

import click

from kubeguard.api import resolve_config
from kubeguard.cli.common import fail_usage, split_list
from kubeguard.engine.registry import RegistryError, all_audit_rules, select_rules
from kubeguard.loading.config import ConfigError
from kubeguard.receiver.app import ReceiverApp
from kubeguard.receiver.detector import Detector, Sink
from kubeguard.receiver.setup import audit_policy, render, webhook_kubeconfig
from kubeguard.receiver.sinks import StreamSink, UrlSink
from kubeguard.receiver.spool import Spool, SpoolError
from kubeguard.rules.audit import AuditContext
from kubeguard.serve import ServeError, ServeOptions, TlsFiles, run


@click.command(
    "serve",
    epilog="\b\nExamples:\n"
    "  kubeguard audit serve --cert-file tls.crt --key-file tls.key \\\n"
    "      --token-file token\n"
    "  kubeguard audit serve --cert-file tls.crt --key-file tls.key \\\n"
    "      --client-ca apiserver-ca.crt --alert-url http://falcosidekick:2801/\n\n"
    "Alerts are written to standard output, one JSON line each. Configure the API server with\n"
    "`kubeguard audit config` (a webhook kubeconfig and an audit policy).",
)
@click.option(
    "--cert-file",
    required=True,
    metavar="FILE",
    help="TLS certificate chain (PEM); reloaded when it changes.",
)
@click.option("--key-file", required=True, metavar="FILE", help="TLS private key (PEM).")
@click.option(
    "--port", default=8443, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on."
)
@click.option("--host", default="0.0.0.0", show_default=True, help="Address to listen on.")
@click.option(
    "--client-ca",
    metavar="FILE",
    default=None,
    help="Require a client certificate signed by this CA (the API server's webhook client certificate).",
)
@click.option(
    "--token-file",
    metavar="FILE",
    default=None,
    help="Require 'Authorization: Bearer <token>' with the token in FILE (401 otherwise).",
)
@click.option(
    "--spool-dir",
    default="kubeguard-audit-spool",
    show_default=True,
    metavar="DIR",
    help="Where acknowledged batches are kept until detection has read them.",
)
@click.option(
    "--alert-url",
    metavar="URL",
    default=None,
    help="Also POST each alert to URL in Falcosidekick's (Falco output) JSON shape.",
)
@click.option("--select", "-s", multiple=True, metavar="RULES", help="Run only these AUD rules.")
@click.option("--ignore", "-i", multiple=True, metavar="RULES", help="Skip these AUD rules.")
@click.option(
    "--config",
    "-c",
    "config_path",
    metavar="FILE",
    default=None,
    help="Configuration with the audit allow-lists (default: ./.kubeguard.yaml if present).",
)
def serve_command(
    cert_file: str,
    key_file: str,
    port: int,
    host: str,
    client_ca: str | None,
    token_file: str | None,
    spool_dir: str,
    alert_url: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    config_path: str | None,
) -> None:
    """Receive audit events from the API server's webhook backend and alert on them."""
    if client_ca is None and token_file is None:
        fail_usage("give --client-ca or --token-file (or both): the receiver never accepts anonymous batches")
    token = None
    if token_file is not None:
        try:
            with open(token_file, encoding="utf-8") as fh:
                token = fh.read().strip()
        except (OSError, UnicodeDecodeError) as exc:
            fail_usage(f"cannot read {token_file}: {getattr(exc, 'strerror', None) or exc}")
        if not token:
            fail_usage(f"{token_file} holds no token")
    try:
        rules = select_rules(all_audit_rules(), split_list(select), split_list(ignore))
        context = AuditContext(resolve_config(config_path))
    except (RegistryError, ConfigError) as exc:
        fail_usage(str(exc))
    url_sink = None
    sinks: list[Sink] = [StreamSink(sys.stdout.buffer)]
    if alert_url is not None:
        try:
            url_sink = UrlSink(alert_url)
        except ValueError as exc:
            fail_usage(str(exc))
        sinks.append(url_sink)
    try:
        spool = Spool(spool_dir)
    except SpoolError as exc:
        fail_usage(str(exc))
    detector = Detector(spool, rules, context, sinks)
    detector.start()
    app = ReceiverApp(spool, token)
    options = ServeOptions(host=host, port=port, tls=TlsFiles(cert_file, key_file, client_ca), workers=1)

    def started(bound: int) -> None:
        click.echo(f"kubeguard audit receiver listening on https://{host}:{bound}", err=True)

    try:
        run(app, options, metrics=app.metrics, started=started)
    except ServeError as exc:
        fail_usage(str(exc))
    finally:
        detector.stop()
        if url_sink is not None:
            url_sink.close()
        spool.close()


@click.command(
    "config",
    epilog="\b\nExamples:\n"
    "  kubeguard audit config --server https://kubeguard-audit.example:8443/ \\\n"
    "      --ca-file /etc/kubernetes/kubeguard/ca.crt\n"
    "  kubeguard audit config --only policy > audit-policy.yaml",
)
@click.option(
    "--server",
    default="https://127.0.0.1:8443/",
    show_default=True,
    metavar="URL",
    help="The receiver's URL, as the API server reaches it.",
)
@click.option(
    "--ca-file",
    default="/etc/kubernetes/kubeguard/ca.crt",
    show_default=True,
    metavar="PATH",
    help="Path (on the API server's host) of the CA that signed the receiver's certificate.",
)
@click.option(
    "--token-file",
    metavar="PATH",
    default=None,
    help="Path of the bearer token file (referenced, never printed).",
)
@click.option(
    "--client-cert", metavar="PATH", default=None, help="Path of the API server's client certificate."
)
@click.option("--client-key", metavar="PATH", default=None, help="Path of that certificate's key.")
@click.option(
    "--only",
    type=click.Choice(["kubeconfig", "policy"]),
    default=None,
    help="Print only one of the two documents.",
)
@click.option(
    "--select", "-s", multiple=True, metavar="RULES", help="Make the policy for these AUD rules only."
)
@click.option(
    "--ignore", "-i", multiple=True, metavar="RULES", help="Leave these AUD rules out of the policy."
)
def config_command(
    server: str,
    ca_file: str,
    token_file: str | None,
    client_cert: str | None,
    client_key: str | None,
    only: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
) -> None:
    """Print the API server's audit webhook kubeconfig and an audit Policy that logs what the AUD
    rules need (and passes kubeguard's own audit-policy rules CP100-CP104)."""
    if bool(client_cert) != bool(client_key):
        fail_usage("give --client-cert and --client-key together")
    try:
        rules = select_rules(all_audit_rules(), split_list(select), split_list(ignore))
    except RegistryError as exc:
        fail_usage(str(exc))
    kubeconfig = webhook_kubeconfig(server, ca_file, token_file, client_cert, client_key)
    policy = audit_policy(rules)
    click.echo(
        render(kubeconfig if only != "policy" else None, policy if only != "kubeconfig" else None), nl=False
    )
