"""``kubeguard pss``: would Pod Security Admission admit these workloads, at a level and version?"""

from __future__ import annotations

import json
import sys

import click

from kubeguard.analyzers.pss.admission import PssReport
from kubeguard.analyzers.pss.versions import LEVELS
from kubeguard.api import assess_pod_security
from kubeguard.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    Inputs,
    answer_code,
    deprecated,
    fail_usage,
    format_option,
    input_options,
    namespace_filter_option,
    nothing_read,
    output_option,
    screen_for,
    split_list,
    write_output,
)
from kubeguard.loading.cluster.source import PSS_KINDS
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
  kubeguard pss k8s/                            # restricted:latest
  kubeguard pss k8s/ --level baseline --policy-version v1.29
  kubeguard pss k8s/ -n prod                    # namespace prod only
  kubeguard pss pod.yaml -f json -o pss.json
  kubeguard pss charts/app --values prod.yaml   # a Helm chart
  helm template ./chart | kubeguard pss -

Namespaces in the input with pod-security.kubernetes.io/{enforce,audit,warn} labels (and their
-version labels) are applied to their workloads: the outcome is rejected, audited or warned.

\b
Exit codes:
  0  every workload is allowed (and none is rejected by its namespace)
  1  some workload is not allowed
  2  usage error, or nothing to evaluate (no workload in the input)
  3  some input could not be read, and every workload read is allowed""",
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
    "--policy-version",
    "policy_version",
    default=None,
    metavar="VERSION",
    help="Policy version: latest or v1.N (newer than the newest policy revision means latest). "
    "[default: latest]",
)
# The old spelling: -v means verbose or version of the program elsewhere, never a policy version.
@click.option("--version", "-v", "old_version", default=None, hidden=True)
@format_option(
    ["table", "json"], "table", help="Output format: table (for people) or json (one entry per workload)."
)
@output_option
@namespace_filter_option
@input_options
def pss_command(
    paths: tuple[str, ...],
    level: str,
    policy_version: str | None,
    old_version: str | None,
    fmt: str,
    output: str | None,
    namespaces: tuple[str, ...],
    inputs: Inputs,
) -> None:
    """Show whether Pod Security Admission would admit each workload, and which controls it violates.

    Every Pod and every kind with a pod template (Deployment, Job, CronJob, custom resources by
    shape ...) is evaluated at --level and --policy-version, with the admission controller's own wording.
    """
    if old_version is not None:
        if policy_version is not None:
            fail_usage("give --policy-version only (--version and -v are its old names)")
        deprecated("pss --version/-v is now --policy-version")
        policy_version = old_version
    try:
        canonical = str(KubeVersion.parse(policy_version or "latest"))
    except VersionError as exc:
        fail_usage(f"invalid --policy-version: {exc}")
    wanted = split_list(namespaces)
    loaded = inputs.for_namespaces(wanted).needing(PSS_KINDS).read(paths)
    if policy_version is None and loaded.cluster is not None and loaded.cluster.minor_version:
        canonical = loaded.cluster.minor_version  # the version the cluster's own admission applies
    report = assess_pod_security(loaded, level, canonical, namespaces=wanted)
    if not report.workloads:
        where = f"namespace(s) {', '.join(wanted)} of " if wanted else ""
        nothing_read(
            loaded,
            f"nothing to evaluate: no workload (Pod or kind with a pod template) in {where}{inputs.describe(paths)}",
        )
    locator = Locator(loaded.texts)
    if fmt == "json":
        text = render_json(report, locator)
    else:
        text = pss_table.render(report, locator, screen_for(output))
    write_output(text, output)
    sys.exit(answer_code(EXIT_OK if report.all_allowed else EXIT_FINDINGS, loaded))


COMMAND = pss_command
