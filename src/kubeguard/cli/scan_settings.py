"""Options of every command that runs the rules on manifests (``scan``, ``compliance``): which rules,
the configuration file, what the rules check (``--pss``, ``--k8s-version``, ``--no-builtin-rbac``),
and ``--exit-zero``; one definition so the commands cannot drift apart."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from kubeguard.cli.common import fail_usage
from kubeguard.model.versions import PssPolicy, VersionError
from kubeguard.rules.context import OptionsError, ScanOptions

F = TypeVar("F", bound=Callable[..., Any])


def rule_selection_options(f: F) -> F:
    """``--select/-s`` and ``--ignore/-i`` (into ``select`` and ``ignore``)."""
    f = click.option(
        "--ignore", "-i", multiple=True, metavar="RULES", help="Skip these rules (same forms as --select)."
    )(f)
    return click.option(
        "--select",
        "-s",
        multiple=True,
        metavar="RULES",
        help="Run only these rules: codes (PSS002), prefixes or families (PSS), slugs. Repeat or comma-separate.",
    )(f)


def scan_settings_options(f: F) -> F:
    """``--config/-c`` (``config_path``), ``--pss``, ``--k8s-version``, ``--no-builtin-rbac`` and
    ``--exit-zero``; :func:`scan_options_from` turns the middle three into :class:`ScanOptions`."""
    f = click.option(
        "--exit-zero",
        is_flag=True,
        help="Exit 0 even when findings are reported (usage errors and unreadable input still exit 2 or 3).",
    )(f)
    f = click.option(
        "--no-builtin-rbac",
        is_flag=True,
        help="Do not assume Kubernetes' default roles and bindings (use for a complete cluster capture).",
    )(f)
    f = click.option(
        "--k8s-version",
        default="latest",
        show_default=True,
        metavar="VERSION",
        help="Target Kubernetes version (v1.N) for removed-API checks and RBAC017 (token Secrets before v1.24).",
    )(f)
    f = click.option(
        "--pss",
        "pss",
        default="restricted:latest",
        show_default=True,
        metavar="LEVEL[:VERSION]",
        help="Pod Security Standards level (baseline, restricted) and version (latest, v1.N) for PSS rules.",
    )(f)
    return click.option(
        "--config",
        "-c",
        "config_path",
        metavar="FILE",
        default=None,
        help="Configuration with exceptions and settings (default: ./.kubeguard.yaml if present).",
    )(f)


def scan_options_from(pss: str, k8s_version: str, no_builtin_rbac: bool) -> ScanOptions:
    """The :class:`ScanOptions` of the command line; a bad value is a usage error (exit 2)."""
    try:
        policy = PssPolicy.parse(pss)
    except VersionError as exc:
        fail_usage(f"invalid --pss: {exc}")
    try:
        return ScanOptions(
            pss_level=policy.level,
            pss_version=str(policy.version),
            k8s_version=k8s_version,
            builtin_rbac=not no_builtin_rbac,
        )
    except OptionsError as exc:
        fail_usage(f"invalid --k8s-version: {str(exc).removeprefix('k8s_version: ')}")
