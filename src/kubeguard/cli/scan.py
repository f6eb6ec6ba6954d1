"""``kubeguard scan``: scan manifests and report findings."""

from __future__ import annotations

import datetime as dt
import sys
import time

import click
from click.core import ParameterSource

from kubeguard.api import attach_fix_changes
from kubeguard.api import fix as run_fix
from kubeguard.api import scan as run_scan
from kubeguard.cli.common import (
    Inputs,
    cluster_errors,
    fail_on_option,
    fail_usage,
    format_option,
    input_options,
    namespace_filter_option,
    output_option,
    screen_for,
    split_list,
    write_output,
)
from kubeguard.cli.fix_report import report_fixes
from kubeguard.cli.history import keep_options, store_scan
from kubeguard.cli.scan_settings import rule_selection_options, scan_options_from, scan_settings_options
from kubeguard.engine.registry import RegistryError
from kubeguard.loading.config import ConfigError
from kubeguard.reporters import FORMATS, render
from kubeguard.rules.rule import Severity


@click.command(
    "scan",
    epilog="""\b
Examples:
  kubeguard scan examples/insecure
  kubeguard scan k8s/ --exclude 'test/*' --fail-on high
  kubeguard scan overlays/prod                 # a Kustomize directory
  kubeguard scan charts/app --set image.tag=1.2  # a Helm chart
  kubectl get all -A -o yaml | kubeguard scan -
  kubeguard scan k8s/ --select PSS,RBAC --ignore WKL010 -f sarif -o out.sarif
  kubeguard scan k8s/ -n prod -n shop          # report only these namespaces
  kubeguard scan k8s/ --store results.db       # see `kubeguard history`
  kubeguard scan k8s/ --fix                    # safe fixes, then what remains
  kubeguard scan --cluster                     # the current context's cluster
  kubeguard scan --cluster --context prod -n shop --select PSS

\b
Exit codes:
  0  no unsuppressed finding at or above --fail-on
  1  findings at or above --fail-on
  2  usage error, or nothing to scan
  3  some input could not be read, and no finding reached --fail-on""",
)
@click.argument("paths", nargs=-1, metavar="PATH...")
@format_option(
    FORMATS,
    "table",
    help="Report format: table (for people), json (stable schema), sarif (2.1.0), junit, markdown (pull-request comments), policyreport (wg-policy PolicyReport YAML), html (one self-contained page).",
)
@output_option
@rule_selection_options
@fail_on_option
@namespace_filter_option
@scan_settings_options
@click.option(
    "--fix",
    "apply_fixes",
    is_flag=True,
    help="Apply the safe fixes of the findings to the files read, then report what remains (see docs/fix.md).",
)
@click.option(
    "--unsafe-fixes",
    is_flag=True,
    help="With --fix or --diff: apply unsafe fixes too (they may change how the application runs).",
)
@click.option(
    "--diff",
    "show_diff",
    is_flag=True,
    help="Print the fixes as a unified diff and write nothing; exit 1 if anything would change.",
)
@keep_options()
@input_options
def scan_command(
    paths: tuple[str, ...],
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
    apply_fixes: bool,
    unsafe_fixes: bool,
    show_diff: bool,
    exit_zero: bool,
    store_url: str | None,
    source_name: str | None,
    inputs: Inputs,
) -> None:
    """Scan Kubernetes manifests for security problems.

    PATH may be a file, a folder (searched recursively for .yaml, .yml and .json; hidden folders are
    skipped), a Kustomize folder (rendered with `kubectl kustomize` or `kustomize build`; findings name
    the source file and line), a Helm chart folder (rendered with `helm template`, or in-process with
    the optional helm-python-sdk; findings name the template), or - for standard input.

    Cross-resource rules judge each deployment on its own: every rendered kustomization or chart,
    stdin, and each folder of plain files (a folder whose parts define the same object twice is
    split into separate deployments). See docs/inputs.md.

    With --cluster the live cluster is read as well (one deployment; only the kinds the selected
    rules need; -n limits namespaced kinds to those namespaces), and its server version replaces
    `latest` in --pss and --k8s-version unless they are given. See docs/cluster.md.
    """
    if not paths and inputs.cluster is None:
        fail_usage(
            "nothing to scan: give one or more PATHs (or - for standard input, or --cluster); "
            "see `kubeguard scan --help`"
        )
    options = scan_options_from(pss, k8s_version, no_builtin_rbac)
    if unsafe_fixes and not (apply_fixes or show_diff):
        fail_usage("--unsafe-fixes applies fixes: use it with --fix or --diff (or `kubeguard fix`)")
    if inputs.cluster is not None and (apply_fixes or show_diff):
        fail_usage("--fix and --diff edit manifest files; a live cluster has none (fix its sources instead)")
    click_ctx = click.get_current_context()
    # A version given explicitly is kept; `latest` by default (or `--pss baseline`) takes the server's.
    given = {
        name
        for name, param, explicit in (("pss", "pss", ":" in pss), ("k8s", "k8s_version", True))
        if explicit and click_ctx.get_parameter_source(param) not in (ParameterSource.DEFAULT, None)
    }
    inputs = inputs.for_namespaces(split_list(namespaces))
    started, clock = dt.datetime.now(dt.UTC), time.perf_counter()
    if apply_fixes or show_diff:
        try:
            with inputs.progress() as progress:
                result = run_fix(
                    list(paths),
                    select=split_list(select),
                    ignore=split_list(ignore),
                    unsafe_fixes=unsafe_fixes,
                    write=not show_diff,
                    options=options,
                    load_options=inputs.load_options,
                    config=config_path,
                    namespaces=split_list(namespaces),
                    progress=progress,
                )
        except (RegistryError, ConfigError) as exc:
            fail_usage(str(exc))
            return
        if result.report.resources == 0 and not result.report.errors:
            fail_usage(f"nothing to fix: no Kubernetes manifests found in {', '.join(paths)}")
        report_fixes(result)
        if show_diff:
            click.echo("".join(c.diff() for c in result.changes), nl=False)
            sys.exit(1 if result.changes else (3 if result.report.errors else 0))
        report = result.report
    else:
        try:
            with inputs.progress() as progress, cluster_errors():
                report = run_scan(
                    list(paths),
                    select=split_list(select),
                    ignore=split_list(ignore),
                    options=options,
                    load_options=inputs.load_options,
                    config=config_path,
                    namespaces=split_list(namespaces),
                    progress=progress,
                    server_version_for={"pss", "k8s"} - given,
                )
        except (RegistryError, ConfigError) as exc:
            fail_usage(str(exc))
            return
    seconds = time.perf_counter() - clock
    if report.resources == 0 and not report.errors:
        if namespaces:
            fail_usage(f"nothing to scan: no object in namespace(s) {', '.join(split_list(namespaces))}")
        fail_usage(f"nothing to scan: no Kubernetes manifests found in {inputs.describe(paths)}")
    if fmt == "sarif":
        attach_fix_changes(report)  # SARIF results carry their fix as text replacements
    write_output(render(report, fmt, screen=screen_for(output)), output)
    if output and fmt != "table":
        click.echo(f"wrote {fmt} report to {output}", err=True)
    if store_url:
        store_scan(store_url, report, list(paths), started, seconds, source_name)
    code = report.exit_code(Severity.parse(fail_on))
    if exit_zero and code == 1:
        code = 3 if report.errors or report.rule_errors else 0
    sys.exit(code)


COMMAND = scan_command
