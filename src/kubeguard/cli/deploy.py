"""``kubeguard deploy manifests``: the in-cluster deployment of scheduled scans (and a dashboard)."""

from __future__ import annotations

import click

from kubeguard.cli.common import note, output_option, write_output
from kubeguard.deploy.manifests import FleetOptions, render


@click.group("deploy")
def deploy() -> None:
    """Manifests to run kubeguard inside a cluster (see docs/fleet.md)."""


@deploy.command("manifests")
@click.option(
    "--store-secret",
    required=True,
    metavar="NAME",
    help="Secret in namespace kubeguard whose key 'url' holds the store URL (postgresql://...).",
)
@click.option(
    "--image",
    required=True,
    metavar="REF",
    help="The kubeguard image to run, pinned by digest (registry/kubeguard@sha256:...).",
)
@click.option(
    "--cluster-name",
    required=True,
    metavar="NAME",
    help="What this cluster's scans are stored as (the store's source 'cluster:NAME'); unique per cluster.",
)
@click.option("--schedule", default="17 */6 * * *", show_default=True, help="The CronJob's schedule.")
@click.option("--dashboard", is_flag=True, help="Also a dashboard Deployment and Service (HTTPS).")
@click.option(
    "--dashboard-tls-secret",
    default="kubeguard-dashboard-tls",
    show_default=True,
    metavar="NAME",
    help="kubernetes.io/tls Secret with the dashboard's certificate.",
)
@output_option
def manifests_command(
    store_secret: str,
    image: str,
    cluster_name: str,
    schedule: str,
    dashboard: bool,
    dashboard_tls_secret: str,
    output: str | None,
) -> None:
    """Print the manifests of a scheduled scanner writing to a results store.

    A CronJob runs `kubeguard scan --cluster --store $(KUBEGUARD_STORE)` (the URL from the Secret,
    through the environment) one run at a time, as the ServiceAccount bound to the read-only
    ClusterRole of deploy/kubeguard-scanner-rbac.yaml, restricted and with resource limits.

    \b
    Examples:
      kubectl -n kubeguard create secret generic kubeguard-store \\
          --from-literal=url=postgresql://...
      kubeguard deploy manifests --store-secret kubeguard-store \\
          --cluster-name prod-eu --image registry.example/kubeguard@sha256:... \\
          | kubectl apply -f -
    """
    if "@sha256:" not in image:
        note(
            f"warning: image {image} is not pinned by digest: the CronJob may run a different image each time"
        )
    options = FleetOptions(
        store_secret=store_secret,
        image=image,
        cluster_name=cluster_name,
        schedule=schedule,
        dashboard=dashboard,
        dashboard_tls_secret=dashboard_tls_secret,
    )
    write_output(render(options), output)


COMMAND = deploy
