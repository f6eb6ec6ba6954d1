"""``kubeguard node``: the CIS control plane and worker node checks of one node, from its files."""

from __future__ import annotations

import os
import sys

import click

from kubeguard.api import scan_node
from kubeguard.cli.common import (
    fail_on_option,
    fail_usage,
    format_option,
    note,
    output_option,
    screen_for,
    split_list,
    write_output,
)
from kubeguard.engine.registry import RegistryError
from kubeguard.loading.config import ConfigError
from kubeguard.reporters import render
from kubeguard.rules.rule import Severity

NODE_FORMATS = ("table", "json")


@click.command(
    "node",
    epilog="""\b
Examples:
  sudo kubeguard node                    # on a control plane or worker node
  kubeguard node --root /mnt/node-copy   # a copied node tree, offline
  kubeguard node --root ./cp-1 -f json -o node.json
  kubeguard node --ignore CP119 -c .kubeguard.yaml   # accepted risks

\b
What is read (paths under --root):
  /etc/kubernetes/manifests/*.yaml
      static pods (API server, controller manager, scheduler, etcd)
  files the API server names
      --audit-policy-file, --encryption-provider-config
  /etc/kubernetes/{admin,super-admin,scheduler,controller-manager,kubelet}
      .conf: the kubeconfigs
  /etc/kubernetes/pki/
      certificates and keys
  kubelet.service and kubelet.service.d/
      the kubelet command line, with kubeadm-flags.env and
      /etc/default/kubelet (KUBELET_EXTRA_ARGS)
  /var/lib/kubelet/config.yaml
      or the file the kubelet's --config names

\b
Exit codes:
  0  no unsuppressed finding at or above --fail-on
  1  findings at or above --fail-on
  2  usage error, or nothing to check (no control plane or kubelet file under
     --root)
  3  some file could not be read, and no finding reached --fail-on""",
)
@click.option(
    "--root",
    "root",
    default="/",
    show_default=True,
    metavar="DIR",
    help="Folder holding the node's file tree: / on the node, or a copy of it.",
)
@format_option(NODE_FORMATS, "table", help="Report format: table (for people) or json (stable schema).")
@output_option
@fail_on_option
@click.option(
    "--select",
    "-s",
    multiple=True,
    metavar="RULES",
    help="Run only these CP rules: codes (CP015), prefixes (CP1) or slugs. Repeat or comma-separate.",
)
@click.option(
    "--ignore", "-i", multiple=True, metavar="RULES", help="Skip these rules (same forms as --select)."
)
@click.option(
    "--config",
    "-c",
    "config_path",
    metavar="FILE",
    default=None,
    help="Configuration with exceptions (default: ./.kubeguard.yaml if present). A node file is "
    "matched by kind NodeFile and its node path as name.",
)
def node_command(
    root: str,
    fmt: str,
    output: str | None,
    fail_on: str,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    config_path: str | None,
) -> None:
    """Check a node's control plane and kubelet configuration and file permissions (CIS Kubernetes
    Benchmark v1.12 sections 1-4), reading the files under --root.

    Runs every CP rule: flags of the static pods and the kubelet (a kubelet flag wins over its
    configuration file), the audit policy and encryption configuration the API server names, and
    the ownership and permissions of manifests, kubeconfigs, PKI files and kubelet files.
    """
    if not os.path.isdir(root):
        fail_usage(f"--root {root}: not a directory")
    try:
        report = scan_node(root, select=split_list(select), ignore=split_list(ignore), config=config_path)
    except (ConfigError, RegistryError) as exc:
        fail_usage(str(exc))
    if report.resources == 0:
        fail_usage(
            f"nothing to check: no control plane or kubelet files under {os.path.abspath(root)} (looked for "
            "/etc/kubernetes/manifests, /etc/kubernetes/*.conf, /etc/kubernetes/pki, kubelet systemd units "
            "and /var/lib/kubelet/config.yaml)"
        )
    if fmt == "table":
        note(f"checked {os.path.abspath(root)}: " + "; ".join(report.options["checked"]))
    write_output(render(report, fmt, screen=screen_for(output)), output)
    sys.exit(report.exit_code(Severity.parse(fail_on)))


COMMAND = node_command
