"""``kubeguard fix``: ``kubeguard scan --fix`` under its own name (same options and exit codes)."""

from __future__ import annotations

from typing import Any

import click

from kubeguard.cli.scan import scan_command


def _fix(**kwargs: Any) -> None:
    kwargs["apply_fixes"] = True
    assert scan_command.callback is not None
    scan_command.callback(**kwargs)


fix_command = click.Command(
    "fix",
    callback=_fix,
    params=[p for p in scan_command.params if p.name != "apply_fixes"],
    help="""Fix what the rules can fix, in the files the findings come from, then report what remains.

    Safe fixes only (they cannot break a working application); --unsafe-fixes adds the others.
    Comments, key order, quoting, indentation and document separators are kept: only the fixed
    lines change. Suppressed findings are not fixed. Objects rendered by Kustomize or Helm, or read
    from standard input, are never edited: a strategic-merge patch is suggested instead. See
    docs/fix.md for what each rule's fix does.
    """,
    epilog="""\b
Examples:
  kubeguard fix k8s/                  # safe fixes, then what remains
  kubeguard fix k8s/ --diff           # show the fixes, write nothing
  kubeguard fix k8s/ --select PSS014,PSS017
  kubeguard fix k8s/ --unsafe-fixes   # also readOnlyRootFilesystem ...

\b
Exit codes (as kubeguard scan, after fixing):
  0  no unsuppressed finding at or above --fail-on remains
  1  findings remain at or above --fail-on; with --diff: something would
     change
  2  usage error, or nothing to fix
  3  some input could not be read""",
)

COMMAND = fix_command
