"""``kubeguard``: the command group; subcommands are discovered from this package."""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys

import click

from kubeguard._version import __version__

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, "--version", "-V", prog_name="kubeguard")
def cli() -> None:
    """kubeguard: Kubernetes security posture, checked the way Kubernetes itself decides.

    \b
    Examples:
      kubeguard scan examples/insecure
      kubeguard scan k8s/ --format sarif --output kubeguard.sarif
      helm template ./chart | kubeguard scan -
      kubeguard rules --family PSS
      kubeguard explain PSS002

    Exit codes: 0 no finding at or above --fail-on; 1 findings; 2 usage error or nothing to scan;
    3 some input could not be read (and no finding reached the threshold).
    """


def _register() -> None:
    import kubeguard.cli as pkg

    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
        if info.name in ("main", "common"):
            continue
        module = importlib.import_module(f"{pkg.__name__}.{info.name}")
        command = getattr(module, "COMMAND", None)
        if isinstance(command, click.Command):
            cli.add_command(command)


_register()


def main() -> None:
    try:
        cli(prog_name="kubeguard")
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)


def kubectl_main() -> None:
    """``kubectl-kubeguard``: kubeguard as a kubectl plugin (``kubectl kubeguard scan``).

    The same commands and options; kubectl's own flags ``--kubeconfig``, ``--context`` and
    ``-n/--namespace`` mean what they mean to kubectl, and a command given no PATH reads the cluster
    of the current context, as kubectl would talk to it.
    """
    from kubeguard.cli.common import PLUGIN_ENV

    os.environ[PLUGIN_ENV] = "1"
    try:
        cli(prog_name="kubectl kubeguard")
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)


if __name__ == "__main__":
    main()
