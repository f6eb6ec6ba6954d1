"""``kubeguard rules`` and ``kubeguard explain``: the rule catalogue and each rule's documentation."""

from __future__ import annotations

import json
import sys

import click
from rich.console import Console
from rich.markdown import Markdown

from kubeguard.cli.common import EXIT_USAGE, format_option, screen_for
from kubeguard.compliance import controls_for
from kubeguard.engine.registry import catalogue, find_rule
from kubeguard.reporters import rules_table
from kubeguard.rules.audit import AuditRule
from kubeguard.rules.rule import Rule


@click.command(
    "rules", epilog="\b\nExamples:\n  kubeguard rules\n  kubeguard rules --family RBAC --format json"
)
@click.option(
    "--family",
    "families",
    multiple=True,
    metavar="PREFIX",
    help="Only rules of this family (PSS, WKL, IMG, SEC, RBAC, NET, CP, AUD). Repeatable.",
)
@format_option(["table", "json"], "table")
def rules_command(families: tuple[str, ...], fmt: str) -> None:
    """List every rule: code, slug, severity, fix (safe, unsafe or -), title, what it applies to."""
    wanted = {f.upper() for f in families}
    rules = [r for r in catalogue() if not wanted or r.family in wanted]
    if families and not rules:
        click.echo(f"Error: no rules in family {', '.join(sorted(wanted))}", err=True)
        sys.exit(EXIT_USAGE)
    if fmt == "json":
        data = [
            {
                "code": r.code,
                "slug": r.slug,
                "title": r.title,
                "family": r.family,
                "severity": r.severity.label,
                "appliesTo": r.applies_to.description,
                "remediation": r.remediation,
                "references": list(r.references),
                "compliance": controls_for(r.code, r.compliance),
                "aliases": list(r.aliases),
                "fix": r.fix_label,
            }
            for r in rules
        ]
        click.echo(json.dumps(data, indent=2))
        return
    click.echo(rules_table.render(rules, screen_for(None)), nl=False)


@click.command(
    "explain", epilog="\b\nExamples:\n  kubeguard explain PSS002\n  kubeguard explain privileged-containers"
)
@click.argument("rule")
@click.option("--raw", is_flag=True, help="Print the Markdown source instead of rendering it.")
def explain_command(rule: str, raw: bool) -> None:
    """Show a rule's documentation: what it does, why it matters, an example, the fix, references."""
    found = find_rule(rule)
    if found is None:
        click.echo(f"Error: no rule {rule!r} (see `kubeguard rules`)", err=True)
        sys.exit(EXIT_USAGE)
    text = explain_markdown(found)
    if raw or not sys.stdout.isatty():
        click.echo(text)
    else:
        Console().print(Markdown(text))


def explain_markdown(found: Rule | AuditRule) -> str:
    """The rule's documentation as Markdown: a title, one paragraph per fact (severity and scope,
    compliance, aliases, fix, burst window; a terminal would otherwise run them into one), the
    docstring's sections and the remediation."""
    facts = [f"Severity: **{found.severity.label}** · Applies to: {found.applies_to.description}"]
    mapping = controls_for(found.code, found.compliance)
    if mapping:
        facts.append("Compliance: " + "; ".join(f"{k} {', '.join(v)}" for k, v in mapping.items()))
    if found.aliases:
        facts.append("Aliases: " + ", ".join(found.aliases))
    if found.fix is not None:
        facts.append(f"Fix ({found.fix.safety.value}): {found.fix.summary}")
    else:
        facts.append("Fix: none (`kubeguard fix` does not change what this rule flags)")
    if isinstance(found, AuditRule) and found.burst is not None:
        facts.append(f"Window: {found.burst.threshold} events within {found.burst.window:g}s per key")
    body = found.doc.split("\n", 1)[1].strip() if "\n" in found.doc else found.doc
    head = f"# {found.code} {found.slug}: {found.title}"
    return "\n\n".join([head, *facts, body, f"## Remediation\n{found.remediation}"]) + "\n"


COMMAND = rules_command
