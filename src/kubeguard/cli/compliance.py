"""``kubeguard compliance``: scan, then judge the result against compliance frameworks."""

from __future__ import annotations

import datetime as dt
import sys
import time

import click
from click.core import ParameterSource

from kubeguard.api import compliance as run_compliance
from kubeguard.cli.common import (
    Inputs,
    cluster_errors,
    fail_on_option,
    fail_usage,
    format_option,
    input_options,
    namespace_filter_option,
    note,
    output_option,
    screen_for,
    split_list,
    write_output,
)
from kubeguard.cli.history import keep_options, store_scan
from kubeguard.cli.scan_settings import rule_selection_options, scan_options_from, scan_settings_options
from kubeguard.compliance import frameworks
from kubeguard.engine.registry import RegistryError
from kubeguard.findings.compliance import ControlStatus, FrameworkAssessment, UnknownFramework
from kubeguard.findings.report import ScanReport
from kubeguard.loading.config import ConfigError
from kubeguard.reporters.compliance import FORMATS, render
from kubeguard.rules.rule import Severity


def _framework_names() -> str:
    return ", ".join(
        fw.id + (f" ({', '.join(fw.aliases)})" if fw.aliases else "") for fw in frameworks().values()
    )


@click.command(
    "compliance",
    epilog="""\b
Examples:
  kubeguard compliance k8s/ --framework cis-1.12
  kubeguard compliance k8s/ --framework pci-4.0,soc2 -f json -o out.json
  kubeguard compliance k8s/                        # every framework

\b
Exit codes:
  0  no failed control has an unsuppressed finding at or above --fail-on
  1  a failed control of the chosen frameworks has a finding at or above
     --fail-on
  2  usage error (unknown framework), or nothing to scan
  3  some input could not be read, and no failed control reached --fail-on""",
)
@click.argument("paths", nargs=-1, metavar="PATH...")
@click.option(
    "--framework",
    "framework_names",
    multiple=True,
    metavar="ID",
    help="Framework to judge against (repeat or comma-separate; default: all): "
    "cis-1.12, nsa, mitre, pci-4.0, soc2, iso27001, hipaa, pss.",
)
@format_option(FORMATS, "table", help="Output format: " + ", ".join(FORMATS) + " (see docs/compliance.md).")
@output_option
@rule_selection_options
@fail_on_option
@namespace_filter_option
@scan_settings_options
@keep_options()
@input_options
def compliance_command(
    paths: tuple[str, ...],
    framework_names: tuple[str, ...],
    fmt: str,
    output: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    fail_on: str,
    namespaces: tuple[str, ...],
    config_path: str | None,
    pss: str,
    k8s_version: str,
    no_builtin_rbac: bool,
    exit_zero: bool,
    store_url: str | None,
    source_name: str | None,
    inputs: Inputs,
) -> None:
    """Judge manifests against compliance frameworks: each control pass, fail (with its findings),
    not-assessed (no object in scope), manual (what a person must check) or not-covered, and a score
    per framework (passed ÷ (passed + failed) controls).

    PATH is read as by `kubeguard scan`, with the same options; --cluster reads the live cluster.
    --store keeps the scan (with every framework's score) as `kubeguard scan --store` does.
    See docs/compliance.md.
    """
    if not paths and inputs.cluster is None:
        fail_usage(
            "nothing to scan: give one or more PATHs (or - for standard input, or --cluster); "
            "see `kubeguard compliance --help`"
        )
    names = split_list(framework_names)
    chosen = None if not names or "all" in names else names
    options = scan_options_from(pss, k8s_version, no_builtin_rbac)
    # as for scan: a version given explicitly is kept; `latest` by default takes a live cluster's
    click_ctx = click.get_current_context()
    given = {
        name
        for name, param, explicit in (("pss", "pss", ":" in pss), ("k8s", "k8s_version", True))
        if explicit and click_ctx.get_parameter_source(param) not in (ParameterSource.DEFAULT, None)
    }
    inputs = inputs.for_namespaces(split_list(namespaces))
    started, clock = dt.datetime.now(dt.UTC), time.perf_counter()
    try:
        with inputs.progress() as progress, cluster_errors():
            report, assessments = run_compliance(
                list(paths),
                chosen,
                select=split_list(select),
                ignore=split_list(ignore),
                options=options,
                load_options=inputs.load_options,
                config=config_path,
                namespaces=split_list(namespaces),
                progress=progress,
                server_version_for={"pss", "k8s"} - given,
            )
    except UnknownFramework as exc:
        fail_usage(f"unknown framework {exc.args[0]!r}: choose from {_framework_names()}, or all")
    except (RegistryError, ConfigError) as exc:
        fail_usage(str(exc))
    if report.resources == 0 and not report.errors:
        if namespaces:
            fail_usage(f"nothing to scan: no object in namespace(s) {', '.join(split_list(namespaces))}")
        fail_usage(f"nothing to scan: no Kubernetes manifests found in {inputs.describe(paths)}")
    seconds = time.perf_counter() - clock
    write_output(render(assessments, report, fmt, screen=screen_for(output)), output)
    if fmt == "json":
        # the JSON document is the frameworks' (docs/compliance.md); what could not be read goes to
        # stderr, so that an exit code 3 is explained (table, Markdown and HTML show it themselves)
        for problem in report_problems(report):
            note(f"error: {problem}")
    if output and fmt != "table":
        click.echo(f"wrote {fmt} compliance report to {output}", err=True)
    if store_url:
        store_scan(store_url, report, list(paths), started, seconds, source_name)
    code = exit_code(assessments, report, Severity.parse(fail_on))
    if exit_zero and code == 1:
        code = 3 if report.errors or report.rule_errors else 0
    sys.exit(code)


def report_problems(report: ScanReport) -> list[str]:
    """The input errors and rule errors of ``report``, one line each."""
    return [str(e) for e in report.errors] + [
        f"{e.file}: rule {e.rule} failed on {e.object}: {e.message}" for e in report.rule_errors
    ]


def exit_code(assessments: list[FrameworkAssessment], report: ScanReport, fail_on: Severity) -> int:
    """1 when a failed control has an unsuppressed finding at or above ``fail_on``; else 3 when some
    input was unreadable or a rule failed; else 0."""
    for a in assessments:
        for c in a.controls:
            if c.status is ControlStatus.FAIL and any(f.severity >= fail_on for f in c.active_findings):
                return 1
    return 3 if report.errors or report.rule_errors else 0


COMMAND = compliance_command
