"""``kubeguard webhook``: the validating admission webhook (``serve``) and its deployment (``manifests``)."""

from __future__ import annotations

import logging

import click

from kubeguard.cli.common import fail_usage, split_list
from kubeguard.engine.registry import RegistryError
from kubeguard.loading.config import ConfigError
from kubeguard.rules.context import OptionsError, ScanOptions
from kubeguard.rules.rule import Severity


@click.group("webhook")
def webhook_group() -> None:
    """Enforce the scan's rules when objects are created: a validating admission webhook.

    See docs/admission.md for deployment, modes, exemptions and rollout.
    """


@webhook_group.command(
    "serve",
    epilog="""\b
Examples:
  kubeguard webhook serve --cert-file /tls/tls.crt --key-file /tls/tls.key
  kubeguard webhook serve --cert-file tls.crt --key-file tls.key --mode warn --fail-on high
  kubeguard webhook serve --cert-file tls.crt --key-file tls.key --config /etc/kubeguard/.kubeguard.yaml

\b
Endpoints: POST /validate (AdmissionReview admission.k8s.io/v1), GET /healthz, /readyz, /metrics.
Exit codes: 0 stopped by SIGTERM or SIGINT; 2 cannot start (options, configuration, certificate, port).""",
)
@click.option(
    "--cert-file",
    required=True,
    metavar="FILE",
    help="TLS certificate (chain), PEM; reloaded when it changes.",
)
@click.option(
    "--key-file", required=True, metavar="FILE", help="TLS private key, PEM; reloaded with the certificate."
)
@click.option(
    "--client-ca-file", metavar="FILE", help="Require client certificates signed by this CA (mutual TLS)."
)
@click.option("--host", default="0.0.0.0", show_default=True, help="Address to listen on.")
@click.option(
    "--port", default=8443, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on."
)
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64), help="Worker processes.")
@click.option(
    "--mode",
    type=click.Choice(["enforce", "warn", "audit"]),
    default=None,
    help="enforce: deny; warn: admit with warnings; audit: admit with audit annotations "
    "[default: the config's admission.mode, else enforce].",
)
@click.option(
    "--fail-on",
    type=click.Choice([s.label for s in Severity]),
    default=None,
    help="Lowest severity that denies (enforce) or is reported (warn, audit) [default: the config's "
    "admission.failOn, else low].",
)
@click.option(
    "--pss",
    default=None,
    metavar="LEVEL[:VERSION]",
    help="Pod Security Standards level and version for PSS rules [default: the config's admission.pss, "
    "else restricted:latest].",
)
@click.option(
    "--select", "-s", multiple=True, metavar="RULES", help="Run only these rules (as kubeguard scan)."
)
@click.option("--ignore", "-i", multiple=True, metavar="RULES", help="Skip these rules (as kubeguard scan).")
@click.option(
    "--config",
    "-c",
    "config_path",
    metavar="FILE",
    default=None,
    help="Configuration: exceptions, settings, the admission section (default: ./.kubeguard.yaml if present).",
)
@click.option(
    "--k8s-version", default="latest", show_default=True, metavar="VERSION", help="Target Kubernetes version."
)
@click.option(
    "--on-error",
    type=click.Choice(["deny", "allow"]),
    default="deny",
    show_default=True,
    help="Decision when an object cannot be judged (a rule raised): deny fails closed.",
)
@click.option(
    "--reload-interval",
    default=10.0,
    show_default=True,
    type=click.FloatRange(0.1, 3600),
    help="Seconds between looks at the certificate files.",
)
@click.option(
    "--log-level",
    type=click.Choice(["debug", "info", "warning", "error"]),
    default="info",
    show_default=True,
    help="Log level (logs go to stderr).",
)
def serve_command(
    cert_file: str,
    key_file: str,
    client_ca_file: str | None,
    host: str,
    port: int,
    workers: int,
    mode: str | None,
    fail_on: str | None,
    pss: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    config_path: str | None,
    k8s_version: str,
    on_error: str,
    reload_interval: float,
    log_level: str,
) -> None:
    """Serve the validating admission webhook over TLS.

    Objects are judged with the same rules, options and configuration as `kubeguard scan`, except
    the rules that need other objects (listed in docs/admission.md).
    """
    from kubeguard.api import resolve_config
    from kubeguard.api import select as select_rules
    from kubeguard.serve import ServeError, ServeOptions, TlsFiles, run
    from kubeguard.webhook.app import WebhookApp
    from kubeguard.webhook.policy import AdmissionPolicy, PolicyError
    from kubeguard.webhook.review import Judge

    logging.basicConfig(level=log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        config = resolve_config(config_path)
        rules = select_rules(split_list(select), split_list(ignore))
        base = ScanOptions(k8s_version=k8s_version)
        policy = AdmissionPolicy(config, mode=mode, fail_on=fail_on, pss=pss, base=base)
    except (RegistryError, ConfigError, PolicyError) as exc:
        fail_usage(str(exc))
    except OptionsError as exc:
        fail_usage(f"invalid --k8s-version: {str(exc).removeprefix('k8s_version: ')}")
    app = WebhookApp(Judge(rules, config, policy, on_error=on_error))
    options = ServeOptions(
        host=host,
        port=port,
        tls=TlsFiles(cert_file, key_file, client_ca_file),
        workers=workers,
        reload_interval=reload_interval,
    )
    try:
        run(app, options, metrics=app.metrics)
    except ServeError as exc:
        fail_usage(str(exc))


COMMAND = webhook_group
