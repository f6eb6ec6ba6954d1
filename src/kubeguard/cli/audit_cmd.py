"""``kubeguard audit``: run the AUD rules over audit logs (``audit FILE... | -``); ``audit serve`` and
``audit config`` are its subcommands.

Exit codes follow ``scan``: 1 when an alert reaches ``--fail-on``; otherwise 3 when some input or
record could not be read (the answer may rest on what was lost); 2 for usage errors; else 0. An
empty log is an answer (0): nothing happened.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from kubeguard.api import audit
from kubeguard.cli.audit_serve import config_command, serve_command
from kubeguard.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_UNREADABLE,
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
from kubeguard.findings.audit import Alert, AuditReport
from kubeguard.loading.audit import FORMATS, ReadOptions
from kubeguard.loading.config import ConfigError
from kubeguard.reporters import audit_json, audit_table
from kubeguard.rules.rule import Severity

#: The hidden subcommand that ``kubeguard audit FILE...`` runs.
CHECK = "check"


class _AuditGroup(click.Group):
    """A group whose first argument, when it names no subcommand, is a file: ``audit FILE...``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("-h", "--help")):
            args = [CHECK, *args]
        return super().parse_args(ctx, args)


@click.group(
    "audit",
    cls=_AuditGroup,
    epilog="\b\nExamples:\n"
    "  kubeguard audit /var/log/kubernetes/audit.log\n"
    "  kubeguard audit audit-*.log.gz --format json --fail-on high\n"
    "  gcloud logging read 'resource.type=k8s_cluster' --format=json \\\n"
    "      | kubeguard audit -\n"
    "  kubeguard audit serve --cert-file tls.crt --key-file tls.key \\\n"
    "      --token-file token\n"
    "  kubeguard audit config --server https://kubeguard.example:8443",
)
def audit_command() -> None:
    """Detect attacks in Kubernetes audit logs: `kubeguard audit FILE... | -` runs the AUD rules
    over the events of the files (JSON lines or EventList, plain or gzip; EKS, GKE and AKS exports
    recognized per record). See docs/audit.md.

    \b
    kubeguard audit FILE... [options]
        alerts on the events of FILE (- for stdin); see `audit check -h`
    """


@audit_command.command(
    CHECK,
    hidden=True,
    epilog="\b\nExamples:\n  kubeguard audit audit.log\n  kubeguard audit - --format jsonl < audit.log",
)
@click.argument("paths", nargs=-1, metavar="FILE... | -")
@format_option(
    ["table", "json", "jsonl"],
    "table",
    help="Output: table (for people), json (one document), jsonl (one alert per line, as raised).",
)
@output_option
@click.option(
    "--select",
    "-s",
    multiple=True,
    metavar="RULES",
    help="Run only these AUD rules: codes (AUD001), prefixes, slugs. Repeat or comma-separate.",
)
@click.option("--ignore", "-i", multiple=True, metavar="RULES", help="Skip these rules (same forms).")
@fail_on_option
@click.option(
    "--config",
    "-c",
    "config_path",
    metavar="FILE",
    default=None,
    help="Configuration with the audit allow-lists (default: ./.kubeguard.yaml if present).",
)
@click.option(
    "--input-format",
    type=click.Choice(FORMATS),
    default="auto",
    show_default=True,
    help="Read every record as this format (auto: recognize each record: k8s, eks, gke, aks).",
)
def check_command(
    paths: tuple[str, ...],
    fmt: str,
    output: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    fail_on: str,
    config_path: str | None,
    input_format: str,
) -> None:
    """Run the AUD rules over the audit events of FILE... (- for standard input)."""
    if not paths:
        fail_usage("give the audit log files to read, or - for standard input (see kubeguard audit -h)")
    stream: Any = None
    on_alert = None
    if fmt == "jsonl":
        stream = _binary_output(output)

        def on_alert(alert: Alert) -> None:
            stream.write(audit_json.jsonl_line(alert))
            stream.flush()

    try:
        report = audit(
            list(paths),
            read_options=ReadOptions(input_format=input_format),
            select=split_list(select),
            ignore=split_list(ignore),
            config=config_path,
            on_alert=on_alert,
            keep_alerts=fmt != "jsonl",
        )
    except (RegistryError, ConfigError) as exc:
        fail_usage(str(exc))
    finally:
        if stream is not None and stream is not sys.stdout.buffer:
            stream.close()
    if fmt == "json":
        write_output(audit_json.render(report), output)
    elif fmt == "table":
        write_output(audit_table.render(report, screen=screen_for(output)), output)
    else:
        for error in report.errors:
            note(f"error: {error}")
        note(audit_table.summary_line(report))
    sys.exit(exit_code(report, Severity.parse(fail_on)))


def _binary_output(output: str | None) -> Any:
    if output and output != "-":
        try:
            return open(output, "wb")
        except OSError as exc:
            fail_usage(f"cannot write {output}: {exc.strerror or exc}")
    return sys.stdout.buffer


def exit_code(report: AuditReport, fail_on: Severity) -> int:
    """1 when an alert reaches ``fail_on``; else 3 when anything could not be read; else 0."""
    if any(Severity.parse(label) >= fail_on for label, n in report.summary.by_severity.items() if n):
        return EXIT_FINDINGS
    if report.errors or report.summary.records_with_errors:
        return EXIT_UNREADABLE
    return EXIT_OK


audit_command.add_command(serve_command)
audit_command.add_command(config_command)

COMMAND = audit_command
