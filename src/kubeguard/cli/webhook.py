"""``kubeguard webhook``: the validating admission webhook (``serve``) and its deployment (``manifests``)."""

from __future__ import annotations

import logging

import click

from kubeguard.cli.common import fail_usage, note, output_option, split_list, write_output
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
  kubeguard webhook serve --cert-file tls.crt --key-file tls.key \\
      --mode warn --fail-on high
  kubeguard webhook serve --cert-file tls.crt --key-file tls.key \\
      --config /etc/kubeguard/.kubeguard.yaml

\b
Endpoints: POST /validate (AdmissionReview admission.k8s.io/v1),
           GET /healthz, /readyz, /metrics.

Exit codes: 0 stopped by SIGTERM or SIGINT; 2 cannot start (options, configuration, certificate,
port).""",
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
        log_level=log_level,
    )
    try:
        run(app, options, metrics=app.metrics)
    except ServeError as exc:
        fail_usage(str(exc))


@webhook_group.command(
    "manifests",
    epilog="""\b
Examples:
  kubeguard webhook manifests --image registry.example/kubeguard@sha256:... \\
      | kubectl apply -f -
  kubeguard webhook manifests --namespace kubeguard --cert-manager \\
      --image IMAGE -o webhook.yaml
  kubeguard webhook manifests --image IMAGE --api-server-cidr 203.0.113.0/24 \\
      --mode audit

Without --cert-manager the output holds a private key (the serving certificate's, in a Secret):
keep it out of version control; run the command again to renew the certificate (valid one year).""",
)
@click.option("--namespace", "-n", default="kubeguard", show_default=True, help="Namespace of the webhook.")
@click.option(
    "--image",
    required=True,
    metavar="IMAGE@sha256:DIGEST",
    help="The kubeguard container image to run, pinned by digest.",
)
@click.option(
    "--cert-manager",
    is_flag=True,
    help="Let cert-manager issue the certificate and inject the CA bundle (else a CA is made now).",
)
@click.option(
    "--api-server-cidr",
    multiple=True,
    metavar="CIDR",
    help="Address range the API server reaches pods from, allowed to port 8443 by the NetworkPolicy "
    "(repeatable; default: 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10).",
)
@click.option(
    "--mode",
    type=click.Choice(["enforce", "warn", "audit"]),
    default="enforce",
    show_default=True,
    help="The mode written into the webhook's configuration (start with audit, see docs/admission.md).",
)
@click.option(
    "--replicas", default=2, show_default=True, type=click.IntRange(2, 50), help="Webhook replicas."
)
@output_option
def manifests_command(
    namespace: str,
    image: str,
    cert_manager: bool,
    api_server_cidr: tuple[str, ...],
    mode: str,
    replicas: int,
    output: str | None,
) -> None:
    """Print every object that deploys the webhook (apply with kubectl).

    Namespace, ServiceAccount, ConfigMap (the webhook's configuration), Deployment, PodDisruptionBudget,
    Service, NetworkPolicies, ResourceQuota, the certificate (cert-manager Issuer and Certificate, or
    a Secret signed by a CA made now) and the ValidatingWebhookConfiguration (failurePolicy Fail).
    """
    import ipaddress
    import re

    from kubeguard.webhook.manifests import DEFAULT_API_SERVER_CIDRS, ManifestOptions, render

    if not re.fullmatch(r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?", namespace):
        fail_usage(f"--namespace {namespace!r} is not a valid namespace name (a DNS label)")
    for cidr in api_server_cidr:
        try:
            ipaddress.ip_network(cidr)
        except ValueError:
            fail_usage(f"--api-server-cidr {cidr!r} is not an address range such as 10.0.0.0/8")
    if "@sha256:" not in image:
        note(f"warning: --image {image} is not pinned by digest; kubeguard scan reports IMG002 for it")
    options = ManifestOptions(
        namespace=namespace,
        image=image,
        cert_manager=cert_manager,
        api_server_cidrs=api_server_cidr or DEFAULT_API_SERVER_CIDRS,
        replicas=replicas,
        mode=mode,
    )
    write_output(render(options), output)


COMMAND = webhook_group
