"""``kubeguard pss``: would Pod Security Admission admit these workloads, at a level and version?"""

from __future__ import annotations

import json
import sys

import click

from kubeguard.analyzers.pss.admission import PssReport, assess
from kubeguard.analyzers.pss.versions import LEVELS
from kubeguard.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    fail_usage,
    format_option,
    note,
    output_option,
    screen_for,
    write_output,
)
from kubeguard.loading.files import LoadOptions, load
from kubeguard.loading.locate import Locator
from kubeguard.model.versions import KubeVersion, VersionError
from kubeguard.reporters import pss_table
from kubeguard.reporters.pss_table import violation_line


def render_json(report: PssReport, locator: Locator) -> str:
    workloads = []
    for w in report.workloads:
        entry = w.to_dict()
        for v in entry["violations"]:
            v["line"] = violation_line(locator, w, v["pointer"])
        workloads.append(entry)
    doc = {
        "level": report.level,
        "version": report.version,
        "allowed": report.all_allowed,
        "summary": {
            "workloads": len(report.workloads),
            "allowed": sum(1 for w in report.workloads if w.allowed),
            "notAllowed": sum(1 for w in report.workloads if not w.allowed),
            "rejectedByNamespace": sum(1 for w in report.workloads if w.rejected),
        },
        "workloads": workloads,
        "namespaces": {
            name: {m.mode: {"level": m.level, "version": m.version} for m in policy.modes if m.labelled}
            for name, policy in sorted(report.namespaces.items())
        },
        "warnings": report.warnings,
    }
    return json.dumps(doc, indent=2) + "\n"


@click.command(
    "pss",
    epilog="""\b
Examples:
  kubeguard pss k8s/                              # restricted:latest
  kubeguard pss k8s/ --level baseline --version v1.29
  kubeguard pss pod.yaml -f json -o pss.json
  helm template ./chart | kubeguard pss -

\b
Namespaces in the input with pod-security.kubernetes.io/{enforce,audit,warn} labels (and their
-version labels) are applied to their workloads: the outcome is rejected, audited or warned.

\b
Exit codes:
  0  every workload is allowed (and none is rejected by its namespace)
  1  some workload is not allowed
  2  usage error, or nothing to evaluate""",
)
@click.argument("paths", nargs=-1, metavar="PATH...")
@click.option(
    "--level",
    "-l",
    type=click.Choice(LEVELS, case_sensitive=False),
    default="restricted",
    show_default=True,
    help="Pod Security Standards level to evaluate.",
)
@click.option(
    "--version",
    "-v",
    "version",
    default="latest",
    show_default=True,
    metavar="VERSION",
    help="Policy version: latest or v1.N (newer than the newest policy revision means latest).",
)
@format_option(
    ["table", "json"], "table", help="Output format: table (for people) or json (one entry per workload)."
)
@output_option
@click.option(
    "--exclude",
    "-e",
    multiple=True,
    metavar="GLOB",
    help="Skip files and folders whose path or name matches GLOB.",
)
def pss_command(
    paths: tuple[str, ...], level: str, version: str, fmt: str, output: str | None, exclude: tuple[str, ...]
) -> None:
    """Show whether Pod Security Admission would admit each workload, and which controls it violates.

    Every Pod and every kind with a pod template (Deployment, Job, CronJob, custom resources by
    shape ...) is evaluated at --level and --version, with the admission controller's own wording.
    """
    if not paths:
        fail_usage("nothing to evaluate: give one or more PATHs (or - for standard input)")
    try:
        canonical = str(KubeVersion.parse(version))
    except VersionError as exc:
        fail_usage(f"invalid --version: {exc}")
        return
    loaded = load(list(paths), LoadOptions(exclude=tuple(exclude)))
    for err in loaded.errors:
        note(f"error: {err}")
    if not loaded.resources and not loaded.errors:
        fail_usage(f"nothing to evaluate: no Kubernetes manifests found in {', '.join(paths)}")
    report = assess(loaded.resources, level, canonical)
    locator = Locator(loaded.texts)
    if fmt == "json":
        text = render_json(report, locator)
    else:
        text = pss_table.render(report, locator, screen_for(output))
    write_output(text, output)
    sys.exit(EXIT_OK if report.all_allowed else EXIT_FINDINGS)


COMMAND = pss_command
