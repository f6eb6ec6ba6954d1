"""``kubeguard pss``: would Pod Security Admission admit these workloads, at a level and version?"""

from __future__ import annotations

import json
import sys

import click

from kubeguard.analyzers.pss.admission import PssReport, WorkloadAssessment, assess
from kubeguard.analyzers.pss.versions import LEVELS
from kubeguard.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    fail_usage,
    format_option,
    output_option,
    write_output,
)
from kubeguard.loading.files import LoadOptions, load
from kubeguard.loading.locate import Locator
from kubeguard.model.pointer import Pointer
from kubeguard.model.versions import KubeVersion, VersionError


def _line(locator: Locator, w: WorkloadAssessment, pointer: str | None = None) -> int | None:
    if pointer is None:
        return w.resource.source.line
    line, _ = locator.locate(w.resource.source, Pointer.parse(pointer))
    return line


def render_json(report: PssReport, locator: Locator) -> str:
    workloads = []
    for w in report.workloads:
        entry = w.to_dict()
        for v in entry["violations"]:
            v["line"] = _line(locator, w, v["pointer"])
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


def render_table(report: PssReport, locator: Locator, color: bool) -> str:
    def style(text: str, fg: str) -> str:
        return click.style(text, fg=fg, bold=True) if color else text

    lines = []
    for w in report.workloads:
        r = w.resource
        status = style("ALLOWED", "green") if w.allowed else style("DENIED ", "red")
        where = f"{r.source.file}:{r.source.line}" if r.source.line else r.source.file
        lines.append(
            f"{status}  {r.kind}/{r.effective_namespace + '/' if r.effective_namespace else ''}{r.name}  {where}"
        )
        for v in w.violations:
            line = _line(locator, w, v.pointer)
            at = f":{line}" if line else ""
            lines.append(f"    {v.control} {v.message}  [{v.pointer}{at}]")
        for m in w.namespace_modes:
            word = style(m.outcome, "green" if m.allowed else "yellow" if m.mode != "enforce" else "red")
            lines.append(f"    namespace {m.mode}={m.level}:{m.version} -> {word}")
            if not m.allowed:
                lines.extend(f"        {v.control} {v.message}" for v in m.violations)
    allowed = sum(1 for w in report.workloads if w.allowed)
    total = len(report.workloads)
    rejected = sum(1 for w in report.workloads if w.rejected)
    summary = f"{allowed} of {total} workload(s) allowed at {report.level}:{report.version}"
    if report.namespaces:
        summary += f"; {rejected} rejected by their namespace's enforce label"
    lines.append("")
    lines.append(summary)
    lines.extend(f"warning: {w}" for w in report.warnings)
    return "\n".join(lines) + "\n"


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
        click.echo(f"error: {err}", err=True)
    if not loaded.resources and not loaded.errors:
        fail_usage(f"nothing to evaluate: no Kubernetes manifests found in {', '.join(paths)}")
    report = assess(loaded.resources, level, canonical)
    locator = Locator(loaded.texts)
    if fmt == "json":
        text = render_json(report, locator)
    else:
        text = render_table(report, locator, color=not output and sys.stdout.isatty())
    write_output(text, output)
    sys.exit(EXIT_OK if report.all_allowed else EXIT_FINDINGS)


COMMAND = pss_command
