"""``kubeguard snapshot``: a live cluster into one file, for offline analysis with every command."""

from __future__ import annotations

import sys

import click

from kubeguard.api import ClusterSource, take_snapshot
from kubeguard.cli.common import (
    EXIT_OK,
    EXIT_UNREADABLE,
    Inputs,
    cluster_errors,
    fail_usage,
    note,
    split_list,
)
from kubeguard.loading.files import LoadOptions


@click.command(
    "snapshot",
    epilog="""\b
Examples:
  kubeguard snapshot -o prod.kgsnap          # the current kubeconfig context
  kubeguard snapshot --context prod -n shop -o shop.kgsnap
  kubeguard scan prod.kgsnap                 # later, anywhere
  kubeguard rbac who-can get secrets prod.kgsnap

\b
Exit codes:
  0  the snapshot was written with everything a scan reads
  2  usage error, or the cluster cannot be read (nothing is written)
  3  the snapshot was written, but some kinds could not be listed (named on
     stderr)""",
)
@click.option(
    "--output", "-o", required=True, metavar="FILE", help="Write the snapshot (gzip-compressed JSON) to FILE."
)
@click.option(
    "--kubeconfig",
    metavar="FILE",
    default=None,
    help="Kubeconfig (default: $KUBECONFIG, else ~/.kube/config; in a pod, its service account).",
)
@click.option("--context", metavar="NAME", default=None, help="Kubeconfig context (default: current).")
@click.option(
    "--namespace",
    "-n",
    "namespaces",
    multiple=True,
    metavar="NS",
    help="List namespaced kinds in NS only (repeatable; cluster-scoped kinds are always read).",
)
@click.option("--no-progress", is_flag=True, help="Never show the progress indicator on stderr.")
def snapshot_command(
    output: str, kubeconfig: str | None, context: str | None, namespaces: tuple[str, ...], no_progress: bool
) -> None:
    """Save what a scan reads from a live cluster into one compressed, versioned FILE.

    The snapshot holds the objects every rule reads (Secrets without their values, no managed
    fields or status), the server version, the context name, the collection time and what could
    not be listed. Every command reads it like the cluster it came from (`kubeguard scan FILE`),
    with the findings a live scan gave at that time. It holds no credential. See docs/cluster.md.
    """
    source = ClusterSource(kubeconfig=kubeconfig, context=context, namespaces=tuple(split_list(namespaces)))
    inputs = Inputs(LoadOptions(cluster=source), show_progress=not no_progress and sys.stderr.isatty())
    try:
        with inputs.progress() as progress, cluster_errors():
            read = take_snapshot(source, output, progress=progress)
    except OSError as exc:
        fail_usage(f"cannot write {output}: {exc.strerror or exc}")
    for err in read.errors:
        note(f"error: {err}")
    for warning in read.warnings:
        note(f"warning: {warning}")
    info = read.info
    note(
        f"wrote {len(read.resources)} object(s) of context {info.context} "
        f"(server {info.version or 'version unknown'}, {info.collected_at}) to {output}"
    )
    sys.exit(EXIT_UNREADABLE if read.errors else EXIT_OK)


COMMAND = snapshot_command
